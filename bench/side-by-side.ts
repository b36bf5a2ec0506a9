// Two builds of Keymint served at once on the same core, each on its own copy of one SQLite seed, loaded at once from
// the other core: a machine's noise (a busy neighbour) then slows both alike, where back-to-back runs on a noisy VM
// varied more than the difference being measured. For comparing a change against main:
//   git worktree add /tmp/base main && (cd /tmp/base && ln -s $PWD/node_modules . && npm run build)   [from the checkout]
//   npm run build && node --import tsx bench/side-by-side.ts --a /tmp/base --b . --seed-dir /tmp/seeds [--rounds 5]
// after `npm run bench -- --only keymint-1m --seed-dir /tmp/seeds` made the seed. Prints one line a round.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { mintKey, ROOT_PREFIX } from '../src/keys/material.js';
import type { LoadGroup, LoadResult } from './load.js';
import { procStats } from './proc.js';
import { copySeed } from './seed-copy.js';

const { values: args } = parseArgs({ options: { a: { type: 'string' }, b: { type: 'string' }, 'seed-dir': { type: 'string' }, rounds: { type: 'string' } } });
if (!args.a || !args.b || !args['seed-dir']) throw new Error('usage: --a <checkout> --b <checkout> --seed-dir <dir of npm run bench seeds> [--rounds N]');
const seedDir = resolve(args['seed-dir']);
const seed = readdirSync(seedDir).find((f) => /^sqlite-1000000-\d+\.db$/.test(f));
if (!seed) throw new Error(`no 1,000,000-key SQLite seed in ${seedDir}: run npm run bench -- --only keymint-1m --seed-dir ${seedDir}`);
const keysFile = join(seedDir, `keys-${seed.replace(/\.db$/, '.json')}`);
const ROOT = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'keymint-side-'));
const rootKey = mintKey(ROOT_PREFIX).plaintext;
const builds = { a: resolve(args.a), b: resolve(args.b) };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const servers: Record<string, { child: ChildProcess; port: number }> = {};
for (const [name, checkout] of Object.entries(builds)) {
  copySeed(join(seedDir, seed), join(dir, `${name}.db`));
  const port = 47_100 + Object.keys(servers).length;
  const child = spawn('taskset', ['-c', '0', 'node', 'dist/cli.js', 'serve'], {
    cwd: checkout,
    stdio: 'ignore',
    env: { ...process.env, KEYMINT_DATABASE_URL: `sqlite:${join(dir, `${name}.db`)}`, KEYMINT_ROOT_KEY: rootKey, KEYMINT_ENCRYPTION_KEY: '00'.repeat(32), KEYMINT_PORT: String(port), KEYMINT_HOST: '127.0.0.1' },
  });
  servers[name] = { child, port };
  for (;;) {
    if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) break;
    await sleep(200);
  }
}

function load(port: number, groups: LoadGroup[], durationS?: number): Promise<LoadResult> {
  const planFile = join(dir, `plan-${port}-${Date.now()}.json`);
  writeFileSync(planFile, JSON.stringify({ url: `http://127.0.0.1:${port}`, token: rootKey, path: '/v1/keys/verify', durationS, groups }));
  const child = spawn('taskset', ['-c', '1', 'node', '--import', 'tsx', 'bench/load.ts', planFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((res, rej) => child.once('exit', (code) => (code ? rej(new Error(`the load generator exited with ${code}`)) : res(JSON.parse(out)))));
}

try {
  // As the keymint-1m scenario: 100,000 keys cached, then each server's 25 connections uniformly over all keys.
  const warmFile = join(dir, 'warm.json');
  writeFileSync(warmFile, JSON.stringify((JSON.parse(readFileSync(keysFile, 'utf8')) as string[]).slice(0, 100_000)));
  for (const { port } of Object.values(servers)) await load(port, [{ name: 'warm', connections: 50, keysFile: warmFile, mode: 'pass' }]);
  const groups: LoadGroup[] = [{ name: 'valid', connections: 25, keysFile, mode: 'random', perConnection: 8_000 }];
  await Promise.all(Object.values(servers).map(({ port }) => load(port, groups, 3)));
  for (let round = 1; round <= Number(args.rounds ?? 5); round++) {
    const before = Object.values(servers).map(({ child }) => procStats(child.pid!).cpuUs);
    const results = await Promise.all(Object.values(servers).map(({ port }) => load(port, groups, 15)));
    const line = Object.entries(servers).map(([name, { child }], i) => {
      const g = results[i].groups.valid;
      return `${name}: ${g.rps.toFixed(0)} req/s, p99 ${g.p99} ms, ${((procStats(child.pid!).cpuUs - before[i]) / g.total).toFixed(1)} µs/req`;
    });
    console.log(`round ${round}: ${line.join(' | ')}`);
  }
} finally {
  for (const { child } of Object.values(servers)) child.kill('SIGTERM');
  await sleep(2_000);
  rmSync(dir, { recursive: true, force: true });
}
