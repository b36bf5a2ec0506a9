// Verification usage, counted in memory and written in batches: never a database write per request.
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Store } from '../store/db.js';
import { noteLastUses } from '../store/last-used.js';
import { numberRank, sortByRank, textRank } from '../util/sort-by-rank.js';
import { VERIFY_CODES } from './codes.js';

export const MINUTE = 60_000;
const CHUNK = 100;
/**
 * A verification refreshes a key's `last_used_at` only when this node noted it this long ago (or not since it cached
 * the key): writing it on every flush cost a page write per key in use (about 190 ms of the one thread for 10,000
 * keys on SQLite every 5 s, when it lived in `api_keys`).
 */
const LAST_USED_STEP = MINUTE;

/** A key as the flush names it: usage rows by its id, `last_used_at` by its row number. */
export interface KeyRef {
  readonly id: string;
  readonly num_id: number;
}

/** What `record` reads and updates of a verified key: when this node last noted its use. */
export interface UsedKey extends KeyRef {
  last_used_at: number | null;
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
type UsageRow = { key_id: string; bucket: number; outcome: string; count: number };
const byRow = (a: UsageRow, b: UsageRow) => byKey(a.key_id, b.key_id) || a.bucket - b.bucket || byKey(a.outcome, b.outcome);

/** Counts per outcome, in the order of OUTCOMES. */
export const OUTCOMES = VERIFY_CODES;
const INDEX: Record<string, number> = Object.fromEntries(OUTCOMES.map((o, i) => [o, i]));

/** minute bucket -> key id -> counts by outcome */
type Counts = Map<number, Map<string, number[]>>;

export class UsageRecorder {
  private counts: Counts = new Map();
  /** num_id -> instant */
  private lastUsed = new Map<number, number>();
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
    this.touch(key.num_id, now);
  }

  /** `count` verifications made elsewhere (a local verifier's batch) at instant `at`. */
  recordCount(key: KeyRef, outcome: (typeof OUTCOMES)[number], count: number, at: number): void {
    this.add(at - (at % MINUTE), key.id, INDEX[outcome], count);
    if (outcome === 'VALID') this.touch(key.num_id, at);
  }

  /** A key (by its num_id) authenticated as a credential: its `last_used_at`, batched with verification usage. */
  touch(numId: number, now: number): void {
    if ((this.lastUsed.get(numId) ?? 0) < now) this.lastUsed.set(numId, now);
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
    const unsorted: UsageRow[] = [];
    for (const [bucket, keys] of counts) {
      for (const [key_id, n] of keys) n.forEach((count, i) => count > 0 && unsorted.push({ key_id, bucket, outcome: OUTCOMES[i], count }));
    }
    // The whole flush in key order, so each statement's rows sit together in the table and its indexes: 100 keys
    // from all over dirtied about 100 pages, each copied to the WAL and back by the checkpoint (measured at 1,000,000
    // keys: the flush and checkpoint of 50,000 keys' counts 30 -> 13 µs a key, last uses 10 -> 1.3-4.5). The same
    // order in each statement is what lets two nodes flush the same keys at once: PostgreSQL takes the row locks in it.
    const rows = await sortByRank(unsorted, textRank(unsorted, (row) => row.key_id), byRow);
    const usedUnsorted = [...lastUsed];
    const used = await sortByRank(usedUnsorted, numberRank(usedUnsorted, ([numId]) => numId), (a, b) => a[0] - b[0]);
    // Small statements, each on its own, with the event loop free between them: on SQLite a statement holds the
    // one thread, and one transaction of 10,000 keys' counts held every verification behind it for ~100 ms.
    let r = 0;
    let u = 0;
    try {
      for (; r < rows.length; r += CHUNK) {
        await this.store.db
          .insertInto('usage_counts')
          .values(rows.slice(r, r + CHUNK))
          .onConflict((oc) => oc.columns(['key_id', 'bucket', 'outcome']).doUpdateSet({ count: sql`usage_counts.count + excluded.count` }))
          .execute();
        await yieldToRequests();
      }
      for (; u < used.length; u += CHUNK) {
        await noteLastUses(this.store.db, used.slice(u, u + CHUNK));
        await yieldToRequests();
      }
    } catch (e) {
      // Keep what was not written for the next flush (a statement that failed wrote nothing).
      for (const row of rows.slice(r)) this.add(row.bucket, row.key_id, INDEX[row.outcome], row.count);
      for (const [numId, at] of used.slice(u)) this.touch(numId, at);
      throw e;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
