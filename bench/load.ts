// The load generator, in its own process (pinned to its own core by the bench): `node --import tsx bench/load.ts
// <plan file>`. Every connection is its own autocannon instance with its own prebuilt requests (its own random
// order of keys), so connections do not walk the same keys in lockstep; each group of connections (valid keys,
// unknown keys) gets its own latency histogram. Prints one JSON line.
import { readFileSync } from 'node:fs';
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

const prepared = plan.groups.map((g) => ({ g, lists: keysOf(g) }));
const pending = prepared.map(({ g, lists }) => Promise.all(lists.map((keys) => run(keys, g.extra))));
// Every instance is built: the clock starts now.
const t0 = performance.now();
const cpu0 = process.cpuUsage();
if (plan.durationS) setTimeout(() => running.forEach((i) => i.stop()), plan.durationS * 1000);
const results = await Promise.all(pending);
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const out: LoadResult = { groups: {}, cpuShare: (cpu.user + cpu.system) / 1000 / wall };
prepared.forEach(({ g }, i) => {
  // autocannon's own merge of per-instance histograms (as for its workers); not in its type definitions.
  const merge = (autocannon as unknown as { aggregateResult: (r: unknown, o: unknown) => autocannon.Result }).aggregateResult;
  const a = merge(results[i], { url: plan.url, connections: g.connections });
  const total = (a.latency as unknown as { totalCount: number }).totalCount;
  out.groups[g.name] = { rps: total / (wall / 1000), total, p50: a.latency.p50, p99: a.latency.p99, non2xx: a.non2xx, errors: a.errors + a.timeouts };
});
process.stdout.write(JSON.stringify(out) + '\n');
