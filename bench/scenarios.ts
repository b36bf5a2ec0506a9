// The bench's scenarios, one row each: add yours here (a credits key, an allowlist, a local verifier...).
// A scenario names the server, how many keys are stored and how (made through the v1 API, or copies of an
// API-made row written straight to the store), the variables of the measured server, the load (groups of
// connections, 50 in all) and its targets. `npm run bench -- --only <id,id>` runs some of them (with `bare`).
import type { LoadGroup } from './load.js';

export const CONNECTIONS = 50;
export const MB = 1_000_000;

/** One measured run of a scenario. */
export interface Run {
  rps: number;
  total: number;
  p50: number;
  p99: number;
  /** Per load group (`valid`, `unknown`...). */
  groups: Record<string, { rps: number; p50: number; p99: number; non2xx: number; errors: number }>;
  /** This run's req/s over the bare route's in the same round. */
  ratio: number;
  /** Server CPU time per request (µs) and the kernel's part of it. */
  cpuPerReq: number;
  sysPerReq: number;
  /** Server memory after the run, and its peak since start. */
  rss: number;
  peakRss: number;
  /** The load generator's CPU, as a share of its core: near 1 means it, not the server, was the limit. */
  loadCpu: number;
  /** What a valid key answers after the load (`valid`), and for Keymint, cache sizes read from /metrics. */
  check: string;
  metrics: Record<string, number>;
}

/** Medians over the runs, with the spread of the ratio. */
export interface Summary {
  runs: Run[];
  median: (pick: (r: Run) => number) => number;
  min: (pick: (r: Run) => number) => number;
  max: (pick: (r: Run) => number) => number;
}

export interface Target {
  name: string;
  ok: boolean;
  value: string;
}

export interface Scenario {
  id: string;
  label: string;
  server: 'bare' | 'keymint' | 'better-auth';
  /** Keymint's store (default sqlite); `postgres+redis` is skipped, and says why, when either is unreachable. */
  store?: 'sqlite' | 'postgres+redis';
  /** Keys stored (`quick`: in --quick mode); the first `api` of them are made through POST /v1/api-keys. */
  keys?: { total: number; api: number; quick?: number };
  /** Fields added to each POST /v1/api-keys body (the bench adds project_id and name). */
  keyFields?: Record<string, unknown>;
  /** Fields added to every verify body (pre-warm, warm-up, load and the check after it), e.g. `client_ip`. */
  verifyFields?: Record<string, unknown>;
  /** Variables of the measured Keymint server (over its defaults). */
  env?: Record<string, string>;
  /** Keys (the first n of the stored ones) verified once each before the warm-up, to fill the cache. */
  prewarm?: number;
  /** The load, given the file of stored plaintext keys. */
  load: (keysFile: string) => LoadGroup[];
  targets?: (s: Summary, all: Record<string, Summary | undefined>) => Target[];
}

const ms = (n: number) => `${n} ms`;
type All = Record<string, Summary | undefined>;
/** The median ratio to the bare route with its spread, and the same by server CPU per request. */
const ratio = (s: Summary, all: All) => {
  const bare = all.bare?.median((r) => r.cpuPerReq);
  const byCpu = bare ? `${(bare / s.median((r) => r.cpuPerReq)).toFixed(2)}x` : 'n/a';
  return `${s.median((r) => r.ratio).toFixed(2)}x (runs ${s.min((r) => r.ratio).toFixed(2)}-${s.max((r) => r.ratio).toFixed(2)}; by server CPU per request ${byCpu})`;
};
const rssUnder = (s: Summary, limit: number): Target => ({
  name: `RSS < ${limit / MB} MB`,
  ok: s.max((r) => r.peakRss) < limit,
  value: `peak ${Math.round(s.max((r) => r.peakRss) / MB)} MB (after the run ${Math.round(s.median((r) => r.rss) / MB)} MB)`,
});
const p99Under = (s: Summary, limit: number, group?: string): Target => {
  const p = s.median((r) => (group ? r.groups[group].p99 : r.p99));
  return { name: `p99 <= ${limit} ms`, ok: p <= limit, value: ms(p) };
};

/** Every valid key of the store, each connection its own uniformly random draw. */
const allKeys = (perConnection = 4_000) => (keysFile: string): LoadGroup[] => [{ name: 'valid', connections: CONNECTIONS, keysFile, mode: 'random', perConnection }];

export const SCENARIOS: Scenario[] = [
  {
    id: 'bare',
    label: 'bare Fastify route: same JSON body and schema, constant answer',
    server: 'bare',
    load: allKeys(),
  },
  {
    id: 'keymint-10k',
    label: 'Keymint verify, 10,000 keys made through the API, all cached',
    server: 'keymint',
    keys: { total: 10_000, api: 10_000 },
    prewarm: 10_000,
    load: allKeys(),
    targets: (s, all) => [
      { name: '>= 0.9x the bare route (req/s)', ok: s.median((r) => r.ratio) >= 0.9, value: ratio(s, all) },
      p99Under(s, 10),
      rssUnder(s, 300 * MB),
    ],
  },
  {
    id: 'keymint-1m',
    label: 'Keymint verify, 1,000,000 keys stored, uniformly random over all of them, 100,000 cached',
    server: 'keymint',
    // 1,000 made through the API; the rest are copies of one of their rows, written straight to SQLite.
    keys: { total: 1_000_000, api: 1_000, quick: 200_000 },
    prewarm: 100_000,
    load: allKeys(8_000),
    targets: (s, all) => [
      { name: '>= 0.7x the bare route (req/s)', ok: s.median((r) => r.ratio) >= 0.7, value: ratio(s, all) },
      p99Under(s, 10),
      rssUnder(s, 300 * MB),
      { name: 'cache full (100,000 entries)', ok: s.min((r) => r.metrics.keymint_key_cache_entries ?? 0) >= 99_000, value: `${s.min((r) => r.metrics.keymint_key_cache_entries ?? 0)} entries` },
    ],
  },
  {
    id: 'flood',
    label: 'Keymint verify, 10,000 keys, half the requests (25 connections) carry unknown keys',
    server: 'keymint',
    keys: { total: 10_000, api: 10_000 },
    prewarm: 10_000,
    load: (keysFile) => [
      { name: 'valid', connections: CONNECTIONS / 2, keysFile, mode: 'random', perConnection: 4_000 },
      { name: 'unknown', connections: CONNECTIONS / 2, mode: 'unknown', perConnection: 8_000 },
    ],
    targets: (s, all) => {
      const clean = all['keymint-10k']?.median((r) => r.p99);
      const p = s.median((r) => r.groups.valid.p99);
      return [
        // Integer milliseconds: 2x a 1 ms clean p99 is taken as 2 ms.
        { name: "valid keys' p99 <= 2x the clean run's", ok: clean !== undefined && p <= 2 * Math.max(clean, 1), value: `${ms(p)} (clean ${clean === undefined ? 'not run' : ms(clean)})` },
        rssUnder(s, 300 * MB),
        {
          name: 'not-found entries bounded (<= 10,000)',
          ok: s.max((r) => r.metrics.keymint_key_cache_negative_entries ?? Infinity) <= 10_000,
          value: `${s.max((r) => r.metrics.keymint_key_cache_negative_entries ?? NaN)} not-found entries, ${s.min((r) => r.metrics.keymint_key_cache_entries ?? NaN)} keys cached`,
        },
      ];
    },
  },
  {
    id: 'postgres-redis',
    label: 'Keymint verify on PostgreSQL + Redis, 10,000 keys made through the API',
    server: 'keymint',
    store: 'postgres+redis',
    keys: { total: 10_000, api: 10_000 },
    prewarm: 10_000,
    load: allKeys(),
    targets: (s, all) => [{ name: 'p99 <= 10 ms', ok: s.median((r) => r.p99) <= 10, value: `${ms(s.median((r) => r.p99))}; ${ratio(s, all)}` }],
  },
  // Issue 13: every key with credits (each its own pool, never running out; without Redis every verification is
  // one conditional UPDATE in SQLite) ...
  {
    id: 'credits',
    label: '(g) Keymint verify, 10,000 keys with credits made through the API (one store write per verification)',
    server: 'keymint',
    keys: { total: 10_000, api: 10_000 },
    keyFields: { credits: { remaining: 1_000_000_000_000, refill: null } },
    prewarm: 10_000,
    load: allKeys(),
    targets: (s, all) => [
      { name: '>= 0.8x the bare route (req/s)', ok: s.median((r) => r.ratio) >= 0.8, value: ratio(s, all) },
      p99Under(s, 10),
    ],
  },
  // ... and every key cached with meta and an IP allowlist, each body with a client_ip inside it (all VALID).
  {
    id: 'meta-allowlist',
    label: '(h) Keymint verify, 10,000 cached keys with meta + ip_allowlist, client_ip in every body',
    server: 'keymint',
    keys: { total: 10_000, api: 10_000 },
    keyFields: {
      meta: { plan: 'pro', tenant: 't_481', features: ['export', 'sso'], limits: { seats: 25 } },
      ip_allowlist: ['10.0.0.0/8', '192.168.0.0/16', '2001:db8::/32'],
    },
    verifyFields: { client_ip: '10.1.2.3' },
    prewarm: 10_000,
    load: allKeys(),
    targets: (s, all) => [
      { name: '>= 0.9x the bare route (req/s)', ok: s.median((r) => r.ratio) >= 0.9, value: ratio(s, all) },
      p99Under(s, 10),
    ],
  },
  {
    id: 'better-auth',
    label: 'better-auth 1.7.5 API-key plugin, SQLite (WAL), 10,000 keys',
    server: 'better-auth',
    keys: { total: 10_000, api: 10_000, quick: 1_000 },
    load: allKeys(),
  },
];
