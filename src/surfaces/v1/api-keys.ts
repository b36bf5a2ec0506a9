import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Keymint } from '../../keymint.js';
import { DEFAULT_GRACE_MINUTES, keyObject, MAX_DAYS, MAX_GRACE_MINUTES } from '../../service/api-keys.js';
import { invalid } from '../../service/errors.js';
import { actorOf, decodeCursor, nextLink, principalOf } from './context.js';
import { ApiKey, CreatedApiKey, Instant, KeyRatelimit, Name, Nullable, Page, problems, Role, RotatedApiKey, Scopes } from './schemas.js';

const tags = ['api-keys'];
const KeyParams = Type.Object({ keyID: Type.String({ maxLength: 64 }) });
const Days = Type.Integer({ minimum: 1, maximum: MAX_DAYS });
const WebhookUrl = Type.String({ minLength: 1, maxLength: 2048 });

const DAY = 86_400_000;

export const apiKeyRoutes =
  (km: Keymint): FastifyPluginAsyncTypebox =>
  async (app) => {
    const now = () => km.clock.now();

    app.get(
      '/api-keys',
      {
        schema: {
          tags,
          summary: 'List the keys of a project, newest first',
          description: 'A bare array. Revoked and rotated-out keys are left out unless `include_revoked=true`. The next page is in `Link: <...>; rel="next"`.',
          querystring: Type.Object({
            project_id: Type.String({ maxLength: 64 }),
            environment_id: Type.Optional(Type.String({ maxLength: 64 })),
            include_revoked: Type.Optional(Type.Boolean({ default: false })),
            ...Page,
          }),
          response: { 200: Type.Array(ApiKey), ...problems(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const limit = q.limit ?? 100;
        const rows = await km.keys.list(principalOf(request), {
          project_id: q.project_id,
          environment_id: q.environment_id,
          include_revoked: q.include_revoked,
          limit: limit + 1,
          before: decodeCursor(q.cursor),
        });
        const page = rows.slice(0, limit);
        if (rows.length > limit) reply.header('Link', nextLink(request, page[page.length - 1].num_id));
        const t = now();
        return page.map((r) => keyObject(r, t));
      },
    );

    app.post(
      '/api-keys',
      {
        schema: {
          tags,
          summary: 'Create a key; its plaintext is in this response only',
          body: Type.Object({
            project_id: Type.String({ maxLength: 64 }),
            name: Name,
            scopes: Type.Optional(Scopes),
            role: Type.Optional(Role),
            environment_id: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
            expires_in_days: Type.Optional(Days),
            expires_at: Type.Optional(Nullable(Instant)),
            rotation_interval_days: Type.Optional(Nullable(Days)),
            rotation_webhook_url: Type.Optional(Nullable(WebhookUrl)),
            ratelimit: Type.Optional(Nullable(KeyRatelimit)),
          }),
          response: { 201: CreatedApiKey, ...problems(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const b = request.body;
        if (b.expires_in_days !== undefined && b.expires_at != null) throw invalid('body.expires_at', 'send expires_in_days or expires_at, not both');
        const expiresAt = b.expires_in_days !== undefined ? now() + b.expires_in_days * DAY : b.expires_at != null ? Date.parse(b.expires_at) : null;
        const { row, key, webhookSecret } = await km.keys.create(principalOf(request), { ...b, expires_at: expiresAt }, actorOf(request));
        return reply.code(201).send({ ...keyObject(row, now()), key, ...(webhookSecret ? { rotation_webhook_secret: webhookSecret } : {}) });
      },
    );

    app.get(
      '/api-keys/:keyID',
      { schema: { tags, summary: 'Get a key', params: KeyParams, response: { 200: ApiKey, ...problems(401, 403, 404) } } },
      async (request) => keyObject(await km.keys.getManaged(principalOf(request), request.params.keyID), now()),
    );

    app.patch(
      '/api-keys/:keyID',
      {
        schema: {
          tags,
          summary: 'Change a key',
          description:
            'Changes `name`, `scopes`, `role`, `expires_at` (null: never), `rotation_interval_days` and `rotation_webhook_url` (null clears the policy), and `ratelimit` (null: no limit).',
          params: KeyParams,
          body: Type.Object({
            name: Type.Optional(Name),
            scopes: Type.Optional(Scopes),
            role: Type.Optional(Role),
            expires_at: Type.Optional(Nullable(Instant)),
            rotation_interval_days: Type.Optional(Nullable(Days)),
            rotation_webhook_url: Type.Optional(Nullable(WebhookUrl)),
            ratelimit: Type.Optional(Nullable(KeyRatelimit)),
          }),
          response: { 200: ApiKey, ...problems(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const b = request.body;
        const patch = { ...b, expires_at: b.expires_at === undefined ? undefined : b.expires_at === null ? null : Date.parse(b.expires_at) };
        return keyObject(await km.keys.update(principalOf(request), request.params.keyID, patch, actorOf(request)), now());
      },
    );

    app.delete(
      '/api-keys/:keyID',
      {
        schema: { tags, summary: 'Revoke a key at once (again: still 204)', params: KeyParams, response: { 204: Type.Null(), ...problems(401, 403, 404) } },
      },
      async (request, reply) => {
        await km.keys.revoke(principalOf(request), request.params.keyID, actorOf(request));
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api-keys/:keyID/rotate',
      {
        schema: {
          tags,
          summary: 'Rotate a key: a successor now, the old key valid for a grace period',
          description: `\`grace_period_minutes\` 0..${MAX_GRACE_MINUTES}, default ${DEFAULT_GRACE_MINUTES}; 0 retires the old key at once.`,
          params: KeyParams,
          body: Type.Optional(Type.Object({ grace_period_minutes: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_GRACE_MINUTES })) })),
          response: { 200: RotatedApiKey, ...problems(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const grace = request.body?.grace_period_minutes ?? DEFAULT_GRACE_MINUTES;
        const { old, next, key } = await km.keys.rotate(principalOf(request), request.params.keyID, grace, actorOf(request));
        const o = keyObject(next, now());
        return {
          old_key_id: old.id,
          new_key_id: next.id,
          project_id: next.project_id,
          name: next.name,
          key,
          key_prefix: next.key_prefix,
          scopes: o.scopes,
          expires_at: o.expires_at,
          created_at: o.created_at,
          grace_expires_at: new Date(old.grace_expires_at!).toISOString(),
        };
      },
    );
  };
