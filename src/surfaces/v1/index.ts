// The native v1 surface: problem+json errors, Bearer credentials.
import type { FastifyPluginAsync } from 'fastify';
import { tokenFrom } from '../../auth/authenticator.js';
import type { Keymint } from '../../keymint.js';
import { apiKeyRoutes } from './api-keys.js';
import { auditRoutes } from './audit.js';
import { awsCredentialRoutes } from './aws-credentials.js';
import { environmentRoutes } from './environments.js';
import { v1ErrorHandler, sendProblem } from './problem.js';
import { projectRoutes } from './projects.js';
import { Problem } from './schemas.js';
import { usageRoutes } from './usage.js';
import { verifyRoutes } from './verify.js';
import { webhookDeliveryRoutes } from './webhook-deliveries.js';

const AUTH_DETAIL = {
  missing: 'Send a key: Authorization: Bearer <root key or project key>',
  malformed: 'The credential is not a Keymint key (wrong shape or checksum): check it was copied whole',
  unknown: 'The key is not known',
  expired: 'The key has expired',
  revoked: 'The key has been revoked',
  rotated: 'The key was rotated and its grace period is over: use its successor',
} as const;

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

    // 401 comes before validation: an anonymous caller learns nothing about the body.
    app.addHook('onRequest', async (request, reply) => {
      const result = await km.auth.authenticate(tokenFrom(request.headers.authorization), request.ip);
      if (!result.ok && result.failure === 'locked') {
        return sendProblem(reply.header('Retry-After', String(result.retryAfterSeconds)), 429, km.limits.lockout.message(result.retryAfterSeconds));
      }
      if (!result.ok) return sendProblem(reply.header('WWW-Authenticate', 'Bearer'), 401, AUTH_DETAIL[result.failure]);
      request.principal = result.principal;
      // Verification is the hot path, limited per verified key instead; every other route is management.
      if (request.routeOptions.url === VERIFY_ROUTE) return;
      const wait = await km.limits.throttle.take(result.principal);
      if (wait > 0) return sendProblem(reply.header('Retry-After', String(wait)), 429, km.limits.throttle.message(wait));
    });

    await app.register(projectRoutes(km));
    await app.register(environmentRoutes(km));
    await app.register(apiKeyRoutes(km));
    await app.register(verifyRoutes(km));
    await app.register(auditRoutes(km));
    await app.register(webhookDeliveryRoutes(km));
    await app.register(awsCredentialRoutes(km));
    await app.register(usageRoutes(km));
  };
}
