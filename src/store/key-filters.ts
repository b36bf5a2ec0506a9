// The key table's search, filters and orders (the dashboard's, and GET /v1/api-keys's query parameters), as SQL
// conditions that mean exactly what keyStatus means, so a page of 100,000 keys is found by the store, not in memory.
import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { digestKey, parseKey } from '../keys/material.js';
import type { Role } from '../keys/roles.js';
import type { KeyStatus } from '../keys/state.js';
import type { Engine } from './engine.js';
import { lastUsedAt } from './last-used.js';
import type { Database } from './schema.js';

export const KEY_STATUSES = ['active', 'grace', 'rotated', 'expired', 'revoked'] as const satisfies readonly KeyStatus[];
export const KEY_SORTS = ['created_at', 'name', 'last_used_at', 'expires_at'] as const;
export type KeySort = (typeof KEY_SORTS)[number];

const DAY = 86_400_000;

export interface KeyFilters {
  /** Part of the name (any case), the start of the display prefix, a key id, or a whole key (found by its digest). */
  search?: string;
  status?: KeyStatus;
  role?: Role;
  /** Expires within this many days from now (and has not yet). */
  expiring_within_days?: number;
  /** Not verified in this many days (never verified counts from its creation). */
  unused_for_days?: number;
}

type Eb = ExpressionBuilder<Database, 'api_keys'>;

/** `status` as SQL: the same cases, in the same order, as keyStatus(). */
export function statusIs(status: KeyStatus, now: number) {
  return (eb: Eb) => {
    const notRevoked = eb('revoked_at', 'is', null);
    const replaced = eb('replaced_by_key_id', 'is not', null);
    const graceOver = eb.or([eb('grace_expires_at', 'is', null), eb('grace_expires_at', '<=', now)]);
    const notExpired = eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]);
    switch (status) {
      case 'revoked':
        return eb('revoked_at', 'is not', null);
      case 'rotated':
        return eb.and([notRevoked, replaced, graceOver]);
      case 'expired':
        return eb.and([notRevoked, eb.not(eb.and([replaced, graceOver])), eb('expires_at', '<=', now)]);
      case 'grace':
        return eb.and([notRevoked, replaced, eb('grace_expires_at', '>', now), notExpired]);
      case 'active':
        return eb.and([notRevoked, eb('replaced_by_key_id', 'is', null), notExpired]);
    }
  };
}

/** `%` and `_` typed by a user are letters, not wildcards. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function applyKeyFilters<O>(query: SelectQueryBuilder<Database, 'api_keys', O>, f: KeyFilters, now: number): SelectQueryBuilder<Database, 'api_keys', O> {
  const search = f.search?.trim();
  if (search) {
    if (parseKey(search)) {
      query = query.where('digest', '=', digestKey(search));
    } else {
      const contains = `%${likeEscape(search.toLowerCase())}%`;
      const starts = `${likeEscape(search)}%`;
      query = query.where((eb) =>
        eb.or([
          eb('id', '=', search),
          sql<boolean>`lower(name) like ${contains} escape '\\'`,
          // The start of the display prefix, or more of the key than the display prefix holds.
          sql<boolean>`key_prefix like ${starts} escape '\\'`,
          sql<boolean>`key_prefix = substr(${search}, 1, length(key_prefix))`,
        ]),
      );
    }
  }
  if (f.status) query = query.where(statusIs(f.status, now));
  if (f.role) query = query.where('role', '=', f.role);
  if (f.expiring_within_days !== undefined) {
    query = query.where('expires_at', '>', now).where('expires_at', '<=', now + f.expiring_within_days * DAY);
  }
  if (f.unused_for_days !== undefined) {
    query = query.where(sql<boolean>`coalesce(${lastUsedAt}, created_at) <= ${now - f.unused_for_days * DAY}`);
  }
  return query;
}

/**
 * Orders by the column asked, then newest first. Never-used keys count as used longest ago, keys that never
 * expire as expiring last; names in byte order on both engines.
 */
export function orderKeys<O>(query: SelectQueryBuilder<Database, 'api_keys', O>, sort: KeySort, order: 'asc' | 'desc', engine: Engine): SelectQueryBuilder<Database, 'api_keys', O> {
  const column =
    sort === 'name'
      ? engine === 'postgres'
        ? sql`name collate "C"`
        : sql`name`
      : sort === 'last_used_at'
        ? sql`coalesce(${lastUsedAt}, 0)`
        : sort === 'expires_at'
          ? sql`coalesce(expires_at, ${Number.MAX_SAFE_INTEGER})`
          : sql`num_id`;
  return query.orderBy(column, order).orderBy('num_id', 'desc');
}
