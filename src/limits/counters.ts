// One way to build a counter for every limit: in Redis when the node has it (shared by every node), in memory otherwise.
import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';

// rate-limiter-flexible's own script, with the window in milliseconds (PX) rather than whole seconds.
const INCR_PX_SCRIPT = `local ms = math.floor(tonumber(ARGV[4]) * 1000 + 0.5)
redis.call('set', KEYS[1], 0, 'PX', ms, 'NX')
local consumed = redis.call('incrby', KEYS[1], ARGV[1])
local ttl = redis.call('pttl', KEYS[1])
if ttl == -1 then
  redis.call('pexpire', KEYS[1], ms)
  ttl = ms
end
return {consumed, ttl}`;

export interface CounterOptions {
  /** Namespace of the counted keys, under the node's Redis prefix. */
  name: string;
  points: number;
  durationMs: number;
}

/**
 * A fixed-window counter. With Redis, a Redis outage falls back to a memory counter on each node
 * (the insurance limiter) rather than failing or holding requests.
 */
export function counter(redis: Redis | null, redisPrefix: string, o: CounterOptions): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ keyPrefix: o.name, points: o.points, duration: o.durationMs / 1000 });
  if (!redis) return memory;
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${redisPrefix}${o.name}`,
    points: o.points,
    duration: o.durationMs / 1000,
    customIncrTtlLuaScript: INCR_PX_SCRIPT,
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
  });
}
