// The Grafana-compatible surface under /api: Grafana's bodies and status codes, `{"message"}` errors.
import type { FastifyPluginAsync } from 'fastify';
import type { Keymint } from '../../keymint.js';
import { apiKeyRoutes } from './api-keys.js';
import { authenticated } from './caller.js';
import { grafanaErrorHandler, sendMessage } from './errors.js';
import { serviceAccountRoutes } from './service-accounts.js';

export function grafanaSurface(km: Keymint): FastifyPluginAsync {
  return async (app) => {
    app.setErrorHandler(grafanaErrorHandler);
    app.decorateRequest('grafana', null);
    // Grafana answers an unknown /api route to a signed-in caller only: 401 first, then 404.
    app.setNotFoundHandler(async (request, reply) => {
      await authenticated(km, request);
      return sendMessage(reply, 404, 'Not found');
    });
    // Bodies reach the handlers as text, whatever their Content-Type: the handlers check it in Grafana's order.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.header('content-type', 'application/json');
      // Answers may carry a key; none is for a cache.
      reply.header('cache-control', 'no-store');
      return payload;
    });
    // Grafana 12 removed /api/auth/keys (after migrating every key to a service account token): 401, then 404, as any unknown route.
    if (km.config.grafanaCompat !== '12') await app.register(apiKeyRoutes(km));
    await app.register(serviceAccountRoutes(km));
  };
}
