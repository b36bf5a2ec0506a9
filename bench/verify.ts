// `npm run bench`: verification throughput as users run it. The BUILT server (`node dist/cli.js serve`, default
// settings) in its own process, keys made through the v1 API (or written to the store as copies of an API-made
// row), wrk (or autocannon without it) in another process pinned to the other core, the bare Fastify route and better-auth in the
// same run, every scenario of bench/scenarios.ts measured in rounds (each right after a run of the bare route, its
// ratio against that run; all scenarios once, then again), medians.
//   npm run bench                          3 rounds, 10 s each (about 20 minutes)
//   npm run bench -- --quick               1 round, 3 s, fewer stored keys: for development
//   npm run bench -- --only keymint-10k    some scenarios (the bare route always runs: ratios need it; `local`
//                                          is the SDK's local verifier, bench/local-verify.ts)
//   npm run bench -- --profile <dir>       a CPU profile of each Keymint measured run (not start-up or warm-up),
//                                          and beside it (.pauses.txt) its GC pauses and event-loop delay
//   npm run bench -- --seed-dir <dir>      keep the SQLite seeds there and reuse them on the next run
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { newKeyId } from '../src/keys/ids.js';
import { mintKey, ROOT_PREFIX } from '../src/keys/material.js';
import type { LoadGroup, LoadPlan, LoadResult } from './load.js';
import { procStats } from './proc.js';
import { copySeed, removeCopy } from './seed-copy.js';
import { CONNECTIONS, type Run, type Scenario, SCENARIOS, type Summary, type Target } from './scenarios.js';

const { values: args } = parseArgs({
  options: { 'seed-dir': { type: 'string' }, quick: { type: 'boolean' }, only: { type: 'string' }, runs: { type: 'string' }, duration: { type: 'string' }, profile: { type: 'string' } },
});
const QUICK = args.quick ?? false;
const RUNS = Number(args.runs ?? (QUICK ? 1 : 3));
const DURATION_S = Number(args.duration ?? (QUICK ? 3 : 10));
const WARMUP_S = QUICK ? 1 : 3;
const PG_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROOT = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'keymint-bench-'));
const rootKey = mintKey(ROOT_PREFIX).plaintext;
const children = new Set<ChildProcess>();
const cleanups: (() => Promise<void>)[] = [];
// The server on core 0, the load generator on core 1 (when taskset and a second core exist).
const pinned = cpus().length >= 2 && onPath('taskset');
const pin = (core: number, cmd: string[]) => (pinned ? ['taskset', '-c', String(core), ...cmd] : cmd);
const log = (s: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);

function onPath(cmd: string): boolean {
  return (process.env.PATH ?? '').split(':').some((p) => existsSync(join(p, cmd)));
}

function start(cmd: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(cmd[0], cmd.slice(1), { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  child.once('exit', (code, signal) => {
    children.delete(child);
    if (code && signal === null) log(`${cmd.join(' ')} exited with ${code}: ${err.trim()}`);
  });
  children.add(child);
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

async function until<T>(what: string, child: ChildProcess, probe: () => Promise<T | undefined>, ms = 120_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what}: the process exited (${child.exitCode})`);
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() - started > ms) throw new Error(`${what}: not ready within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Server {
  child: ChildProcess;
  port: number;
}

/** The built Keymint, as `keymint serve` runs: `node dist/cli.js serve`. */
async function keymint(url: string, env: Record<string, string>, redis: string | null): Promise<Server> {
  const port = await freePort();
  const execArgv = args.profile ? ['--import', join(ROOT, 'bench/profile-hook.mjs')] : [];
  if (args.profile) mkdirSync(args.profile, { recursive: true });
  const child = start(pin(0, ['node', ...execArgv, 'dist/cli.js', 'serve']), {
    KEYMINT_DATABASE_URL: url,
    KEYMINT_ROOT_KEY: rootKey,
    KEYMINT_ENCRYPTION_KEY: '00'.repeat(32),
    KEYMINT_PORT: String(port),
    KEYMINT_HOST: '127.0.0.1',
    ...(redis ? { KEYMINT_REDIS_URL: redis, KEYMINT_REDIS_PREFIX: `bench-${process.pid}-` } : {}),
    ...(args.profile ? { BENCH_PROFILE: resolve(args.profile) } : {}),
    ...env,
  });
  await until('keymint serve', child, async () => ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok ? true : undefined));
  return { child, port };
}

async function peer(kind: string, peerDir: string, keys: number): Promise<Server> {
  const child = start(pin(0, ['node', '--import', 'tsx', 'bench/peers.ts', kind, peerDir, String(keys)]));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const port = await until(kind, child, async () => out.match(/listening (\d+)/)?.[1], 600_000);
  return { child, port: Number(port) };
}

async function call(port: number, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${rootKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** A store in the state a scenario asks for, and the file of its keys' plaintexts. */
interface Seed {
  url: string;
  redis: string | null;
  keysFile: string;
}
const seeds = new Map<string, Promise<Seed | string>>();

async function reachable(): Promise<string | null> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3_000 });
  try {
    await c.connect();
    await c.end();
  } catch (e) {
    return `PostgreSQL at ${PG_URL} unreachable (${(e as Error).message}; BENCH_POSTGRES_URL)`;
  }
  const u = new URL(REDIS_URL);
  const pong = await new Promise<boolean>((res) => {
    const s = connect(Number(u.port || 6379), u.hostname);
    s.setTimeout(3_000, () => (s.destroy(), res(false)));
    s.on('error', () => res(false));
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => (s.destroy(), res(d.toString().startsWith('+PONG'))));
  });
  return pong ? null : `Redis at ${REDIS_URL} unreachable (BENCH_REDIS_URL)`;
}

async function seedKeymint(s: Scenario, total: number): Promise<Seed | string> {
  const api = Math.min(s.keys!.api, total);
  const seedDir = s.store !== 'postgres+redis' && args['seed-dir'] ? resolve(args['seed-dir']) : dir;
  mkdirSync(seedDir, { recursive: true });
  // Keys made with other fields (credits, meta...) are another store: the name says which.
  const tag = s.keyFields ? `-${createHash('sha256').update(JSON.stringify(s.keyFields)).digest('hex').slice(0, 8)}` : '';
  const keysFile = join(seedDir, `keys-${s.store ?? 'sqlite'}-${total}-${api}${tag}.json`);
  let url = `sqlite:${join(seedDir, `${s.store ?? 'sqlite'}-${total}-${api}${tag}.db`)}`;
  if (seedDir !== dir && existsSync(keysFile)) return { url, redis: null, keysFile };
  let redis: string | null = null;
  if (s.store === 'postgres+redis') {
    const why = await reachable();
    if (why) return why;
    const schema = `bench_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    cleanups.push(async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    });
    url = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    redis = REDIS_URL;
  }
  log(`seeding ${total} keys (${api} through POST /v1/api-keys) on ${s.store ?? 'sqlite'}`);
  // The management request limit is lifted for seeding only; the measured server runs with the defaults.
  const server = await keymint(url, { KEYMINT_MANAGEMENT_RATE_LIMIT: '0', KEYMINT_LOG_LEVEL: 'warn' }, redis);
  const keys: string[] = [];
  try {
    const project = await call(server.port, 'POST', '/v1/projects', { name: 'bench' });
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < api) {
          const i = next++;
          const made = await call(server.port, 'POST', '/v1/api-keys', { project_id: project.id, name: `bench-${i}`, ...s.keyFields });
          keys.push(made.key);
        }
      }),
    );
  } finally {
    await stop(server.child);
  }
  if (total > api) {
    // The rest: copies of one API-made row (same columns, project, role, scopes), each with its own id, name and digest.
    const db = new SQLite(url.slice('sqlite:'.length));
    const row = db.prepare('select * from api_keys order by num_id limit 1').get() as Record<string, unknown>;
    delete row.num_id;
    const cols = Object.keys(row);
    const insert = db.prepare(`insert into api_keys (${cols.join(', ')}) values (${cols.map((c) => `@${c}`).join(', ')})`);
    db.transaction(() => {
      for (let i = api; i < total; i++) {
        const k = mintKey();
        insert.run({ ...row, id: newKeyId(), name: `bench-${i}`, digest: k.digest, key_prefix: k.displayPrefix });
        keys.push(k.plaintext);
      }
    })();
    db.close();
  }
  writeFileSync(keysFile, JSON.stringify(keys));
  return { url, redis, keysFile };
}

function seedFor(s: Scenario): Promise<Seed | string> {
  const total = QUICK ? (s.keys?.quick ?? s.keys?.total ?? 0) : (s.keys?.total ?? 0);
  const id = `${s.server}:${s.store ?? 'sqlite'}:${total}:${s.keys?.api}:${JSON.stringify(s.keyFields ?? {})}`;
  if (!seeds.has(id)) {
    if (s.server === 'keymint') seeds.set(id, seedKeymint(s, total));
    else {
      const peerDir = join(dir, `${s.server}-${total}`);
      mkdirSync(peerDir, { recursive: true });
      const keysFile = join(peerDir, 'keys.json');
      // The bare route ignores the key; better-auth writes its own keys there on its first start.
      if (s.server === 'bare') writeFileSync(keysFile, JSON.stringify(Array.from({ length: 10_000 }, () => mintKey().plaintext)));
      seeds.set(id, Promise.resolve({ url: peerDir, redis: null, keysFile }));
    }
  }
  return seeds.get(id)!;
}

async function load(port: number, groups: LoadGroup[], durationS?: number): Promise<LoadResult> {
  const plan: LoadPlan = { url: `http://127.0.0.1:${port}`, token: rootKey, path: '/v1/keys/verify', durationS, groups };
  const planFile = join(dir, `plan-${Date.now()}-${Math.random()}.json`);
  writeFileSync(planFile, JSON.stringify(plan));
  const child = start(pin(1, ['node', '--import', 'tsx', 'bench/load.ts', planFile]));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`the load generator exited with ${code}`);
  return JSON.parse(out);
}

function metricsOf(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^(keymint_key_cache_\w+) ([\d.e+]+)$/gm)) out[m[1]] = Number(m[2]);
  return out;
}

async function measure(s: Scenario, bareRps: number | null): Promise<Run | string> {
  const seed = await seedFor(s);
  if (typeof seed === 'string') return seed;
  // Every run on its own copy of a SQLite seed: each starts from the store as seeded, not as the last run left it.
  const copy = seed.url.startsWith('sqlite:') ? join(dir, 'run.db') : null;
  if (copy) copySeed(seed.url.slice('sqlite:'.length), copy);
  const url = copy ? `sqlite:${copy}` : seed.url;
  const server = s.server === 'keymint' ? await keymint(url, s.env ?? {}, seed.redis) : await peer(s.server, seed.url, QUICK ? (s.keys?.quick ?? 0) : (s.keys?.total ?? 0));
  try {
    // A scenario's verify fields (e.g. `client_ip`) go in every body: warm-up, load and the check after it.
    const groups = s.load(seed.keysFile).map((g) => (s.verifyFields ? { ...g, extra: { ...s.verifyFields, ...g.extra } } : g));
    if (s.prewarm) {
      const keys: string[] = JSON.parse(readFileSync(seed.keysFile, 'utf8'));
      const warmFile = join(dir, 'warm.json');
      writeFileSync(warmFile, JSON.stringify(keys.slice(0, s.prewarm)));
      await load(server.port, [{ name: 'warm', connections: CONNECTIONS, keysFile: warmFile, mode: 'pass', extra: s.verifyFields }]);
    }
    await load(server.port, groups, WARMUP_S);
    const pid = server.child.pid!;
    const before = procStats(pid);
    if (args.profile && s.server === 'keymint') server.child.kill('SIGUSR2');
    const result = await load(server.port, groups, DURATION_S);
    if (args.profile && s.server === 'keymint') server.child.kill('SIGUSR2');
    const after = procStats(pid);
    const all = Object.values(result.groups);
    const total = all.reduce((n, g) => n + g.total, 0);
    const rps = all.reduce((n, g) => n + g.rps, 0);
    const key = (JSON.parse(readFileSync(seed.keysFile, 'utf8')) as string[])[0];
    const answer = await call(server.port, 'POST', '/v1/keys/verify', { key, ...s.verifyFields });
    const metrics = s.server === 'keymint' ? metricsOf(await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text()) : {};
    return {
      rps,
      total,
      p50: Math.max(...all.map((g) => g.p50)),
      p99: Math.max(...all.map((g) => g.p99)),
      groups: result.groups,
      ratio: bareRps ? rps / bareRps : 1,
      cpuPerReq: (after.cpuUs - before.cpuUs) / total,
      sysPerReq: (after.sysUs - before.sysUs) / total,
      rss: after.rss,
      peakRss: after.peakRss,
      loadCpu: result.cpuShare,
      check: answer.valid ? 'valid' : String(answer.code),
      metrics,
    };
  } finally {
    await stop(server.child);
    if (copy) removeCopy(copy);
  }
}

function summary(runs: Run[]): Summary {
  const sorted = (pick: (r: Run) => number) => runs.map(pick).sort((a, b) => a - b);
  return {
    runs,
    median: (pick) => {
      const v = sorted(pick);
      return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    },
    min: (pick) => sorted(pick)[0],
    max: (pick) => sorted(pick)[runs.length - 1],
  };
}

async function main() {
  const started = Date.now();
  const loadBefore = loadavg();
  const only = args.only?.split(',');
  const scenarios = SCENARIOS.filter((s) => s.id === 'bare' || !only || only.includes(s.id));
  const runs = new Map<string, Run[]>(scenarios.map((s) => [s.id, []]));
  const skipped = new Map<string, string>();
  const bare = scenarios.find((s) => s.id === 'bare')!;
  const others = scenarios.filter((s) => s !== bare);
  const measured = (s: Scenario, r: Run) => {
    runs.get(s.id)!.push(r);
    log(`${s.id}: ${Math.round(r.rps)} req/s, ${r.ratio.toFixed(2)}x, p99 ${r.p99} ms, ${r.cpuPerReq.toFixed(1)} µs/req, load generator ${(r.loadCpu * 100).toFixed(0)}% of its core`);
  };
  for (let round = 1; round <= RUNS; round++) {
    // The bare route is measured right before each scenario, and each ratio is against that run: this machine's
    // speed drifts by a third within minutes, so one bare run per round could skew a whole round.
    for (const s of others.length ? others : [bare]) {
      if (skipped.has(s.id)) continue;
      log(`round ${round}/${RUNS}: bare, then ${s.id}`);
      const base = (await measure(bare, null)) as Run;
      measured(bare, base);
      if (s === bare) continue;
      const r = await measure(s, base.rps);
      if (typeof r === 'string') {
        skipped.set(s.id, r);
        log(`${s.id} skipped: ${r}`);
        continue;
      }
      measured(s, r);
    }
  }
  const all: Record<string, Summary | undefined> = {};
  for (const [id, rs] of runs) if (rs.length) all[id] = summary(rs);

  const mb = (n: number) => `${Math.round(n / 1e6)} MB`;
  const out: string[] = [];
  out.push(`Keymint verification benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${QUICK ? ' (--quick: not for claims)' : ''}`);
  out.push(`machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}; Node ${process.version}; load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  out.push(
    `${RUNS} round${RUNS > 1 ? 's' : ''} of every scenario, each right after a run of the bare route (its ratio is against that run); each: server started, cache warmed, ${WARMUP_S} s warm-up, ${DURATION_S} s measured; ${onPath('wrk') ? 'wrk' : 'autocannon (install wrk for a lighter generator)'}, ${CONNECTIONS} connections, prebuilt requests, ${pinned ? 'server on CPU 0 and load generator on CPU 1 (taskset)' : 'not pinned (no taskset or one core)'}; medians, ratio spread in brackets`,
  );
  out.push('');
  out.push('| scenario | req/s | vs bare (runs) | p50 ms | p99 ms | server CPU µs/req (kernel) | load gen CPU | peak RSS | errors | after load |');
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const s of scenarios) {
    const x = all[s.id];
    if (!x) {
      out.push(`| ${s.id}: ${s.label} | skipped: ${skipped.get(s.id) ?? 'no run'} | | | | | | | | |`);
      continue;
    }
    const groups = Object.keys(x.runs[0].groups);
    const p99 = groups.length > 1 ? groups.map((g) => `${g} ${x.median((r) => r.groups[g].p99)}`).join(', ') : String(x.median((r) => r.p99));
    const errors = x.max((r) => Object.values(r.groups).reduce((n, g) => n + g.errors + g.non2xx, 0));
    out.push(
      `| ${s.id}: ${s.label} | ${Math.round(x.median((r) => r.rps))} | ${x.median((r) => r.ratio).toFixed(2)}x (${x.min((r) => r.ratio).toFixed(2)}-${x.max((r) => r.ratio).toFixed(2)}) | ${x.median((r) => r.p50)} | ${p99} | ${x.median((r) => r.cpuPerReq).toFixed(1)} (${x.median((r) => r.sysPerReq).toFixed(1)}) | ${Math.round(x.max((r) => r.loadCpu) * 100)}% | ${mb(x.max((r) => r.peakRss))} | ${errors} | ${[...new Set(x.runs.map((r) => r.check))].join('/')} |`,
    );
  }
  out.push('');
  let pass = true;
  for (const s of scenarios) {
    const x = all[s.id];
    const targets: Target[] = x && s.targets ? s.targets(x, all) : [];
    for (const t of targets) {
      pass &&= t.ok;
      out.push(`- ${t.ok ? 'PASS' : 'FAIL'} ${s.id}: ${t.name}: ${t.value}`);
    }
    if (!x && s.targets) {
      pass = false;
      out.push(`- FAIL ${s.id}: not measured (${skipped.get(s.id)})`);
    }
  }
  // The SDK's local verifier (bench/local-verify.ts): its own process, its own baseline in the same run.
  if (!only || only.includes('local')) {
    log('local verifier');
    const child = start(['node', '--import', 'tsx', 'bench/local-verify.ts'], QUICK ? { BENCH_REPLICA_KEYS: '100000' } : {});
    let text = '';
    child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
    const code = await new Promise((r) => child.once('exit', r));
    if (code !== 0 || text.includes('MISSED')) pass = false;
    out.push(code === 0 ? text.trim() : `- FAIL local: bench/local-verify.ts exited with ${code}`, '');
  }
  out.push(`took ${Math.round((Date.now() - started) / 1000)} s`);
  process.stdout.write(out.join('\n') + '\n');
  process.exitCode = pass ? 0 : 1;
}

const cleanup = async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const c of cleanups) await c().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
};
process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
main().then(cleanup, async (e) => {
  await cleanup();
  process.stderr.write(`bench failed: ${(e as Error).stack}\n`);
  process.exit(1);
});
