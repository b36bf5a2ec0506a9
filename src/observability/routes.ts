// /healthz, /readyz and /metrics for load balancers and Prometheus: no credential, outside every surface.
import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import type { Keymint } from '../keymint.js';
import { migrationsCurrent } from '../store/db.js';

/** A probe that hangs is a failed probe. */
const CHECK_TIMEOUT_MS = 2_000;

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

async function check(run: () => Promise<boolean>): Promise<string> {
  try {
    return (await within(run(), CHECK_TIMEOUT_MS)) ? 'ok' : 'failing';
  } catch (e) {
    return `failing: ${(e as Error).message}`;
  }
}

export function observabilityRoutes(km: Keymint): FastifyPluginAsync {
  return async (app) => {
    const tags = ['operations'];

    app.get('/healthz', { schema: { tags, summary: 'The process is up (liveness)' } }, async () => ({ status: 'ok' }));

    app.get(
      '/readyz',
      {
        schema: {
          tags,
          summary: 'Ready for traffic: the store answers and its migrations are current',
          description: '200 when ready, 503 otherwise. `redis` is reported but does not fail readiness: without it, limits count per node.',
        },
      },
      async (_request, reply) => {
        const [store, migrations, redis] = await Promise.all([
          check(async () => (await sql`select 1`.execute(km.store.db), true)),
          check(() => migrationsCurrent(km.store)),
          km.limits.redis ? check(async () => (await km.limits.redis!.ping()) === 'PONG') : Promise.resolve('not configured'),
        ]);
        const ready = store === 'ok' && migrations === 'ok';
        return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks: { store, migrations, redis } });
      },
    );

    app.get('/metrics', { schema: { tags, summary: 'Prometheus metrics' } }, async (_request, reply) =>
      reply.type(km.metrics.registry.contentType).send(await km.metrics.registry.metrics()),
    );
  };
}
