// What every change writes beside itself, in the same transaction: an audit event and a change-feed row.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Actor } from '../auth/principal.js';
import { newEventId } from '../keys/ids.js';
import { engineOf } from './engine.js';
import type { Database } from './schema.js';

export const CHANGES_CHANNEL = 'keymint_changes';

export interface AuditEntry {
  action: string;
  target: { type: string; id: string };
  projectId: string | null;
}

export async function writeAudit(trx: Kysely<Database> | Transaction<Database>, actor: Actor, now: number, e: AuditEntry): Promise<void> {
  const actorType = actor.principal.kind === 'aws' ? 'aws_credential' : actor.principal.kind === 'root' ? 'root_key' : actor.principal.kind === 'verifier' ? 'verifier_key' : actor.principal.kind;
  await trx
    .insertInto('audit_events')
    .values({
      id: newEventId(),
      at: now,
      actor_type: actorType,
      actor_id: actor.principal.id,
      action: e.action,
      target_type: e.target.type,
      target_id: e.target.id,
      project_id: e.projectId,
      ip: actor.ip,
    })
    .execute();
}

/** Applies written changes to this node's cache; services call it after a write commits, so the next request sees it. */
export interface ChangeSink {
  catchUp(): Promise<void>;
}

/** `import`: keys without Keymint's checksum now exist (ref: the project). */
export type ChangeKind = 'key' | 'project' | 'root' | 'owner' | 'verifier' | 'import';

/** Tells every node to drop what it cached for `ref`; PostgreSQL nodes are woken at commit. */
export async function writeChange(trx: Kysely<Database> | Transaction<Database>, now: number, kind: ChangeKind, refs: string[]): Promise<void> {
  if (refs.length === 0) return;
  await trx
    .insertInto('changes')
    .values(refs.map((ref) => ({ at: now, kind, ref })))
    .execute();
  if (engineOf(trx) === 'postgres') await sql`select pg_notify(${CHANGES_CHANNEL}, '')`.execute(trx);
}

export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
