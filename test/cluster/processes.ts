// Real `keymint` processes for the cluster suites: spawned with their own environment, killed in afterAll.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface KeymintProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export function runKeymint(args: string[], env: Record<string, string>): KeymintProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  // Should the test process itself die, take its servers with it.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      process.off('exit', orphanGuard);
      resolve(code);
    }),
  );
  return { child, output: () => out, exited };
}

/** A server on a free port (KEYMINT_PORT=0): resolves with its URL once it listens. */
// 90 s: three `tsx` processes starting together on a starved shared machine have taken over 60 s.
export async function startNode(env: Record<string, string>, timeoutMs = 90_000): Promise<KeymintProcess & { url: string }> {
  const p = runKeymint(['serve'], { KEYMINT_PORT: '0', KEYMINT_HOST: '127.0.0.1', ...env });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(p.output());
    if (m) return { ...p, url: m[1] };
    if (p.child.exitCode !== null || Date.now() > deadline) {
      p.child.kill('SIGKILL');
      throw new Error(`keymint serve did not start (exit ${p.child.exitCode}):\n${p.output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function kill(p: KeymintProcess | undefined): void {
  if (p && p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
}
