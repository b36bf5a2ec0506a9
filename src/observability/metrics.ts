// Prometheus metrics of one node (prom-client, its own registry). Counting is cheap on the hot path;
// what the node counts anyway (cache hits, store errors, limits) is read at scrape time.
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Limits } from '../limits/limits.js';
import type { Store } from '../store/db.js';
import type { KeyCache } from '../verify/key-cache.js';
import { VERIFY_CODES, type VerifyCode } from '../verify/verifier.js';
import type { BackgroundFailures, BackgroundTask } from './background.js';

const TASKS: BackgroundTask[] = ['change_feed', 'usage_flush', 'rotation_scheduler', 'lockout', 'audit', 'sqlite_checkpoint'];

const CODES: readonly VerifyCode[] = VERIFY_CODES;

/** A counter that follows a number kept elsewhere, read when scraped. */
function follow(registry: Registry, name: string, help: string, read: () => number): void {
  let seen = 0;
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const now = read();
      if (now > seen) this.inc(now - seen);
      seen = Math.max(seen, now);
    },
  });
}

const VERIFY_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * Verifications by outcome and their latency, counted in plain arrays and written out as prom-client's counter and
 * histogram would be: prom-client hashes the labels on every `inc` and `observe` (about 1 µs of a 40 µs verification).
 */
class VerifyCounts {
  readonly byCode = new Float64Array(CODES.length);
  /** Per bucket of VERIFY_BUCKETS, then the rest (+Inf); not cumulative. */
  readonly buckets = new Float64Array(VERIFY_BUCKETS.length + 1);
  sum = 0;

  constructor(registry: Registry) {
    const seen = new Float64Array(CODES.length);
    const counts = this;
    new Counter({
      name: 'keymint_verifications_total',
      help: 'Key verifications by outcome code',
      labelNames: ['code'],
      registers: [registry],
      collect() {
        for (let i = 0; i < CODES.length; i++) {
          this.inc({ code: CODES[i] }, counts.byCode[i] - seen[i]);
          seen[i] = counts.byCode[i];
        }
      },
    });
    const name = 'keymint_verify_duration_seconds';
    const help = 'Time to verify a key, inside the node (cache, store on a miss, rate limit)';
    registry.registerMetric({
      name,
      help,
      type: 'histogram',
      aggregator: 'sum',
      get: async () => {
        let total = 0;
        const sample = (metricName: string, labels: Record<string, number | string>, value: number) => ({ metricName, labels, value });
        const bucket = (le: number | string, n: number) => sample(`${name}_bucket`, { le }, (total += n));
        const values = [...VERIFY_BUCKETS.map((le, i) => bucket(le, this.buckets[i])), bucket('+Inf', this.buckets[VERIFY_BUCKETS.length])];
        values.push(sample(`${name}_sum`, {}, this.sum), sample(`${name}_count`, {}, total));
        return { name, help, type: 'histogram', aggregator: 'sum', values };
      },
      reset: () => {},
      // prom-client types a registered metric as its own classes; the registry reads only these members.
    } as never);
  }

  add(code: VerifyCode, seconds: number): void {
    this.byCode[CODE_INDEX[code]]++;
    let i = 0;
    while (i < VERIFY_BUCKETS.length && seconds > VERIFY_BUCKETS[i]) i++;
    this.buckets[i]++;
    this.sum += seconds;
  }
}

const CODE_INDEX = Object.fromEntries(CODES.map((c, i) => [c, i])) as Record<VerifyCode, number>;

export class Metrics {
  readonly registry = new Registry();
  private readonly verifications: VerifyCounts;
  /**
   * Rotation webhook attempts by `outcome`, the rotation outbox's words: `delivered`, `retrying`,
   * `abandoned` (retries exhausted), `cancelled`. The rotation outbox increments it.
   */
  readonly webhookDeliveries: Counter<'outcome'>;
  /** Verifications answered by the fast path in front of node:http (src/surfaces/v1/verify-fast-path.ts). */
  fastPathAnswers = 0;

  constructor(store: Store, cache: KeyCache, limits: Limits, background: BackgroundFailures) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'keymint_' });
    this.verifications = new VerifyCounts(this.registry);
    this.webhookDeliveries = new Counter({ name: 'keymint_webhook_deliveries_total', help: 'Rotation webhook deliveries by outcome', labelNames: ['outcome'], registers });

    follow(this.registry, 'keymint_key_cache_hits_total', 'Key lookups answered from the in-process cache', () => cache.hits);
    follow(this.registry, 'keymint_key_cache_misses_total', 'Key lookups that went to the store', () => cache.misses);
    follow(this.registry, 'keymint_store_errors_total', 'Queries that failed (unique violations excluded)', () => store.errors);
    follow(this.registry, 'keymint_lockouts_total', 'Client addresses this node locked out after failed authentications', () => limits.lockout.locksApplied);
    follow(this.registry, 'keymint_auth_failures_total', 'Failed authentications this node counted against client addresses', () => limits.lockout.failuresCounted);
    follow(this.registry, 'keymint_lockout_refusals_total', 'Requests refused with 429 because their client address was locked out', () => limits.lockout.refused);
    const seen = new Map<BackgroundTask, number>();
    new Counter({
      name: 'keymint_background_failures_total',
      help: 'Failures of background work by task (change_feed, usage_flush, rotation_scheduler, lockout, audit, sqlite_checkpoint)',
      labelNames: ['task'],
      registers,
      collect() {
        for (const task of TASKS) {
          const now = background.counts.get(task) ?? 0;
          const before = seen.get(task) ?? 0;
          // Every task is listed (at 0 until it fails), so alerts can be written before the first failure.
          this.inc({ task }, now - before);
          seen.set(task, now);
        }
      },
    });
    follow(this.registry, 'keymint_verify_fast_path_total', 'POST /v1/keys/verify requests answered on the connection, in front of node:http and the web framework', () => this.fastPathAnswers);
    follow(this.registry, 'keymint_throttled_requests_total', 'Management requests refused by the per-credential limit', () => limits.throttle.refused);
    new Gauge({
      name: 'keymint_key_cache_hit_ratio',
      help: 'Share of key lookups answered from the cache since the node started',
      registers,
      collect() {
        const total = cache.hits + cache.misses;
        this.set(total === 0 ? 0 : cache.hits / total);
      },
    });
    new Gauge({ name: 'keymint_key_cache_entries', help: 'Keys held in the cache', registers, collect() { this.set(cache.size); } });
    new Gauge({
      name: 'keymint_key_cache_negative_entries',
      help: '"No such key" answers held in the cache (bounded apart from the keys)',
      registers,
      collect() {
        this.set(cache.negativeSize);
      },
    });
  }

  /** The verifier's observer: one counter and one histogram step per verification. */
  verified(code: VerifyCode, seconds: number): void {
    this.verifications.add(code, seconds);
  }
}
