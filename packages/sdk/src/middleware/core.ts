// What every framework adapter shares: take the key from the request, verify it, and say what to answer when it
// does not pass (401, 403 or 429 as RFC 9457 problem details, like Keymint's own API).
import type { VerifyOptions, VerifyResult } from '../client.js';
import type { ProblemDetails } from '../errors.js';

/** `keymint.keys` (HTTP) or a local verifier: anything with Keymint's verify. */
export interface KeyVerifier {
  verify(key: string, options?: VerifyOptions): Promise<VerifyResult>;
}

export interface KeymintAuthOptions {
  verifier: KeyVerifier;
  /** Read the key from this header as it is (for example `x-api-key`); default `Authorization: Bearer <key>`. */
  header?: string;
  /** Scopes every request must have; a route may ask for its own. */
  requiredScopes?: string[];
  /** Only keys of this environment pass. */
  environmentId?: string;
}

export type AuthOutcome =
  | { ok: true; result: VerifyResult }
  | { ok: false; status: 401 | 403 | 429 | 503; problem: ProblemDetails; headers: Record<string, string> };

/** 401: the key itself is no good (another key is the cure). */
const UNAUTHORIZED: Partial<Record<VerifyResult['code'], string>> = {
  MALFORMED: 'The API key is not well formed: check it was copied whole',
  NOT_FOUND: 'The API key is not known',
  EXPIRED: 'The API key has expired',
  REVOKED: 'The API key has been revoked',
  ROTATED: 'The API key was rotated and its grace period is over: use its successor',
};
/** 403: the key is good, but may not do this now (sending it again will not help; another key would not either). */
const FORBIDDEN: Partial<Record<VerifyResult['code'], string>> = {
  DISABLED: "The API key's identity is disabled: the key works again once its identity is enabled",
  IP_NOT_ALLOWED: 'The API key may not be used from this address',
};

function problem(status: 401 | 403 | 429 | 503, title: string, detail: string, headers: Record<string, string> = {}): AuthOutcome {
  return { ok: false, status, headers, problem: { type: `https://keymint.dev/problems/${title.toLowerCase().replace(/ /g, '-')}`, title, status, detail } };
}

/** The key a request carries: the configured header as it is, or the token of `Authorization: Bearer`. */
export function keyFrom(get: (name: string) => string | string[] | undefined | null, header?: string): string | null {
  const raw = get(header?.toLowerCase() ?? 'authorization');
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return null;
  if (header) return value.trim() || null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return m ? m[1] : null;
}

/** `clientIp`: the address the request came from, for keys with an IP allowlist. */
export async function authenticate(key: string | null, options: KeymintAuthOptions, routeScopes?: string[], clientIp?: string): Promise<AuthOutcome> {
  const where = options.header ? `the ${options.header} header` : 'Authorization: Bearer <key>';
  if (key === null) return problem(401, 'Unauthorized', `Send an API key in ${where}`, options.header ? {} : { 'www-authenticate': 'Bearer' });
  const requiredScopes = [...(options.requiredScopes ?? []), ...(routeScopes ?? [])];
  let result: VerifyResult;
  try {
    result = await options.verifier.verify(key, { requiredScopes: requiredScopes.length ? requiredScopes : undefined, environmentId: options.environmentId, clientIp });
  } catch {
    return problem(503, 'Service Unavailable', 'The API key could not be checked just now: try again shortly', { 'retry-after': '1' });
  }
  if (result.valid) return { ok: true, result };
  if (result.code === 'INSUFFICIENT_SCOPES') {
    const missing = requiredScopes.filter((s) => !(result.scopes ?? []).includes(s));
    return problem(403, 'Forbidden', `The API key lacks the scopes ${missing.join(', ')}`);
  }
  if (result.code === 'RATE_LIMITED') {
    const reset = result.ratelimit ? Math.max(1, Math.ceil((Date.parse(result.ratelimit.reset_at) - Date.now()) / 1000)) : 1;
    return problem(429, 'Too Many Requests', `The API key's rate limit is spent: try again in ${reset} s`, { 'retry-after': String(reset) });
  }
  if (result.code === 'USAGE_EXCEEDED') {
    // No Retry-After: the answer does not say when (or whether) the credits are refilled.
    return problem(429, 'Too Many Requests', "The API key's credits are spent: it works again once they are refilled or raised");
  }
  const forbidden = FORBIDDEN[result.code];
  if (forbidden) return problem(403, 'Forbidden', forbidden);
  return problem(401, 'Unauthorized', UNAUTHORIZED[result.code] ?? 'The API key is not valid', options.header ? {} : { 'www-authenticate': 'Bearer' });
}
