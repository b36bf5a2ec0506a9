// digest -> key, from memory when we can, from the store on a miss. The change feed drops stale entries.
import type { Clock } from '../util/clock.js';
import { type Allowlist, compileAllowlist } from '../keys/cidr.js';
import { refillOf } from '../keys/credits.js';
import type { MaybePromise } from '../util/maybe-promise.js';
import { findForVerification, type KeyRow } from '../store/api-keys.js';
import type { Store } from '../store/db.js';
import type { CachedCredits } from './credits.js';
import { Lru } from './lru.js';

/** The columns verification and authentication read: no more, so 100,000 cached keys stay small. */
const COLUMNS = [
  'num_id', 'id', 'project_id', 'environment_id', 'name', 'key_prefix', 'role', 'scopes', 'expires_at', 'created_at',
  'revoked_at', 'replaced_by_key_id', 'grace_expires_at', 'rotation_interval_days', 'ratelimit_limit', 'ratelimit_duration_ms',
] as const;

/**
 * What verification needs of a key; scopes, meta and the allowlist parsed once when cached, with the settings
 * (not the count) of its credit pool.
 */
export type CachedKey = Omit<Pick<KeyRow, (typeof COLUMNS)[number]>, 'scopes'> & {
  scopes: string[];
  meta: Record<string, unknown> | null;
  allowlist: Allowlist | null;
  credits: CachedCredits | null;
};

/** `key: null` remembers that no such key exists. */
type Entry = { key: CachedKey | null; until: number };

export interface KeyCacheOptions {
  maxEntries: number;
  /** A backstop only: the change feed drops changed keys long before this. */
  ttlMs: number;
  /** How long "no such key" is remembered; a created key clears it at once through the change feed anyway. */
  negativeTtlMs: number;
}

export class KeyCache {
  private readonly lru: Lru<string, Entry>;
  hits = 0;
  misses = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    readonly options: KeyCacheOptions = { maxEntries: 100_000, ttlMs: 300_000, negativeTtlMs: 10_000 },
  ) {
    this.lru = new Lru(options.maxEntries);
  }

  get size(): number {
    return this.lru.size;
  }

  /** The cached answer without the store: `undefined` when there is none (never cached, dropped or too old). */
  peek(digest: string): CachedKey | null | undefined {
    const hit = this.lru.get(digest);
    if (hit === undefined || hit.until <= this.clock.now()) return undefined;
    this.hits++;
    return hit.key;
  }

  /** From memory when cached (no promise), else from the store. */
  lookup(digest: string): MaybePromise<CachedKey | null> {
    const hit = this.peek(digest);
    return hit === undefined ? this.byDigest(digest) : hit;
  }

  async byDigest(digest: string): Promise<CachedKey | null> {
    const hit = this.peek(digest);
    if (hit !== undefined) return hit;
    this.misses++;
    const row = await findForVerification(this.store.db, digest, COLUMNS);
    if (!row) {
      this.lru.set(digest, { key: null, until: this.clock.now() + this.options.negativeTtlMs });
      return null;
    }
    const { meta, ip_allowlist, credit_pool_id, version, refill_amount, refill_interval, refill_day, ...columns } = row;
    const key: CachedKey = {
      ...columns,
      meta: meta === null ? null : (JSON.parse(meta) as Record<string, unknown>),
      allowlist: ip_allowlist === null ? null : compileAllowlist(JSON.parse(ip_allowlist) as string[]),
      credits: credit_pool_id === null || version === null ? null : { poolId: credit_pool_id, version, refill: refillOf(refill_amount, refill_interval, refill_day) },
      project_id: this.shared(row.project_id),
      environment_id: row.environment_id === null ? null : this.shared(row.environment_id),
      role: this.shared(row.role),
      scopes: this.sharedScopes(row.scopes),
    };
    this.lru.set(digest, { key, until: this.clock.now() + this.options.ttlMs });
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
    this.lru.delete(digest);
  }

  dropProject(projectId: string): void {
    this.lru.deleteWhere((e) => e.key?.project_id === projectId);
  }

  clear(): void {
    this.lru.clear();
  }
}
