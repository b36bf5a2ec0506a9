// Per-key rate limits: at most `ratelimit_limit` verifications per `ratelimit_duration_ms`; both null means no limit.
import type { Kysely } from 'kysely';
import { columnTypes } from '../engine.js';

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable('api_keys').addColumn('ratelimit_limit', 'integer').execute();
  await db.schema.alterTable('api_keys').addColumn('ratelimit_duration_ms', t.instant).execute();
}

export async function down(): Promise<void> {
  throw new Error('Keymint migrations are forward-only');
}
