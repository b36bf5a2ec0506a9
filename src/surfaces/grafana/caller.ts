// Who is calling the Grafana surface, and in which organization (a Keymint project addressed by org_id).
import type { FastifyRequest } from 'fastify';
import { type AuthFailure, tokenFrom } from '../../auth/authenticator.js';
import type { Principal } from '../../auth/principal.js';
import type { Keymint } from '../../keymint.js';
import { ServiceError } from '../../service/errors.js';
import type { ProjectRow } from '../../service/projects.js';
import { accessDenied, type ApiKeyAction, GrafanaError } from './errors.js';

export interface GrafanaCaller {
  principal: Principal;
  /** The organization the request acts in. */
  org: ProjectRow;
}

/** Grafana's 401 wording per refusal; a rotated-out key is past its grace period, so "Expired". */
const UNAUTHORIZED: Record<Exclude<AuthFailure, 'locked'>, string> = {
  missing: 'Unauthorized',
  malformed: 'Invalid API key',
  unknown: 'Unauthorized',
  expired: 'Expired API key',
  revoked: 'Revoked API key',
  rotated: 'Expired API key',
  ip_not_allowed: 'API key not allowed from this address',
};

/** `X-Grafana-Org-Id` as Grafana's strconv.ParseInt reads it; absent is null. */
function orgHeader(request: FastifyRequest): number | null {
  const raw = request.headers['x-grafana-org-id'];
  if (raw === undefined) return null;
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!/^[+-]?\d{1,15}$/.test(value)) {
    throw new GrafanaError(400, `X-Grafana-Org-Id ${JSON.stringify(value)} is not an organization id: send a whole number, for example X-Grafana-Org-Id: 1`);
  }
  return Number(value);
}

/**
 * Authenticates (401 first), settles the organization, then requires Admin in it (403 with the
 * route's action): Grafana's order. A root key acts as Admin in the organization the header names.
 */
export async function grafanaCaller(km: Keymint, request: FastifyRequest, action: ApiKeyAction): Promise<GrafanaCaller> {
  const principal = await authenticated(km, request);
  const orgId = orgHeader(request);
  let org: ProjectRow | undefined;
  if (principal.kind === 'api_key') {
    org = await km.projects.get(principal.projectId);
    if (orgId !== null && orgId !== org.org_id) throw new GrafanaError(401, 'API key does not belong to the requested organization');
  } else {
    if (orgId === null) {
      throw new GrafanaError(400, 'A root key acts in the organization named by the X-Grafana-Org-Id header: send X-Grafana-Org-Id: <org_id of the project>');
    }
    org = await km.projects.findByOrgId(orgId);
    if (!org) throw new GrafanaError(404, `Organization ${orgId} not found`);
  }
  try {
    km.keys.requireManager(principal, org.id);
  } catch (e) {
    if (e instanceof ServiceError && e.kind === 'forbidden') throw accessDenied(action);
    throw e;
  }
  return { principal, org };
}

/** The principal behind `Authorization` (Bearer, or Basic with the user name `api_key`), or a 401. */
export async function authenticated(km: Keymint, request: FastifyRequest): Promise<Principal> {
  const result = await km.auth.authenticate(tokenFrom(request.headers.authorization, true), request.ip);
  if (!result.ok && result.failure === 'locked') {
    const wait = result.retryAfterSeconds;
    throw new GrafanaError(429, km.limits.lockout.message(wait), {}, { 'retry-after': String(wait) });
  }
  if (!result.ok) throw new GrafanaError(result.failure === 'ip_not_allowed' ? 403 : 401, UNAUTHORIZED[result.failure]);
  if (result.principal.kind === 'verifier') throw new GrafanaError(403, 'A verifier key may only call POST /v1/keys/verify: it has no access to /api');
  const wait = await km.limits.throttle.take(result.principal);
  if (wait > 0) throw new GrafanaError(429, km.limits.throttle.message(wait), {}, { 'retry-after': String(wait) });
  return result.principal;
}
