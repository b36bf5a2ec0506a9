// Who is calling the Grafana surface, and in which organization (a Keymint project addressed by org_id).
import type { FastifyRequest } from 'fastify';
import type { CredentialFailure, Gate } from '../../auth/admission.js';
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

/** Grafana's 401 wording and messageId per refusal (Grafana's authn errors); a rotated-out key is past its grace period, so "Expired". */
const UNAUTHORIZED: Record<CredentialFailure, [message: string, messageId: string]> = {
  missing: ['Unauthorized', 'auth.unauthorized'],
  malformed: ['Invalid API key', 'api-key.invalid'],
  unknown: ['Unauthorized', 'auth.unauthorized'],
  expired: ['Expired API key', 'api-key.expired'],
  revoked: ['Revoked API key', 'api-key.revoked'],
  rotated: ['Expired API key', 'api-key.expired'],
  invalid: ['Invalid API key', 'api-key.invalid'],
  // 403, not 401: the key is good, the address is not in its ip_allowlist.
  ip_not_allowed: ['API key not allowed from this address', 'api-key.ip-not-allowed'],
  disabled: ['Service account is disabled', 'service-account.disabled'],
};

/** Grafana's errutil body beside `message`: a stable id and the status. */
export const grafanaIds = (messageId: string, statusCode: number) => ({ messageId, statusCode });

const VERIFIER_ONLY = 'A verifier key may only call POST /v1/keys/verify: it has no access to /api';

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
    if (orgId !== null && orgId !== org.org_id) {
      throw new GrafanaError(401, 'API key does not belong to the requested organization', grafanaIds('api-key.organization-mismatch', 401));
    }
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

/** The principal behind `Authorization` (Bearer, or Basic with the user name `api_key`), or a 401 or 429. */
export async function authenticated(km: Keymint, request: FastifyRequest, gate: Gate = { kinds: [km.credentials.bearerOrBasic], management: true }): Promise<Principal> {
  // Management, not the verify hot path: one cheap read of the change feed first, so a token deleted or an account
  // disabled on another node is refused on the very next request here (not up to a feed poll later).
  await km.feed.catchUp();
  const result = await km.admission.admit(request, gate);
  if (result.ok) return result.principal;
  if (result.refusal === 'credential') {
    const [message, messageId] = UNAUTHORIZED[result.failure];
    const status = result.failure === 'ip_not_allowed' ? 403 : 401;
    throw new GrafanaError(status, message, grafanaIds(messageId, status));
  }
  if (result.refusal === 'verify_only') throw new GrafanaError(403, VERIFIER_ONLY, grafanaIds('keymint.verify-only', 403));
  const wait = result.retryAfterSeconds;
  const locked = result.refusal === 'locked';
  throw new GrafanaError(
    429,
    locked ? km.limits.lockout.message(wait) : km.limits.throttle.message(wait),
    grafanaIds(locked ? 'keymint.locked-out' : 'keymint.rate-limited', 429),
    { 'retry-after': String(wait) },
  );
}
