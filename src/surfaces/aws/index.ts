// The Amazon Managed Grafana-compatible surface: SigV4-signed restJson1 under /workspaces.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { CredentialFailure, Gate } from '../../auth/admission.js';
import { SigV4Credential } from '../../auth/sigv4-credential.js';
import type { Keymint } from '../../keymint.js';
import { memoryRequestRate, type RequestRate } from '../../limits/request-rate.js';
import { awsCredentialsOf } from '../../service/aws-credentials.js';
import { apiKeyOperations, type AwsPrincipal } from './api-keys.js';
import { authError, awsErrorHandler, fieldValidationError, type FieldProblem, sendAwsError, throttled, validationError } from './errors.js';
import { checkCreateBody, checkKeyName, checkWorkspaceId } from './validate.js';

export { awsFrameworkErrors } from './errors.js';

export const SIGNING_NAME = 'grafana';

/** SigV4 refusals as AWS names them (only missing, unknown and invalid occur on this surface). */
const AUTH_SHAPE = {
  missing: 'MissingAuthenticationTokenException',
  unknown: 'UnrecognizedClientException',
  invalid: 'InvalidSignatureException',
  malformed: 'InvalidSignatureException',
  expired: 'UnrecognizedClientException',
  revoked: 'UnrecognizedClientException',
  rotated: 'UnrecognizedClientException',
  // Only Keymint keys carry an IP allowlist, and this surface takes SigV4 pairs only: never reached.
  ip_not_allowed: 'AccessDeniedException',
  disabled: 'UnrecognizedClientException',
} as const satisfies Record<CredentialFailure, string>;

export interface AwsSurfaceOptions {
  /** Requests per access key; in memory from KEYMINT_AWS_REQUESTS_PER_SECOND unless given. */
  rate?: RequestRate;
}

/** `/workspaces/{workspaceId}/apikeys[/{keyName}]`, the labels still percent-encoded. */
const ROUTE = /^\/workspaces\/([^/]*)\/apikeys(?:\/([^/]*))?$/;

function splitUrl(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  return q < 0 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

/** A path label, decoded exactly once. */
function label(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    // The router refuses bad percent-encoding before this; kept so a bad label can never become a 500.
    throw validationError('CANNOT_PARSE', 'A path label is not valid percent-encoding: encode each label once');
  }
}

function unknownOperation(method: string, path: string) {
  return validationError(
    'UNKNOWN_OPERATION',
    `No operation ${method} ${path}: this endpoint serves CreateWorkspaceApiKey (POST /workspaces/{workspaceId}/apikeys) and DeleteWorkspaceApiKey (DELETE /workspaces/{workspaceId}/apikeys/{keyName})`,
  );
}

function parseBody(body: unknown): Record<string, unknown> {
  const raw = Buffer.isBuffer(body) ? body.toString('utf8') : '';
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw validationError('CANNOT_PARSE', `The body is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw validationError('CANNOT_PARSE', 'The body must be a JSON object: {"keyName": ..., "keyRole": ..., "secondsToLive": ...}');
  }
  return parsed as Record<string, unknown>;
}

export function awsSurface(km: Keymint, options: AwsSurfaceOptions = {}): FastifyPluginAsync {
  const credentials = awsCredentialsOf(km);
  const rate = options.rate ?? memoryRequestRate(km.config.awsRequestsPerSecond);
  const ops = apiKeyOperations(km);

  const { awsAccessKeyId, awsSecretAccessKey } = km.config;
  const sigv4 = new SigV4Credential(SIGNING_NAME, (id) => credentials.lookup(id), km.sealer, km.clock,
    awsAccessKeyId && awsSecretAccessKey ? { accessKeyId: awsAccessKeyId, secretAccessKey: awsSecretAccessKey } : null);
  const gate: Gate = { kinds: [sigv4], management: true };

  /** Who signed the request; throws the SigV4 or throttling error. */
  async function authenticate(request: FastifyRequest): Promise<AwsPrincipal> {
    const result = await km.admission.admit(request, gate);
    if (!result.ok) {
      if (result.refusal === 'credential') throw authError(AUTH_SHAPE[result.failure], result.message ?? 'The request signature is not valid');
      if (result.refusal === 'verify_only') throw authError('AccessDeniedException', 'A verifier key may only call POST /v1/keys/verify');
      const wait = result.retryAfterSeconds;
      if (result.refusal === 'locked') throw throttled(km.limits.lockout.message(wait), wait, 'KEYMINT_LOCKOUT_TIERS');
      // The cluster-wide budget every management credential has (Redis when configured).
      throw throttled(km.limits.throttle.message(wait), wait, 'KEYMINT_MANAGEMENT_RATE_LIMIT');
    }
    const principal = result.principal as AwsPrincipal;
    // On top of it, the per-second burst guard of this surface.
    const decision = await rate.consume(principal.id);
    if (!decision.ok) {
      throw throttled(
        `Rate exceeded: access key ${principal.id} may make ${km.config.awsRequestsPerSecond} requests per second (KEYMINT_AWS_REQUESTS_PER_SECOND); retry after ${decision.retryAfterSeconds} s`,
        decision.retryAfterSeconds,
      );
    }
    return principal;
  }

  async function handle(request: FastifyRequest, reply: FastifyReply) {
    const principal = await authenticate(request);
    const actor = { principal, ip: request.ip };
    const { path } = splitUrl(request.raw.url ?? '/');
    const m = ROUTE.exec(path);
    const problems: FieldProblem[] = [];

    if (m && m[2] === undefined && request.method === 'POST') {
      const workspaceId = label(m[1]);
      const body = parseBody(request.body);
      checkWorkspaceId(workspaceId, problems);
      if (!checkCreateBody(body, problems) || problems.length > 0) throw fieldValidationError(problems);
      return reply.type('application/json').send(await ops.create(principal, actor, workspaceId, body));
    }
    if (m && m[2] !== undefined && request.method === 'DELETE') {
      const workspaceId = label(m[1]);
      const keyName = label(m[2]);
      checkWorkspaceId(workspaceId, problems);
      checkKeyName(keyName, problems);
      if (problems.length > 0) throw fieldValidationError(problems);
      return reply.type('application/json').send(await ops.delete(principal, actor, workspaceId, keyName));
    }
    throw unknownOperation(request.method, path);
  }

  return async (app) => {
    app.setErrorHandler(awsErrorHandler);
    app.setNotFoundHandler((request, reply) => sendAwsError(reply, unknownOperation(request.method, splitUrl(request.raw.url ?? '/').path)));

    // The signature covers the body's bytes: keep them as sent, whatever the content type, and parse JSON after verifying.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    app.addHook('onRequest', async (request, reply) => {
      // The same id as the log line's and X-Request-Id.
      reply.header('x-amzn-RequestId', request.id);
      reply.header('Cache-Control', 'no-store');
      // The SDKs correct their clock skew from this header, so it tells the time signatures are checked against.
      reply.header('Date', new Date(km.clock.now()).toUTCString());
    });

    // One catch-all route: labels of any length reach the validation above (the router caps a parameter at 100 characters).
    app.all('/*', { schema: { hide: true } }, handle);
    app.all('/', { schema: { hide: true } }, handle);
  };
}
