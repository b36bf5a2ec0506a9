// Owners of keys: a Grafana service account, a v1 identity. A key may belong to one; disabling the owner stops
// its keys without revoking them, deleting it revokes them.
import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../engine.js';

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('owners')
    // The Grafana service account id.
    .addColumn('num_id', t.serial, t.serialPk)
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('is_disabled', 'integer', (c) => c.notNull().defaultTo(0))
    /** JSON object, at most 16 KiB. */
    .addColumn('meta', 'text')
    .addColumn('ratelimit_limit', 'integer')
    .addColumn('ratelimit_duration_ms', t.instant)
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .addColumn('deleted_at', t.instant)
    .execute();
  await db.schema.createIndex('owners_project').on('owners').columns(['project_id', 'num_id']).execute();
  // Names and external ids are unique among a project's owners that are not deleted.
  await db.schema
    .createIndex('owners_live_name')
    .on('owners')
    .columns(['project_id', 'name'])
    .unique()
    .where(sql<boolean>`deleted_at is null`)
    .execute();
  await db.schema
    .createIndex('owners_live_external_id')
    .on('owners')
    .columns(['project_id', 'external_id'])
    .unique()
    .where(sql<boolean>`deleted_at is null and external_id is not null`)
    .execute();

  await db.schema.alterTable('api_keys').addColumn('owner_id', 'text').execute();
  await db.schema.createIndex('api_keys_owner').on('api_keys').column('owner_id').execute();
}

export async function down(): Promise<void> {
  throw new Error('Keymint migrations are forward-only');
}
