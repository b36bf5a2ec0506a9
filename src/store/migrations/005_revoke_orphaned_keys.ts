// Repairs what the race of issue 10 left behind: keys created while their project or environment was being
// deleted, which stayed live (they verified) under a deleted parent that no management call could reach.
// Each is revoked with an audit event whose actor is `system`, and a change-feed row so running nodes
// drop it from their caches; the count goes to the log. Forward-only; on a clean store it changes and logs nothing.
import { type Kysely, sql } from 'kysely';
import { newEventId } from '../../keys/ids.js';
import { noteFromMigration } from '../migration-notes.js';

const CHUNK = 500;

export async function up(db: Kysely<any>): Promise<void> {
  const now = Date.now();
  // Live: not revoked, and not rotated out (a replaced key in its grace still verifies). Waiting successors too.
  const orphans: { id: string; digest: string; project_id: string; why: string }[] = await db
    .selectFrom('api_keys as k')
    .select(['k.id', 'k.digest', 'k.project_id'])
    .select((eb) =>
      eb
        .case()
        .when(eb.exists(eb.selectFrom('projects as p').select('p.id').whereRef('p.id', '=', 'k.project_id').where('p.deleted_at', 'is not', null)))
        .then(sql.lit('project'))
        .else(sql.lit('environment'))
        .end()
        .as('why'),
    )
    .where('k.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('k.replaced_by_key_id', 'is', null), eb('k.grace_expires_at', '>', now)]))
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('projects as p').select('p.id').whereRef('p.id', '=', 'k.project_id').where('p.deleted_at', 'is not', null)),
        eb.and([
          eb('k.environment_id', 'is not', null),
          eb.not(eb.exists(eb.selectFrom('environments as e').select('e.id').whereRef('e.id', '=', 'k.environment_id').whereRef('e.project_id', '=', 'k.project_id'))),
        ]),
      ]),
    )
    .orderBy('k.num_id')
    .execute();

  for (let i = 0; i < orphans.length; i += CHUNK) {
    const chunk = orphans.slice(i, i + CHUNK);
    const ids = chunk.map((k) => k.id);
    await db.updateTable('api_keys').set({ revoked_at: now }).where('id', 'in', ids).where('revoked_at', 'is', null).execute();
    // Their pending rotation webhooks fall due now, so the worker cancels them and erases the successors' plaintext.
    await db.updateTable('rotation_outbox').set({ next_attempt_at: now }).where('old_key_id', 'in', ids).where('status', '=', 'pending').execute();
    await db
      .insertInto('audit_events')
      .values(
        chunk.map((k) => ({
          id: newEventId(),
          at: now,
          actor_type: 'system',
          actor_id: 'keymint',
          action: 'api_key.revoked',
          target_type: 'api_key',
          target_id: k.id,
          project_id: k.project_id,
          ip: null,
        })),
      )
      .execute();
    await db
      .insertInto('changes')
      .values(chunk.map((k) => ({ at: now, kind: 'key', ref: k.digest })))
      .execute();
  }
  // A store the race never touched (every new one) has nothing to report.
  if (orphans.length === 0) return;
  const underProjects = orphans.filter((k) => k.why === 'project').length;
  noteFromMigration(
    `migration 005: revoked ${orphans.length} live key(s) left under deleted parents (${underProjects} under a deleted project, ${orphans.length - underProjects} bound to a deleted environment)`,
  );
}

export async function down(): Promise<void> {
  throw new Error('Keymint migrations are forward-only');
}
