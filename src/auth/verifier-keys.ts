// Verifier keys: credentials that may only verify keys (of one project, or of every project). The services in a
// team's request path hold one of these instead of a key that can mint and revoke. Their digests are held in
// memory, like root keys, and reloaded on every node through the change feed when one is created or deleted.
import type { Selectable } from 'kysely';
import type { Clock } from '../util/clock.js';
import { iso } from '../util/instant.js';
import { isKeymintId, newVerifierKeyId } from '../keys/ids.js';
import { mintKey, VERIFIER_PREFIX } from '../keys/material.js';
import { notFound, requireName } from '../service/errors.js';
import type { ProjectService } from '../service/projects.js';
import type { Store } from '../store/db.js';
import { type ChangeSink, writeAudit, writeChange } from '../store/journal.js';
import type { VerifierKeysTable } from '../store/schema.js';
import type { Actor } from './principal.js';

export type VerifierKeyRow = Selectable<VerifierKeysTable>;

/** The v1 shape of a verifier key (never its digest; the plaintext only in the create response). */
export function verifierKeyObject(v: VerifierKeyRow) {
  return { id: v.id, name: v.name, project_id: v.project_id, key_prefix: v.key_prefix, created_at: iso(v.created_at) };
}

export class VerifierKeys {
  /** digest -> who */
  private digests = new Map<string, { id: string; projectId: string | null }>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly feed: ChangeSink,
    private readonly projects: ProjectService,
  ) {}

  async load(): Promise<void> {
    const rows = await this.store.db.selectFrom('verifier_keys').select(['id', 'digest', 'project_id']).where('revoked_at', 'is', null).execute();
    this.digests = new Map(rows.map((r) => [r.digest, { id: r.id, projectId: r.project_id }]));
  }

  /** The verifier key behind a digest, from memory. */
  find(digest: string): { id: string; projectId: string | null } | null {
    return this.digests.get(digest) ?? null;
  }

  async create(name: string, projectId: string | null, actor: Actor): Promise<{ row: VerifierKeyRow; key: string }> {
    requireName('body.name', name);
    if (projectId !== null) await this.projects.get(projectId);
    const minted = mintKey(VERIFIER_PREFIX);
    const now = this.clock.now();
    const row = await this.store.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('verifier_keys')
        .values({ id: newVerifierKeyId(), name, project_id: projectId, digest: minted.digest, key_prefix: minted.displayPrefix, created_at: now, revoked_at: null })
        .returningAll()
        .executeTakeFirstOrThrow();
      await writeChange(trx, now, 'verifier', [row.id]);
      await writeAudit(trx, actor, now, { action: 'verifier_key.created', target: { type: 'verifier_key', id: row.id }, projectId });
      return row;
    });
    await this.feed.catchUp();
    return { row, key: minted.plaintext };
  }

  /** Live verifier keys, newest first. */
  list(): Promise<VerifierKeyRow[]> {
    return this.store.db.selectFrom('verifier_keys').selectAll().where('revoked_at', 'is', null).orderBy('created_at', 'desc').orderBy('id').execute();
  }

  /** Stops it verifying on every node; 404 when unknown or already deleted. */
  async delete(id: string, actor: Actor): Promise<void> {
    if (!isKeymintId(id)) throw notFound(`verifier key ${id}`);
    const now = this.clock.now();
    const found = await this.store.db.transaction().execute(async (trx) => {
      const row = await trx.updateTable('verifier_keys').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).returningAll().executeTakeFirst();
      if (!row) return false;
      await writeChange(trx, now, 'verifier', [row.id]);
      await writeAudit(trx, actor, now, { action: 'verifier_key.deleted', target: { type: 'verifier_key', id }, projectId: row.project_id });
      return true;
    });
    if (!found) throw notFound(`verifier key ${id}`);
    await this.feed.catchUp();
  }
}
