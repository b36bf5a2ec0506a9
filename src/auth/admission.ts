// Who may come in, decided once for every surface: lockout -> credential -> management request limit, answered
// as one tagged result that each surface only words in its own error shape.
//
// The credential step is open: a surface passes the credential kinds it accepts (a Bearer key, Basic api_key,
// a SigV4 pair; later verifier keys, service-account tokens, a dashboard session cookie), and each kind reads its
// own part of the request, checks it, and says whether memory alone shows it good (for a locked address).
import type { IncomingHttpHeaders } from 'node:http';
import type { Clock } from '../util/clock.js';
import type { CredentialThrottle } from '../limits/credential-throttle.js';
import type { Lockout } from '../limits/lockout.js';
import { type MaybePromise } from '../util/maybe-promise.js';
import type { Principal } from './principal.js';

/**
 * Why a credential was refused. `missing`: none sent (never counted against the address); `invalid`: a
 * signature that does not verify (SigV4); `ip_not_allowed`: a key with an IP allowlist used from elsewhere (403); the
 * rest as the key's state says.
 */
export type CredentialFailure = 'missing' | 'malformed' | 'unknown' | 'expired' | 'revoked' | 'rotated' | 'invalid' | 'ip_not_allowed' | 'disabled';

export type CredentialOutcome = { ok: true; principal: Principal } | { ok: false; failure: CredentialFailure; message?: string };

/** What a credential kind may read of a request; a Fastify request is one. */
export interface AdmissionRequest {
  ip: string;
  method: string;
  headers: IncomingHttpHeaders;
  body?: unknown;
  raw: { url?: string };
}

/** One kind of credential a surface accepts. `C` is what `read` finds in the request. */
export interface CredentialKind<C = unknown> {
  /** The credential of this kind the request carries, or null when it carries none (the next kind is asked). */
  read(request: AdmissionRequest): C | null;
  /** Is it good? From memory when it can (no promise), from the store when it must. */
  check(credential: C, request: AdmissionRequest): MaybePromise<CredentialOutcome>;
  /**
   * While the address is locked: the outcome when memory alone shows the credential good (a root key, a key
   * cached or recently authenticated); null otherwise, and then the request is refused without a store read.
   */
  recall(credential: C, request: AdmissionRequest): MaybePromise<CredentialOutcome | null>;
}

/**
 * What a group of routes accepts. `management`: each request counts against the credential's request limit
 * (every route but `POST /v1/keys/verify`, which per-key rate limits cover).
 */
export interface Gate {
  kinds: readonly CredentialKind<any>[];
  management: boolean;
  /**
   * A verifier key passes this management gate too (the key stream and the usage report, which a local verifier
   * running on a verify-only credential needs); it counts against its request limit like any management call.
   */
  verifiers?: boolean;
}

export type Admitted = { ok: true; principal: Principal };
export type Refusal =
  | { ok: false; refusal: 'locked'; retryAfterSeconds: number }
  | { ok: false; refusal: 'credential'; failure: CredentialFailure; message?: string }
  | { ok: false; refusal: 'throttled'; retryAfterSeconds: number }
  /** A verifier key at a management gate that does not take verifier keys (403). */
  | { ok: false; refusal: 'verify_only' };
export type AdmissionResult = Admitted | Refusal;

const MISSING: Refusal = { ok: false, refusal: 'credential', failure: 'missing' };
const VERIFY_ONLY: Refusal = { ok: false, refusal: 'verify_only' };

export interface AdmissionHooks {
  /** A project key authenticated (its last use, batched). */
  keyUsed?(numId: number, now: number): void;
}

export class Admission {
  constructor(
    private readonly lockout: Lockout,
    private readonly throttle: CredentialThrottle,
    private readonly clock: Clock,
    private readonly hooks: AdmissionHooks = {},
  ) {}

  /** Answers at once, with no promise, when everything it needs is in memory (the verify hot path). */
  admit(request: AdmissionRequest, gate: Gate): MaybePromise<AdmissionResult> {
    const [kind, credential] = this.credentialOf(request, gate);
    const locked = this.lockout.lockedFor(request.ip);
    if (locked > 0) return this.whileLocked(kind, credential, request, locked, gate);
    if (kind === null) return MISSING;
    const outcome = kind.check(credential, request);
    return outcome instanceof Promise ? outcome.then((o) => this.settle(o, request, gate)) : this.settle(outcome, request, gate);
  }

  /**
   * For the verify fast path: the caller when its credential is good at a gate without a request limit, or null,
   * having counted nothing, so that `admit` (the long way) decides and counts it once. A locked address is null.
   */
  admitUncounted(request: AdmissionRequest, gate: Gate): MaybePromise<Admitted | null> {
    const [kind, credential] = this.credentialOf(request, gate);
    if (kind === null || gate.management || this.lockout.lockedFor(request.ip) > 0) return null;
    const outcome = kind.check(credential, request);
    // A store that fails is the long way's to report.
    return outcome instanceof Promise ? outcome.then((o) => this.good(o, gate), () => null) : this.good(outcome, gate);
  }

  private good(outcome: CredentialOutcome, gate: Gate): Admitted | null {
    return outcome.ok ? (this.admitted(outcome, gate) as Admitted) : null;
  }

  private credentialOf(request: AdmissionRequest, gate: Gate): [CredentialKind<any> | null, unknown] {
    const kinds = gate.kinds;
    for (let i = 0; i < kinds.length; i++) {
      const credential = kinds[i].read(request);
      if (credential !== null) return [kinds[i], credential];
    }
    return [null, null];
  }

  private settle(outcome: CredentialOutcome, request: AdmissionRequest, gate: Gate): MaybePromise<AdmissionResult> {
    if (outcome.ok) return this.admitted(outcome, gate);
    const refusal: Refusal = { ok: false, refusal: 'credential', failure: outcome.failure, message: outcome.message };
    if (outcome.failure === 'missing') return refusal;
    // A bad credential counts against its address; a good one clears nothing (it must not buy more guesses).
    return this.lockout.fail(request.ip).then(
      () => refusal,
      (e) => {
        this.lockout.onError(e);
        return refusal;
      },
    );
  }

  /** A locked address: only a credential memory shows good goes on; nothing else reaches the store. */
  private whileLocked(kind: CredentialKind<any> | null, credential: unknown, request: AdmissionRequest, locked: number, gate: Gate): MaybePromise<AdmissionResult> {
    const refuse = (): Refusal => {
      this.lockout.refused++;
      return { ok: false, refusal: 'locked', retryAfterSeconds: locked };
    };
    if (kind === null) return refuse();
    const recalled = kind.recall(credential, request);
    const decide = (o: CredentialOutcome | null) => (o?.ok ? this.admitted(o, gate) : refuse());
    return recalled instanceof Promise ? recalled.then(decide) : decide(recalled);
  }

  /** The credential is good: note a key's use, then the management request limit. */
  private admitted(outcome: Admitted, gate: Gate): MaybePromise<AdmissionResult> {
    const principal = outcome.principal;
    if (principal.kind === 'api_key') this.hooks.keyUsed?.(principal.numId, this.clock.now());
    if (!gate.management) return outcome;
    if (principal.kind === 'verifier' && !gate.verifiers) return VERIFY_ONLY;
    return this.throttle.take(principal).then((wait): AdmissionResult => (wait > 0 ? { ok: false, refusal: 'throttled', retryAfterSeconds: wait } : outcome));
  }
}
