// Spending credits on verification, exactly, across every node: an atomic Lua script in Redis when the node
// has KEYMINT_REDIS_URL, otherwise one conditional UPDATE in the store. A credit is spent before the answer.
import type { Redis } from 'ioredis';
import { sql } from 'kysely';
import { type CreditState, creditsAt, lastBoundary, type Refill } from '../keys/credits.js';
import type { Store } from '../store/db.js';

/** What the key cache holds of a key's credit pool: how to refill, and which version of the settings. */
export interface CachedCredits {
  poolId: string;
  version: number;
  refill: Refill | null;
}

export interface CreditSpend {
  allowed: boolean;
  /** After this verification. */
  remaining: number;
}

/** A pool row as the store holds it. */
export interface PoolRow {
  id: string;
  remaining: number;
  refilled_at: number;
  version: number;
}

export interface Credits {
  /** Takes `cost` credits (0 reads without spending) unless fewer remain. */
  spend(pool: CachedCredits, cost: number, now: number): Promise<CreditSpend>;
  /** The pools' states as of now (without refill; `creditsAt` applies that), Redis' count when it has a newer one. */
  current(rows: PoolRow[]): Promise<Map<string, CreditState>>;
  /** Writes what Redis counted back to the store (a backstop should Redis lose it). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** No refill: a boundary no stored instant is below. */
const NEVER = -1;
const boundaryOf = (pool: CachedCredits, now: number) => (pool.refill ? lastBoundary(pool.refill, now) : NEVER);

/** The store engine: one statement that refills (when a boundary passed) and spends, only if enough remain. */
export class StoreCredits implements Credits {
  constructor(private readonly store: Store) {}

  async spend(pool: CachedCredits, cost: number, now: number): Promise<CreditSpend> {
    const b = sql`cast(${boundaryOf(pool, now)} as bigint)`;
    const n = sql`cast(${cost} as bigint)`;
    const available = sql<number>`(case when refill_amount is not null and refilled_at < ${b} then refill_amount else remaining end)`;
    const row = await this.store.db
      .updateTable('credit_pools')
      .set({
        remaining: sql`${available} - ${n}`,
        refilled_at: sql`(case when refill_amount is not null and refilled_at < ${b} then ${b} else refilled_at end)`,
      })
      .where('id', '=', pool.poolId)
      .where(sql<boolean>`${available} >= ${n}`)
      .returning('remaining')
      .executeTakeFirst();
    if (row) return { allowed: true, remaining: Number(row.remaining) };
    const left = await this.store.db.selectFrom('credit_pools').select(['remaining', 'refilled_at']).where('id', '=', pool.poolId).executeTakeFirst();
    return { allowed: false, remaining: left ? creditsAt(left, pool.refill, now).remaining : 0 };
  }

  async current(rows: PoolRow[]): Promise<Map<string, CreditState>> {
    return new Map(rows.map((r) => [r.id, { remaining: r.remaining, refilled_at: r.refilled_at }]));
  }

  async flush(): Promise<void> {}
  async close(): Promise<void> {}
}

// KEYS[1]: the pool's hash {v: version, r: remaining, t: refilled_at}. ARGV: cost, version, boundary, refill
// amount ('' for none), and, when the node read them from the store, the seed remaining and refilled_at.
// Answers {1|0, remaining}, or {-1, 0} when Redis holds an older version (or nothing) and no seed was sent.
const SPEND_SCRIPT = `
local v = tonumber(redis.call('hget', KEYS[1], 'v') or '0')
local want = tonumber(ARGV[2])
if v < want then
  if ARGV[5] == nil then return {-1, 0} end
  redis.call('hset', KEYS[1], 'v', want, 'r', ARGV[5], 't', ARGV[6])
end
local r = tonumber(redis.call('hget', KEYS[1], 'r'))
local t = tonumber(redis.call('hget', KEYS[1], 't'))
local b = tonumber(ARGV[3])
if ARGV[4] ~= '' and t < b then
  r = tonumber(ARGV[4])
  redis.call('hset', KEYS[1], 'r', r, 't', b)
end
local cost = tonumber(ARGV[1])
if r >= cost then
  r = r - cost
  redis.call('hset', KEYS[1], 'r', r)
  return {1, r}
end
return {0, r}`;

type SpendCommand = (key: string, ...args: (string | number)[]) => Promise<[number, number]>;

/** The Redis engine: Redis holds each pool's count (no expiry); the store gets it back every few seconds. */
export class RedisCredits implements Credits {
  private readonly touched = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private readonly fallback: StoreCredits;

  constructor(
    private readonly store: Store,
    private readonly redis: Redis,
    private readonly prefix: string,
    flushMs = 2_000,
  ) {
    this.fallback = new StoreCredits(store);
    if (!(redis as unknown as { keymintSpendCredits?: SpendCommand }).keymintSpendCredits) {
      redis.defineCommand('keymintSpendCredits', { numberOfKeys: 1, lua: SPEND_SCRIPT });
    }
    this.timer = setInterval(() => void this.flush().catch(() => {}), flushMs);
    this.timer.unref();
  }

  private keyOf(poolId: string): string {
    return `${this.prefix}credits:${poolId}`;
  }

  private get command(): SpendCommand {
    return (this.redis as unknown as { keymintSpendCredits: SpendCommand }).keymintSpendCredits.bind(this.redis);
  }

  async spend(pool: CachedCredits, cost: number, now: number): Promise<CreditSpend> {
    const args = [cost, pool.version, boundaryOf(pool, now), pool.refill ? pool.refill.amount : ''];
    let res: [number, number];
    try {
      res = await this.command(this.keyOf(pool.poolId), ...args);
      if (res[0] === -1) {
        // First use of this version of the pool: Redis takes the store's count, read fresh (not from the cache).
        const row = await this.store.db.selectFrom('credit_pools').select(['remaining', 'refilled_at', 'version']).where('id', '=', pool.poolId).executeTakeFirst();
        if (!row) return { allowed: false, remaining: 0 };
        res = await this.command(this.keyOf(pool.poolId), cost, Math.max(row.version, pool.version), args[2], args[3], row.remaining, row.refilled_at);
      }
    } catch {
      // Redis is away: the store's count decides meanwhile (see README, Credits).
      return this.fallback.spend(pool, cost, now);
    }
    this.touched.set(pool.poolId, pool.version);
    return { allowed: res[0] === 1, remaining: Number(res[1]) };
  }

  async current(rows: PoolRow[]): Promise<Map<string, CreditState>> {
    const out = new Map(rows.map((r) => [r.id, { remaining: r.remaining, refilled_at: r.refilled_at }]));
    if (rows.length === 0) return out;
    try {
      const pipe = this.redis.pipeline();
      for (const r of rows) pipe.hmget(this.keyOf(r.id), 'v', 'r', 't');
      const answers = (await pipe.exec()) ?? [];
      rows.forEach((row, i) => {
        const [err, vals] = answers[i] ?? [];
        const [v, r, t] = (vals as (string | null)[] | undefined) ?? [];
        if (!err && v != null && r != null && t != null && Number(v) >= row.version) out.set(row.id, { remaining: Number(r), refilled_at: Number(t) });
      });
    } catch {
      // Redis is away: the store's count (at most a few seconds old).
    }
    return out;
  }

  async flush(): Promise<void> {
    if (this.touched.size === 0) return;
    const pools = [...this.touched.keys()];
    this.touched.clear();
    const pipe = this.redis.pipeline();
    for (const id of pools) pipe.hmget(this.keyOf(id), 'v', 'r', 't');
    const answers = (await pipe.exec()) ?? [];
    for (let i = 0; i < pools.length; i++) {
      const [err, vals] = answers[i] ?? [];
      const [v, r, t] = (vals as (string | null)[] | undefined) ?? [];
      if (err || v == null || r == null || t == null) continue;
      // Only onto the same version: a change by hand since then wins.
      await this.store.db
        .updateTable('credit_pools')
        .set({ remaining: Number(r), refilled_at: Number(t) })
        .where('id', '=', pools[i])
        .where('version', '=', Number(v))
        .execute();
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush().catch(() => {});
  }
}

export function createCredits(store: Store, redis: Redis | null, prefix: string): Credits {
  return redis ? new RedisCredits(store, redis, prefix) : new StoreCredits(store);
}
