// A key's last use, kept in `key_last_used` (one narrow row per used key) and read beside its `api_keys` row.
import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

/** The key's `last_used_at` (null when never used), for any query on `api_keys`: a select, a filter, an order, a returning. */
export const lastUsedAt = sql<number | null>`(select key_last_used.last_used_at from key_last_used where key_last_used.num_id = api_keys.num_id)`;

/** Added to every read (and returning) of whole `api_keys` rows: a KeyRow carries its last use. */
export const withLastUse = lastUsedAt.as('last_used_at');

/**
 * Moves each key's last use forward to its instant (never back: another node may have written a later one). The
 * rows in one order, so two nodes writing the same keys at once take PostgreSQL's row locks in that order.
 */
export async function noteLastUses(db: Kysely<Database>, uses: readonly (readonly [numId: number, at: number])[]): Promise<void> {
  await db
    .insertInto('key_last_used')
    .values(uses.map(([num_id, last_used_at]) => ({ num_id, last_used_at })))
    .onConflict((oc) => oc.column('num_id').doUpdateSet({ last_used_at: (eb) => eb.ref('excluded.last_used_at') }).where((eb) => eb('key_last_used.last_used_at', '<', eb.ref('excluded.last_used_at'))))
    .execute();
}
