// Owners of keys (Grafana service accounts, v1 identities): one service under both surfaces. Disabling an owner
// stops its keys on every node without revoking them; deleting it revokes them; its role is its keys' role.
import { type Selectable, sql, type Transaction } from 'kysely';
import type { Actor, Principal } from '../auth/principal.js';
import type { Clock } from '../util/clock.js';
import { randomBase62 } from '../keys/base62.js';
import { iso } from '../util/instant.js';
import { isKeymintId } from '../keys/ids.js';
import { checkMeta } from '../keys/meta.js';
import type { Role } from '../keys/roles.js';
import { isStorableText } from '../keys/text.js';
import type { Store } from '../store/db.js';
import { type ChangeSink, isUniqueViolation, writeAudit, writeChange } from '../store/journal.js';
import type { Database, OwnersTable } from '../store/schema.js';
import { KEY_ROW, liveAt } from '../store/api-keys.js';
import type { KeyRatelimit, KeyRow, KeyService } from './api-keys.js';
import { conflict, invalid, notFound, requireName, requireStorableText } from './errors.js';
import type { ProjectService } from './projects.js';

export type OwnerRow = Selectable<OwnersTable>;

/** Grafana's answer to POST /api/serviceaccounts/migrate. */
export interface MigrationResult {
  total: number;
  migrated: number;
  failed: number;
  failedApikeyIDs: number[];
  failedDetails: string[];
}

export const newOwnerId = () => `idn_${randomBase62(20)}`;
export const MAX_EXTERNAL_ID_LENGTH = 255;

export interface CreateOwnerInput {
  project_id: string;
  name: string;
  external_id?: string | null;
  role?: Role;
  is_disabled?: boolean;
  meta?: unknown;
  ratelimit?: KeyRatelimit;
}

export interface UpdateOwnerInput {
  name?: string;
  external_id?: string | null;
  role?: Role;
  is_disabled?: boolean;
  /** null clears it. */
  meta?: unknown;
  ratelimit?: KeyRatelimit;
}

/** The v1 identity object. */
export function identityObject(o: OwnerRow) {
  return {
    id: o.id,
    project_id: o.project_id,
    name: o.name,
    external_id: o.external_id,
    role: o.role,
    is_disabled: o.is_disabled === 1,
    meta: ownerMeta(o),
    ratelimit: o.ratelimit_limit === null ? null : { limit: o.ratelimit_limit, duration_ms: o.ratelimit_duration_ms! },
    created_at: iso(o.created_at),
    updated_at: iso(o.updated_at),
  };
}

/** The parsed meta object of an owner, or null. */
export const ownerMeta = (o: { meta: string | null }): Record<string, unknown> | null => (o.meta === null ? null : JSON.parse(o.meta));

function checkExternalId(value: string | null | undefined, location: string): void {
  if (value == null) return;
  requireStorableText(location, value);
  const n = [...value].length;
  if (n < 1 || n > MAX_EXTERNAL_ID_LENGTH) throw invalid(location, `external_id must be 1 to ${MAX_EXTERNAL_ID_LENGTH} characters (it has ${n})`);
}

function metaText(value: unknown, location: string): string | null {
  if (value === null || value === undefined) return null;
  const problem = checkMeta(value);
  if (problem) throw invalid(location, problem);
  return JSON.stringify(value);
}

export class OwnerService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly feed: ChangeSink,
    private readonly projects: ProjectService,
    private readonly keys: KeyService,
  ) {}

  private get db() {
    return this.store.db;
  }

  private duplicate(e: unknown, name: string, externalId: string | null | undefined): Error {
    const message = String((e as Error).message ?? '');
    if (externalId != null && /external_id/.test(message)) {
      return conflict(`an identity with external_id ${JSON.stringify(externalId)} already exists in this project`);
    }
    return conflict(`an owner named ${JSON.stringify(name)} already exists in this project: choose another name`);
  }

  async create(principal: Principal, input: CreateOwnerInput, actor: Actor): Promise<OwnerRow> {
    const role = input.role ?? 'None';
    this.keys.requireGrant(principal, input.project_id, role);
    requireName('body.name', input.name);
    checkExternalId(input.external_id, 'body.external_id');
    const meta = metaText(input.meta, 'body.meta');
    await this.projects.get(input.project_id);
    const now = this.clock.now();
    try {
      return await this.db.transaction().execute((trx) =>
        this.insert(trx, {
          project_id: input.project_id,
          name: input.name,
          external_id: input.external_id ?? null,
          role,
          is_disabled: input.is_disabled ? 1 : 0,
          meta,
          ratelimit: input.ratelimit ?? null,
          now,
          actor,
        }),
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw this.duplicate(e, input.name, input.external_id);
      throw e;
    }
  }

  private async insert(
    trx: Transaction<Database>,
    v: { project_id: string; name: string; external_id: string | null; role: Role; is_disabled: number; meta: string | null; ratelimit: KeyRatelimit; now: number; actor: Actor },
  ): Promise<OwnerRow> {
    const row = await trx
      .insertInto('owners')
      .values({
        id: newOwnerId(),
        project_id: v.project_id,
        name: v.name,
        external_id: v.external_id,
        role: v.role,
        is_disabled: v.is_disabled,
        meta: v.meta,
        ratelimit_limit: v.ratelimit?.limit ?? null,
        ratelimit_duration_ms: v.ratelimit?.duration_ms ?? null,
        created_at: v.now,
        updated_at: v.now,
        deleted_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, v.actor, v.now, { action: 'identity.created', target: { type: 'identity', id: row.id }, projectId: row.project_id });
    return row;
  }

  /** An owner the principal may manage, or 404. */
  async getManaged(principal: Principal, id: string): Promise<OwnerRow> {
    if (!isKeymintId(id)) throw notFound(`identity ${id}`);
    const row = await this.db.selectFrom('owners').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!row) throw notFound(`identity ${id}`);
    try {
      this.keys.requireManager(principal, row.project_id);
    } catch (e) {
      if ((e as { kind?: string }).kind === 'not_found') throw notFound(`identity ${id}`);
      throw e;
    }
    return row;
  }

  /** By the Grafana id, inside one organization. */
  findByNumId(projectId: string, numId: number): Promise<OwnerRow | undefined> {
    return this.db.selectFrom('owners').selectAll().where('project_id', '=', projectId).where('num_id', '=', numId).where('deleted_at', 'is', null).executeTakeFirst();
  }

  /** Newest first (v1 listing); `before` continues below a num_id. */
  async list(principal: Principal, q: { project_id: string; external_id?: string; limit: number; before?: number }): Promise<OwnerRow[]> {
    this.keys.requireManager(principal, q.project_id);
    await this.projects.get(q.project_id);
    let query = this.db.selectFrom('owners').selectAll().where('project_id', '=', q.project_id).where('deleted_at', 'is', null);
    if (q.external_id !== undefined) {
      if (!isStorableText(q.external_id)) return [];
      query = query.where('external_id', '=', q.external_id);
    }
    if (q.before !== undefined) query = query.where('num_id', '<', q.before);
    return query.orderBy('num_id', 'desc').limit(q.limit).execute();
  }

  /** Grafana's search: by name (case-insensitive substring), optionally only disabled ones; one page and the total. */
  async search(projectId: string, q: { query: string; onlyDisabled: boolean; limit: number; offset: number }): Promise<{ rows: OwnerRow[]; total: number }> {
    let query = this.db.selectFrom('owners').where('project_id', '=', projectId).where('deleted_at', 'is', null);
    if (q.query !== '' && isStorableText(q.query)) {
      const pattern = `%${q.query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where(sql<boolean>`lower(name) like ${pattern} escape '\\'`);
    }
    if (q.onlyDisabled) query = query.where('is_disabled', '=', 1);
    const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const byName = this.store.engine === 'postgres' ? sql`name collate "C"` : sql`name`;
    const rows = await query.selectAll().orderBy(byName).orderBy('num_id').limit(q.limit).offset(q.offset).execute();
    return { rows, total: Number(total.n) };
  }

  /** Live keys (tokens) per owner. */
  async tokenCounts(ownerIds: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>(ownerIds.map((id) => [id, 0]));
    if (ownerIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('api_keys')
      .select(['owner_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('owner_id', 'in', ownerIds)
      .where('pending', '=', 0)
      .where('revoked_at', 'is', null)
      .where('replaced_by_key_id', 'is', null)
      .groupBy('owner_id')
      .execute();
    for (const r of rows) out.set(r.owner_id!, Number(r.n));
    return out;
  }

  /** The owner's live keys (its Grafana tokens), oldest first. */
  keysOf(ownerId: string): Promise<KeyRow[]> {
    return this.db
      .selectFrom('api_keys')
      .select(KEY_ROW)
      .where('owner_id', '=', ownerId)
      .where('pending', '=', 0)
      .where(liveAt(this.clock.now()))
      .where('replaced_by_key_id', 'is', null)
      .orderBy('num_id')
      .execute();
  }

  async update(principal: Principal, id: string, patch: UpdateOwnerInput, actor: Actor): Promise<OwnerRow> {
    const current = await this.getManaged(principal, id);
    if (patch.role !== undefined) this.keys.requireGrant(principal, current.project_id, patch.role);
    if (patch.name !== undefined) requireName('body.name', patch.name);
    checkExternalId(patch.external_id, 'body.external_id');
    const set: Partial<OwnerRow> = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.external_id !== undefined) set.external_id = patch.external_id;
    if (patch.role !== undefined) set.role = patch.role;
    if (patch.is_disabled !== undefined) set.is_disabled = patch.is_disabled ? 1 : 0;
    if (patch.meta !== undefined) set.meta = metaText(patch.meta, 'body.meta');
    if (patch.ratelimit !== undefined) {
      set.ratelimit_limit = patch.ratelimit?.limit ?? null;
      set.ratelimit_duration_ms = patch.ratelimit?.duration_ms ?? null;
    }
    if (Object.keys(set).length === 0) return current;
    const now = this.clock.now();
    set.updated_at = now;
    try {
      const row = await this.db.transaction().execute(async (trx) => {
        const row = await trx.updateTable('owners').set(set).where('id', '=', id).where('deleted_at', 'is', null).returningAll().executeTakeFirst();
        if (!row) throw notFound(`identity ${id}`);
        // A key acts with its owner's role, on every surface.
        if (set.role !== undefined) await trx.updateTable('api_keys').set({ role: set.role }).where('owner_id', '=', id).where('revoked_at', 'is', null).execute();
        await writeChange(trx, now, 'owner', [id]);
        await writeAudit(trx, actor, now, { action: 'identity.updated', target: { type: 'identity', id }, projectId: row.project_id });
        return row;
      });
      await this.feed.catchUp();
      return row;
    } catch (e) {
      if (isUniqueViolation(e)) throw this.duplicate(e, patch.name ?? current.name, patch.external_id);
      throw e;
    }
  }

  /** Deletes the owner and revokes its keys, in one transaction. */
  async delete(principal: Principal, id: string, actor: Actor): Promise<void> {
    const current = await this.getManaged(principal, id);
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const res = await trx.updateTable('owners').set({ deleted_at: now, updated_at: now }).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) throw notFound(`identity ${id}`);
      const revoked = await trx.updateTable('api_keys').set({ revoked_at: now }).where('owner_id', '=', id).where('revoked_at', 'is', null).returning('id').execute();
      for (const k of revoked) await this.keys.onRetired?.(trx, k.id, now);
      await writeChange(trx, now, 'owner', [id]);
      await writeAudit(trx, actor, now, { action: 'identity.deleted', target: { type: 'identity', id }, projectId: current.project_id });
    });
    await this.feed.catchUp();
  }

  /**
   * Grafana's API key migration for one key: a new service account named `sa-autogen-<key name>` with the key's
   * role, and the key (unchanged: same plaintext, same id) becomes its token. Null when it was done; else why not
   * (the key stays an API key).
   */
  async adoptKey(key: KeyRow, orgId: number, actor: Actor): Promise<string | null> {
    const now = this.clock.now();
    const name = `sa-autogen-${key.name}`;
    if ([...name].length > 255) return `service account name ${JSON.stringify(name.slice(0, 40))}... would be longer than 255 characters`;
    try {
      await this.db.transaction().execute(async (trx) => {
        const owner = await this.insert(trx, { project_id: key.project_id, name, external_id: null, role: key.role as Role, is_disabled: 0, meta: null, ratelimit: null, now, actor });
        const moved = await trx
          .updateTable('api_keys')
          .set({ owner_id: owner.id })
          .where('id', '=', key.id)
          .where('owner_id', 'is', null)
          .where('revoked_at', 'is', null)
          .where('replaced_by_key_id', 'is', null)
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) === 0) throw conflict('the key was revoked, rotated or migrated meanwhile');
        await writeChange(trx, now, 'key', [key.digest]);
        await writeAudit(trx, actor, now, { action: 'api_key.migrated', target: { type: 'api_key', id: key.id }, projectId: key.project_id });
      });
    } catch (e) {
      if (isUniqueViolation(e)) return `a service account named ${JSON.stringify(name)} already exists in organization ${orgId}`;
      if ((e as { kind?: string }).kind === 'conflict') return (e as Error).message;
      throw e;
    }
    await this.feed.catchUp();
    return null;
  }

  /** Grafana's migration of every API key of an organization; a key that fails stays an API key and is listed. */
  async migrateAll(projectId: string, orgId: number, actor: Actor): Promise<MigrationResult> {
    const keys = await this.migratableKeys(projectId);
    const result: MigrationResult = { total: keys.length, migrated: 0, failed: 0, failedApikeyIDs: [], failedDetails: [] };
    for (const key of keys) {
      const failure = await this.adoptKey(key, orgId, actor);
      if (failure === null) result.migrated++;
      else {
        result.failed++;
        result.failedApikeyIDs.push(key.num_id);
        result.failedDetails.push(`API key ${key.num_id} (${key.name}): ${failure}`);
      }
    }
    return result;
  }

  /** The API keys Grafana would migrate: live, without an owner, expired ones included. */
  migratableKeys(projectId: string): Promise<KeyRow[]> {
    return this.db
      .selectFrom('api_keys')
      .select(KEY_ROW)
      .where('project_id', '=', projectId)
      .where('owner_id', 'is', null)
      .where('pending', '=', 0)
      .where('revoked_at', 'is', null)
      .where('replaced_by_key_id', 'is', null)
      .orderBy('num_id')
      .execute();
  }
}
