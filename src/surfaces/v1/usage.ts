// GET /v1/api-keys/{id}/usage: verifications of one key per minute, hour or day, by outcome.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Keymint } from '../../keymint.js';
import { GRANULARITIES, type Granularity, MAX_BUCKETS, usageBuckets, usageRange } from '../../verify/usage-report.js';
import { type KeyRef, OUTCOMES } from '../../verify/usage.js';
import { invalid } from '../../service/errors.js';
import { parseInstant, principalOf } from './context.js';
import { Body, Id, Instant, problems } from './schemas.js';

const MAX_USAGE_ENTRIES = 1000;

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
    app.post(
      '/keys/usage',
      {
        config: { verifierKeys: true },
        schema: {
          tags: ['verification'],
          summary: 'Report verifications made elsewhere (a local verifier), in a batch',
          description:
            `Counts verifications a local verifier answered in its own process, so usage reports and \`last_used_at\` include them. At most ${MAX_USAGE_ENTRIES} entries, each a count of one outcome of one key at an instant (counted in that instant's minute). ` +
            'Every key must belong to `project_id`; the caller is the root key, the project\'s Admin key or a verifier key of the project (or of every project). Answers 202 once counted (they reach the store with this node\'s next usage write, within seconds).',
          body: Body({
            project_id: Id,
            entries: Type.Array(
              Body({ key_id: Id, at: Instant, outcome: Type.Enum([...OUTCOMES]), count: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }) }),
              { maxItems: MAX_USAGE_ENTRIES },
            ),
          }),
          response: { 202: Type.Object({ accepted: Type.Integer() }), ...problems(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const { project_id, entries } = request.body;
        km.keys.requireVerifierOrManager(principalOf(request), project_id);
        await km.projects.get(project_id);
        const ids = [...new Set(entries.map((e) => e.key_id))];
        const known = new Map<string, KeyRef>();
        for (let i = 0; i < ids.length; i += 500) {
          const rows = await km.store.db.selectFrom('api_keys').select(['id', 'num_id']).where('project_id', '=', project_id).where('id', 'in', ids.slice(i, i + 500)).execute();
          for (const r of rows) known.set(r.id, r);
        }
        const now = km.clock.now();
        const ats = entries.map((e, i) => {
          if (!known.has(e.key_id)) throw invalid(`body.entries.${i}.key_id`, `api key ${e.key_id} is not a key of project ${project_id}`);
          const at = parseInstant(e.at, `body.entries.${i}.at`);
          if (at > now + 60_000) throw invalid(`body.entries.${i}.at`, 'at is in the future: report verifications after they happen');
          return at;
        });
        entries.forEach((e, i) => km.usage.recordCount(known.get(e.key_id)!, e.outcome, e.count, ats[i]));
        return reply.code(202).send({ accepted: entries.length });
      },
    );
  };
