// The native v1 surface: problem+json errors, Bearer credentials.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { type AuthResult, tokenFrom } from '../../auth/authenticator.js';
import type { Keymint } from '../../keymint.js';
import type { MaybePromise } from '../../util/maybe-promise.js';
import { apiKeyRoutes } from './api-keys.js';
import { auditRoutes } from './audit.js';
import { awsCredentialRoutes } from './aws-credentials.js';
import { environmentRoutes } from './environments.js';
import { v1ErrorHandler, sendProblem } from './problem.js';
import { projectRoutes } from './projects.js';
import { Problem } from './schemas.js';
import { usageRoutes } from './usage.js';
import { verifierKeyRoutes } from './verifier-keys.js';
import { verifyRoutes } from './verify.js';
import { webhookDeliveryRoutes } from './webhook-deliveries.js';

const AUTH_DETAIL = {
  missing: 'Send a key: Authorization: Bearer <root key or project key>',
  malformed: 'The credential is not a Keymint key (wrong shape or checksum): check it was copied whole',
  unknown: 'The key is not known',
  expired: 'The key has expired',
  revoked: 'The key has been revoked',
  rotated: 'The key was rotated and its grace period is over: use its successor',
  ip_not_allowed: 'This key has an ip_allowlist, and this request\'s address is not in it: call from an allowed address, or change the key\'s ip_allowlist',
} as const;

const VERIFIER_ONLY = 'A verifier key may only call POST /v1/keys/verify: use the root key or an Admin project key for anything else';

const VERIFY_ROUTE = '/v1/keys/verify';

export function v1Surface(km: Keymint): FastifyPluginAsync {
  return async (app) => {
    app.decorateRequest('principal', null);
    // Every v1 route may answer 429 (lockout, or the credential's request limit): say so in the OpenAPI document.
    app.addHook('onRoute', (route) => {
      const response = route.schema?.response as Record<string, unknown> | undefined;
      if (response) response[429] = Problem;
    });
    app.setErrorHandler(v1ErrorHandler);
    app.setNotFoundHandler((request, reply) => sendProblem(reply, 404, `No route ${request.method} ${request.url.split('?')[0]}: see /docs`));

    // 401 comes before validation: an anonymous caller learns nothing about the body. A callback hook: a
    // verification whose caller is answered from memory goes on at once, without a promise.
    app.addHook('onRequest', (request, reply, done) => {
      const result = km.auth.authenticate(tokenFrom(request.headers.authorization), request.ip);
      const verify = request.routeOptions.url === VERIFY_ROUTE;
      if (verify && !(result instanceof Promise)) {
        if (admit(result, request, reply)) done();
        return;
      }
      admitAfter(result, verify, request, reply).then((ok) => ok && done(), (e: Error) => done(e));
    });

    /** The caller as `request.principal`, or its 401/429 sent (then false). */
    function admit(result: AuthResult, request: FastifyRequest, reply: FastifyReply): boolean {
      if (result.ok) {
        if (result.principal.kind === 'verifier' && request.routeOptions.url !== VERIFY_ROUTE) {
          sendProblem(reply, 403, VERIFIER_ONLY);
          return false;
        }
        request.principal = result.principal;
        return true;
      }
      if (result.failure === 'ip_not_allowed') {
        sendProblem(reply, 403, AUTH_DETAIL.ip_not_allowed);
      } else if (result.failure === 'locked') {
        sendProblem(reply.header('Retry-After', String(result.retryAfterSeconds)), 429, km.limits.lockout.message(result.retryAfterSeconds));
      } else {
        sendProblem(reply.header('WWW-Authenticate', 'Bearer'), 401, AUTH_DETAIL[result.failure]);
      }
      return false;
    }

    async function admitAfter(result: MaybePromise<AuthResult>, verify: boolean, request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
      if (!admit(await result, request, reply)) return false;
      // Verification is the hot path, limited per verified key instead; every other route is management.
      if (verify) return true;
      const wait = await km.limits.throttle.take(request.principal!);
      if (wait > 0) sendProblem(reply.header('Retry-After', String(wait)), 429, km.limits.throttle.message(wait));
      return wait <= 0;
    }

    await app.register(projectRoutes(km));
    await app.register(environmentRoutes(km));
    await app.register(apiKeyRoutes(km));
    await app.register(verifyRoutes(km));
    await app.register(auditRoutes(km));
    await app.register(webhookDeliveryRoutes(km));
    await app.register(awsCredentialRoutes(km));
    await app.register(usageRoutes(km));
    await app.register(verifierKeyRoutes(km));
  };
}
