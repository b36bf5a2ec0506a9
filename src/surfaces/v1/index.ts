// The native v1 surface: problem+json errors, Bearer credentials. Two groups of routes, each with its own
// admission hook: `POST /v1/keys/verify` (the hot path: no request limit, answered without a promise when it can)
// and every management route (request limit, `Cache-Control: no-store`).
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { AdmissionResult, Gate } from '../../auth/admission.js';
import { csrfRefusal, SessionCredential } from '../../auth/session-credential.js';
import type { Keymint } from '../../keymint.js';
import { apiKeyRoutes } from './api-keys.js';
import { AUTH_CODE, AUTH_DETAIL } from './auth-detail.js';
import { auditRoutes } from './audit.js';
import { awsCredentialRoutes } from './aws-credentials.js';
import { environmentRoutes } from './environments.js';
import { v1ErrorHandler, sendProblem } from './problem.js';
import { identityRoutes } from './identities.js';
import { projectRoutes } from './projects.js';
import { dashboardOrigin, sessionRoutes, SESSIONS_ROUTE } from './sessions.js';
import { Problem } from './schemas.js';
import { usageRoutes } from './usage.js';
import { verifierKeyRoutes } from './verifier-keys.js';
import { selfRoutes, verifyGate, verifyRoutes } from './verify.js';
import { keyImportRoutes } from './key-import.js';
import { keyStreamRoutes } from './key-stream.js';
import { webhookDeliveryRoutes } from './webhook-deliveries.js';

const VERIFIER_ONLY = 'A verifier key may only call POST /v1/keys/verify (and its project\'s GET /v1/keys/stream and POST /v1/keys/usage, for a local verifier): use the root key or an Admin project key for anything else';

/** Fastify's own 415, so the error handler words it as for any other type it has no parser for. */
function unsupportedMediaType(): Error {
  return Object.assign(new Error('Unsupported Media Type'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
}

export function v1Surface(km: Keymint) {
  /** The caller as `request.principal`, or its 401/429 sent (then false). */
  function admitted(result: AdmissionResult, request: FastifyRequest, reply: FastifyReply): boolean {
    if (result.ok) {
      request.principal = result.principal;
      return true;
    }
    if (result.refusal === 'verify_only') {
      sendProblem(reply, 403, VERIFIER_ONLY, undefined, 'verify_only');
    } else if (result.refusal === 'credential' && result.failure === 'ip_not_allowed') {
      sendProblem(reply, 403, AUTH_DETAIL.ip_not_allowed, undefined, AUTH_CODE.ip_not_allowed);
    } else if (result.refusal === 'credential') {
      sendProblem(reply.header('WWW-Authenticate', 'Bearer'), 401, result.message ?? AUTH_DETAIL[result.failure], undefined, AUTH_CODE[result.failure]);
    } else {
      const wait = result.retryAfterSeconds;
      const locked = result.refusal === 'locked';
      const detail = locked ? km.limits.lockout.message(wait) : km.limits.throttle.message(wait);
      sendProblem(reply.header('Retry-After', String(wait)), 429, detail, undefined, locked ? 'locked_out' : 'rate_limited');
    }
    return false;
  }

  /** 401 comes before validation: an anonymous caller learns nothing about the body. A callback hook, so an answer from memory goes on at once. */
  function admissionHook(gate: Gate): onRequestHookHandler {
    return (request, reply, done) => {
      const result = km.admission.admit(request, gate);
      if (result instanceof Promise) result.then((r) => admitted(r, request, reply) && done(), done);
      else if (admitted(result, request, reply)) done();
    };
  }

  // Management routes also take a dashboard session cookie (when no Authorization header is sent); verification does not.
  const session = new SessionCredential(km.sessions, (request, id, s) => {
    (request as FastifyRequest).dashboardSession = { id, session: s };
  });
  const bearerOrSession = [km.credentials.bearer, session];

  return async (app: FastifyInstance) => {
    app.decorateRequest('principal', null);
    app.decorateRequest('dashboardSession', null);
    // Every v1 route may answer 429 (lockout, or the credential's request limit): say so in the OpenAPI document.
    app.addHook('onRoute', (route) => {
      const response = route.schema?.response as Record<string, unknown> | undefined;
      if (response) response[429] = Problem;
    });
    app.setErrorHandler(v1ErrorHandler);

    // A DELETE (or GET) carries no body, but generic clients send `Content-Type: application/json` (or another
    // type) on every request: an empty body is then no body, whatever its type. A body with the wrong type is 415.
    const json = app.getDefaultJsonParser('error', 'error');
    const bodyless = (method: string, body: string) => body === '' && (method === 'DELETE' || method === 'GET');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
      bodyless(request.method, body as string) ? done(null, undefined) : json(request, body as string, done),
    );
    app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) =>
      bodyless(request.method, body as string) ? done(null, undefined) : done(unsupportedMediaType(), undefined),
    );

    await app.register(async (verify) => {
      verify.addHook('onRequest', admissionHook(verifyGate(km)));
      await verify.register(verifyRoutes(km));
    });

    await app.register(async (management) => {
      const admit = admissionHook({ kinds: bearerOrSession, management: true });
      // Routes with `config: { verifierKeys: true }` (the key stream, the usage report) also take a verifier key.
      const admitVerifiers = admissionHook({ kinds: bearerOrSession, management: true, verifiers: true });
      management.addHook('onRequest', (request, reply, done) => {
        // Answers may carry a key or a secret; none is for a cache.
        reply.header('Cache-Control', 'no-store');
        // Signing in is the exchange of a key for a session: the route checks the key itself (with the lockout).
        if (request.method === 'POST' && request.routeOptions.url === SESSIONS_ROUTE) return done();
        // A change sent with the session cookie (and no key) must come from the dashboard's own pages: 403 before the credential step.
        if (!request.headers.authorization) {
          const h = request.headers;
          const refusal = csrfRefusal({
            method: request.method,
            cookie: h.cookie,
            origin: h.origin,
            secFetchSite: h['sec-fetch-site'] as string | undefined,
            csrfToken: h['x-csrf-token'] as string | undefined,
            ownOrigin: dashboardOrigin(km, request).origin,
          });
          if (refusal) return void sendProblem(reply, 403, refusal);
        }
        (request.routeOptions.config.verifierKeys ? admitVerifiers : admit).call(management, request, reply, done);
      });
      // An unknown route under /v1 answers 404 to a caller the hook above admitted: 401 first, as on every route.
      management.setNotFoundHandler((request, reply) => sendProblem(reply, 404, `No route ${request.method} ${request.url.split('?')[0]}: see /docs`, undefined, 'route_not_found'));
      await management.register(projectRoutes(km));
      await management.register(environmentRoutes(km));
      await management.register(apiKeyRoutes(km));
      await management.register(identityRoutes(km));
      await management.register(selfRoutes(km));
      await management.register(auditRoutes(km));
      await management.register(webhookDeliveryRoutes(km));
      await management.register(awsCredentialRoutes(km));
      // The batch usage report (POST /v1/keys/usage, usage.ts) is management too: it writes usage and last_used_at on
      // the caller's word, once per local verifier flush (not once per verification), so it counts against the
      // credential's request limit like any write; the SDK keeps a refused (429) batch for its next flush.
      await management.register(usageRoutes(km));
      await management.register(keyStreamRoutes(km));
      await management.register(keyImportRoutes(km));
      await management.register(sessionRoutes(km));
      await management.register(verifierKeyRoutes(km));
    });
  };
}
