// Dashboard sessions: a browser's sign-in, shared by every node. Only a digest of the session id is stored,
// so a copy of this table signs nobody in.
import type { Kysely } from 'kysely';
import { columnTypes } from '../engine.js';

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('dashboard_sessions')
    .addColumn('digest', 'text', (c) => c.primaryKey())
    .addColumn('principal_kind', 'text', (c) => c.notNull())
    .addColumn('principal_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text')
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('last_seen_at', t.instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dashboard_sessions_seen').on('dashboard_sessions').column('last_seen_at').execute();
}

export async function down(): Promise<void> {
  throw new Error('Keymint migrations are forward-only');
}
