// The Grafana-compatible surface under /api: Grafana's bodies and status codes, `{"message"}` errors.
import type { FastifyPluginAsync } from 'fastify';
import type { Keymint } from '../../keymint.js';
import { apiKeyRoutes } from './api-keys.js';
import { authenticated } from './caller.js';
import { grafanaErrorHandler, sendMessage } from './errors.js';

export function grafanaSurface(km: Keymint): FastifyPluginAsync {
  return async (app) => {
    app.setErrorHandler(grafanaErrorHandler);
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
    await app.register(apiKeyRoutes(km));
  };
}
