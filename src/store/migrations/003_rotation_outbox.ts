// The rotation outbox: pending rotation deliveries and each attempt, so nothing is lost across a crash.
import type { Kysely } from 'kysely';
import { columnTypes } from '../engine.js';

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('rotation_outbox')
    // The Standard Webhooks `webhook-id`: the same on every attempt.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('old_key_id', 'text', (c) => c.notNull())
    .addColumn('new_key_id', 'text', (c) => c.notNull())
    .addColumn('successor_enc', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', t.instant)
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', t.instant)
    .addColumn('rotated_at', t.instant)
    .addColumn('grace_expires_at', t.instant)
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('finished_at', t.instant)
    .execute();
  await db.schema.createIndex('rotation_outbox_due').on('rotation_outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('rotation_outbox_old_key').on('rotation_outbox').column('old_key_id').execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('seq', t.serial, t.serialPk)
    .addColumn('outbox_id', 'text', (c) => c.notNull())
    .addColumn('old_key_id', 'text', (c) => c.notNull())
    .addColumn('new_key_id', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('at', t.instant, (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', t.instant)
    .execute();
  await db.schema.createIndex('webhook_deliveries_old_key').on('webhook_deliveries').columns(['old_key_id', 'seq']).execute();
  await db.schema.createIndex('webhook_deliveries_new_key').on('webhook_deliveries').columns(['new_key_id', 'seq']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Keymint migrations are forward-only');
}
