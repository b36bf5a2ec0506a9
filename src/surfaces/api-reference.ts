// The browsable API reference at /docs: Scalar's standalone page over /openapi.json. Its 3.5 MB script is
// streamed from the package's file on each request rather than held in every node's heap (the Fastify plugin
// reads it into one string at start, 7 MB of an idle node's heap).
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import helmet from '@fastify/helmet';
import type { FastifyPluginAsync } from 'fastify';

const SCRIPT = fileURLToPath(new URL('js/standalone.js', import.meta.resolve('@scalar/fastify-api-reference')));

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <title>Keymint API reference</title>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <link rel="icon" href="data:," />
  </head>
  <body>
    <div id="app"></div>
    <script src="js/scalar.js"></script>
    <script>Scalar.createApiReference('#app', { url: '/openapi.json', withDefaultFonts: false, agent: { disabled: true } });</script>
  </body>
</html>
`;

export const apiReference: FastifyPluginAsync = async (docs) => {
  // A page a browser renders: helmet's headers (CSP, frame-ancestors 'none') on it alone.
  await docs.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Scalar's page configures itself in an inline script and styles itself inline.
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        // Keymint is often served over plain HTTP inside a network: asking for https subresources would break the page.
        upgradeInsecureRequests: null,
      },
    },
    frameguard: { action: 'deny' },
    // Whether the host is HTTPS-only is the TLS terminator's decision, not this page's.
    strictTransportSecurity: false,
  });
  const hide = { schema: { hide: true } };
  // The page loads its script relatively: /docs must become /docs/ first.
  docs.get('/docs', hide, (_request, reply) => reply.redirect('/docs/', 301));
  docs.get('/docs/', hide, (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
  docs.get('/docs/js/scalar.js', hide, (_request, reply) =>
    reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(createReadStream(SCRIPT)),
  );
};
