// digest -> key, from memory when we can, from the store on a miss. The change feed drops stale entries.
// Known keys and "no such key" answers live in two separate LRU caches (lru-cache), each with its own bound:
// verifying unknown keys (any caller can make up keys with a valid checksum) churns only the small
// not-found cache and never evicts a good key.
import { LRUCache } from 'lru-cache';
import type { Clock } from '../util/clock.js';
import { type Allowlist, compileAllowlist } from '../keys/cidr.js';
import { refillOf } from '../keys/credits.js';
import { andThen, type MaybePromise } from '../util/maybe-promise.js';
import { findForVerification, type KeyRow, type VerificationRow } from '../store/api-keys.js';
import type { Store } from '../store/db.js';
import type { CachedCredits } from './credits.js';

/** The columns verification and authentication read: no more, so 100,000 cached keys stay small. */
const COLUMNS = [
  'num_id', 'id', 'project_id', 'environment_id', 'name', 'role', 'scopes', 'expires_at', 'revoked_at',
  'replaced_by_key_id', 'grace_expires_at', 'ratelimit_limit', 'ratelimit_duration_ms',
] as const;

/** What verification needs of a key's owner, read with the key (one query on a miss, none on a hit). */
export interface CachedOwner {
  id: string;
  external_id: string | null;
  disabled: boolean;
  meta: Record<string, unknown> | null;
  ratelimit_limit: number | null;
  ratelimit_duration_ms: number | null;
}

/**
 * What verification needs of a key; scopes, meta and the allowlist parsed once when cached, with its owner and
 * the settings (not the count) of its credit pool.
 */
export type CachedKey = Omit<Pick<KeyRow, (typeof COLUMNS)[number]>, 'scopes'> & {
  scopes: string[];
  meta: Record<string, unknown> | null;
  allowlist: Allowlist | null;
  credits: CachedCredits | null;
  owner: CachedOwner | null;
  /**
   * When this node last noted the key's use for the store (null: not since it cached the key). A miss does not read
   * the stored one: that was a second lookup per miss, to save at most one small write.
   */
  last_used_at: number | null;
  /** Until when this copy may be used (the injected clock's ms): kept on the key, not in a wrapper per entry. */
  readonly cachedUntil: number;
};

export interface KeyCacheOptions {
  /** Known keys held at most. */
  maxEntries: number;
  /** "No such key" answers held at most, apart from the known keys. */
  maxNegativeEntries: number;
  /** A backstop only: the change feed drops changed keys long before this. */
  ttlMs: number;
  /** How long "no such key" is remembered; a created key clears it at once through the change feed anyway. */
  negativeTtlMs: number;
}

export class KeyCache {
  // Lifetimes are checked against the injected clock (`cachedUntil` on each key), not lru-cache's own timer.
  private readonly known: LRUCache<string, CachedKey>;
  /** digest -> until when "no such key" holds. */
  private readonly unknown: LRUCache<string, number>;
  hits = 0;
  misses = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    readonly options: KeyCacheOptions = { maxEntries: 100_000, maxNegativeEntries: 10_000, ttlMs: 300_000, negativeTtlMs: 10_000 },
  ) {
    this.known = new LRUCache({ max: options.maxEntries });
    this.unknown = new LRUCache({ max: options.maxNegativeEntries });
  }

  /** Known keys cached. */
  get size(): number {
    return this.known.size;
  }

  /** "No such key" answers cached. */
  get negativeSize(): number {
    return this.unknown.size;
  }

  /** The cached answer without the store: `undefined` when there is none (never cached, dropped or too old). */
  peek(digest: string): CachedKey | null | undefined {
    const now = this.clock.now();
    const hit = this.known.get(digest);
    if (hit !== undefined) {
      if (hit.cachedUntil <= now) return undefined;
      this.hits++;
      return hit;
    }
    const until = this.unknown.get(digest);
    if (until === undefined || until <= now) return undefined;
    this.hits++;
    return null;
  }

  /** From memory when cached, else from the store: a promise only when the store answers later (PostgreSQL). */
  lookup(digest: string): MaybePromise<CachedKey | null> {
    const hit = this.peek(digest);
    if (hit !== undefined) return hit;
    this.misses++;
    // One query: the key, its owner and its credit pool's settings.
    return andThen(findForVerification(this.store, digest, COLUMNS), (found) => this.remember(digest, found));
  }

  private remember(digest: string, found: VerificationRow<(typeof COLUMNS)[number]> | undefined): CachedKey | null {
    if (!found) {
      this.unknown.set(digest, this.clock.now() + this.options.negativeTtlMs);
      return null;
    }
    const { o_id, o_external_id, o_disabled, o_meta, o_limit, o_duration, meta, ip_allowlist, credit_pool_id, version, refill_amount, refill_interval, refill_day, ...row } = found;
    // Every field named, in one literal: all cached keys share one hidden class. Spreading the row gave each key a
    // class of its own (about 700 bytes of V8 descriptors a key: 75 MB at 100,000 keys, and slower reads).
    const key: CachedKey = {
      num_id: row.num_id,
      id: row.id,
      project_id: this.shared(row.project_id),
      environment_id: row.environment_id === null ? null : this.shared(row.environment_id),
      name: row.name,
      role: this.shared(row.role),
      scopes: this.sharedScopes(row.scopes),
      expires_at: row.expires_at,
      revoked_at: row.revoked_at,
      replaced_by_key_id: row.replaced_by_key_id,
      grace_expires_at: row.grace_expires_at,
      ratelimit_limit: row.ratelimit_limit,
      ratelimit_duration_ms: row.ratelimit_duration_ms,
      last_used_at: null,
      meta: meta === null ? null : (JSON.parse(meta) as Record<string, unknown>),
      allowlist: ip_allowlist === null ? null : compileAllowlist(JSON.parse(ip_allowlist) as string[]),
      credits: credit_pool_id === null || version === null ? null : { poolId: credit_pool_id, version, refill: refillOf(refill_amount, refill_interval, refill_day) },
      owner:
        o_id == null
          ? null
          : { id: o_id, external_id: o_external_id ?? null, disabled: Number(o_disabled) === 1, meta: o_meta ? JSON.parse(o_meta) : null, ratelimit_limit: o_limit ?? null, ratelimit_duration_ms: o_duration ?? null },
      cachedUntil: this.clock.now() + this.options.ttlMs,
    };
    this.unknown.delete(digest);
    this.known.set(digest, key);
    return key;
  }

  // Keys of one project share their project id, role and usually their scopes: one copy each, not one per key,
  // so 100,000 cached keys are fewer objects for the garbage collector to walk. Bounded, cleared when full.
  private readonly strings = new Map<string, string>();
  private readonly scopeLists = new Map<string, readonly string[]>();

  private shared(s: string): string {
    const have = this.strings.get(s);
    if (have !== undefined) return have;
    if (this.strings.size >= 10_000) this.strings.clear();
    this.strings.set(s, s);
    return s;
  }

  private sharedScopes(json: string): string[] {
    let list = this.scopeLists.get(json);
    if (list === undefined) {
      if (this.scopeLists.size >= 10_000) this.scopeLists.clear();
      list = Object.freeze(JSON.parse(json) as string[]);
      this.scopeLists.set(json, list);
    }
    return list as string[];
  }

  dropDigest(digest: string): void {
    this.known.delete(digest);
    this.unknown.delete(digest);
  }

  /** An owner changed (disabled, enabled, role, limit, deleted): its keys are read again on next use. */
  dropOwner(ownerId: string): void {
    this.dropWhere((key) => key.owner?.id === ownerId);
  }

  dropProject(projectId: string): void {
    this.dropWhere((key) => key.project_id === projectId);
  }

  private dropWhere(match: (key: CachedKey) => boolean): void {
    const drop: string[] = [];
    for (const [digest, key] of this.known.entries()) if (match(key)) drop.push(digest);
    for (const digest of drop) this.known.delete(digest);
  }

  clear(): void {
    this.known.clear();
    this.unknown.clear();
  }
}
