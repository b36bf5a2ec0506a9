// Writes that depend on a parent row (a key on its project and environment, a successor on its
// project, an environment or an AWS pair on its project) read that parent again inside their own
// transaction, locked against the transaction that deletes it. On PostgreSQL a creator holds
// `FOR SHARE` on the parent and the deleter's UPDATE/DELETE of that row waits for it (and the reverse),
// so the two serialize: a key committed first is revoked by the delete; a delete committed first is
// seen by the creator, which writes nothing. SQLite has one writer at a time, so the read alone holds.
import type { Kysely, Selectable, Transaction } from 'kysely';
import { engineOf } from './engine.js';
import type { Database, EnvironmentsTable, OwnersTable, ProjectsTable } from './schema.js';

type Db = Kysely<Database>;

/** The project if it is not deleted, share-locked until the transaction ends; undefined when it is gone. */
export async function lockLiveProject(trx: Db, projectId: string): Promise<Selectable<ProjectsTable> | undefined> {
  let q = trx.selectFrom('projects').selectAll().where('id', '=', projectId);
  if (engineOf(trx) === 'postgres') q = q.forShare();
  const row = await q.executeTakeFirst();
  return row && row.deleted_at === null ? row : undefined;
}

/**
 * The environment of that project, locked until the transaction ends: `share` for a key bound to it,
 * `update` for its delete, which must see every key committed before it. Undefined when it is gone.
 */
export async function lockEnvironment(trx: Db, projectId: string, envId: string, mode: 'share' | 'update'): Promise<Selectable<EnvironmentsTable> | undefined> {
  let q = trx.selectFrom('environments').selectAll().where('project_id', '=', projectId).where('id', '=', envId);
  if (engineOf(trx) === 'postgres') q = mode === 'share' ? q.forShare() : q.forUpdate();
  return q.executeTakeFirst();
}

/**
 * The live owner row, locked until the transaction ends on PostgreSQL (SQLite serializes writers): a key written
 * under it cannot outlive a delete that races it. (Here, not in the owner service, so the key service can take it
 * without importing that service.)
 */
export async function lockLiveOwner(trx: Transaction<Database>, engine: 'sqlite' | 'postgres', ownerId: string): Promise<Selectable<OwnersTable> | undefined> {
  let q = trx.selectFrom('owners').selectAll().where('id', '=', ownerId).where('deleted_at', 'is', null);
  if (engine === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}
