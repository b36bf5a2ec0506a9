// Start-up time of `keymint serve`: spawns the given command N times on a fresh SQLite store each time and
// reports the time from spawn to the first successful GET /healthz.
//   node --import tsx bench/startup.ts [runs] -- <command...>     e.g. `-- node dist/cli.js serve`
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const sep = process.argv.indexOf('--');
const runs = Number(process.argv[2] && process.argv[2] !== '--' ? process.argv[2] : 10);
const command = sep > 0 ? process.argv.slice(sep + 1) : ['node', 'dist/cli.js', 'serve'];

/** A port the kernel just handed out and released (other engineers' servers share this machine). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function once(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'keymint-startup-'));
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command[0], command.slice(1), {
    env: { ...process.env, KEYMINT_DATABASE_URL: `sqlite:${join(dir, 'k.db')}`, KEYMINT_PORT: String(port), KEYMINT_HOST: '127.0.0.1', KEYMINT_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  try {
    for (;;) {
      if (exited) throw new Error(`${command.join(' ')} exited before answering /healthz`);
      if (performance.now() - started > 30_000) throw new Error('no answer on /healthz within 30 s');
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      if (ok) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill('SIGTERM');
    if (!exited) await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

const times: number[] = [];
for (let i = 0; i < runs; i++) times.push(await once());
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
process.stdout.write(`${command.join(' ')}: median ${median.toFixed(0)} ms to a healthy /healthz over ${runs} runs (min ${times[0].toFixed(0)}, max ${times[times.length - 1].toFixed(0)})\n`);
