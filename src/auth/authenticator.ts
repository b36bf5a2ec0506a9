// A Keymint key in `Authorization` (Bearer, or Grafana's Basic api_key) -> Principal: the credential kind every
// surface but AWS accepts. Root keys, verifier keys and project keys share one format.
import type { Clock } from '../util/clock.js';
import { digestKey, parseKey } from '../keys/material.js';
import type { Role } from '../keys/roles.js';
import { keyStatus } from '../keys/state.js';
import type { MaybePromise } from '../util/maybe-promise.js';
import type { CachedKey } from '../verify/key-cache.js';
import type { Verifier } from '../verify/verifier.js';
import type { AdmissionRequest, CredentialKind, CredentialOutcome } from './admission.js';
import type { RecentCredentials } from './recent-credentials.js';
import type { RootKeys } from './root-keys.js';
import type { VerifierKeys } from './verifier-keys.js';

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

const MALFORMED: CredentialOutcome = { ok: false, failure: 'malformed' };
const UNKNOWN: CredentialOutcome = { ok: false, failure: 'unknown' };
const IP_NOT_ALLOWED: CredentialOutcome = { ok: false, failure: 'ip_not_allowed' };

export class Authenticator implements CredentialKind<string> {
  constructor(
    private readonly verifier: Verifier,
    private readonly rootKeys: RootKeys,
    private readonly clock: Clock,
    /** Digests of project keys that authenticated from the store recently; cached ones are in the key cache. */
    private readonly recent: RecentCredentials,
    /** Credentials that may only verify (the gates of management routes refuse them). */
    private readonly verifierKeys: VerifierKeys,
    /** Also accept Grafana's `Basic base64(api_key:<key>)`. */
    private readonly basic = false,
  ) {}

  /** The same keys, also read from Grafana's Basic api_key form. */
  withBasic(): Authenticator {
    return new Authenticator(this.verifier, this.rootKeys, this.clock, this.recent, this.verifierKeys, true);
  }

  /** Root and verifier keys are held in memory: the principal of one, or null. */
  private inMemory(digest: string): CredentialOutcome | null {
    const rootId = this.rootKeys.idOf(digest);
    if (rootId) return { ok: true, principal: { kind: 'root', id: rootId } };
    const verifierKey = this.verifierKeys.find(digest);
    if (verifierKey) return { ok: true, principal: { kind: 'verifier', ...verifierKey } };
    return null;
  }

  read(request: AdmissionRequest): string | null {
    return tokenFrom(request.headers.authorization, this.basic);
  }

  /**
   * Answers at once, with no promise, when everything it needs is in memory (root keys, a cached key). A key with an
   * IP allowlist is checked against the request's own address (after KEYMINT_TRUST_PROXY).
   */
  check(token: string, request: AdmissionRequest): MaybePromise<CredentialOutcome> {
    if (token === 'malformed' || !parseKey(token)) return MALFORMED;
    // One digest serves every lookup; root and verifier keys are in memory, so they are checked first.
    // (Remembering digests by plaintext would save ~0.6 µs, but would keep callers' keys in memory.)
    const digest = digestKey(token);
    const held = this.inMemory(digest);
    if (held) return held;
    const found = this.verifier.cache.lookup(digest);
    if (!(found instanceof Promise)) return this.ofKey(found, request.ip);
    return found.then((key) => {
      const outcome = this.ofKey(key, request.ip);
      if (outcome.ok) this.recent.remember(digest);
      return outcome;
    });
  }

  /** A locked address: a root key, a cached good key, or one that authenticated recently; never a store read for others. */
  recall(token: string, request: AdmissionRequest): MaybePromise<CredentialOutcome | null> {
    if (token === 'malformed' || !parseKey(token)) return null;
    const digest = digestKey(token);
    const held = this.inMemory(digest);
    if (held) return held;
    const cached = this.verifier.cache.peek(digest);
    if (cached) return this.ofKey(cached, request.ip);
    if (cached === undefined && this.recent.has(digest)) return this.check(token, request);
    return null;
  }

  private ofKey(key: CachedKey | null, ip: string): CredentialOutcome {
    if (!key) return UNKNOWN;
    const status = keyStatus(key, this.clock.now());
    if (status === 'active' || status === 'grace') {
      // A key of a disabled owner (service account, identity) is refused, not revoked.
      if (key.owner?.disabled) return { ok: false, failure: 'disabled' };
      if (key.allowlist !== null && !key.allowlist.allows(ip)) return IP_NOT_ALLOWED;
      return { ok: true, principal: { kind: 'api_key', id: key.id, numId: key.num_id, projectId: key.project_id, role: key.role as Role } };
    }
    return { ok: false, failure: status };
  }
}
