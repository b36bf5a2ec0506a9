// Why: several test runs (engineers, CI) share one PostgreSQL database and one Redis. Every schema and Redis prefix
// a run makes is named after the run, and the run holds a PostgreSQL session advisory lock for as long as it lives,
// so the next run can drop what a killed run left behind without ever touching a schema a live run still uses.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Advisory locks of test runs are (this class, the run's number): apart from anything else taking advisory locks. */
const RUN_LOCK_CLASS = 0x6b6d7431; // "kmt1"
/** Schemas of older harnesses (`t_` + 12 hex) carry no run: dropped only once migrated this long ago. */
const UNOWNED_AFTER_MS = 60 * 60_000;

/** A new run: 8 hex digits, which are also the key of its advisory lock. */
export const newRunId = (): string => randomBytes(4).toString('hex');
const lockKey = (runId: string): number => Number.parseInt(runId, 16) | 0;

/** `t_<run>_<file>_<random>`: a fresh schema of this run, named after the test file that asked for it. */
export function schemaName(runId: string, file: string): string {
  return `t_${runId}_${slug(file, 30)}_${randomBytes(4).toString('hex')}`;
}

/** `kmtest:<run>:<file>:<random>:`: a Redis key prefix of this run, for one test file's nodes. */
export function redisPrefixName(runId: string, file: string): string {
  return `kmtest:${runId}:${slug(file, 40)}:${randomBytes(4).toString('hex')}:`;
}

function slug(file: string, max: number): string {
  const base = file.split('/').pop()!.replace(/\.test\.ts$|\.ts$/, '');
  return base.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, max) || 'x';
}

/**
 * Holds this run's lock on its own connection until `release` (or until the process dies, when PostgreSQL
 * lets go of it), then drops the schemas of runs whose lock is free: those runs ended without cleaning up.
 */
export async function holdRunLock(url: string, runId: string): Promise<{ dropped: string[]; release(): Promise<void> }> {
  const session = new pg.Client({ connectionString: url });
  session.on('error', () => {});
  await session.connect();
  await session.query('select pg_advisory_lock($1, $2)', [RUN_LOCK_CLASS, lockKey(runId)]);
  const dropped = await dropLeftovers(session, runId).catch((e) => {
    console.warn(`[keymint tests] could not drop leftover schemas: ${(e as Error).message}`);
    return [] as string[];
  });
  return {
    dropped,
    async release() {
      await session.end().catch(() => {});
    },
  };
}

async function dropLeftovers(session: pg.Client, ownRun: string): Promise<string[]> {
  // A dead run's schema can only be locked by a process that outlived it: give up on it rather than wait.
  await session.query(`set lock_timeout = '2s'`);
  const { rows } = await session.query<{ name: string }>(`select nspname as name from pg_namespace where nspname like 't\\_%'`);
  const dropped: string[] = [];
  for (const { name } of rows) {
    const run = /^t_([0-9a-f]{8})_/.exec(name)?.[1];
    if (run === ownRun) continue;
    if (run) {
      // Free lock: the run is gone. Held while dropping, so two runs cleaning up at once never race.
      const { rows: got } = await session.query<{ ok: boolean }>('select pg_try_advisory_lock($1, $2) as ok', [RUN_LOCK_CLASS, lockKey(run)]);
      if (!got[0].ok) continue;
      try {
        await session.query(`drop schema if exists "${name}" cascade`);
        dropped.push(name);
      } catch {
        // Still in use after all (a stray process of that run): the next run tries again.
      } finally {
        await session.query('select pg_advisory_unlock($1, $2)', [RUN_LOCK_CLASS, lockKey(run)]);
      }
    } else if (/^t_[0-9a-f]{12}$/.test(name) && (await migratedBefore(session, name, Date.now() - UNOWNED_AFTER_MS))) {
      await session.query(`drop schema if exists "${name}" cascade`).then(() => dropped.push(name), () => {});
    }
  }
  return dropped;
}

/** True when every migration of the schema ran before `before` (a schema with none is left alone). */
async function migratedBefore(session: pg.Client, schema: string, before: number): Promise<boolean> {
  try {
    const { rows } = await session.query<{ last: Date | null }>(`select max(timestamp) as last from "${schema}".kysely_migration`);
    const last = rows[0]?.last;
    return last != null && new Date(last).getTime() < before;
  } catch {
    return false;
  }
}

/**
 * Deletes the Redis keys of runs that are gone (same test: their lock is free). Every counter Keymint writes
 * to Redis also expires on its own, so this only keeps a killed run's keys from waiting out their windows.
 */
export async function dropLeftoverRedisKeys(pgUrl: string, redisUrl: string, ownRun: string): Promise<number> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const session = new pg.Client({ connectionString: pgUrl });
  session.on('error', () => {});
  let deleted = 0;
  try {
    await Promise.all([redis.connect(), session.connect()]);
    const runs = new Map<string, boolean>();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', 'kmtest:*', 'COUNT', 1000);
      cursor = next;
      const dead: string[] = [];
      for (const key of keys) {
        const run = /^kmtest:([0-9a-f]{8}):/.exec(key)?.[1];
        if (!run || run === ownRun) continue;
        if (!runs.has(run)) {
          const { rows } = await session.query<{ ok: boolean }>('select pg_try_advisory_lock($1, $2) as ok', [RUN_LOCK_CLASS, lockKey(run)]);
          if (rows[0].ok) await session.query('select pg_advisory_unlock($1, $2)', [RUN_LOCK_CLASS, lockKey(run)]);
          runs.set(run, rows[0].ok);
        }
        if (runs.get(run)) dead.push(key);
      }
      if (dead.length) deleted += await redis.del(...dead);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
    await session.end().catch(() => {});
  }
  return deleted;
}
