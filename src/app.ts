// Builds the Fastify app from a Keymint node (no listen): the one place the surfaces meet.
import { randomBytes } from 'node:crypto';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginCallback } from 'fastify';
import { lazyRequestLogger } from './observability/request-logger.js';
import { observabilityRoutes } from './observability/routes.js';
import type { Keymint } from './keymint.js';
import { grafanaErrorHandler } from './surfaces/grafana/errors.js';
import { grafanaSurface } from './surfaces/grafana/index.js';
import { apiReference } from './surfaces/api-reference.js';
import { dashboard } from './surfaces/dashboard.js';
import { v1Surface } from './surfaces/v1/index.js';
import { awsFrameworkErrors, awsSurface } from './surfaces/aws/index.js';
import { v1ErrorHandler } from './surfaces/v1/problem.js';
import { VerifyBody } from './surfaces/v1/verify.js';
import { VerifyFastPath } from './surfaces/v1/verify-fast-path.js';

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

/**
 * Request ids shaped like UUIDs (AWS's x-amzn-RequestId is one): 80 random bits per process, then a counter, so
 * they are unique across nodes and restarts with no per-request randomness on the hot path. The log line's
 * `reqId`, `X-Request-Id`, AWS's `x-amzn-RequestId` and a v1 problem's `request_id` all carry it.
 */
function requestIds(): () => string {
  const r = randomBytes(10).toString('hex');
  const node = `${r.slice(0, 8)}-${r.slice(8, 12)}-4${r.slice(12, 15)}-${'89ab'[parseInt(r[15], 16) & 3]}${r.slice(16, 19)}-`;
  let n = 0;
  return () => node + (++n).toString(16).padStart(12, '0');
}

export interface AppOptions {
  /** The built dashboard (default web/dist). */
  dashboardDir?: string;
  logger?: boolean | FastifyBaseLogger | { level: string; stream?: NodeJS.WritableStream };
  /** OpenTelemetry's Fastify plugin when tracing is on (src/observability/tracing.ts); nothing is added when off. */
  tracing?: FastifyPluginCallback;
}

export async function buildApp(km: Keymint, options: AppOptions = {}): Promise<FastifyInstance> {
  const logger = options.logger ?? false;
  const nextId = requestIds();
  const bodyLimit = 64 * 1024;
  const fastPath = new VerifyFastPath(km, { validate: bodyAjv.compile(VerifyBody), nextId, trustProxy: km.config.trustProxy, bodyLimit });
  const app = Fastify({
    logger: typeof logger === 'object' && 'level' in logger && !('child' in logger) ? { ...logger, redact: REDACT } : (logger as boolean),
    trustProxy: km.config.trustProxy,
    bodyLimit,
    return503OnClosing: true,
    childLoggerFactory: lazyRequestLogger,
    genReqId: () => nextId(),
    // Errors the router raises before a surface sees the request (a bad %-escape, a too-long path segment),
    // answered in the shape of the surface the path belongs to.
    frameworkErrors: (err, request, reply) =>
      request.url.startsWith('/v1/')
        ? v1ErrorHandler(err, request, reply)
        : request.url.startsWith('/api/')
          ? grafanaErrorHandler(err, request, reply)
          : awsFrameworkErrors(err, request, reply),
  }).withTypeProvider<TypeBoxTypeProvider>();

  // The verify fast path reads each connection before node:http (a wrap, not serverFactory: Fastify keeps its
  // server settings and its second bind for `localhost`, which goes to node:http directly).
  fastPath.attach(app.server);
  // Background work (change feed, usage flush, scheduler, lockout) logs through the app's logger from now on.
  if (options.logger) km.background.log = app.log;
  // Traces and debug access logs see every request through Fastify; a closing app answers 503 through it.
  fastPath.enabled = !options.tracing && app.log.level !== 'debug' && app.log.level !== 'trace';
  app.addHook('preClose', (done) => {
    fastPath.closeIdle();
    done();
  });

  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema));
  // Before every route, so each one is traced.
  if (options.tracing) await app.register(options.tracing);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Keymint',
        version: '1.0.0',
        description: 'Mint, verify, rotate and revoke API keys. Authenticate with `Authorization: Bearer <root key or Admin project key>`.',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer' },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'keymint_session', description: 'A dashboard session (POST /v1/sessions); changes also need the X-CSRF-Token header' },
        },
      },
      security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    },
  });
  // Every response: its request id, and no MIME sniffing. (Management routes add Cache-Control: no-store.)
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('X-Request-Id', request.id);
    reply.header('X-Content-Type-Options', 'nosniff');
    done();
  });
  await app.register(apiReference);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(awsSurface(km), { prefix: '/workspaces' });
  await app.register(observabilityRoutes(km));
  await app.register(v1Surface(km), { prefix: '/v1' });
  await app.register(grafanaSurface(km), { prefix: '/api' });
  for (const note of km.migrationNotes) app.log.info({ migration: true }, note);
  await app.register(dashboard(options.dashboardDir));
  return app;
}
