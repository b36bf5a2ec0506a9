// The key repository: every read and write of `api_keys` rows, and the one list of what a rotation's
// successor inherits. The key service, the rotation outbox and the verify cache go through here, so a
// new column is taught to a successor once (in `successorFields`), not once per path that mints one.
import { type CompiledQuery, type ExpressionBuilder, type Kysely, type Selectable, sql } from 'kysely';
import { nextRotationAt } from '../keys/rotation.js';
import { isStorableText } from '../keys/text.js';
import { engineOf } from './engine.js';
import { withLastUse } from './last-used.js';
import { applyKeyFilters, type KeyFilters, type KeySort, orderKeys } from './key-filters.js';
import type { Store } from './db.js';
import type { ApiKeysTable, Database } from './schema.js';
import type { MaybePromise } from '../util/maybe-promise.js';

/** A key's row with its last use (from `key_last_used`). */
export type KeyRow = Selectable<ApiKeysTable> & { last_used_at: number | null };
/** A column of `api_keys` itself. */
type Column = keyof Selectable<ApiKeysTable> & string;

/** Each column of a key's row, once: a column added to ApiKeysTable fails to compile here until it is listed. */
const COLUMNS = {
  num_id: 1, id: 1, project_id: 1, environment_id: 1, name: 1, key_prefix: 1, digest: 1, role: 1, scopes: 1, expires_at: 1,
  created_at: 1, revoked_at: 1, replaced_by_key_id: 1, grace_expires_at: 1, pending: 1, rotation_interval_days: 1,
  next_rotation_at: 1, rotation_webhook_url: 1, rotation_grace_minutes: 1, webhook_secret_enc: 1, ratelimit_limit: 1,
  ratelimit_duration_ms: 1, meta: 1, ip_allowlist: 1, credit_pool_id: 1, owner_id: 1,
} satisfies Record<Column, 1>;

/**
 * What every read (and `returning`) of whole keys selects: the columns by name, and the last use from `key_last_used`.
 * Never `select *`: migration 010 left the old `api_keys.last_used_at` in place, so that nodes of an older release
 * still verify while a cluster upgrades, and it must not stand in for the real last use.
 */
export const KEY_ROW = [...Object.keys(COLUMNS).map((c) => `api_keys.${c}` as `api_keys.${Column}`), withLastUse];
/** A new row: everything but the serial id, the pending flag (0 unless given) and the last use (none yet). */
export type NewKeyRow = Omit<KeyRow, 'num_id' | 'pending' | 'last_used_at'> & { pending?: number };
/** The store, or a transaction of it. */
type Db = Kysely<Database>;

/** Not revoked and not rotated out at `now` (a key in grace is still live). */
export const liveAt = (now: number) => (eb: ExpressionBuilder<Database, 'api_keys'>) =>
  eb.and([eb('revoked_at', 'is', null), eb.or([eb('replaced_by_key_id', 'is', null), eb('grace_expires_at', '>', now)])]);

/**
 * What a successor takes from the key it replaces, whichever way it is made (manual rotation,
 * scheduled rotation, the commit of a scheduled rotation that waited for its webhook): name, scopes,
 * role, environment, expiry, rotation policy and its webhook secret, rate limit, owner, meta, IP allowlist
 * and credit pool (shared). `now` starts its
 * rotation interval. A new column a successor must keep goes here, and nowhere else.
 */
export function successorFields(old: KeyRow, now: number) {
  return {
    project_id: old.project_id,
    environment_id: old.environment_id,
    name: old.name,
    role: old.role,
    scopes: old.scopes,
    expires_at: old.expires_at,
    rotation_interval_days: old.rotation_interval_days,
    next_rotation_at: nextRotationAt(now, old.rotation_interval_days),
    rotation_webhook_url: old.rotation_webhook_url,
    rotation_grace_minutes: old.rotation_grace_minutes,
    webhook_secret_enc: old.webhook_secret_enc,
    ratelimit_limit: old.ratelimit_limit,
    ratelimit_duration_ms: old.ratelimit_duration_ms,
    owner_id: old.owner_id,
    meta: old.meta,
    ip_allowlist: old.ip_allowlist,
    // The same pool, not a copy: during grace both keys spend from one count.
    credit_pool_id: old.credit_pool_id,
  } satisfies Partial<KeyRow>;
}

export function findById(db: Db, id: string): Promise<KeyRow | undefined> {
  return db.selectFrom('api_keys').select(KEY_ROW).where('id', '=', id).executeTakeFirst();
}

/** A key that is not a waiting successor, by its Grafana id. */
export function findByNumId(db: Db, numId: number): Promise<KeyRow | undefined> {
  return db.selectFrom('api_keys').select(KEY_ROW).where('num_id', '=', numId).where('pending', '=', 0).executeTakeFirst();
}

/** A key that is not a waiting successor and whose project is not deleted. */
export function findVisible(db: Db, id: string): Promise<KeyRow | undefined> {
  return db
    .selectFrom('api_keys')
    .innerJoin('projects', 'projects.id', 'api_keys.project_id')
    .select(KEY_ROW)
    .where('api_keys.id', '=', id)
    .where('api_keys.pending', '=', 0)
    .where('projects.deleted_at', 'is', null)
    .executeTakeFirst();
}

/** The columns `columns` of a verifiable (not pending) key with this digest. */
export function findByDigest<C extends Column>(db: Db, digest: string, columns: readonly C[]): Promise<Pick<KeyRow, C> | undefined> {
  return db.selectFrom('api_keys').select(columns).where('digest', '=', digest).where('pending', '=', 0).executeTakeFirst() as Promise<Pick<KeyRow, C> | undefined>;
}

/**
 * The columns `columns` of a verifiable (not pending) key with this digest, with everything else verification
 * caches of it, in ONE query for the verify cache's miss: its meta and allowlist, what verification needs of its
 * owner (null fields when it has none), and the settings (not the count) of its credit pool (null when unlimited).
 */
/** The verification lookup: the key by digest, its owner and its credit pool's settings, in one query. */
function verificationQuery(db: Db, digest: string, columns: readonly string[]) {
  return db
    .selectFrom('api_keys')
    .leftJoin('owners', 'owners.id', 'api_keys.owner_id')
    .leftJoin('credit_pools', 'credit_pools.id', 'api_keys.credit_pool_id')
    .select(columns.map((c) => `api_keys.${c}` as `api_keys.${Column}`))
    .select([
      'api_keys.meta',
      'api_keys.ip_allowlist',
      'api_keys.credit_pool_id',
      'owners.id as o_id',
      'owners.external_id as o_external_id',
      'owners.is_disabled as o_disabled',
      'owners.meta as o_meta',
      'owners.ratelimit_limit as o_limit',
      'owners.ratelimit_duration_ms as o_duration',
      'credit_pools.version',
      'credit_pools.refill_amount',
      'credit_pools.refill_interval',
      'credit_pools.refill_day',
    ])
    .where('api_keys.digest', '=', digest)
    .where('api_keys.pending', '=', 0);
}

// Building and compiling the lookup cost about 5 times its run on SQLite (~90 µs against ~19 µs): every cache
// miss ran both. It is compiled once per database and column list, then run with each digest in its place; on
// SQLite at once, on the store's read-only connection (no promise, no wait behind Kysely's connection queue).
const DIGEST = '\u0000digest';
const compiledLookups = new WeakMap<Db, { columns: readonly string[]; query: CompiledQuery }>();

export function findForVerification<C extends Column>(store: Store, digest: string, columns: readonly C[]): MaybePromise<VerificationRow<C> | undefined> {
  let compiled = compiledLookups.get(store.db);
  if (compiled?.columns !== columns) compiledLookups.set(store.db, (compiled = { columns, query: verificationQuery(store.db, DIGEST, columns).compile() }));
  const query = compiled.query;
  const parameters = query.parameters.map((p) => (p === DIGEST ? digest : p));
  if (store.readNow) return store.readNow(query.sql, parameters) as VerificationRow<C> | undefined;
  return store.db.executeQuery<VerificationRow<C>>({ ...query, parameters }).then((r) => r.rows[0]);
}

/** A key as the verification lookup reads it. */
export type VerificationRow<C extends Column> = Pick<KeyRow, C> & {
  meta: string | null;
  ip_allowlist: string | null;
  credit_pool_id: string | null;
  o_id: string | null;
  o_external_id: string | null;
  o_disabled: number | null;
  o_meta: string | null;
  o_limit: number | null;
  o_duration: number | null;
  version: number | null;
  refill_amount: number | null;
  refill_interval: string | null;
  refill_day: number | null;
};

/** Digests of the keys spending from a credit pool (a key and its successor during grace). */
export async function digestsSharingPool(db: Db, poolId: string): Promise<string[]> {
  return (await db.selectFrom('api_keys').select('digest').where('credit_pool_id', '=', poolId).execute()).map((r) => r.digest);
}

/** The live (not revoked, not replaced) key of that name in the project. */
export async function findLiveByName(db: Db, projectId: string, name: string): Promise<KeyRow | undefined> {
  // No stored name can be one the store refuses (and PostgreSQL would fail the query on NUL).
  if (!isStorableText(name)) return undefined;
  return db
    .selectFrom('api_keys')
    .select(KEY_ROW)
    .where('project_id', '=', projectId)
    .where('name', '=', name)
    .where('revoked_at', 'is', null)
    .where('replaced_by_key_id', 'is', null)
    .where('pending', '=', 0)
    .executeTakeFirst();
}

/** A live key bound to the environment, if any (a waiting successor counts: it would become live). */
export function findLiveInEnvironment(db: Db, envId: string, now: number): Promise<Pick<KeyRow, 'id'> | undefined> {
  return db.selectFrom('api_keys').select('id').where('environment_id', '=', envId).where(liveAt(now)).executeTakeFirst();
}

export interface ListQuery {
  projectId: string;
  environmentId?: string;
  includeRevoked: boolean;
  limit: number;
  /** num_id to continue below (newest first). */
  before?: number;
  /** Search and filters; a `status` filter decides by itself which revoked or rotated keys show. */
  filters?: KeyFilters;
  /** Another order than newest first: pages are then by `offset`. */
  sort?: { by: KeySort; order: 'asc' | 'desc'; offset: number };
}

/** The rows of a listing, before its order and page. */
function listed(db: Db, now: number, q: Omit<ListQuery, 'limit' | 'before' | 'sort'>) {
  let query = db.selectFrom('api_keys').select(KEY_ROW).where('project_id', '=', q.projectId).where('pending', '=', 0);
  if (q.environmentId !== undefined) query = query.where('environment_id', '=', q.environmentId);
  if (q.filters) query = applyKeyFilters(query, q.filters, now);
  if (!q.includeRevoked && !q.filters?.status) query = query.where(liveAt(now));
  return query;
}

/** A project's keys, newest first (continued below `before`), or in the order `sort` asks (continued at its offset). */
export function list(db: Db, now: number, q: ListQuery): Promise<KeyRow[]> {
  const query = listed(db, now, q);
  if (q.sort) return orderKeys(query, q.sort.by, q.sort.order, engineOf(db)).limit(q.limit).offset(q.sort.offset).execute();
  return (q.before !== undefined ? query.where('num_id', '<', q.before) : query).orderBy('num_id', 'desc').limit(q.limit).execute();
}

/** How many keys a listing has in all its pages (the dashboard's "of N"). */
export async function count(db: Db, now: number, q: Omit<ListQuery, 'limit' | 'before' | 'sort'>): Promise<number> {
  const row = await listed(db, now, q).clearSelect().select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Live keys of a project without an owner (service account tokens are listed under their account) by name (byte
 * order on both engines), expired ones only when asked: Grafana's API key listing.
 */
export function listByName(db: Db, now: number, q: { projectId: string; includeExpired: boolean; limit: number }): Promise<KeyRow[]> {
  let query = db.selectFrom('api_keys').select(KEY_ROW).where('project_id', '=', q.projectId).where('pending', '=', 0).where('owner_id', 'is', null).where(liveAt(now));
  if (!q.includeExpired) query = query.where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]));
  // SQLite compares text bytewise already; PostgreSQL needs the "C" collation for it.
  const byName = engineOf(db) === 'postgres' ? sql`name collate "C"` : sql`name`;
  return query.orderBy(byName).orderBy('num_id').limit(q.limit).execute();
}

/** Keys whose scheduled rotation is due and not already under way (their project alive). */
export async function listDue(db: Db, now: number, limit: number): Promise<{ id: string; next_rotation_at: number }[]> {
  const rows = await db
    .selectFrom('api_keys')
    .innerJoin('projects', 'projects.id', 'api_keys.project_id')
    .select(['api_keys.id', 'api_keys.next_rotation_at'])
    .where('api_keys.next_rotation_at', '<=', now)
    .where('api_keys.pending', '=', 0)
    .where('api_keys.revoked_at', 'is', null)
    .where('api_keys.replaced_by_key_id', 'is', null)
    .where('api_keys.rotation_webhook_url', 'is not', null)
    .where((eb) => eb.or([eb('api_keys.expires_at', 'is', null), eb('api_keys.expires_at', '>', now)]))
    .where('projects.deleted_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('rotation_outbox').select('rotation_outbox.id').whereRef('rotation_outbox.old_key_id', '=', 'api_keys.id').where('rotation_outbox.status', '=', 'pending'))),
    )
    .orderBy('api_keys.next_rotation_at')
    .limit(limit)
    .execute();
  return rows as { id: string; next_rotation_at: number }[];
}

export function insert(db: Db, values: NewKeyRow): Promise<KeyRow> {
  return db.insertInto('api_keys').values(values).returning(KEY_ROW).executeTakeFirstOrThrow();
}

/** The successor of `old` with fresh key material; `pending` 1 for a scheduled rotation waiting on its webhook. */
export function insertSuccessor(db: Db, old: KeyRow, material: { id: string; displayPrefix: string; digest: string }, now: number, pending = 0): Promise<KeyRow> {
  return insert(db, {
    ...successorFields(old, now),
    id: material.id,
    key_prefix: material.displayPrefix,
    digest: material.digest,
    created_at: now,
    revoked_at: null,
    replaced_by_key_id: null,
    grace_expires_at: null,
    pending,
  });
}

/**
 * Marks `oldId` replaced by `nextId` (its grace ends at `graceExpiresAt`, its own schedule stops), only
 * if it is still live and not replaced: the guard two racing rotations or a rotation and a revoke meet at.
 * Undefined when the key was revoked or replaced meanwhile (nothing written).
 */
export function replaceWithSuccessor(db: Db, oldId: string, nextId: string, graceExpiresAt: number): Promise<KeyRow | undefined> {
  return db
    .updateTable('api_keys')
    .set({ replaced_by_key_id: nextId, grace_expires_at: graceExpiresAt, next_rotation_at: null })
    .where('id', '=', oldId)
    .where('revoked_at', 'is', null)
    .where('replaced_by_key_id', 'is', null)
    .returning(KEY_ROW)
    .executeTakeFirst();
}

/** A waiting successor becomes live, taking `old`'s settings as they are now (a PATCH while it waited). */
export function activateSuccessor(db: Db, old: KeyRow, nextId: string, now: number): Promise<KeyRow | undefined> {
  return db
    .updateTable('api_keys')
    .set({ ...successorFields(old, now), pending: 0 })
    .where('id', '=', nextId)
    .where('pending', '=', 1)
    .returning(KEY_ROW)
    .executeTakeFirst();
}

/** Destroys a waiting successor (its rotation was abandoned or cancelled). */
export async function deletePending(db: Db, id: string): Promise<void> {
  await db.deleteFrom('api_keys').where('id', '=', id).where('pending', '=', 1).execute();
}

/**
 * Claims a due key for its scheduled rotation: clears `next_rotation_at` only if it still holds `dueAt`
 * and the key is live, so of several nodes one wins. Undefined for the losers.
 */
export function claimDue(db: Db, id: string, dueAt: number): Promise<KeyRow | undefined> {
  return db
    .updateTable('api_keys')
    .set({ next_rotation_at: null })
    .where('id', '=', id)
    .where('next_rotation_at', '=', dueAt)
    .where('pending', '=', 0)
    .where('revoked_at', 'is', null)
    .where('replaced_by_key_id', 'is', null)
    .returning(KEY_ROW)
    .executeTakeFirst();
}

/** The next scheduled rotation one interval after `now`; undefined unless the key is live and unreplaced with an interval. */
export async function rescheduleLive(db: Db, id: string, now: number): Promise<KeyRow | undefined> {
  const old = await findById(db, id);
  if (!old || old.revoked_at !== null || old.replaced_by_key_id !== null || old.rotation_interval_days === null) return undefined;
  return db
    .updateTable('api_keys')
    .set({ next_rotation_at: nextRotationAt(now, old.rotation_interval_days) })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .where('replaced_by_key_id', 'is', null)
    .returning(KEY_ROW)
    .executeTakeFirst();
}

/** Revokes the key unless it already is; undefined when it already was. */
export function revoke(db: Db, id: string, now: number): Promise<KeyRow | undefined> {
  return db.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).returning(KEY_ROW).executeTakeFirst();
}

/** Revokes every unrevoked key of the project (waiting successors too); answers their ids and digests. */
export function revokeAllOfProject(db: Db, projectId: string, now: number): Promise<Pick<KeyRow, 'id' | 'digest'>[]> {
  return db.updateTable('api_keys').set({ revoked_at: now }).where('project_id', '=', projectId).where('revoked_at', 'is', null).returning(['id', 'digest']).execute();
}

/** Changes a key that is still live and not replaced; undefined when it no longer is (nothing written). */
export function updateLive(db: Db, id: string, set: Partial<Omit<KeyRow, 'num_id' | 'id'>>): Promise<KeyRow | undefined> {
  return db.updateTable('api_keys').set(set).where('id', '=', id).where('revoked_at', 'is', null).where('replaced_by_key_id', 'is', null).returning(KEY_ROW).executeTakeFirst();
}
