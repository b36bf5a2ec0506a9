// Fastify plugin: verifies every request of the scope it is registered in; a route sets
// `config: { keymint: { requiredScopes: [...] } }` for its own scopes, or `config: { keymint: false }` to be public.
import type { FastifyPluginAsync } from 'fastify';
import type { VerifyResult } from '../client.js';
import { authenticate, keyFrom, type KeymintAuthOptions } from './core.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verification of the request's key (null on public routes). */
    keymint: VerifyResult | null;
  }
  interface FastifyContextConfig {
    keymint?: false | { requiredScopes?: string[] };
  }
}

const plugin: FastifyPluginAsync<KeymintAuthOptions> = async (app, options) => {
  app.decorateRequest('keymint', null);
  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.config?.keymint;
    if (route === false) return;
    const outcome = await authenticate(keyFrom((h) => request.headers[h], options.header), options, route?.requiredScopes, request.ip);
    if (outcome.ok) {
      request.keymint = outcome.result;
      return;
    }
    return reply.code(outcome.status).headers(outcome.headers).type('application/problem+json').send(outcome.problem);
  });
};
// Like fastify-plugin: the hook applies to the scope that registers it, not only inside a child scope.
(plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

export const keymintFastify = plugin;
export default plugin;
