// Authorization header -> Principal, for every surface. Root keys and project keys share one format.
import type { Clock } from '../util/clock.js';
import { digestKey, parseKey } from '../keys/material.js';
import type { Role } from '../keys/roles.js';
import { keyStatus } from '../keys/state.js';
import { andThen, type MaybePromise } from '../util/maybe-promise.js';
import type { CachedKey } from '../verify/key-cache.js';
import type { Lockout } from '../limits/lockout.js';
import type { Verifier } from '../verify/verifier.js';
import type { RootKeys } from './root-keys.js';
import type { VerifierKeys } from './verifier-keys.js';
import type { Principal } from './principal.js';

/**
 * Why a credential was refused; each surface words it in its own shape. `locked`: the client address failed
 * too often and is refused without looking at the credential (429 with Retry-After: `retryAfterSeconds`).
 */
export type AuthFailure = 'missing' | 'malformed' | 'unknown' | 'expired' | 'revoked' | 'rotated' | 'ip_not_allowed' | 'locked';

export type AuthResult =
  | { ok: true; principal: Principal; key: CachedKey | null }
  | { ok: false; failure: Exclude<AuthFailure, 'locked'> }
  | { ok: false; failure: 'locked'; retryAfterSeconds: number };

/** The key in `Authorization: Bearer <key>`, or with `basic`, `Basic base64(api_key:<key>)` (Grafana). */
export function tokenFrom(header: string | undefined, basic = false): string | null | 'malformed' {
  if (!header) return null;
  const space = header.indexOf(' ');
  const scheme = space < 0 ? header : header.slice(0, space);
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  if (scheme.toLowerCase() === 'bearer' && value) return value;
  if (basic && scheme.toLowerCase() === 'basic' && value) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0 && decoded.slice(0, colon) === 'api_key') return decoded.slice(colon + 1);
  }
  return 'malformed';
}

export class Authenticator {
  constructor(
    private readonly verifier: Verifier,
    private readonly rootKeys: RootKeys,
    private readonly clock: Clock,
    private readonly lockout: Lockout | null = null,
    private readonly verifierKeys: VerifierKeys | null = null,
  ) {}

  /**
   * `ip`: the client address, for lockout. A locked address is refused first; a bad credential counts a
   * failure against it (no credential at all does not), a good one clears its count. Answers at once, with no
   * promise, when everything it needs is in memory (root keys, a cached key, a success or a missing credential).
   */
  authenticate(token: string | null | 'malformed', ip?: string): MaybePromise<AuthResult> {
    const lockout = ip === undefined ? null : this.lockout;
    if (lockout) {
      const retryAfterSeconds = lockout.lockedFor(ip!);
      if (retryAfterSeconds > 0) return { ok: false, failure: 'locked', retryAfterSeconds };
    }
    return andThen(this.check(token, ip), (result) => {
      const settled = lockout?.settle(ip!, result.ok ? 'success' : result.failure === 'missing' ? 'none' : 'failure');
      return settled ? settled.then(() => result) : result;
    });
  }

  /** `ip`: the request's own address (after KEYMINT_TRUST_PROXY), checked against a key's IP allowlist. */
  private check(token: string | null | 'malformed', ip: string | undefined): MaybePromise<AuthResult> {
    if (token === null) return { ok: false, failure: 'missing' };
    if (token === 'malformed') return { ok: false, failure: 'malformed' };
    if (!parseKey(token)) return { ok: false, failure: 'malformed' };
    // One digest serves both lookups; root keys are in memory, so they are checked first.
    // (Remembering digests by plaintext would save ~0.6 µs, but would keep callers' keys in memory.)
    const digest = digestKey(token);
    const rootId = this.rootKeys.idOf(digest);
    if (rootId) return { ok: true, principal: { kind: 'root', id: rootId }, key: null };
    const verifierKey = this.verifierKeys?.find(digest);
    if (verifierKey) return { ok: true, principal: { kind: 'verifier', ...verifierKey }, key: null };
    return andThen(this.verifier.cache.lookup(digest), (key) => this.ofKey(key, ip));
  }

  private ofKey(key: CachedKey | null, ip: string | undefined): AuthResult {
    if (!key) return { ok: false, failure: 'unknown' };
    const status = keyStatus(key, this.clock.now());
    if (status === 'active' || status === 'grace') {
      if (key.allowlist !== null && !key.allowlist.allows(ip)) return { ok: false, failure: 'ip_not_allowed' };
      return { ok: true, principal: { kind: 'api_key', id: key.id, numId: key.num_id, projectId: key.project_id, role: key.role as Role }, key };
    }
    return { ok: false, failure: status };
  }
}
