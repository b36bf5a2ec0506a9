// The hot path: checksum -> digest -> cache (store on a miss) -> state at this instant.
import type { Clock } from '../util/clock.js';
import { digestKey, parseKey } from '../keys/material.js';
import { keyStatus, missingScopes } from '../keys/state.js';
import { andThen, type MaybePromise } from '../util/maybe-promise.js';
import type { Credits } from './credits.js';
import type { CachedKey, KeyCache } from './key-cache.js';
import type { UsageRecorder } from './usage.js';
import { VERIFY_CODES, type VerifyCode } from './codes.js';

export { VERIFY_CODES, type VerifyCode };

export interface VerifyRequest {
  key: string;
  required_scopes?: string[];
  environment_id?: string;
  /** Credits to take when the key has credits (default 1; 0 reads without spending). */
  cost?: number;
  /** The address the caller's API saw: checked against the key's IP allowlist. */
  client_ip?: string;
}

export interface VerifyResult {
  valid: boolean;
  code: VerifyCode;
  key_id: string | null;
  project_id: string | null;
  environment_id: string | null;
  name: string | null;
  role: string | null;
  scopes: string[] | null;
  expires_at: string | null;
  grace_expires_at: string | null;
  /** The key's rate limit after this verification; null for keys without one (and outcomes other than VALID and RATE_LIMITED). */
  ratelimit: { limit: number; remaining: number; reset_at: string } | null;
  /** The key's meta whenever the key is known (null when it has none). */
  meta: Record<string, unknown> | null;
  /** Credits left after this verification: for keys with credits, on VALID and USAGE_EXCEEDED; else null. */
  credits: { remaining: number } | null;
  /** The identity (owner) the key belongs to; null for keys without one and unknown keys. */
  identity: { id: string; external_id: string | null; meta: Record<string, unknown> | null } | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function unknown(code: 'MALFORMED' | 'NOT_FOUND'): VerifyResult {
  return { valid: false, code, key_id: null, project_id: null, environment_id: null, name: null, role: null, scopes: null, expires_at: null, grace_expires_at: null, ratelimit: null, meta: null, credits: null, identity: null };
}

const STATUS_CODES = { active: 'VALID', grace: 'VALID', expired: 'EXPIRED', revoked: 'REVOKED', rotated: 'ROTATED' } as const;

/** A key's rate limit after taking one unit; `reset_at` in ms. */
export interface KeyRateState {
  allowed: boolean;
  limit: number;
  remaining: number;
  reset_at: number;
}

/** Takes one verification from a key's rate limit, or its owner's shared one; called only for keys that have one. */
export type KeyLimiter = (key: CachedKey, now: number) => Promise<KeyRateState>;

/** Takes one verification from an owner's limit, shared by all its keys. */
export type OwnerLimiter = (owner: CachedKey['owner'] & {}, now: number) => Promise<KeyRateState>;

/** Told each outcome and its latency in seconds (metrics). */
export type VerifyObserver = (code: VerifyCode, seconds: number) => void;

export class Verifier {
  limiter: KeyLimiter | null = null;
  credits: Credits | null = null;
  ownerLimiter: OwnerLimiter | null = null;
  /**
   * True once keys were imported from another system (their format has no Keymint checksum): a key that fails the
   * checksum is then looked up by digest before it is called MALFORMED. Until then MALFORMED needs no storage.
   */
  foreignKeys = false;
  observer: VerifyObserver | null = null;

  constructor(
    readonly cache: KeyCache,
    private readonly clock: Clock,
    private readonly usage: UsageRecorder,
  ) {}

  /**
   * The key behind a plaintext, or why there is none (without reading the store for a malformed one): at once
   * when the cache knows, a promise when the store must be asked.
   */
  resolve(plaintext: string): MaybePromise<CachedKey | 'MALFORMED' | 'NOT_FOUND'> {
    if (!parseKey(plaintext)) {
      if (!this.foreignKeys || plaintext.length < 16 || plaintext.length > 512) return 'MALFORMED';
      return andThen(this.cache.lookup(digestKey(plaintext)), (key) => key ?? 'MALFORMED');
    }
    const found = this.cache.lookup(digestKey(plaintext));
    return found instanceof Promise ? found.then((key) => key ?? 'NOT_FOUND') : (found ?? 'NOT_FOUND');
  }

  /**
   * `projectId`: the caller sees only this project's keys (null for root). A cached key without a rate limit is
   * answered at once, with no promise and no closure; a promise only when the store or the rate limiter must be asked.
   */
  verify(req: VerifyRequest, projectId: string | null): MaybePromise<VerifyResult> {
    const started = this.observer === null ? 0 : performance.now();
    const key = this.resolve(req.key);
    const result = key instanceof Promise ? key.then((k) => this.check(req, projectId, k)) : this.check(req, projectId, key);
    if (this.observer === null) return result;
    return result instanceof Promise ? result.then((r) => this.observed(r, started)) : this.observed(result, started);
  }

  private observed(result: VerifyResult, started: number): VerifyResult {
    this.observer!(result.code, (performance.now() - started) / 1000);
    return result;
  }

  private check(req: VerifyRequest, projectId: string | null, key: CachedKey | 'MALFORMED' | 'NOT_FOUND'): MaybePromise<VerifyResult> {
    if (typeof key === 'string') return unknown(key);
    if ((projectId !== null && key.project_id !== projectId) || (req.environment_id !== undefined && key.environment_id !== req.environment_id)) {
      return unknown('NOT_FOUND');
    }
    const now = this.clock.now();
    let code: VerifyCode = STATUS_CODES[keyStatus(key, now)];
    // A disabled owner stops its keys without revoking them.
    if (code === 'VALID' && key.owner?.disabled) code = 'DISABLED';
    if (code === 'VALID' && key.allowlist !== null && !key.allowlist.allows(req.client_ip)) code = 'IP_NOT_ALLOWED';
    if (code === 'VALID' && req.required_scopes && missingScopes(key.scopes, req.required_scopes).length > 0) code = 'INSUFFICIENT_SCOPES';
    if (code !== 'VALID') return this.answer(key, code, null, null, now);
    // Keys without a limit (of their own or their owner's) never leave this process for it.
    const owner = key.owner !== null && key.owner.ratelimit_limit !== null && this.ownerLimiter ? key.owner : null;
    if (owner !== null) {
      return this.ownerLimiter!(owner, now).then((shared) => {
        if (!shared.allowed) return this.answer(key, 'RATE_LIMITED', shared, null, now);
        return this.ownLimit(req, key, now, shared);
      });
    }
    return this.ownLimit(req, key, now, null);
  }

  /** The key's own limit (after its owner's allowed it); the answer reports the tighter of the two. */
  private ownLimit(req: VerifyRequest, key: CachedKey, now: number, shared: KeyRateState | null): MaybePromise<VerifyResult> {
    if (key.ratelimit_limit !== null && this.limiter) {
      return this.limiter(key, now).then((rate) => {
        const reported = shared !== null && shared.remaining < rate.remaining && rate.allowed ? shared : rate;
        return rate.allowed ? this.spend(req, key, reported, now) : this.answer(key, 'RATE_LIMITED', reported, null, now);
      });
    }
    return this.spend(req, key, shared, now);
  }

  /** The last step of a verification that is otherwise VALID: its credits, for keys that have them. */
  private spend(req: VerifyRequest, key: CachedKey, rate: KeyRateState | null, now: number): MaybePromise<VerifyResult> {
    if (key.credits === null || this.credits === null) return this.answer(key, 'VALID', rate, null, now);
    return this.credits.spend(key.credits, req.cost ?? 1, now).then((c) => this.answer(key, c.allowed ? 'VALID' : 'USAGE_EXCEEDED', rate, c.remaining, now));
  }

  private answer(key: CachedKey, code: VerifyCode, rate: KeyRateState | null, credits: number | null, now: number): VerifyResult {
    this.usage.record(key, code, now);
    return {
      valid: code === 'VALID',
      code,
      key_id: key.id,
      project_id: key.project_id,
      environment_id: key.environment_id,
      name: key.name,
      role: key.role,
      scopes: key.scopes,
      expires_at: iso(key.expires_at),
      grace_expires_at: iso(key.grace_expires_at),
      ratelimit: rate && { limit: rate.limit, remaining: rate.remaining, reset_at: iso(rate.reset_at)! },
      meta: key.meta,
      credits: credits === null ? null : { remaining: credits },
      identity: key.owner && { id: key.owner.id, external_id: key.owner.external_id, meta: key.owner.meta },
    };
  }
}

