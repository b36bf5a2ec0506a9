// Finds the PostgreSQL and Redis the suites run against. With CI=true an unreachable one fails the run;
// elsewhere its suites are skipped, with a line saying so. Names this run and holds its lock (test-run.ts), dropping
// what killed runs left behind.
import net from 'node:net';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { dropLeftoverRedisKeys, holdRunLock, newRunId } from './test-run.js';

export const PG_URL = process.env.KEYMINT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.KEYMINT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function pgReachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

function redisReachable(): Promise<string | null> {
  const u = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port || 6379) });
    const done = (err: string | null) => {
      s.destroy();
      resolve(err);
    };
    s.setTimeout(3000, () => done('timed out'));
    s.once('error', (e) => done(e.message));
    s.once('connect', () => {
      s.write('PING\r\n');
      s.once('data', (d) => done(d.toString().startsWith('+PONG') ? null : `unexpected answer ${d}`));
    });
  });
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
    redisUrl: string | null;
    /** Names this run's schemas and Redis prefixes; its PostgreSQL advisory lock says the run is alive. */
    runId: string;
  }
}

export default async function setup(project: TestProject) {
  const ci = process.env.CI === 'true';
  const [pgErr, redisErr] = await Promise.all([pgReachable(), redisReachable()]);
  for (const [name, url, err] of [['PostgreSQL', PG_URL, pgErr], ['Redis', REDIS_URL, redisErr]] as const) {
    if (!err) continue;
    if (ci) throw new Error(`CI=true but ${name} at ${url} is unreachable (${err}): its suites must run in CI`);
    console.warn(`\n[keymint tests] ${name} at ${url} is unreachable (${err}): skipping the ${name} suites.\n`);
  }
  const runId = newRunId();
  project.provide('postgresUrl', pgErr ? null : PG_URL);
  project.provide('redisUrl', redisErr ? null : REDIS_URL);
  project.provide('runId', runId);
  if (pgErr) return;
  const lock = await holdRunLock(PG_URL, runId);
  const redisKeys = redisErr ? 0 : await dropLeftoverRedisKeys(PG_URL, REDIS_URL, runId).catch(() => 0);
  if (lock.dropped.length || redisKeys) {
    console.log(`[keymint tests] dropped ${lock.dropped.length} schema(s) and ${redisKeys} Redis key(s) left by runs that were killed`);
  }
  return () => lock.release();
}
