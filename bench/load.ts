// The load generator, in its own process (pinned to its own core by the bench): `node --import tsx bench/load.ts
// <plan file>`. Timed runs use wrk (Debian's `wrk`, written in C) when it is on the PATH: one wrk per group of
// connections, its requests prebuilt in Lua from the group's keys, so the generator is not the limit (autocannon
// needs about a core for 30,000 req/s, the bare route's rate here). Without wrk, and for warming passes (each key
// once), every connection is its own autocannon instance with its own prebuilt requests. Either way connections
// do not walk the same keys in lockstep, and each group (valid keys, unknown keys) gets its own latency
// histogram. Prints one JSON line.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { mintKey } from '../src/keys/material.js';

export interface LoadGroup {
  name: string;
  connections: number;
  /** A JSON array of plaintext keys; unused when `unknown`. */
  keysFile?: string;
  /**
   * `random`: each connection draws `perConnection` keys uniformly (with replacement) and cycles through them;
   * `pass`: the keys are split among the connections, each sends its share once (to warm a cache);
   * `unknown`: `perConnection` freshly minted keys per connection (valid checksum, in no store).
   */
  mode: 'random' | 'pass' | 'unknown';
  perConnection?: number;
  /** Fields added to every verify body (e.g. `required_scopes`). */
  extra?: Record<string, unknown>;
}

export interface LoadPlan {
  url: string;
  token: string;
  path: string;
  /** Seconds; without it, each connection sends its requests once (`pass`). */
  durationS?: number;
  groups: LoadGroup[];
}

export interface GroupResult {
  rps: number;
  total: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export interface LoadResult {
  groups: Record<string, GroupResult>;
  /** The load generator's own CPU time over the run, as a share of one core. */
  cpuShare: number;
  /** `wrk` or `autocannon`. */
  generator: string;
}

const plan: LoadPlan = JSON.parse(readFileSync(process.argv[2], 'utf8'));

function keysOf(group: LoadGroup): string[][] {
  const per = group.perConnection ?? 2_000;
  if (group.mode === 'unknown') return Array.from({ length: group.connections }, () => Array.from({ length: per }, () => mintKey().plaintext));
  const keys: string[] = JSON.parse(readFileSync(group.keysFile!, 'utf8'));
  if (group.mode === 'pass') {
    const size = Math.ceil(keys.length / group.connections);
    return Array.from({ length: group.connections }, (_, i) => keys.slice(i * size, (i + 1) * size)).filter((c) => c.length > 0);
  }
  return Array.from({ length: group.connections }, () => Array.from({ length: per }, () => keys[Math.floor(Math.random() * keys.length)]));
}

const running: autocannon.Instance[] = [];

function run(keys: string[], extra: Record<string, unknown> | undefined): Promise<autocannon.Result> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${plan.token}` };
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon({
      url: plan.url,
      connections: 1,
      // autocannon starts an instance's clock when it is made, and making one builds all its requests: with 50
      // instances the first would run out its time before the last is built. So they run until stopped, all at
      // once, a fixed time after the last is built; `sampleInt` 100 ms makes the stop land within 0.1 s.
      ...(plan.durationS ? { duration: 24 * 3600, sampleInt: 100 } : { amount: keys.length }),
      // Built once by autocannon (no setupRequest): sending costs the generator no JSON work.
      requests: keys.map((key) => ({ method: 'POST' as const, path: plan.path, headers, body: JSON.stringify({ key, ...extra }) })),
      skipAggregateResult: true,
    } as autocannon.Options, (e: Error | null, r: autocannon.Result) => (e ? reject(e) : resolve(r)));
  });
  running.push(instance);
  return done;
}

/** This process's CPU time and its waited-for children's (wrk), in µs: /proc/self/stat's utime..cstime. */
function cpuUs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 10_000;
}

const wrkPath = (process.env.PATH ?? '').split(':').map((d) => join(d, 'wrk')).find((f) => existsSync(f));

/** One wrk for a group: a Lua script that cycles through its connections' prebuilt requests. */
function wrk(g: LoadGroup, lists: string[][], dir: string): Promise<GroupResult> {
  const requestsFile = join(dir, `${g.name}.txt`);
  // One body per line, in the order each connection would send them (wrk's connections share one script state).
  const bodies = lists.flatMap((keys) => keys.map((key) => JSON.stringify({ key, ...g.extra })));
  writeFileSync(requestsFile, bodies.join('\n') + '\n');
  const script = join(dir, `${g.name}.lua`);
  writeFileSync(
    script,
    `local reqs, i = {}, 0
init = function()
  local headers = { ["content-type"] = "application/json", ["authorization"] = ${JSON.stringify(`Bearer ${plan.token}`)} }
  for body in io.lines(${JSON.stringify(requestsFile)}) do reqs[#reqs + 1] = wrk.format("POST", ${JSON.stringify(plan.path)}, headers, body) end
end
request = function()
  i = i % #reqs + 1
  return reqs[i]
end
done = function(summary, latency)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"us":%d,"p50":%d,"p99":%d,"status":%d,"errors":%d}\\n', summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
`,
  );
  const child = spawn(wrkPath!, ['-t1', `-c${g.connections}`, `-d${plan.durationS}s`, '--timeout', '10s', '-s', script, plan.url], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{"requests"'));
      if (code !== 0 || !line) return reject(new Error(`wrk exited with ${code}: ${out}`));
      const r = JSON.parse(line) as { requests: number; us: number; p50: number; p99: number; status: number; errors: number };
      const ms = (us: number) => Math.round(us / 100) / 10;
      resolve({ rps: r.requests / (r.us / 1e6), total: r.requests, p50: ms(r.p50), p99: ms(r.p99), non2xx: r.status, errors: r.errors });
    });
  });
}

const prepared = plan.groups.map((g) => ({ g, lists: keysOf(g) }));
const out: LoadResult = { groups: {}, cpuShare: 0, generator: wrkPath && plan.durationS ? 'wrk' : 'autocannon' };
if (out.generator === 'wrk') {
  const dir = mkdtempSync(join(tmpdir(), 'keymint-load-'));
  const cpu0 = cpuUs();
  const t0 = performance.now();
  const results = await Promise.all(prepared.map(({ g, lists }) => wrk(g, lists, dir)));
  out.cpuShare = (cpuUs() - cpu0) / 1000 / (performance.now() - t0);
  prepared.forEach(({ g }, i) => (out.groups[g.name] = results[i]));
  rmSync(dir, { recursive: true, force: true });
} else {
  const pending = prepared.map(({ g, lists }) => Promise.all(lists.map((keys) => run(keys, g.extra))));
  // Every instance is built: the clock starts now.
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  if (plan.durationS) setTimeout(() => running.forEach((i) => i.stop()), plan.durationS * 1000);
  const results = await Promise.all(pending);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  out.cpuShare = (cpu.user + cpu.system) / 1000 / wall;
  prepared.forEach(({ g }, i) => {
    // autocannon's own merge of per-instance histograms (as for its workers); not in its type definitions.
    const merge = (autocannon as unknown as { aggregateResult: (r: unknown, o: unknown) => autocannon.Result }).aggregateResult;
    const a = merge(results[i], { url: plan.url, connections: g.connections });
    const total = (a.latency as unknown as { totalCount: number }).totalCount;
    out.groups[g.name] = { rps: total / (wall / 1000), total, p50: a.latency.p50, p99: a.latency.p99, non2xx: a.non2xx, errors: a.errors + a.timeouts };
  });
}
process.stdout.write(JSON.stringify(out) + '\n');
