// Migrations on PostgreSQL must not depend on other schemas of the database: another deployment or test file
// dropping its schema at the same moment used to fail a node's start with `schema "…" does not exist`.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, migrationsCurrent, openStore } from '../../src/store/db.js';
import { engines, freshDatabase, type TestDatabase } from '../support/harness.js';

describe.skipIf(!engines.includes('postgres'))('migrations on postgres beside other schemas', () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of databases) await db.drop().catch(() => {});
  });

  it('migrate and /readyz succeed while other schemas are created and dropped', { timeout: 120_000 }, async () => {
    // Churn: schemas with serial columns (what Kysely's introspector looked up by name) appear and vanish.
    let churning = true;
    const churn = (async () => {
      let rounds = 0;
      while (churning || rounds < 20) {
        const other = await freshDatabase('postgres');
        const c = new pg.Client({ connectionString: other.url });
        await c.connect();
        await c.query('create table a (id serial primary key); create table b (id serial primary key, x text)');
        await c.end();
        await other.drop();
        rounds++;
      }
      return rounds;
    })();
    try {
      for (let i = 0; i < 8; i++) {
        const db = await freshDatabase('postgres');
        databases.push(db);
        const store = openStore(db.url);
        try {
          await migrate(store);
          expect(await migrationsCurrent(store)).toBe(true);
        } finally {
          await store.close();
        }
      }
    } finally {
      churning = false;
      expect(await churn).toBeGreaterThanOrEqual(20);
    }
  });

  it("sees only the connection's own schema", async () => {
    const [mine, other] = [await freshDatabase('postgres'), await freshDatabase('postgres')];
    databases.push(mine, other);
    const c = new pg.Client({ connectionString: other.url });
    await c.connect();
    await c.query('create table not_mine (id serial primary key)');
    await c.end();
    const store = openStore(mine.url);
    try {
      await migrate(store);
      const tables = await store.db.introspection.getTables();
      const schema = new URL(mine.url).searchParams.get('options')!.replace('-c search_path=', '');
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['api_keys', 'projects', 'changes']));
      expect(tables.map((t) => t.name)).not.toContain('not_mine');
      expect(tables.map((t) => t.name)).not.toContain('kysely_migration');
      expect(new Set(tables.map((t) => t.schema))).toEqual(new Set([schema]));
      const changes = tables.find((t) => t.name === 'changes')!;
      expect(changes.columns.find((col) => col.name === 'seq')).toMatchObject({ isAutoIncrementing: true, isNullable: false });
      expect((await store.db.introspection.getTables({ withInternalKyselyTables: true })).map((t) => t.name)).toContain('kysely_migration');
    } finally {
      await store.close();
    }
  });
});
