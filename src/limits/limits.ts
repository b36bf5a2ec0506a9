// The limits of one node, on Redis when KEYMINT_REDIS_URL is set (shared by every node), in memory otherwise.
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { CredentialThrottle } from './credential-throttle.js';
import { KeyRates } from './key-rates.js';
import { Lockout } from './lockout.js';
import { connectRedis, subscriberOf } from './redis.js';

export interface Limits {
  /** null: every limit counts per node. */
  redis: Redis | null;
  lockout: Lockout;
  throttle: CredentialThrottle;
  keyRates: KeyRates;
  close(): Promise<void>;
}

export async function createLimits(config: Config): Promise<Limits> {
  const redis = config.redisUrl ? await connectRedis(config.redisUrl) : null;
  let subscriber: Redis | null = null;
  try {
    subscriber = redis && config.lockout.tiers.length ? await subscriberOf(redis, config.redisUrl!) : null;
    const lockout = new Lockout(config.lockout, redis, subscriber, config.redisPrefix);
    await lockout.start();
    return {
      redis,
      lockout,
      throttle: new CredentialThrottle(config.managementThrottle, redis, config.redisPrefix),
      keyRates: new KeyRates(redis, config.redisPrefix),
      async close() {
        subscriber?.disconnect();
        await redis?.quit().catch(() => redis.disconnect());
      },
    };
  } catch (e) {
    subscriber?.disconnect();
    redis?.disconnect();
    throw e;
  }
}
