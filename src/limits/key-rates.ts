// Per-key rate limits on verification: each verification of a limited key takes one unit of its window.
import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { CachedKey } from '../verify/key-cache.js';
import type { KeyRateState } from '../verify/verifier.js';
import { counter } from './counters.js';

export const RATELIMIT_MAX_LIMIT = 1_000_000_000;
/** Whole milliseconds from one second (Redis expiry and timers are coarse below that) ... */
export const RATELIMIT_MIN_DURATION_MS = 1_000;
/** ... to one day (a memory window is a timer, and timers top out at 24.8 days). */
export const RATELIMIT_MAX_DURATION_MS = 86_400_000;

/** Limiters are built per (limit, window) pair; a key's count is keyed by its id, so a changed limit keeps its count. */
const MAX_LIMITERS = 1_000;

export class KeyRates {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(
    private readonly redis: Redis | null,
    private readonly redisPrefix: string,
  ) {}

  private limiterFor(limit: number, durationMs: number): RateLimiterAbstract {
    const id = `${limit}/${durationMs}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      if (this.limiters.size >= MAX_LIMITERS) this.limiters.clear();
      limiter = counter(this.redis, this.redisPrefix, { name: 'key-rate', points: limit, durationMs });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  /** Takes one unit for a key that has a limit; `now` is the verifier's instant, so `reset_at` reads on its clock. */
  take(key: CachedKey, now: number): Promise<KeyRateState> {
    return this.takeFor(key.id, key.ratelimit_limit!, key.ratelimit_duration_ms!, now);
  }

  /** Takes one unit of an owner's limit, shared by all its keys (and every node, with Redis). */
  takeOwner(owner: NonNullable<CachedKey['owner']>, now: number): Promise<KeyRateState> {
    return this.takeFor(owner.id, owner.ratelimit_limit!, owner.ratelimit_duration_ms!, now);
  }

  private async takeFor(id: string, limit: number, durationMs: number, now: number): Promise<KeyRateState> {
    const limiter = this.limiterFor(limit, durationMs);
    let res: RateLimiterRes;
    let allowed = true;
    try {
      res = await limiter.consume(id);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      res = e;
      allowed = false;
    }
    return { allowed, limit, remaining: allowed ? res.remainingPoints : 0, reset_at: now + Math.max(0, res.msBeforeNext) };
  }
}
