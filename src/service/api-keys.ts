// The one key service every surface calls: create, list, get, update, revoke, rotate.
import { type ExpressionBuilder, type Selectable, sql, type Transaction } from 'kysely';
import { type Actor, type Principal, roleIn } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import { randomBytes } from 'node:crypto';
import type { Sealer } from '../crypto/seal.js';
import { isKeymintId, newKeyId } from '../keys/ids.js';
import { DEFAULT_PREFIX, mintKey } from '../keys/material.js';
import { canGrant, type Role } from '../keys/roles.js';
import { keyStatus } from '../keys/state.js';
import { isStorableText } from '../keys/text.js';
import type { Store } from '../store/db.js';
import { type ChangeSink, isUniqueViolation, writeAudit, writeChange } from '../store/journal.js';
import type { ApiKeysTable, Database } from '../store/schema.js';
import { conflict, forbidden, invalid, notFound, requireName, requireStorableText } from './errors.js';
import type { ProjectService } from './projects.js';
import { iso } from '../instant.js';
import { normalizeAllowlist } from '../keys/cidr.js';
import { creditsAt, type Refill, refillOf } from '../keys/credits.js';
import { checkMeta } from '../keys/meta.js';
import { newCreditPoolId } from '../keys/ids.js';
import type { Credits, PoolRow } from '../verify/credits.js';

export type KeyRow = Selectable<ApiKeysTable>;

export const DAY = 86_400_000;
export const MAX_DAYS = 36_500;
export const MAX_GRACE_MINUTES = 10_080;
export const DEFAULT_GRACE_MINUTES = 60;

/** Credits as the wire shows them: the count now (refills applied) and the refill policy. */
export interface CreditsView {
  remaining: number;
  refill: Refill | null;
}

/** What create and PATCH take: `remaining` now, and the refill (null: none). */
export interface CreditsInput {
  remaining: number;
  refill: Refill | null;
}

/** The v1 key object: the canonical shape, which other surfaces map from. `credits`: the key's, when it has a pool. */
export function keyObject(k: KeyRow, now: number, credits: CreditsView | null = null) {
  return {
    id: k.id,
    project_id: k.project_id,
    name: k.name,
    key_prefix: k.key_prefix,
    scopes: JSON.parse(k.scopes) as string[],
    expires_at: iso(k.expires_at),
    last_used_at: iso(k.last_used_at),
    created_at: iso(k.created_at),
    revoked_at: iso(k.revoked_at),
    replaced_by_key_id: k.replaced_by_key_id,
    grace_expires_at: iso(k.grace_expires_at),
    environment_id: k.environment_id,
    rotation_interval_days: k.rotation_interval_days,
    next_rotation_at: iso(k.next_rotation_at),
    rotation_webhook_url: k.rotation_webhook_url,
    role: k.role as Role,
    status: keyStatus(k, now),
    ratelimit: k.ratelimit_limit === null ? null : { limit: k.ratelimit_limit, duration_ms: k.ratelimit_duration_ms! },
    meta: k.meta === null ? null : (JSON.parse(k.meta) as Record<string, unknown>),
    credits: k.credit_pool_id === null ? null : credits,
    ip_allowlist: k.ip_allowlist === null ? null : (JSON.parse(k.ip_allowlist) as string[]),
  };
}

/** The three settings issue 13 added to a key, as create and PATCH take them (undefined: unchanged). */
export interface KeyExtrasInput {
  meta?: Record<string, unknown> | null;
  credits?: CreditsInput | null;
  ip_allowlist?: string[] | null;
}

/** meta as stored, or a 400 naming body.meta. */
function metaColumn(meta: Record<string, unknown> | null): string | null {
  if (meta === null) return null;
  const problem = checkMeta(meta);
  if (problem) throw invalid('body.meta', problem);
  return JSON.stringify(meta);
}

/** The allowlist as stored (normalized), or a 400 naming the bad entry. */
function allowlistColumn(list: string[] | null): string | null {
  if (list === null) return null;
  const r = normalizeAllowlist(list);
  if ('error' in r) throw invalid(r.index >= 0 ? `body.ip_allowlist.${r.index}` : 'body.ip_allowlist', r.error);
  return JSON.stringify(r.list);
}

function checkCredits(c: CreditsInput): void {
  if (c.refill && c.refill.interval !== 'monthly' && c.refill.day_of_month !== undefined) {
    throw invalid('body.credits.refill.day_of_month', 'day_of_month belongs to a monthly refill: leave it out of a daily one');
  }
}

const poolColumns = (c: CreditsInput, now: number) => ({
  remaining: c.remaining,
  refilled_at: now,
  refill_amount: c.refill?.amount ?? null,
  refill_interval: c.refill?.interval ?? null,
  refill_day: c.refill?.interval === 'monthly' ? (c.refill.day_of_month ?? null) : null,
});

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
}

export interface ListKeysQuery {
  project_id: string;
  environment_id?: string;
  include_revoked?: boolean;
  limit: number;
  /** num_id to continue below (newest first). */
  before?: number;
}

type PoolInsert = ReturnType<typeof poolColumns> & { id: string; version: number; created_at: number };

export interface KeyServiceOptions {
  webhookAllowPrivate: boolean;
}

/** The Standard Webhooks signing secret of a key's rotation webhook: shown once, sealed at rest. */
const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** Not revoked and not rotated out at `now` (a key in grace is still live). */
export const liveAt = (now: number) => (eb: ExpressionBuilder<Database, 'api_keys'>) =>
  eb.and([eb('revoked_at', 'is', null), eb.or([eb('replaced_by_key_id', 'is', null), eb('grace_expires_at', '>', now)])]);

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
    const role = input.role ?? 'None';
    this.requireGrant(principal, input.project_id, role);
    requireName('body.name', input.name);
    await this.projects.get(input.project_id);
    const now = this.clock.now();
    if (input.expires_at != null && input.expires_at <= now) throw invalid('body.expires_at', 'expires_at must be in the future');
    const interval = input.rotation_interval_days ?? null;
    const url = input.rotation_webhook_url ?? null;
    await this.checkRotationPolicy(interval, url);

    let prefix = DEFAULT_PREFIX;
    if (input.environment_id != null) {
      const env = await this.projects.findEnvironment(input.project_id, input.environment_id);
      if (!env) throw invalid('body.environment_id', `environment ${input.environment_id} does not exist in project ${input.project_id}`);
      prefix = env.key_prefix ?? DEFAULT_PREFIX;
    }
    const meta = metaColumn(input.meta ?? null);
    const allowlist = allowlistColumn(input.ip_allowlist ?? null);
    if (input.credits) checkCredits(input.credits);
    const pool = input.credits ? { id: newCreditPoolId(), ...poolColumns(input.credits, now), version: 1, created_at: now } : null;
    const minted = mintKey(prefix);
    const webhookSecret = url !== null ? newWebhookSecret() : null;
    const row = await this.insertLive(
      {
        id: newKeyId(),
        project_id: input.project_id,
        environment_id: input.environment_id ?? null,
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
        next_rotation_at: interval !== null ? now + interval * DAY : null,
        rotation_webhook_url: url,
        rotation_grace_minutes: input.rotation_grace_minutes ?? null,
        webhook_secret_enc: webhookSecret !== null ? this.sealer.seal(webhookSecret) : null,
        last_used_at: null,
        ...ratelimitColumns(input.ratelimit ?? null),
        meta,
        ip_allowlist: allowlist,
        credit_pool_id: pool?.id ?? null,
      },
      actor,
      pool,
    );
    return { row, key: minted.plaintext, webhookSecret };
  }

  private async insertLive(values: Omit<KeyRow, 'num_id' | 'pending'>, actor: Actor, pool: PoolInsert | null): Promise<KeyRow> {
    try {
      const row = await this.db.transaction().execute(async (trx) => {
        if (pool) await trx.insertInto('credit_pools').values(pool).execute();
        const row = await trx.insertInto('api_keys').values(values).returningAll().executeTakeFirstOrThrow();
        await writeChange(trx, values.created_at, 'key', [row.digest]);
        await writeAudit(trx, actor, values.created_at, { action: 'api_key.created', target: { type: 'api_key', id: row.id }, projectId: row.project_id });
        return row;
      });
      await this.feed.catchUp();
      return row;
    } catch (e) {
      if (isUniqueViolation(e)) throw this.duplicateName(values.name);
      throw e;
    }
  }

  private duplicateName(name: string) {
    return conflict(`a live key named ${JSON.stringify(name)} already exists in this project: choose another name, or revoke that key first`);
  }

  /** A key the principal may manage, or 404. */
  async getManaged(principal: Principal, id: string): Promise<KeyRow> {
    refuseLesserKeys(principal);
    if (!isKeymintId(id)) throw notFound(`api key ${id}`);
    // A deleted project's keys are gone for every caller, root included.
    const row = await this.db
      .selectFrom('api_keys')
      .innerJoin('projects', 'projects.id', 'api_keys.project_id')
      .selectAll('api_keys')
      .where('api_keys.id', '=', id)
      .where('api_keys.pending', '=', 0)
      .where('projects.deleted_at', 'is', null)
      .executeTakeFirst();
    if (!row || roleIn(principal, row.project_id) === null) throw notFound(`api key ${id}`);
    return row;
  }

  findById(id: string): Promise<KeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByNumId(numId: number): Promise<KeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('num_id', '=', numId).where('pending', '=', 0).executeTakeFirst();
  }

  /** The live (not revoked, not replaced) key of that name in the project. */
  async findLiveByName(projectId: string, name: string): Promise<KeyRow | undefined> {
    // No stored name can be one the store refuses (and PostgreSQL would fail the query on NUL).
    if (!isStorableText(name)) return undefined;
    return this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('name', '=', name)
      .where('revoked_at', 'is', null)
      .where('replaced_by_key_id', 'is', null)
      .where('pending', '=', 0)
      .executeTakeFirst();
  }

  async list(principal: Principal, q: ListKeysQuery): Promise<KeyRow[]> {
    this.requireManager(principal, q.project_id);
    await this.projects.get(q.project_id);
    const now = this.clock.now();
    let query = this.db.selectFrom('api_keys').selectAll().where('project_id', '=', q.project_id).where('pending', '=', 0);
    if (q.environment_id !== undefined) query = query.where('environment_id', '=', q.environment_id);
    if (q.before !== undefined) query = query.where('num_id', '<', q.before);
    if (!q.include_revoked) query = query.where(liveAt(now));
    return query.orderBy('num_id', 'desc').limit(q.limit).execute();
  }

  /** Live keys of a project by name (byte order on both engines), expired ones only when asked: Grafana's listing. */
  async listByName(principal: Principal, projectId: string, q: { includeExpired: boolean; limit: number }): Promise<KeyRow[]> {
    this.requireManager(principal, projectId);
    await this.projects.get(projectId);
    const now = this.clock.now();
    let query = this.db.selectFrom('api_keys').selectAll().where('project_id', '=', projectId).where('pending', '=', 0).where(liveAt(now));
    if (!q.includeExpired) query = query.where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]));
    const byName = this.store.engine === 'postgres' ? sql`name collate "C"` : sql`name`;
    return query.orderBy(byName).orderBy('num_id').limit(q.limit).execute();
  }

  /** `webhookSecret`: the new signing secret when this patch gave the key its first webhook (shown once, as on create). */
  async update(principal: Principal, id: string, patch: UpdateKeyInput, actor: Actor): Promise<{ row: KeyRow; webhookSecret: string | null }> {
    const current = await this.getManaged(principal, id);
    if (current.revoked_at !== null) throw conflict(`api key ${id} is revoked and cannot be changed`);
    if (patch.role !== undefined) this.requireGrant(principal, current.project_id, patch.role);
    if (patch.name !== undefined) requireName('body.name', patch.name);
    const now = this.clock.now();
    if (patch.expires_at != null && patch.expires_at <= now) throw invalid('body.expires_at', 'expires_at must be in the future, or null for no expiry');
    // A replaced key only lives out its grace period; its policy now belongs to the successor.
    if (current.replaced_by_key_id !== null) throw conflict(`api key ${id} was replaced by a rotation: change its successor ${current.replaced_by_key_id}`);
    const interval = patch.rotation_interval_days !== undefined ? patch.rotation_interval_days : current.rotation_interval_days;
    const url = patch.rotation_webhook_url !== undefined ? patch.rotation_webhook_url : current.rotation_webhook_url;
    await this.checkRotationPolicy(interval, url);

    const set: Partial<KeyRow> = {};
    let webhookSecret: string | null = null;
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.scopes !== undefined) set.scopes = JSON.stringify(patch.scopes);
    if (patch.role !== undefined) set.role = patch.role;
    if (patch.expires_at !== undefined) set.expires_at = patch.expires_at;
    if (patch.ratelimit !== undefined) Object.assign(set, ratelimitColumns(patch.ratelimit));
    if (patch.rotation_interval_days !== undefined) {
      set.rotation_interval_days = interval;
      set.next_rotation_at = interval !== null ? now + interval * DAY : null;
    }
    if (patch.rotation_grace_minutes !== undefined) set.rotation_grace_minutes = patch.rotation_grace_minutes;
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
      else {
        checkCredits(patch.credits);
        if (current.credit_pool_id !== null) poolUpdate = poolColumns(patch.credits, now);
        else {
          pool = { id: newCreditPoolId(), ...poolColumns(patch.credits, now), version: 1, created_at: now };
          set.credit_pool_id = pool.id;
        }
      }
    }
    const others = Object.keys(set).some((c) => c !== 'meta' && c !== 'ip_allowlist' && c !== 'credit_pool_id');
    if (patch.rotation_webhook_url !== undefined) {
      set.rotation_webhook_url = url;
      if (url !== null && current.webhook_secret_enc === null) {
        webhookSecret = newWebhookSecret();
        set.webhook_secret_enc = this.sealer.seal(webhookSecret);
      }
    }
    // An empty patch changes nothing, so it writes nothing (and no audit event).
    if (Object.keys(set).length === 0 && poolUpdate === null) return { row: current, webhookSecret };
    try {
      const row = await this.db.transaction().execute(async (trx) => {
        if (pool) await trx.insertInto('credit_pools').values(pool).execute();
        const digests = [current.digest];
        if (poolUpdate !== null) {
          // The count and policy are set anew; a new version tells a shared counter (Redis) to take them.
          await trx.updateTable('credit_pools').set({ ...poolUpdate, version: sql`version + 1` }).where('id', '=', current.credit_pool_id!).execute();
          // A predecessor still in grace shares the pool: its cached settings go too.
          const sharing = await trx.selectFrom('api_keys').select('digest').where('credit_pool_id', '=', current.credit_pool_id!).execute();
          for (const k of sharing) if (!digests.includes(k.digest)) digests.push(k.digest);
        }
        const row = Object.keys(set).length
          ? await trx.updateTable('api_keys').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
          : current;
        await writeChange(trx, now, 'key', digests);
        const actions = others ? ['api_key.updated', ...extras] : extras;
        for (const action of actions) await writeAudit(trx, actor, now, { action, target: { type: 'api_key', id }, projectId: row.project_id });
        return row;
      });
      await this.feed.catchUp();
      return { row, webhookSecret };
    } catch (e) {
      if (isUniqueViolation(e)) throw this.duplicateName(patch.name ?? current.name);
      throw e;
    }
  }

  /** The credits of each row that has a pool (by pool id), as of now: refills applied, Redis' count when it has one. */
  async creditViews(rows: KeyRow[]): Promise<Map<string, CreditsView>> {
    const ids = [...new Set(rows.map((r) => r.credit_pool_id).filter((id): id is string => id !== null))];
    const out = new Map<string, CreditsView>();
    if (ids.length === 0) return out;
    const pools = await this.db.selectFrom('credit_pools').selectAll().where('id', 'in', ids).execute();
    const states = this.credits ? await this.credits.current(pools as PoolRow[]) : new Map(pools.map((p) => [p.id, p]));
    const now = this.clock.now();
    for (const p of pools) {
      const refill = refillOf(p.refill_amount, p.refill_interval, p.refill_day);
      out.set(p.id, { remaining: creditsAt(states.get(p.id) ?? p, refill, now).remaining, refill });
    }
    return out;
  }

  /** v1 key objects of rows, with their credits (one query for all of them). */
  async present(rows: KeyRow[]): Promise<ReturnType<typeof keyObject>[]> {
    const views = await this.creditViews(rows);
    const now = this.clock.now();
    return rows.map((r) => keyObject(r, now, r.credit_pool_id === null ? null : (views.get(r.credit_pool_id) ?? null)));
  }

  /** Revokes at once; revoking again changes nothing and still succeeds. */
  async revoke(principal: Principal, id: string, actor: Actor): Promise<KeyRow> {
    const current = await this.getManaged(principal, id);
    return this.revokeRow(current, actor);
  }

  async revokeRow(current: KeyRow, actor: Actor): Promise<KeyRow> {
    if (current.revoked_at !== null) return current;
    const now = this.clock.now();
    const revoked = await this.db.transaction().execute(async (trx) => {
      const row = await trx.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', current.id).where('revoked_at', 'is', null).returningAll().executeTakeFirst();
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
    if (status !== 'active') throw conflict(`api key ${id} is ${status === 'grace' ? 'already replaced' : status} and cannot be rotated${status === 'grace' || status === 'rotated' ? `: rotate its successor ${current.replaced_by_key_id}` : ''}`);
    const prefix = current.key_prefix.slice(0, current.key_prefix.lastIndexOf('_'));
    const minted = mintKey(prefix);
    const nextId = newKeyId();
    const rotated = await this.db.transaction().execute(async (trx) => {
      const old = await trx
        .updateTable('api_keys')
        .set({ replaced_by_key_id: nextId, grace_expires_at: now + graceMinutes * 60_000, next_rotation_at: null })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .where('replaced_by_key_id', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (!old) throw conflict(`api key ${id} was revoked or rotated meanwhile`);
      const next = await this.insertSuccessor(trx, old, nextId, minted, now);
      await this.onRotated?.(trx, old, next, minted.plaintext, now);
      await this.onRetired?.(trx, old.id, now);
      await writeChange(trx, now, 'key', [old.digest, next.digest]);
      await writeAudit(trx, actor, now, { action: 'api_key.rotated', target: { type: 'api_key', id }, projectId: old.project_id });
      return { old, next, key: minted.plaintext };
    });
    await this.feed.catchUp();
    return rotated;
  }

  /** The successor inherits name, scopes, role, environment, expiry, rotation policy, meta, allowlist and credits. */
  insertSuccessor(trx: Transaction<Database>, old: KeyRow, id: string, minted: ReturnType<typeof mintKey>, now: number, pending = 0): Promise<KeyRow> {
    return trx
      .insertInto('api_keys')
      .values({
        id,
        project_id: old.project_id,
        environment_id: old.environment_id,
        name: old.name,
        key_prefix: minted.displayPrefix,
        digest: minted.digest,
        role: old.role,
        scopes: old.scopes,
        expires_at: old.expires_at,
        created_at: now,
        revoked_at: null,
        replaced_by_key_id: null,
        grace_expires_at: null,
        pending,
        rotation_interval_days: old.rotation_interval_days,
        next_rotation_at: old.rotation_interval_days !== null ? now + old.rotation_interval_days * DAY : null,
        rotation_webhook_url: old.rotation_webhook_url,
        rotation_grace_minutes: old.rotation_grace_minutes,
        webhook_secret_enc: old.webhook_secret_enc,
        last_used_at: null,
        ratelimit_limit: old.ratelimit_limit,
        ratelimit_duration_ms: old.ratelimit_duration_ms,
        meta: old.meta,
        ip_allowlist: old.ip_allowlist,
        // The same pool: during grace both keys spend from one count.
        credit_pool_id: old.credit_pool_id,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
