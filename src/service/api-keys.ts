// The one key service every surface calls: create, list, get, update, revoke, rotate.
import { randomBytes } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { type Actor, type Principal, roleIn } from '../auth/principal.js';
import type { Clock } from '../util/clock.js';
import { iso } from '../util/instant.js';
import type { Sealer } from '../crypto/seal.js';
import { isKeymintId, newKeyId } from '../keys/ids.js';
import { DEFAULT_PREFIX, mintKey } from '../keys/material.js';
import { canGrant, type Role } from '../keys/roles.js';
import { nextRotationAt, successorPrefix } from '../keys/rotation.js';
import { keyStatus } from '../keys/state.js';
import * as keyRows from '../store/api-keys.js';
import type { KeyRow, NewKeyRow } from '../store/api-keys.js';
import type { Store } from '../store/db.js';
import { type ChangeSink, isUniqueViolation, writeAudit, writeChange } from '../store/journal.js';
import { lockEnvironment, lockLiveOwner, lockLiveProject } from '../store/parents.js';
import type { Database } from '../store/schema.js';
import { conflict, forbidden, invalid, notFound, requireName, requireStorableText } from './errors.js';
import type { KeyFilters, KeySort } from '../store/key-filters.js';
import { allowlistColumn, creditViews, type CreditsView, type KeyExtrasInput, metaColumn, newPool, type PoolInsert, poolColumns } from './key-extras.js';
import type { ProjectService } from './projects.js';
import type { Credits } from '../verify/credits.js';

export type { KeyRow } from '../store/api-keys.js';

export const MAX_DAYS = 36_500;
export const MAX_GRACE_MINUTES = 10_080;
export const DEFAULT_GRACE_MINUTES = 60;

/** At most `limit` verifications per `duration_ms`; null means no limit. */
export type KeyRatelimit = { limit: number; duration_ms: number } | null;

const ratelimitColumns = (r: KeyRatelimit) => ({ ratelimit_limit: r?.limit ?? null, ratelimit_duration_ms: r?.duration_ms ?? null });

export interface CreateKeyInput extends KeyExtrasInput {
  project_id: string;
  name: string;
  scopes?: string[];
  role?: Role;
  environment_id?: string | null;
  expires_at?: number | null;
  rotation_interval_days?: number | null;
  rotation_webhook_url?: string | null;
  rotation_grace_minutes?: number | null;
  ratelimit?: KeyRatelimit;
  /** The owner (identity, service account) the key belongs to: it takes the owner's role. */
  owner_id?: string | null;
}

export interface UpdateKeyInput extends KeyExtrasInput {
  name?: string;
  scopes?: string[];
  role?: Role;
  expires_at?: number | null;
  rotation_interval_days?: number | null;
  rotation_webhook_url?: string | null;
  rotation_grace_minutes?: number | null;
  /** null clears the limit. */
  ratelimit?: KeyRatelimit;
  /** Moves the key to this owner (it takes the owner's role); null detaches it. */
  owner_id?: string | null;
}

export interface ListKeysQuery {
  project_id: string;
  environment_id?: string;
  include_revoked?: boolean;
  limit: number;
  /** num_id to continue below (newest first). */
  before?: number;
  /** Search and filters; a `status` filter decides by itself which revoked or rotated keys show. */
  filters?: KeyFilters;
  /** Another order than newest first: pages are then by `offset`. */
  sort?: { by: KeySort; order: 'asc' | 'desc'; offset: number };
}

function listQuery(q: ListKeysQuery): keyRows.ListQuery {
  const { project_id: projectId, environment_id: environmentId, include_revoked: includeRevoked = false, limit, before, filters, sort } = q;
  return { projectId, environmentId, includeRevoked, limit, before, filters, sort };
}

export interface KeyServiceOptions {
  webhookAllowPrivate: boolean;
}

/** The Standard Webhooks signing secret of a key's rotation webhook: shown once, sealed at rest. */
const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** Project keys below Admin may only be verified, not manage or verify keys themselves; `doing` words the refusal. */
export function refuseLesserKeys(principal: Principal, doing = 'managing keys'): void {
  if (principal.kind === 'api_key' && principal.role !== 'Admin') {
    throw forbidden(`this key has role ${principal.role}; ${doing} needs an Admin key or the root key`);
  }
}

/** Runs inside a manual rotation's transaction (the rotation webhook outbox owes its notice). */
export type RotatedHook = (trx: Transaction<Database>, old: KeyRow, next: KeyRow, plaintext: string, now: number) => Promise<void>;

/** Told, inside the transaction, that a key stopped being live by hand (revoked or rotated). */
export type RetiredHook = (trx: Transaction<Database>, keyId: string, now: number) => Promise<void>;

export class KeyService {
  onRotated: RotatedHook | null = null;
  onRetired: RetiredHook | null = null;
  /** Where verification spends credits (Redis or the store): asked for the count a key object shows. */
  credits: Credits | null = null;
  /** Told the digest of each key minted on this node, after commit (a locked address may still use a new key). */
  onMinted: ((digest: string) => void) | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly feed: ChangeSink,
    private readonly projects: ProjectService,
    private readonly sealer: Sealer,
    private readonly options: KeyServiceOptions,
  ) {}

  private get db() {
    return this.store.db;
  }

  /** Root, an AWS pair or an Admin key of the project; other projects are invisible (404), lesser roles refused (403). */
  requireManager(principal: Principal, projectId: string): Role {
    refuseLesserKeys(principal);
    const role = roleIn(principal, projectId);
    if (role === null) throw notFound(`project ${projectId}`);
    return role;
  }

  /**
   * Reading a project's key states or reporting its usage, as a local verifier does: the managers of requireManager,
   * and a verifier key of that project (or of every project). Another project is 404, as for an Admin key.
   */
  requireVerifierOrManager(principal: Principal, projectId: string): void {
    if (principal.kind !== 'verifier') return void this.requireManager(principal, projectId);
    if (principal.projectId !== null && principal.projectId !== projectId) throw notFound(`project ${projectId}`);
  }

  /** The caller's role in the project, refusing a role above it: the one role cap of every surface. */
  requireGrant(principal: Principal, projectId: string, role: Role): Role {
    const callerRole = this.requireManager(principal, projectId);
    if (!canGrant(callerRole, role)) throw forbidden(`cannot grant role ${role}, which is above the caller's role ${callerRole}`);
    return callerRole;
  }

  checkWebhookUrl(url: string, location: string): void {
    // URL() would quietly percent-encode them; stored as sent they break PostgreSQL text (NUL) and log lines.
    if (/[\u0000-\u001f\u007f]/.test(url)) throw invalid(location, 'rotation_webhook_url must not contain control characters');
    requireStorableText(location, url);
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw invalid(location, 'rotation_webhook_url must be an absolute URL, for example https://example.com/hooks/keymint');
    }
    const allowed = this.options.webhookAllowPrivate ? ['https:', 'http:'] : ['https:'];
    if (!allowed.includes(u.protocol)) {
      throw invalid(location, 'rotation_webhook_url must use https (http only when KEYMINT_WEBHOOK_ALLOW_PRIVATE=true)');
    }
  }

  private async checkRotationPolicy(interval: number | null, url: string | null): Promise<void> {
    if (interval !== null && url === null) {
      throw invalid('body.rotation_webhook_url', 'rotation_interval_days needs rotation_webhook_url: the webhook is how the new key reaches you');
    }
    if (url !== null) this.checkWebhookUrl(url, 'body.rotation_webhook_url');
  }

  async create(principal: Principal, input: CreateKeyInput, actor: Actor): Promise<{ row: KeyRow; key: string; webhookSecret: string | null }> {
    const ownerId = input.owner_id ?? null;
    const role = ownerId !== null ? await this.ownerRole(principal, input.project_id, ownerId, input.role) : (input.role ?? 'None');
    this.requireGrant(principal, input.project_id, role);
    requireName('body.name', input.name);
    await this.projects.get(input.project_id);
    const now = this.clock.now();
    if (input.expires_at != null && input.expires_at <= now) throw invalid('body.expires_at', 'expires_at must be in the future');
    const interval = input.rotation_interval_days ?? null;
    const url = input.rotation_webhook_url ?? null;
    await this.checkRotationPolicy(interval, url);

    const envId = input.environment_id ?? null;
    if (envId !== null && !(await this.projects.findEnvironment(input.project_id, envId))) throw this.noEnvironment(input.project_id, envId);
    const webhookSecret = url !== null ? newWebhookSecret() : null;
    const meta = metaColumn(input.meta ?? null);
    const allowlist = allowlistColumn(input.ip_allowlist ?? null);
    const pool = input.credits ? newPool(input.credits, now) : null;
    let plaintext = '';
    try {
      const row = await this.db.transaction().execute(async (trx) => {
        // Checked again under lock: a project or environment deleted since the checks above takes this write with it.
        if (!(await lockLiveProject(trx, input.project_id))) throw notFound(`project ${input.project_id}`);
        if (ownerId !== null) await this.requireLiveOwner(trx, ownerId);
        let prefix = DEFAULT_PREFIX;
        if (envId !== null) {
          const env = await lockEnvironment(trx, input.project_id, envId, 'share');
          if (!env) throw this.noEnvironment(input.project_id, envId);
          prefix = env.key_prefix ?? DEFAULT_PREFIX;
        }
        const minted = mintKey(prefix);
        plaintext = minted.plaintext;
        const values: NewKeyRow = {
          id: newKeyId(),
          project_id: input.project_id,
          environment_id: envId,
          name: input.name,
          key_prefix: minted.displayPrefix,
          digest: minted.digest,
          role,
          scopes: JSON.stringify(input.scopes ?? []),
          expires_at: input.expires_at ?? null,
          created_at: now,
          revoked_at: null,
          replaced_by_key_id: null,
          grace_expires_at: null,
          rotation_interval_days: interval,
          next_rotation_at: nextRotationAt(now, interval),
          rotation_webhook_url: url,
          rotation_grace_minutes: input.rotation_grace_minutes ?? null,
          webhook_secret_enc: webhookSecret !== null ? this.sealer.seal(webhookSecret) : null,
          ...ratelimitColumns(input.ratelimit ?? null),
          meta,
          ip_allowlist: allowlist,
          credit_pool_id: pool?.id ?? null,
          owner_id: ownerId,
        };
        if (pool) await trx.insertInto('credit_pools').values(pool).execute();
        const row = await keyRows.insert(trx, values);
        await writeChange(trx, now, 'key', [row.digest]);
        await writeAudit(trx, actor, now, { action: 'api_key.created', target: { type: 'api_key', id: row.id }, projectId: row.project_id });
        return row;
      });
      await this.feed.catchUp();
      this.onMinted?.(row.digest);
      return { row, key: plaintext, webhookSecret };
    } catch (e) {
      if (isUniqueViolation(e)) throw await this.duplicateName(input.project_id, input.name);
      throw e;
    }
  }

  /**
   * The role a key of this owner takes: the owner's. An explicit other role is refused, so nobody is surprised.
   * The owner must be live and in the key's project.
   */
  private async ownerRole(principal: Principal, projectId: string, ownerId: string, requested: Role | undefined): Promise<Role> {
    this.requireManager(principal, projectId);
    const owner = isKeymintId(ownerId)
      ? await this.db.selectFrom('owners').select(['role', 'project_id']).where('id', '=', ownerId).where('deleted_at', 'is', null).executeTakeFirst()
      : undefined;
    if (!owner || owner.project_id !== projectId) throw invalid('body.identity_id', `identity ${ownerId} does not exist in project ${projectId}`);
    if (requested !== undefined && requested !== owner.role) {
      throw invalid('body.role', `a key of identity ${ownerId} takes the identity's role (${owner.role}): leave role out, or change the identity's role`);
    }
    return owner.role;
  }

  /** Locks the owner row for the rest of the transaction; refuses when it was deleted meanwhile. */
  private async requireLiveOwner(trx: Transaction<Database>, ownerId: string): Promise<void> {
    if (!(await lockLiveOwner(trx, this.store.engine, ownerId))) throw conflict(`identity ${ownerId} was deleted: its keys are revoked, so no key can be added to it`);
  }

  private noEnvironment(projectId: string, envId: string) {
    return invalid('body.environment_id', `environment ${envId} does not exist in project ${projectId}`);
  }

  /** The name is held: say whether by a live key or by one that has expired (expired keys keep their names). */
  private async duplicateName(projectId: string, name: string) {
    const holder = await this.findLiveByName(projectId, name).catch(() => undefined);
    const n = JSON.stringify(name);
    if (holder && holder.expires_at !== null && holder.expires_at <= this.clock.now()) {
      return conflict(
        `a key named ${n} (${holder.id}) expired at ${iso(holder.expires_at)} but still holds the name: revoke it to free the name, or choose another name`,
        'name_taken',
      );
    }
    return conflict(`a live key named ${n}${holder ? ` (${holder.id})` : ''} already exists in this project: choose another name, or revoke that key first`, 'name_taken');
  }

  /** A key the principal may manage, or 404. */
  async getManaged(principal: Principal, id: string): Promise<KeyRow> {
    refuseLesserKeys(principal);
    if (!isKeymintId(id)) throw notFound(`api key ${id}`);
    // A deleted project's keys are gone for every caller, root included.
    const row = await keyRows.findVisible(this.db, id);
    if (!row || roleIn(principal, row.project_id) === null) throw notFound(`api key ${id}`);
    return row;
  }

  findById(id: string): Promise<KeyRow | undefined> {
    return keyRows.findById(this.db, id);
  }

  /** The live (not revoked, not replaced) key of that name in the project. */
  findLiveByName(projectId: string, name: string): Promise<KeyRow | undefined> {
    return keyRows.findLiveByName(this.db, projectId, name);
  }

  async list(principal: Principal, q: ListKeysQuery): Promise<KeyRow[]> {
    this.requireManager(principal, q.project_id);
    await this.projects.get(q.project_id);
    return keyRows.list(this.db, this.clock.now(), listQuery(q));
  }

  /** How many keys the listing `q` has in all pages (the dashboard's "of N"). */
  async count(principal: Principal, q: ListKeysQuery): Promise<number> {
    this.requireManager(principal, q.project_id);
    return keyRows.count(this.db, this.clock.now(), listQuery(q));
  }

  /** Live keys without an owner by name (byte order on both engines), expired ones only when asked: Grafana's API key listing. */
  async listByName(principal: Principal, projectId: string, q: { includeExpired: boolean; limit: number }): Promise<KeyRow[]> {
    this.requireManager(principal, projectId);
    await this.projects.get(projectId);
    return keyRows.listByName(this.db, this.clock.now(), { projectId, ...q });
  }

  /** `webhookSecret`: the new signing secret when this patch gave the key its first webhook (shown once, as on create). */
  async update(principal: Principal, id: string, patch: UpdateKeyInput, actor: Actor): Promise<{ row: KeyRow; webhookSecret: string | null }> {
    const current = await this.getManaged(principal, id);
    if (current.revoked_at !== null) throw conflict(`api key ${id} is revoked and cannot be changed`, 'key_revoked');
    let role = patch.role;
    if (patch.owner_id != null) role = await this.ownerRole(principal, current.project_id, patch.owner_id, patch.role);
    else if (patch.owner_id === undefined && current.owner_id !== null && patch.role !== undefined && patch.role !== current.role) {
      throw invalid('body.role', `this key takes the role of its identity ${current.owner_id} (${current.role}): change the identity's role, or detach the key with identity_id null`);
    }
    if (role !== undefined) this.requireGrant(principal, current.project_id, role);
    if (patch.name !== undefined) requireName('body.name', patch.name);
    const now = this.clock.now();
    if (patch.expires_at != null && patch.expires_at <= now) throw invalid('body.expires_at', 'expires_at must be in the future, or null for no expiry');
    // A replaced key only lives out its grace period; its policy now belongs to the successor.
    if (current.replaced_by_key_id !== null) throw conflict(`api key ${id} was replaced by a rotation: change its successor ${current.replaced_by_key_id}`, 'key_replaced');
    const interval = patch.rotation_interval_days !== undefined ? patch.rotation_interval_days : current.rotation_interval_days;
    const url = patch.rotation_webhook_url !== undefined ? patch.rotation_webhook_url : current.rotation_webhook_url;
    await this.checkRotationPolicy(interval, url);

    const set: Partial<KeyRow> = {};
    let webhookSecret: string | null = null;
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.scopes !== undefined) set.scopes = JSON.stringify(patch.scopes);
    if (role !== undefined) set.role = role;
    if (patch.owner_id !== undefined) set.owner_id = patch.owner_id;
    if (patch.expires_at !== undefined) set.expires_at = patch.expires_at;
    if (patch.ratelimit !== undefined) Object.assign(set, ratelimitColumns(patch.ratelimit));
    if (patch.rotation_interval_days !== undefined) {
      set.rotation_interval_days = interval;
      set.next_rotation_at = nextRotationAt(now, interval);
    }
    if (patch.rotation_grace_minutes !== undefined) set.rotation_grace_minutes = patch.rotation_grace_minutes;
    // meta, allowlist and credits each write their own audit event; the other fields api_key.updated.
    const extras: string[] = [];
    if (patch.meta !== undefined) {
      set.meta = metaColumn(patch.meta);
      extras.push('api_key.meta_changed');
    }
    if (patch.ip_allowlist !== undefined) {
      set.ip_allowlist = allowlistColumn(patch.ip_allowlist);
      extras.push('api_key.ip_allowlist_changed');
    }
    let pool: PoolInsert | null = null;
    let poolUpdate: ReturnType<typeof poolColumns> | null = null;
    if (patch.credits !== undefined) {
      extras.push('api_key.credits_changed');
      if (patch.credits === null) set.credit_pool_id = null;
      else if (current.credit_pool_id !== null) poolUpdate = poolColumns(patch.credits, now);
      else {
        pool = newPool(patch.credits, now);
        set.credit_pool_id = pool.id;
      }
    }
    if (patch.rotation_webhook_url !== undefined) {
      set.rotation_webhook_url = url;
      if (url !== null && current.webhook_secret_enc === null) {
        webhookSecret = newWebhookSecret();
        set.webhook_secret_enc = this.sealer.seal(webhookSecret);
      }
    }
    const others = Object.keys(set).some((c) => c !== 'meta' && c !== 'ip_allowlist' && c !== 'credit_pool_id');
    // An empty patch changes nothing, so it writes nothing (and no audit event).
    if (Object.keys(set).length === 0 && poolUpdate === null) return { row: current, webhookSecret };
    try {
      const row = await this.db.transaction().execute(async (trx) => {
        if (set.owner_id != null) await this.requireLiveOwner(trx, set.owner_id);
        if (pool) await trx.insertInto('credit_pools').values(pool).execute();
        // A key revoked, replaced or deleted with its project since it was read above is not changed (a credits-only
        // patch sets the pool id it already has, so the same guard holds).
        const row = await keyRows.updateLive(trx, id, Object.keys(set).length ? set : { credit_pool_id: current.credit_pool_id });
        if (!row) throw await this.goneMeanwhile(trx, id);
        const digests = [row.digest];
        if (poolUpdate !== null) {
          // The count and policy are set anew; a new version tells a shared counter (Redis) to take them.
          await trx.updateTable('credit_pools').set({ ...poolUpdate, version: sql`version + 1` }).where('id', '=', current.credit_pool_id!).execute();
          // A predecessor still in grace shares the pool: its cached settings go too.
          for (const k of await keyRows.digestsSharingPool(trx, current.credit_pool_id!)) if (!digests.includes(k)) digests.push(k);
        }
        await writeChange(trx, now, 'key', digests);
        for (const action of others ? ['api_key.updated', ...extras] : extras) {
          await writeAudit(trx, actor, now, { action, target: { type: 'api_key', id }, projectId: row.project_id });
        }
        return row;
      });
      await this.feed.catchUp();
      return { row, webhookSecret };
    } catch (e) {
      if (isUniqueViolation(e)) throw await this.duplicateName(current.project_id, patch.name ?? current.name);
      throw e;
    }
  }

  /** Why a key read a moment ago can no longer be changed: its project is gone (404), or it was retired (409). */
  private async goneMeanwhile(trx: Transaction<Database>, id: string) {
    const row = await keyRows.findVisible(trx, id);
    return row ? conflict(`api key ${id} was revoked or rotated meanwhile`, 'key_changed_meanwhile') : notFound(`api key ${id}`);
  }

  /** The credits of each row that has a pool (by pool id), as of now. */
  creditViews(rows: KeyRow[]): Promise<Map<string, CreditsView>> {
    return creditViews(this.store, this.credits, rows, this.clock.now());
  }

  /** Revokes at once; revoking again changes nothing and still succeeds. */
  async revoke(principal: Principal, id: string, actor: Actor): Promise<KeyRow> {
    return this.revokeRow(await this.getManaged(principal, id), actor);
  }

  /**
   * Grafana's DELETE /api/auth/keys/:id: the live key of that numeric id in `projectId`, revoked. Keys of
   * another project, and keys already gone (revoked, rotated out), are not there to delete: 404.
   */
  async revokeByNumId(principal: Principal, projectId: string, numId: number, actor: Actor, ownerId: string | null = null): Promise<KeyRow> {
    this.requireManager(principal, projectId);
    const row = Number.isSafeInteger(numId) && numId > 0 ? await keyRows.findByNumId(this.db, numId) : undefined;
    // `ownerId`: only a token of that service account; null: only an API key (not a token).
    if (!row || row.project_id !== projectId || row.owner_id !== ownerId) throw notFound(`api key ${numId}`);
    const status = keyStatus(row, this.clock.now());
    if (status === 'revoked' || status === 'rotated') throw notFound(`api key ${numId}`);
    return this.revokeRow(row, actor);
  }

  private async revokeRow(current: KeyRow, actor: Actor): Promise<KeyRow> {
    if (current.revoked_at !== null) return current;
    const now = this.clock.now();
    const revoked = await this.db.transaction().execute(async (trx) => {
      const row = await keyRows.revoke(trx, current.id, now);
      if (!row) return current;
      await this.onRetired?.(trx, row.id, now);
      await writeChange(trx, now, 'key', [row.digest]);
      await writeAudit(trx, actor, now, { action: 'api_key.revoked', target: { type: 'api_key', id: row.id }, projectId: row.project_id });
      return row;
    });
    await this.feed.catchUp();
    return revoked;
  }

  /** Mints the successor and retires the old key after `graceMinutes`, in one transaction. */
  async rotate(principal: Principal, id: string, graceMinutes: number, actor: Actor): Promise<{ old: KeyRow; next: KeyRow; key: string }> {
    const current = await this.getManaged(principal, id);
    const now = this.clock.now();
    const status = keyStatus(current, now);
    if (status !== 'active') throw conflict(`api key ${id} is ${status === 'grace' ? 'already replaced' : status} and cannot be rotated${status === 'grace' || status === 'rotated' ? `: rotate its successor ${current.replaced_by_key_id}` : ''}`, 'key_not_rotatable');
    const minted = mintKey(successorPrefix(current.key_prefix));
    const nextId = newKeyId();
    const rotated = await this.db.transaction().execute(async (trx) => {
      // A project deleted since the read above takes the rotation with it: no successor outlives it.
      if (!(await lockLiveProject(trx, current.project_id))) throw notFound(`api key ${id}`);
      const old = await keyRows.replaceWithSuccessor(trx, id, nextId, now + graceMinutes * 60_000);
      if (!old) throw await this.goneMeanwhile(trx, id);
      const next = await keyRows.insertSuccessor(trx, old, { id: nextId, ...minted }, now);
      await this.onRotated?.(trx, old, next, minted.plaintext, now);
      await this.onRetired?.(trx, old.id, now);
      await writeChange(trx, now, 'key', [old.digest, next.digest]);
      await writeAudit(trx, actor, now, { action: 'api_key.rotated', target: { type: 'api_key', id }, projectId: old.project_id });
      return { old, next, key: minted.plaintext };
    });
    await this.feed.catchUp();
    this.onMinted?.(rotated.next.digest);
    return rotated;
  }
}
