// Issue 16: a key's last use is read from and written to a narrow table of its own. Written in `api_keys` for every key in use,
// it cost the flush a page of wide rows per key: at 1,000,000 keys, 13-17 µs and 2.6 KB of WAL a key against 1.3-5.3 µs
// and 0.1-0.2 KB here, both in key order (bench/last-use-flush.ts on copies of the bench's seed).
import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../engine.js';

export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  // On SQLite an integer primary key is the rowid: the table is one B-tree of 16-byte rows.
  await db.schema
    .createTable('key_last_used')
    .addColumn('num_id', t.instant, (c) => c.primaryKey())
    .addColumn('last_used_at', t.instant, (c) => c.notNull())
    .execute();
  await sql`insert into key_last_used (num_id, last_used_at) select num_id, last_used_at from api_keys where last_used_at is not null`.execute(db);
  // api_keys.last_used_at stays, unread: a node of an older release still running while a cluster upgrades reads it
  // on every cache miss (dropped, those answered 500). A later release's migration can drop it.
}

export async function down(): Promise<void> {
  throw new Error('Keymint migrations are forward-only');
}
