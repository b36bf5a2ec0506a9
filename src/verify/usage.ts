// Verification usage, counted in memory and written in batches: never a database write per request.
import { sql } from 'kysely';
import type { Store } from '../store/db.js';

const MINUTE = 60_000;

export class UsageRecorder {
  /** `${keyId}\n${bucket}\n${outcome}` -> count */
  private counts = new Map<string, number>();
  private lastUsed = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    readonly flushMs = 5_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush().catch(() => {}), this.flushMs);
    this.timer.unref();
  }

  record(keyId: string, outcome: string, now: number): void {
    const k = `${keyId}\n${now - (now % MINUTE)}\n${outcome}`;
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
    if (outcome === 'VALID' && (this.lastUsed.get(keyId) ?? 0) < now) this.lastUsed.set(keyId, now);
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
    try {
      await this.store.db.transaction().execute(async (trx) => {
        const rows = [...counts].map(([k, count]) => {
          const [key_id, bucket, outcome] = k.split('\n');
          return { key_id, bucket: Number(bucket), outcome, count };
        });
        for (let i = 0; i < rows.length; i += 500) {
          await trx
            .insertInto('usage_counts')
            .values(rows.slice(i, i + 500))
            .onConflict((oc) => oc.columns(['key_id', 'bucket', 'outcome']).doUpdateSet({ count: sql`usage_counts.count + excluded.count` }))
            .execute();
        }
        for (const [id, at] of lastUsed) {
          await trx
            .updateTable('api_keys')
            .set({ last_used_at: at })
            .where('id', '=', id)
            .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', at)]))
            .execute();
        }
      });
    } catch (e) {
      // Keep what could not be written for the next flush.
      for (const [k, n] of counts) this.counts.set(k, (this.counts.get(k) ?? 0) + n);
      for (const [id, at] of lastUsed) if ((this.lastUsed.get(id) ?? 0) < at) this.lastUsed.set(id, at);
      throw e;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
