// Credentials that authenticated recently on this node, by digest (never the secret itself): a locked address
// may still use one of them, decided from memory. Bounded in count and time, so a flood of good credentials
// cannot grow memory and a revoked one is forgotten (it is checked again before it is let in anyway).
import type { Clock } from '../util/clock.js';

export class RecentCredentials {
  /** digest -> remembered until (ms); insertion order is age order. */
  private readonly entries = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    readonly maxEntries = 50_000,
    readonly ttlMs = 3_600_000,
  ) {}

  remember(digest: string): void {
    this.entries.delete(digest);
    this.entries.set(digest, this.clock.now() + this.ttlMs);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  has(digest: string): boolean {
    const until = this.entries.get(digest);
    if (until === undefined) return false;
    if (until > this.clock.now()) return true;
    this.entries.delete(digest);
    return false;
  }

  get size(): number {
    return this.entries.size;
  }
}
