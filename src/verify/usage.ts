// Verification usage, counted in memory and written in batches: never a database write per request.
import { sql } from 'kysely';
import type { Store } from '../store/db.js';
import { VERIFY_CODES } from './codes.js';

export const MINUTE = 60_000;
const CHUNK = 100;
/**
 * A verification refreshes a key's stored `last_used_at` only when that is this old: writing it on every flush cost
 * a random page write per key in use (about 190 ms of the one thread for 10,000 keys on SQLite every 5 s).
 */
const LAST_USED_STEP = MINUTE;

/** What `record` reads and updates of a verified key: its id and the `last_used_at` the store holds or will. */
export interface UsedKey {
  readonly id: string;
  last_used_at: number | null;
}

/**
 * Each statement's rows in key order (then bucket and outcome): PostgreSQL takes their row locks in that order, so
 * two nodes flushing the same keys at once cannot deadlock. Per statement, not the whole flush: one sort of 100,000
 * keys held the thread for 50-100 ms.
 */
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Counts per outcome, in the order of OUTCOMES. */
export const OUTCOMES = VERIFY_CODES;
const INDEX: Record<string, number> = Object.fromEntries(OUTCOMES.map((o, i) => [o, i]));

/** minute bucket -> key id -> counts by outcome */
type Counts = Map<number, Map<string, number[]>>;

export class UsageRecorder {
  private counts: Counts = new Map();
  private lastUsed = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    /** With this default, counts (and a key's first use) reach the store within about 5 s. */
    readonly flushMs = 5_000,
  ) {}

  /** A flush that failed in the background (its counts are kept for the next): for the log and metrics. */
  onError: (e: unknown) => void = () => {};

  start(): void {
    this.timer = setInterval(() => void this.flush().catch((e) => this.onError(e)), this.flushMs);
    this.timer.unref();
  }

  /** A verification of a known key; its last use is noted for the next flush when the stored one is a minute old. */
  record(key: UsedKey, outcome: string, now: number): void {
    this.add(now - (now % MINUTE), key.id, INDEX[outcome], 1);
    if (outcome !== 'VALID' || (key.last_used_at !== null && now - key.last_used_at < LAST_USED_STEP)) return;
    key.last_used_at = now;
    this.touch(key.id, now);
  }

  /** `count` verifications made elsewhere (a local verifier's batch) at instant `at`. */
  recordCount(keyId: string, outcome: (typeof OUTCOMES)[number], count: number, at: number): void {
    this.add(at - (at % MINUTE), keyId, INDEX[outcome], count);
    if (outcome === 'VALID' && (this.lastUsed.get(keyId) ?? 0) < at) this.lastUsed.set(keyId, at);
  }

  /** A key authenticated as a credential: its `last_used_at`, batched with verification usage. */
  touch(keyId: string, now: number): void {
    if ((this.lastUsed.get(keyId) ?? 0) < now) this.lastUsed.set(keyId, now);
  }

  private add(bucket: number, keyId: string, outcome: number, count: number): void {
    let keys = this.counts.get(bucket);
    if (keys === undefined) this.counts.set(bucket, (keys = new Map()));
    let n = keys.get(keyId);
    if (n === undefined) keys.set(keyId, (n = new Array(OUTCOMES.length).fill(0)));
    n[outcome] += count;
  }

  /** Writes what has been counted; one flush at a time, so counts are never written twice. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write(), () => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.counts.size === 0 && this.lastUsed.size === 0) return;
    const counts = this.counts;
    const lastUsed = this.lastUsed;
    this.counts = new Map();
    this.lastUsed = new Map();
    const rows: { key_id: string; bucket: number; outcome: string; count: number }[] = [];
    for (const [bucket, keys] of counts) {
      for (const [key_id, n] of keys) n.forEach((count, i) => count > 0 && rows.push({ key_id, bucket, outcome: OUTCOMES[i], count }));
    }
    const used = [...lastUsed];
    // Small statements, each on its own, with the event loop free between them: on SQLite a statement holds the
    // one thread, and one transaction of 10,000 keys' counts held every verification behind it for ~100 ms.
    let r = 0;
    let u = 0;
    try {
      for (; r < rows.length; r += CHUNK) {
        await this.store.db
          .insertInto('usage_counts')
          .values(rows.slice(r, r + CHUNK).sort((a, b) => byKey(a.key_id, b.key_id) || a.bucket - b.bucket || byKey(a.outcome, b.outcome)))
          .onConflict((oc) => oc.columns(['key_id', 'bucket', 'outcome']).doUpdateSet({ count: sql`usage_counts.count + excluded.count` }))
          .execute();
        await yieldToRequests();
      }
      // One statement per chunk of keys (UPDATE ... FROM VALUES, on both engines), not one per key.
      for (; u < used.length; u += CHUNK) {
        const chunk = used.slice(u, u + CHUNK).sort((a, b) => byKey(a[0], b[0]));
        const values = sql.join(chunk.map(([id, at]) => sql`(${id}, cast(${at} as bigint))`));
        await sql`update api_keys set last_used_at = v.column2 from (values ${values}) as v
          where api_keys.id = v.column1 and (api_keys.last_used_at is null or api_keys.last_used_at < v.column2)`.execute(this.store.db);
        await yieldToRequests();
      }
    } catch (e) {
      // Keep what was not written for the next flush (a statement that failed wrote nothing).
      for (const row of rows.slice(r)) this.add(row.bucket, row.key_id, INDEX[row.outcome], row.count);
      for (const [id, at] of used.slice(u)) if ((this.lastUsed.get(id) ?? 0) < at) this.lastUsed.set(id, at);
      throw e;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
