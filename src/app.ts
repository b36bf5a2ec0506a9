// Builds the Fastify app from a Keymint node (no listen): the one place the surfaces meet.
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import scalar from '@scalar/fastify-api-reference';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { lazyRequestLogger } from './observability/request-logger.js';
import { observabilityRoutes } from './observability/routes.js';
import type { Keymint } from './keymint.js';
import { grafanaErrorHandler } from './surfaces/grafana/errors.js';
import { grafanaSurface } from './surfaces/grafana/index.js';
import { v1Surface } from './surfaces/v1/index.js';
import { awsFrameworkErrors, awsSurface } from './surfaces/aws/index.js';
import { v1ErrorHandler } from './surfaces/v1/problem.js';

// Bodies are taken as sent (Grafana refuses `"10"` for a number); query strings and paths are text, so they are coerced.
const ajvOptions = { allErrors: false, useDefaults: true, removeAdditional: false, strict: false } as const;
const bodyAjv = addFormats.default(new Ajv({ ...ajvOptions, coerceTypes: false }));
const textAjv = addFormats.default(new Ajv({ ...ajvOptions, coerceTypes: 'array' }));

/** Never log a key or a credential. */
export const REDACT = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  '*.key',
  '*.new_key',
  '*.secret',
  '*.secretAccessKey',
  '*.secret_access_key',
  '*.rotation_webhook_secret',
  '*.webhookSecret',
];

export interface AppOptions {
  logger?: boolean | FastifyBaseLogger | { level: string; stream?: NodeJS.WritableStream };
}

export async function buildApp(km: Keymint, options: AppOptions = {}): Promise<FastifyInstance> {
  const logger = options.logger ?? false;
  const app = Fastify({
    logger: typeof logger === 'object' && 'level' in logger && !('child' in logger) ? { ...logger, redact: REDACT } : (logger as boolean),
    trustProxy: km.config.trustProxy,
    bodyLimit: 64 * 1024,
    return503OnClosing: true,
    childLoggerFactory: lazyRequestLogger,
    // Errors the router raises before a surface sees the request (a bad %-escape, a too-long path segment),
    // answered in the shape of the surface the path belongs to.
    frameworkErrors: (err, request, reply) =>
      request.url.startsWith('/v1/')
        ? v1ErrorHandler(err, request, reply)
        : request.url.startsWith('/api/')
          ? grafanaErrorHandler(err, request, reply)
          : awsFrameworkErrors(err, request, reply),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema));

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Keymint',
        version: '1.0.0',
        description: 'Mint, verify, rotate and revoke API keys. Authenticate with `Authorization: Bearer <root key or Admin project key>`.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearerAuth: [] }],
    },
  });
  await app.register(scalar, { routePrefix: '/docs', configuration: { url: '/openapi.json' } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(awsSurface(km), { prefix: '/workspaces' });
  await app.register(observabilityRoutes(km));
  await app.register(v1Surface(km), { prefix: '/v1' });
  await app.register(grafanaSurface(km), { prefix: '/api' });
  for (const note of km.migrationNotes) app.log.info({ migration: true }, note);
  return app;
}
