// Locks a client address out after repeated failed authentications to Keymint itself. A lock refuses only
// credentials memory cannot show good (see src/auth/admission.ts), and a success clears nothing: a cheap good key
// interleaved with guesses must not reset the count. Failures are counted in Redis when the node has it (else in
// memory); locks are told to every node over Redis pub/sub, so the check on each request is a lookup in this
// process, never a round trip.
import type { Redis } from 'ioredis';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { counter } from './counters.js';

export interface LockoutTier {
  /** Failures within the window that lock the address ... */
  failures: number;
  /** ... for this many seconds. */
  seconds: number;
}

export interface LockoutOptions {
  /** Ascending by failures; empty turns lockout off. */
  tiers: LockoutTier[];
  windowSeconds: number;
}

export const DEFAULT_LOCKOUT: LockoutOptions = {
  tiers: [
    { failures: 10, seconds: 60 },
    { failures: 25, seconds: 300 },
    { failures: 50, seconds: 900 },
  ],
  windowSeconds: 900,
};

/** The lock earned by the failure that brought the count to `count`: at each tier, and again at every failure past the last. */
export function lockSecondsAt(tiers: LockoutTier[], count: number): number {
  const last = tiers[tiers.length - 1];
  if (last && count >= last.failures) return last.seconds;
  return tiers.find((t) => t.failures === count)?.seconds ?? 0;
}

/** What nodes tell each other: an address locked until. */
type LockoutNews = { ip: string; lockedUntil: number };

/** A lock this node applied: for the audit log and the JSON log. */
export interface LockEvent {
  ip: string;
  failures: number;
  seconds: number;
}

/** Entries past their time are swept once a map grows beyond this; beyond the hard cap the oldest go first. */
const SWEEP_AT = 10_000;
const HARD_CAP = 200_000;

export class Lockout {
  private readonly locks = new Map<string, number>();
  private readonly failures: RateLimiterAbstract | null;
  private readonly channel: string;
  private lastSweep = 0;
  /** Locks this node applied (metrics). */
  locksApplied = 0;
  /** Failed authentications this node counted (metrics). */
  failuresCounted = 0;
  /** Requests this node refused because their address was locked (metrics). */
  refused = 0;
  /** Told of each lock this node applies (the audit log). */
  onLock: (event: LockEvent) => void = () => {};
  /** Counting or telling failed (Redis away): for the log and metrics; the request is answered anyway. */
  onError: (e: unknown) => void = () => {};

  constructor(
    private readonly options: LockoutOptions,
    private readonly redis: Redis | null,
    private readonly subscriber: Redis | null,
    redisPrefix: string,
  ) {
    const points = Math.max(1, ...options.tiers.map((t) => t.failures));
    this.failures = options.tiers.length ? counter(redis, redisPrefix, { name: 'auth-failures', points, durationMs: options.windowSeconds * 1000 }) : null;
    this.channel = `${redisPrefix}lockout`;
  }

  async start(): Promise<void> {
    if (!this.subscriber || !this.failures) return;
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      try {
        this.apply(JSON.parse(message) as LockoutNews);
      } catch {
        // Not ours to understand: ignore.
      }
    });
    await this.subscriber.subscribe(this.channel);
  }

  /** Seconds this address must still wait, or 0: a lookup in this process. */
  lockedFor(ip: string): number {
    const until = this.locks.get(ip);
    if (until === undefined) return 0;
    const ms = until - Date.now();
    if (ms <= 0) {
      this.locks.delete(ip);
      return 0;
    }
    return Math.ceil(ms / 1000);
  }

  /** Counts a failed authentication; answers the seconds of the lock it earned (0 for none). */
  async fail(ip: string): Promise<number> {
    if (!this.failures) return 0;
    this.failuresCounted++;
    const res = await this.failures.penalty(ip);
    const seconds = lockSecondsAt(this.options.tiers, res.consumedPoints);
    if (!seconds) return 0;
    const news: LockoutNews = { ip, lockedUntil: Date.now() + seconds * 1000 };
    this.apply(news);
    this.locksApplied++;
    this.tell(news);
    this.onLock({ ip, failures: res.consumedPoints, seconds });
    return seconds;
  }

  /** Words for a 429, the same on every surface. */
  message(retryAfter: number): string {
    return `Too many failed authentications from this address: it is locked out for ${retryAfter} s more; check the credential before retrying`;
  }

  private apply(news: LockoutNews): void {
    if ((this.locks.get(news.ip) ?? 0) < news.lockedUntil) this.remember(this.locks, news.ip, news.lockedUntil);
  }

  /** Many addresses (a spread attack) must not grow memory without bound: sweep expired ones, at most once a second. */
  private remember(map: Map<string, number>, ip: string, until: number): void {
    map.delete(ip);
    map.set(ip, until);
    const now = Date.now();
    if (map.size <= SWEEP_AT || now - this.lastSweep < 1000) return;
    this.lastSweep = now;
    for (const [k, t] of map) if (t <= now) map.delete(k);
    for (const k of map.keys()) {
      if (map.size <= HARD_CAP) break;
      map.delete(k);
    }
  }

  private tell(news: LockoutNews): void {
    this.redis?.publish(this.channel, JSON.stringify(news)).catch((e) => this.onError(e));
  }
}
