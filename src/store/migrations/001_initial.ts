import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../engine.js';

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('projects')
    .addColumn('org_id', t.serial, t.serialPk)
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('deleted_at', t.instant)
    .execute();

  await db.schema
    .createTable('environments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_prefix', 'text')
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addUniqueConstraint('environments_project_name', ['project_id', 'name'])
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('num_id', t.serial, t.serialPk)
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('environment_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('expires_at', t.instant)
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('revoked_at', t.instant)
    .addColumn('replaced_by_key_id', 'text')
    .addColumn('grace_expires_at', t.instant)
    .addColumn('pending', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rotation_interval_days', 'integer')
    .addColumn('next_rotation_at', t.instant)
    .addColumn('rotation_webhook_url', 'text')
    .addColumn('rotation_grace_minutes', 'integer')
    .addColumn('webhook_secret_enc', 'text')
    .addColumn('last_used_at', t.instant)
    .execute();
  await db.schema.createIndex('api_keys_project').on('api_keys').columns(['project_id', 'num_id']).execute();
  // Names are unique among a project's live keys; expired keys still hold their name (Grafana's rule).
  await db.schema
    .createIndex('api_keys_live_name')
    .on('api_keys')
    .columns(['project_id', 'name'])
    .unique()
    .where(sql<boolean>`revoked_at is null and replaced_by_key_id is null and pending = 0`)
    .execute();
  await db.schema.createIndex('api_keys_next_rotation').on('api_keys').column('next_rotation_at').execute();

  await db.schema
    .createTable('root_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('digest', 'text', (c) => c.notNull().unique())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('seq', t.serial, t.serialPk)
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('at', t.instant, (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text')
    .addColumn('ip', 'text')
    .execute();
  await db.schema.createIndex('audit_events_project').on('audit_events').columns(['project_id', 'seq']).execute();

  await db.schema
    .createTable('changes')
    .addColumn('seq', t.serial, t.serialPk)
    .addColumn('at', t.instant, (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('usage_counts')
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('bucket', t.instant, (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('count', t.instant, (c) => c.notNull())
    .addPrimaryKeyConstraint('usage_counts_pk', ['key_id', 'bucket', 'outcome'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Keymint migrations are forward-only');
}
