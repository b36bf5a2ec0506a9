// The web dashboard (web/, built by Vite into web/dist) served at `/`, same origin as the v1 API it calls.
// Only the files the build made are routes (no catch-all), so every other path keeps its surface's own 404.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

/** web/dist beside src/ (and beside dist/ once the server is compiled: the same depth). */
export const DASHBOARD_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** Strict: scripts and styles from our own files only, never framed (clickjacking), no other site reached. */
const HTML_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

export function dashboard(dir = DASHBOARD_DIR): FastifyPluginAsync {
  return async (app) => {
    if (!existsSync(resolve(dir, 'index.html'))) {
      app.get('/', { schema: { hide: true } }, async (_request, reply) =>
        reply.code(503).type('text/plain').send('The Keymint dashboard is not built: run `npm run build:web` (npm start does it), then reload.\n'),
      );
      return;
    }
    await app.register(fastifyStatic, {
      root: dir,
      prefix: '/',
      wildcard: false,
      // `/` is the route below: with preCompressed, the plugin's own index answers 404 to a browser's Accept-Encoding.
      index: false,
      preCompressed: true,
      schemaHide: true,
      setHeaders(reply, path) {
        // Vite names assets by content hash: they never change, so browsers keep them.
        if (path.includes('/assets/')) reply.header('cache-control', 'public, max-age=31536000, immutable');
        else reply.headers(HTML_HEADERS);
        reply.header('x-content-type-options', 'nosniff');
      },
    });
    app.get('/', { schema: { hide: true } }, (_request, reply) => reply.sendFile('index.html'));
  };
}
