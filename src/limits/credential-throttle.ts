// Request limits per management credential (a root key, a project key, an AWS pair), for every surface.
import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { Principal } from '../auth/principal.js';
import { counter } from './counters.js';
import { type RequestRate, retryAfterSeconds } from './request-rate.js';

export interface ThrottleOptions {
  /** Requests per window and credential; 0 turns the limit off. */
  limit: number;
  windowSeconds: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = { limit: 6000, windowSeconds: 60 };

export class CredentialThrottle {
  private readonly requests: RateLimiterAbstract | null;
  /** Requests this node refused (metrics). */
  refused = 0;

  constructor(
    readonly options: ThrottleOptions,
    redis: Redis | null,
    redisPrefix: string,
  ) {
    this.requests = options.limit > 0 ? counter(redis, redisPrefix, { name: 'credential-requests', points: options.limit, durationMs: options.windowSeconds * 1000 }) : null;
  }

  /** Counts one request of this credential: 0 when it may go on, else the seconds to wait (for Retry-After). */
  take(principal: Pick<Principal, 'kind' | 'id'>): Promise<number> {
    return this.takeId(`${principal.kind}:${principal.id}`);
  }

  /** The same budget as a per-id request rate for one kind of credential (`consume(accessKeyId)` on the AWS surface). */
  requestRate(kind: Principal['kind']): RequestRate {
    return {
      consume: async (id) => {
        const wait = await this.takeId(`${kind}:${id}`);
        return wait > 0 ? { ok: false, retryAfterSeconds: wait } : { ok: true };
      },
    };
  }

  private async takeId(id: string): Promise<number> {
    if (!this.requests) return 0;
    try {
      await this.requests.consume(id);
      return 0;
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      this.refused++;
      return retryAfterSeconds(e.msBeforeNext);
    }
  }

  /** Words for a 429, the same on every surface. */
  message(retryAfter: number): string {
    return `This credential has made more than ${this.options.limit} requests in ${this.options.windowSeconds} s: retry after ${retryAfter} s`;
  }
}
