// GET /v1/api-keys/{id}/usage: verifications of one key per minute, hour or day, by outcome.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Keymint } from '../../keymint.js';
import { GRANULARITIES, type Granularity, MAX_BUCKETS, usageBuckets, usageRange } from '../../verify/usage-report.js';
import { OUTCOMES } from '../../verify/usage.js';
import { principalOf } from './context.js';
import { Id, Instant, problems } from './schemas.js';

const iso = (ms: number) => new Date(ms).toISOString();

const UsageReport = Type.Object({
  key_id: Type.String(),
  granularity: Type.Enum(Object.keys(GRANULARITIES)),
  from: Instant,
  to: Instant,
  buckets: Type.Array(
    Type.Object({
      start: Instant,
      total: Type.Integer(),
      counts: Type.Object(Object.fromEntries(OUTCOMES.map((o) => [o, Type.Integer()]))),
    }),
  ),
});

export const usageRoutes =
  (km: Keymint): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api-keys/:keyID/usage',
      {
        schema: {
          tags: ['api-keys'],
          summary: 'Verifications of a key per minute, hour or day, by outcome',
          description:
            `Buckets are UTC and start at \`from\` rounded down to the granularity; \`to\` is exclusive. Defaults: \`granularity=hour\`, \`to\` now, ` +
            `\`from\` 60 minutes, 24 hours or 30 days before \`to\`. At most ${MAX_BUCKETS} buckets. Counts reach the store every few seconds from every node.`,
          params: Type.Object({ keyID: Id }),
          querystring: Type.Object({
            granularity: Type.Optional(Type.Enum(Object.keys(GRANULARITIES), { default: 'hour' })),
            from: Type.Optional(Instant),
            to: Type.Optional(Instant),
          }),
          response: { 200: UsageReport, ...problems(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const row = await km.keys.getManaged(principalOf(request), request.params.keyID);
        const q = request.query;
        const range = usageRange((q.granularity ?? 'hour') as Granularity, q.from ? Date.parse(q.from) : undefined, q.to ? Date.parse(q.to) : undefined, km.clock.now());
        // This node's latest counts first, so a caller reads what it just verified here.
        await km.usage.flush();
        const buckets = await usageBuckets(km.store, row.id, range);
        return {
          key_id: row.id,
          granularity: range.granularity,
          from: iso(range.from),
          to: iso(range.to),
          buckets: buckets.map((b) => ({ start: iso(b.start), total: b.total, counts: b.counts })),
        };
      },
    );
  };
