// The native v1 surface: problem+json errors, Bearer credentials.
import type { FastifyPluginAsync } from 'fastify';
import { tokenFrom } from '../../auth/authenticator.js';
import type { Keymint } from '../../keymint.js';
import { apiKeyRoutes } from './api-keys.js';
import { auditRoutes } from './audit.js';
import { environmentRoutes } from './environments.js';
import { v1ErrorHandler, sendProblem } from './problem.js';
import { projectRoutes } from './projects.js';
import { usageRoutes } from './usage.js';
import { verifyRoutes } from './verify.js';

const AUTH_DETAIL = {
  missing: 'Send a key: Authorization: Bearer <root key or project key>',
  malformed: 'The credential is not a Keymint key (wrong shape or checksum): check it was copied whole',
  unknown: 'The key is not known',
  expired: 'The key has expired',
  revoked: 'The key has been revoked',
  rotated: 'The key was rotated and its grace period is over: use its successor',
} as const;

export function v1Surface(km: Keymint): FastifyPluginAsync {
  return async (app) => {
    app.decorateRequest('principal', null);
    app.setErrorHandler(v1ErrorHandler);
    app.setNotFoundHandler((request, reply) => sendProblem(reply, 404, `No route ${request.method} ${request.url.split('?')[0]}: see /docs`));

    // 401 comes before validation: an anonymous caller learns nothing about the body.
    app.addHook('onRequest', async (request, reply) => {
      const result = await km.auth.authenticate(tokenFrom(request.headers.authorization));
      if (!result.ok) return sendProblem(reply.header('WWW-Authenticate', 'Bearer'), 401, AUTH_DETAIL[result.failure]);
      request.principal = result.principal;
    });

    await app.register(projectRoutes(km));
    await app.register(environmentRoutes(km));
    await app.register(apiKeyRoutes(km));
    await app.register(verifyRoutes(km));
    await app.register(auditRoutes(km));
    await app.register(usageRoutes(km));
  };
}
