// The node's Redis connection (KEYMINT_REDIS_URL): cluster-wide counters for rate limits and lockout.
import { Redis } from 'ioredis';
import { withoutPassword } from '../util/url-password.js';

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Commands fail at once while Redis is away (no offline queue, a short timeout), so a limiter falls back
 * to its per-node memory counterpart instead of holding requests. A wrong URL fails the start.
 */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1_000, connectTimeout: 5_000, lazyConnect: true });
  redis.on('error', () => {});
  await waitReady(redis, url);
  return redis;
}

/** Redis did not answer at start; the message names KEYMINT_REDIS_URL. */
export class RedisUnreachable extends Error {}

/** A second connection in subscriber mode (a subscribing connection cannot send other commands). */
export async function subscriberOf(redis: Redis, url: string): Promise<Redis> {
  const sub = redis.duplicate({ enableOfflineQueue: true, commandTimeout: undefined });
  sub.on('error', () => {});
  await waitReady(sub, url);
  return sub;
}

async function waitReady(redis: Redis, url: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.status === 'wait' ? redis.connect() : new Promise((resolve) => redis.once('ready', resolve)),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis at ${withoutPassword(url)} did not answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
      }),
    ]);
  } catch (e) {
    redis.disconnect();
    throw new RedisUnreachable(`cannot connect to KEYMINT_REDIS_URL (${withoutPassword(url)}): ${(e as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}
