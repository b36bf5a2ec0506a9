// Verifications a local verifier answered, counted per key, outcome and minute, and reported with
// POST /v1/keys/usage every few seconds, so usage reports and last_used_at include them. Counting is a
// counter increment on the key's counter (no allocation per verification); each minute is sealed into a batch.
import type { Keymint } from '../client.js';
import { KeymintError } from '../errors.js';

const MINUTE = 60_000;
/** Past this many distinct counts waiting (the server unreachable for long), new ones are dropped. */
const MAX_PENDING = 100_000;
const BATCH = 1000;

export const OUTCOMES = ['VALID', 'EXPIRED', 'REVOKED', 'ROTATED', 'INSUFFICIENT_SCOPES'] as const;
export type CountedOutcome = (typeof OUTCOMES)[number];
export const OUTCOME_INDEX: Record<CountedOutcome, number> = { VALID: 0, EXPIRED: 1, REVOKED: 2, ROTATED: 3, INSUFFICIENT_SCOPES: 4 };

/** A key's counters for the current minute. */
export interface Counted {
  readonly id: string;
  uses: Uint32Array | null;
  dirty: boolean;
}

export class UsageBatch {
  private minute = -1;
  private dirty: Counted[] = [];
  /** Each key's counter, by key id; forgotten each minute (a holder of an old one still counts: see count()). */
  private counters = new Map<string, Counted>();
  /** Sealed minutes: `${minute}|${keyId}|${outcome}` -> count. */
  private pending = new Map<string, number>();
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

  /** The counter of a key, to hand to count(). */
  counter(id: string): Counted {
    let c = this.counters.get(id);
    if (c === undefined) this.counters.set(id, (c = { id, uses: null, dirty: false }));
    return c;
  }

  /** Counts one outcome; a counter no longer in `counters` is simply listed again, and its counts add up with the new one's. */
  count(entry: Counted, outcome: number, now: number): void {
    if (now - this.minute >= MINUTE || now < this.minute) {
      this.seal();
      this.minute = now - (now % MINUTE);
    }
    const uses = entry.uses ?? (entry.uses = new Uint32Array(OUTCOMES.length));
    if (!entry.dirty) {
      entry.dirty = true;
      this.dirty.push(entry);
    }
    uses[outcome]++;
  }

  private add(k: string, n: number): void {
    const have = this.pending.get(k);
    if (have !== undefined) this.pending.set(k, have + n);
    else if (this.pending.size < MAX_PENDING) this.pending.set(k, n);
  }

  /** Moves the current minute's counters into the batch. */
  private seal(): void {
    for (const e of this.dirty) {
      for (let i = 0; i < OUTCOMES.length; i++) if (e.uses![i] > 0) this.add(`${this.minute}|${e.id}|${OUTCOMES[i]}`, e.uses![i]);
      e.uses!.fill(0);
      e.dirty = false;
    }
    this.dirty = [];
    this.counters = new Map();
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.send(), () => this.send());
    return this.flushing;
  }

  private async send(): Promise<void> {
    this.seal();
    if (this.pending.size === 0) return;
    const entries = [...this.pending].map(([k, count]) => {
      const [minute, key_id, outcome] = k.split('|');
      return { key_id, at: new Date(Number(minute)).toISOString(), outcome: outcome as CountedOutcome, count, k };
    });
    this.pending = new Map();
    for (let i = 0; i < entries.length; i += BATCH) {
      const part = entries.slice(i, i + BATCH);
      try {
        await this.client.keys.reportUsage({ project_id: this.projectId, entries: part.map(({ k: _k, ...e }) => e) });
      } catch (e) {
        // A refusal no retry can change (the project was deleted, the token lost its rights): drop these counts.
        if (e instanceof KeymintError && e.status >= 400 && e.status < 500 && e.status !== 429) continue;
        // Otherwise keep what was not sent for the next flush.
        for (const x of entries.slice(i)) this.add(x.k, x.count);
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
