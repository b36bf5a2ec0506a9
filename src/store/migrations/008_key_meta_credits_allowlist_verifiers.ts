// Issue 13: what a key carries (meta, an IP allowlist, a credit pool) and verify-only credentials.
// Credits live in their own table so a rotation's successor can share its predecessor's pool during grace.
import type { Kysely } from 'kysely';
import { columnTypes } from '../engine.js';

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  /** JSON object, or null. */
  await db.schema.alterTable('api_keys').addColumn('meta', 'text').execute();
  /** JSON array of normalized CIDR ranges, or null (every address). */
  await db.schema.alterTable('api_keys').addColumn('ip_allowlist', 'text').execute();
  await db.schema.alterTable('api_keys').addColumn('credit_pool_id', 'text').execute();

  await db.schema
    .createTable('credit_pools')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('remaining', t.instant, (c) => c.notNull())
    .addColumn('refilled_at', t.instant, (c) => c.notNull())
    .addColumn('refill_amount', t.instant)
    .addColumn('refill_interval', 'text')
    .addColumn('refill_day', 'integer')
    /** Rises with each change by hand, so a shared counter (Redis) knows to take the stored value again. */
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('verifier_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text')
    .addColumn('digest', 'text', (c) => c.notNull().unique())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('revoked_at', t.instant)
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Keymint migrations are forward-only');
}
