// `keymint migrate` from several processes at once on a fresh PostgreSQL schema: each migration runs once.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freshDatabase, TEST_ENCRYPTION_KEY, type TestDatabase } from '../support/harness.js';
import { migrate, openStore } from '../../src/store/db.js';
import { kill, type KeymintProcess, runKeymint } from './processes.js';

const postgres = inject('postgresUrl');
if (!postgres) console.log('[keymint tests] PostgreSQL unreachable: skipping the concurrent `keymint migrate` test');

describe.skipIf(!postgres)('keymint migrate from three processes at once (PostgreSQL)', () => {
  let db: TestDatabase | undefined;
  let neighbour: TestDatabase | undefined;
  const procs: KeymintProcess[] = [];
  afterAll(async () => {
    procs.forEach(kill);
    await db?.drop();
    await neighbour?.drop();
  });

  it('all succeed, and every migration is applied exactly once, even beside another migrated schema', async () => {
    // Another deployment (or a parallel test) in the same database already has Kysely's tables.
    neighbour = await freshDatabase('postgres');
    const other = openStore(neighbour.url);
    await migrate(other).finally(() => other.close());
    db = await freshDatabase('postgres');
    const env = { KEYMINT_DATABASE_URL: db.url, KEYMINT_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY };
    for (let i = 0; i < 3; i++) procs.push(runKeymint(['migrate'], env));
    const codes = await Promise.all(procs.map((p) => p.exited));
    expect(codes, procs.map((p) => p.output()).join('\n---\n')).toEqual([0, 0, 0]);
    for (const p of procs) expect(p.output()).toContain('migrations are current');

    const store = openStore(db.url);
    try {
      const rows = await store.db.selectFrom('kysely_migration' as any).select('name').execute();
      const names = rows.map((r: any) => r.name as string);
      expect(names).toContain('001_initial');
      expect(names).toContain('004_key_ratelimits');
      expect(new Set(names).size).toBe(names.length);
      // The tables are there, in this schema.
      expect(await store.db.selectFrom('api_keys').select('ratelimit_limit').execute()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
