// Per-project AWS access key pairs (the root pair comes from the environment and is not stored).
import type { Kysely } from 'kysely';
import { columnTypes } from '../engine.js';

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('aws_credentials')
    .addColumn('access_key_id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('revoked_at', t.instant)
    .execute();
  await db.schema.createIndex('aws_credentials_project').on('aws_credentials').columns(['project_id', 'created_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Keymint migrations are forward-only');
}
