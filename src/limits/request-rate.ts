// A request budget per caller id (an access key, a key id): the one interface surfaces throttle through,
// so the in-memory limiter can be swapped for a cluster-wide one without touching them.
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RequestRate {
  /** Spends one request of `id`'s budget. */
  consume(id: string): Promise<RateDecision>;
}

/** Whole seconds until the budget refills, never 0 (a client told "retry after 0" retries at once). */
export function retryAfterSeconds(msBeforeNext: number): number {
  return Math.max(1, Math.ceil(msBeforeNext / 1000));
}

/** `perSecond` requests per id in each one-second window, counted in this process. */
export function memoryRequestRate(perSecond: number): RequestRate {
  const limiter = new RateLimiterMemory({ points: perSecond, duration: 1 });
  return {
    async consume(id) {
      try {
        await limiter.consume(id);
        return { ok: true };
      } catch (e) {
        if (e instanceof RateLimiterRes) return { ok: false, retryAfterSeconds: retryAfterSeconds(e.msBeforeNext) };
        throw e;
      }
    },
  };
}
