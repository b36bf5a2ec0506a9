// The dashboard session as a credential: cookie -> session -> principal, with the CSRF rules a cookie needs
// (a browser sends cookies with requests other sites make it send; a header it cannot set proves the page is ours).
// Framework-free, so it plugs into the one credential step of every surface (src/auth/admission.ts) as it is.
import type { AdmissionRequest, CredentialKind, CredentialOutcome } from './admission.js';
import { type ActiveSession, csrfMatches, type DashboardSessions } from './dashboard-sessions.js';
import type { Principal } from './principal.js';

/** Over https the cookie is `__Host-` prefixed: the browser then insists on Secure, Path=/ and no Domain. */
export const SESSION_COOKIE = 'keymint_session';
export const SECURE_SESSION_COOKIE = '__Host-keymint_session';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What the rules read from a request. */
export interface SessionRequest {
  method: string;
  cookie: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
  csrfToken: string | undefined;
  /** The origin the dashboard is served from (KEYMINT_PUBLIC_URL's, else the request's own scheme and Host). */
  ownOrigin: string;
}

/** The session id in a Cookie header, if any. */
export function sessionIdFrom(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  let plain: string | null = null;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name === SECURE_SESSION_COOKIE && value) return value;
    if (name === SESSION_COOKIE && value) plain = value;
  }
  return plain;
}

/**
 * Why a request that changes something must be refused as coming from another site, or null. Browsers send
 * `Sec-Fetch-Site` and `Origin` with such requests; clients that send neither are no browser, and carry no cookie
 * a browser could be tricked into sending.
 */
export function crossSiteRefusal(r: Pick<SessionRequest, 'origin' | 'secFetchSite' | 'ownOrigin'>): string | null {
  if (r.secFetchSite !== undefined && r.secFetchSite !== 'same-origin') {
    return `cross-site request refused (Sec-Fetch-Site: ${r.secFetchSite}): the dashboard only accepts changes from its own pages`;
  }
  if (r.origin !== undefined && r.origin !== r.ownOrigin) {
    return `cross-site request refused (Origin ${r.origin} is not ${r.ownOrigin}): set KEYMINT_PUBLIC_URL to the URL browsers open the dashboard at`;
  }
  return null;
}

/**
 * The CSRF rules for a request that will be admitted by its session cookie (no Authorization header): why it
 * must be refused (403), or null. They need only the session id (the token is derived from it), so they run
 * before the credential step, without a store read.
 */
export function csrfRefusal(r: SessionRequest): string | null {
  const id = sessionIdFrom(r.cookie);
  if (!id || SAFE_METHODS.has(r.method)) return null;
  const refusal = crossSiteRefusal(r);
  if (refusal) return refusal;
  if (!csrfMatches(id, r.csrfToken)) {
    return `The ${CSRF_HEADER} header is missing or wrong: send the csrf_token of GET /v1/sessions/current with every change`;
  }
  return null;
}

export const SESSION_ENDED = 'The dashboard session has ended (signed out, idle too long, or its key was revoked): sign in again';

/**
 * The dashboard session as a credential kind of the admission step (src/auth/admission.ts): a request with no
 * Authorization header and a session cookie is the session's principal. An unknown or ended session is refused
 * as `missing` (with its own message): a browser keeps sending a stale cookie, which must not lock its address
 * out; the lockout applies where a key is checked, at sign-in. Session ids are 256 random bits, not guessable, and
 * a live session is as good as the key it was exchanged for, so a locked address keeps its sessions.
 */
export class SessionCredential implements CredentialKind<string> {
  constructor(
    private readonly sessions: DashboardSessions,
    /** The session found for a request (the sessions routes read it). */
    private readonly onSession: (request: AdmissionRequest, id: string, session: ActiveSession) => void = () => {},
  ) {}

  read(request: AdmissionRequest): string | null {
    if (request.headers.authorization) return null;
    return sessionIdFrom(request.headers.cookie);
  }

  async check(id: string, request: AdmissionRequest): Promise<CredentialOutcome> {
    const session = await this.sessions.resolve(id);
    if (!session) return { ok: false, failure: 'missing', message: SESSION_ENDED };
    this.onSession(request, id, session);
    return { ok: true, principal: session.principal };
  }

  async recall(id: string, request: AdmissionRequest): Promise<CredentialOutcome | null> {
    const outcome = await this.check(id, request);
    return outcome.ok ? outcome : null;
  }
}

/** Set-Cookie for a new session (no Max-Age: the server ends it; the browser drops it when closed). */
export function sessionCookie(id: string, secure: boolean): string {
  return secure ? `${SECURE_SESSION_COOKIE}=${id}; Path=/; HttpOnly; Secure; SameSite=Strict` : `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict`;
}

/** Set-Cookie that removes the session cookie. */
export function clearedSessionCookie(secure: boolean): string {
  return secure
    ? `${SECURE_SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`
    : `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}
