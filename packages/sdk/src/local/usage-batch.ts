// Verifications a local verifier answered, counted per key, outcome and minute, and reported with
// POST /v1/keys/usage every few seconds, so usage reports and last_used_at include them.
import type { Keymint } from '../client.js';
import { KeymintError } from '../errors.js';

const MINUTE = 60_000;
/** Past this many distinct counts waiting (the server unreachable for long), the oldest are dropped. */
const MAX_PENDING = 100_000;
const BATCH = 1000;

type Entry = { key_id: string; at: string; outcome: string; count: number };

export class UsageBatch {
  /** `${minute}|${keyId}|${outcome}` -> count */
  private counts = new Map<string, number>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: Keymint,
    private readonly projectId: string,
    private readonly flushMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush().catch(() => {}), this.flushMs);
    this.timer.unref?.();
  }

  count(keyId: string, outcome: string, now: number): void {
    const k = `${now - (now % MINUTE)}|${keyId}|${outcome}`;
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.send(), () => this.send());
    return this.flushing;
  }

  private async send(): Promise<void> {
    if (this.counts.size === 0) return;
    const counts = this.counts;
    this.counts = new Map();
    const entries: Entry[] = [];
    for (const [k, count] of counts) {
      const [minute, key_id, outcome] = k.split('|');
      entries.push({ key_id, at: new Date(Number(minute)).toISOString(), outcome, count });
    }
    for (let i = 0; i < entries.length; i += BATCH) {
      const part = entries.slice(i, i + BATCH);
      try {
        await this.client.keys.reportUsage({ project_id: this.projectId, entries: part as never });
      } catch (e) {
        // A refusal no retry can change (the project was deleted, the token lost its rights): drop these counts.
        if (e instanceof KeymintError && e.status >= 400 && e.status < 500 && e.status !== 429) continue;
        // Keep the unsent counts for the next flush (a key revoked meanwhile still counts: it was verified).
        for (const x of entries.slice(i)) {
          const k = `${Date.parse(x.at)}|${x.key_id}|${x.outcome}`;
          if (this.counts.size < MAX_PENDING) this.counts.set(k, (this.counts.get(k) ?? 0) + x.count);
        }
        throw e;
      }
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush().catch(() => {});
  }
}
