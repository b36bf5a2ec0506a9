// Spending credits on verification, exactly, across every node: an atomic Lua script in Redis when the node
// has KEYMINT_REDIS_URL, otherwise one conditional UPDATE in the store. A credit is spent before the answer.
import type { Redis } from 'ioredis';
import { CompiledQuery } from 'kysely';
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

/**
 * The store engine: one statement that refills (when a boundary passed) and spends, only if enough remain. Its text
 * is written once per engine, so the hot path builds no query: PostgreSQL numbers its parameters ($1 boundary,
 * $2 cost, $3 pool id); SQLite's `?` take them in the order they appear (`order`).
 */
function spendStatement(engine: Store['engine']): { text: string; order: number[] } {
  const pg = engine === 'postgres';
  const order: number[] = [];
  const p = (n: number) => {
    order.push(n);
    return pg ? `cast($${n} as bigint)` : '?';
  };
  const available = () => `(case when refill_amount is not null and refilled_at < ${p(1)} then refill_amount else remaining end)`;
  const set = `remaining = ${available()} - ${p(2)}, refilled_at = (case when refill_amount is not null and refilled_at < ${p(1)} then ${p(1)} else refilled_at end)`;
  const id = pg ? '$3' : (order.push(3), '?');
  const text = `update credit_pools set ${set} where id = ${id} and ${available()} >= ${p(2)} returning remaining`;
  return { text, order: pg ? [1, 2, 3] : order };
}

export class StoreCredits implements Credits {
  private readonly statement: { text: string; order: number[] };

  constructor(private readonly store: Store) {
    this.statement = spendStatement(store.engine);
  }

  async spend(pool: CachedCredits, cost: number, now: number): Promise<CreditSpend> {
    const values = [boundaryOf(pool, now), cost, pool.poolId];
    const params = this.statement.order.map((n) => values[n - 1]);
    const res = await this.store.db.executeQuery<{ remaining: number }>(CompiledQuery.raw(this.statement.text, params));
    const row = res.rows[0];
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
