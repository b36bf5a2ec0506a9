// Projects (tenants) and their environments. Root only: the surfaces check that before calling.
import type { Selectable, Transaction } from 'kysely';
import type { Actor } from '../auth/principal.js';
import type { Clock } from '../util/clock.js';
import { isKeymintId, newEnvironmentId, newProjectId, newWorkspaceId } from '../keys/ids.js';
import { DEFAULT_PREFIX, isValidPrefix, ROOT_PREFIX } from '../keys/material.js';
import type { Store } from '../store/db.js';
import { type ChangeSink, isUniqueViolation, writeAudit, writeChange } from '../store/journal.js';
import * as keyRows from '../store/api-keys.js';
import { lockEnvironment, lockLiveProject } from '../store/parents.js';
import type { Database, EnvironmentsTable, ProjectsTable } from '../store/schema.js';
import { conflict, invalid, notFound, requireName } from './errors.js';

export type ProjectRow = Selectable<ProjectsTable>;
export type EnvironmentRow = Selectable<EnvironmentsTable>;

export class ProjectService {
  /** Told, inside the delete's transaction, that a project is gone (its pending rotation webhooks are cancelled). */
  onDeleted: ((trx: Transaction<Database>, projectId: string, now: number) => Promise<void>) | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly feed: ChangeSink,
  ) {}

  private get db() {
    return this.store.db;
  }

  async create(name: string, actor: Actor): Promise<ProjectRow> {
    requireName('body.name', name);
    const now = this.clock.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.transaction().execute(async (trx) => {
          const row = await trx
            .insertInto('projects')
            .values({ id: newProjectId(), name, workspace_id: newWorkspaceId(), created_at: now, deleted_at: null })
            .returningAll()
            .executeTakeFirstOrThrow();
          await writeAudit(trx, actor, now, { action: 'project.created', target: { type: 'project', id: row.id }, projectId: row.id });
          return row;
        });
      } catch (e) {
        // A workspace id is 40 random bits: retry the rare collision.
        if (!isUniqueViolation(e) || attempt >= 3) throw e;
      }
    }
  }

  list(): Promise<ProjectRow[]> {
    return this.db.selectFrom('projects').selectAll().where('deleted_at', 'is', null).orderBy('org_id').execute();
  }

  /** `includeDeleted`: a deleted project's history (its audit events) stays readable by root. */
  async get(id: string, includeDeleted = false): Promise<ProjectRow> {
    if (!isKeymintId(id)) throw notFound(`project ${id}`);
    let query = this.db.selectFrom('projects').selectAll().where('id', '=', id);
    if (!includeDeleted) query = query.where('deleted_at', 'is', null);
    const row = await query.executeTakeFirst();
    if (!row) throw notFound(`project ${id}`);
    return row;
  }

  findByOrgId(orgId: number): Promise<ProjectRow | undefined> {
    return this.db.selectFrom('projects').selectAll().where('org_id', '=', orgId).where('deleted_at', 'is', null).executeTakeFirst();
  }

  findByWorkspaceId(workspaceId: string): Promise<ProjectRow | undefined> {
    return this.db.selectFrom('projects').selectAll().where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null).executeTakeFirst();
  }

  /** Soft delete: the project disappears and every key of it is revoked in the same transaction. */
  async delete(id: string, actor: Actor): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      // The UPDATE locks the project row: it waits for every key write holding the project (see store/parents.ts),
      // and the revoke below, a later statement, sees the keys they committed.
      const res = await trx.updateTable('projects').set({ deleted_at: now }).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) throw notFound(`project ${id}`);
      await keyRows.revokeAllOfProject(trx, id, now);
      await this.onDeleted?.(trx, id, now);
      await writeChange(trx, now, 'project', [id]);
      await writeAudit(trx, actor, now, { action: 'project.deleted', target: { type: 'project', id }, projectId: id });
    });
    await this.feed.catchUp();
  }

  async createEnvironment(projectId: string, input: { name: string; key_prefix?: string | null }, actor: Actor): Promise<EnvironmentRow> {
    requireName('body.name', input.name);
    await this.get(projectId);
    const prefix = input.key_prefix ?? null;
    if (prefix !== null && (!isValidPrefix(prefix) || prefix === ROOT_PREFIX)) {
      throw invalid('body.key_prefix', `key_prefix must be letters and digits in groups joined by "_", starting with a letter, at most 32 characters (for example ${DEFAULT_PREFIX}_live), and not ${ROOT_PREFIX}`);
    }
    const now = this.clock.now();
    try {
      return await this.db.transaction().execute(async (trx) => {
        if (!(await lockLiveProject(trx, projectId))) throw notFound(`project ${projectId}`);
        const row = await trx
          .insertInto('environments')
          .values({ id: newEnvironmentId(), project_id: projectId, name: input.name, key_prefix: prefix, created_at: now })
          .returningAll()
          .executeTakeFirstOrThrow();
        await writeAudit(trx, actor, now, { action: 'environment.created', target: { type: 'environment', id: row.id }, projectId });
        return row;
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict(`project ${projectId} already has an environment named ${JSON.stringify(input.name)}: choose another name`, 'environment_name_taken');
      throw e;
    }
  }

  async listEnvironments(projectId: string): Promise<EnvironmentRow[]> {
    await this.get(projectId);
    return this.db.selectFrom('environments').selectAll().where('project_id', '=', projectId).orderBy('created_at').orderBy('name').execute();
  }

  findEnvironment(projectId: string, envId: string): Promise<EnvironmentRow | undefined> {
    return this.db.selectFrom('environments').selectAll().where('project_id', '=', projectId).where('id', '=', envId).executeTakeFirst();
  }

  /** Refused while live keys are bound to the environment: revoke or move them first. */
  async deleteEnvironment(projectId: string, envId: string, actor: Actor): Promise<void> {
    await this.get(projectId);
    if (!(await this.findEnvironment(projectId, envId))) throw notFound(`environment ${envId}`);
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      // Both locks in the order a key's create takes them; the environment's waits for every create binding a key to it,
      // so the check below sees their keys, and a create that comes after finds the environment gone.
      if (!(await lockLiveProject(trx, projectId))) throw notFound(`project ${projectId}`);
      if (!(await lockEnvironment(trx, projectId, envId, 'update'))) throw notFound(`environment ${envId}`);
      const bound = await keyRows.findLiveInEnvironment(trx, envId, now);
      if (bound) throw conflict(`environment ${envId} still has live keys (for example ${bound.id}): revoke them first`, 'environment_in_use');
      const res = await trx.deleteFrom('environments').where('project_id', '=', projectId).where('id', '=', envId).executeTakeFirst();
      if (Number(res.numDeletedRows) === 0) throw notFound(`environment ${envId}`);
      await writeAudit(trx, actor, now, { action: 'environment.deleted', target: { type: 'environment', id: envId }, projectId });
    });
  }
}
