import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Keymint } from '../../keymint.js';
import { DAY } from '../../keys/rotation.js';
import { DEFAULT_GRACE_MINUTES, MAX_DAYS, MAX_GRACE_MINUTES } from '../../service/api-keys.js';
import { invalid } from '../../service/errors.js';
import { iso } from '../../util/instant.js';
import { KEY_SORTS, KEY_STATUSES } from '../../store/key-filters.js';
import { actorOf, onePage, onePageByOffset, parseInstant, principalOf } from './context.js';
import { keyObject, keyObjects, rotatedObject } from './present.js';
import { ApiKey, Body, CreatedApiKey, Credits, Id, IpAllowlist, NullableMeta, Instant, KeyRatelimit, Name, Nullable, Page, problems, Role, RotatedApiKey, Scopes, UpdatedApiKey } from './schemas.js';

const tags = ['api-keys'];
const KeyParams = Type.Object({ keyID: Id });
const Days = Type.Integer({ minimum: 1, maximum: MAX_DAYS });
const WebhookUrl = Type.String({ minLength: 1, maxLength: 2048 });
const RotationGrace = Type.Integer({ minimum: 0, maximum: MAX_GRACE_MINUTES, description: 'How long the old key stays valid after a scheduled rotation (default 1440: 24 hours)' });

/** The fields a create sets and a PATCH changes. */
const settable = {
  scopes: Type.Optional(Scopes),
  role: Type.Optional(Role),
  expires_at: Type.Optional(Nullable(Instant)),
  rotation_interval_days: Type.Optional(Nullable(Days)),
  rotation_webhook_url: Type.Optional(Nullable(WebhookUrl)),
  rotation_grace_minutes: Type.Optional(Nullable(RotationGrace)),
  ratelimit: Type.Optional(Nullable(KeyRatelimit)),
  meta: Type.Optional(NullableMeta),
  credits: Type.Optional(Nullable(Credits)),
  ip_allowlist: Type.Optional(Nullable(IpAllowlist)),
  identity_id: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: 'The identity the key belongs to: it takes its role (leave `role` out, or send the same), stops while it is disabled, shares its rate limit, and is revoked with it. null detaches it.' }))),
};

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
          description:
            'A bare array. Revoked and rotated-out keys are left out unless `include_revoked=true` or a `status` is asked for; expired keys stay, with `status: "expired"`. ' +
            'An `environment_id` that matches nothing gives `[]`. The next page is in `Link: <...>; rel="next"`. Another project answers 404. ' +
            '`search`, `status`, `role`, `expiring_within_days` and `unused_for_days` narrow the list (all must hold); `sort` and `order` change its order ' +
            '(pages then continue by position); `with_total=true` adds `X-Total-Count`, the number of keys in all pages.',
          querystring: Type.Object({
            project_id: Id,
            environment_id: Type.Optional(Id),
            include_revoked: Type.Optional(Type.Boolean({ default: false })),
            search: Type.Optional(
              Type.String({ maxLength: 200, description: 'Part of the name (any case), the start of the key prefix (`km_AbC`), a key id, or a whole key (found by its digest, never stored)' }),
            ),
            status: Type.Optional(Type.Enum(KEY_STATUSES, { description: 'Only keys in this state now' })),
            role: Type.Optional(Role),
            expiring_within_days: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_DAYS, description: 'Only keys that expire within this many days (not those expired already)' })),
            unused_for_days: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_DAYS, description: 'Only keys not verified in this many days (a key never verified counts from its creation)' })),
            sort: Type.Optional(Type.Enum(KEY_SORTS, { default: 'created_at', description: 'Never-used keys sort as least recently used; keys without expiry as expiring last' })),
            order: Type.Optional(Type.Enum(['asc', 'desc'], { default: 'desc' })),
            with_total: Type.Optional(Type.Boolean({ default: false, description: 'Add the `X-Total-Count` header' })),
            ...Page,
          }),
          response: { 200: Type.Array(ApiKey), ...problems(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const p = principalOf(request);
        const listing = {
          project_id: q.project_id,
          environment_id: q.environment_id,
          include_revoked: q.include_revoked,
          filters: { search: q.search, status: q.status, role: q.role, expiring_within_days: q.expiring_within_days, unused_for_days: q.unused_for_days },
        };
        const by = q.sort ?? 'created_at';
        const order = q.order ?? 'desc';
        // Newest first continues by key (stable while keys are added); any other order by position.
        const page =
          by === 'created_at' && order === 'desc'
            ? await onePage(request, reply, (limit, before) => km.keys.list(p, { ...listing, limit, before }), (r) => r.num_id)
            : await onePageByOffset(request, reply, (limit, offset) => km.keys.list(p, { ...listing, limit, sort: { by, order, offset } }));
        if (q.with_total) reply.header('X-Total-Count', String(await km.keys.count(p, { ...listing, limit: 0 })));
        return keyObjects(km.keys, page, now());
      },
    );

    app.post(
      '/api-keys',
      {
        schema: {
          tags,
          summary: 'Create a key; its plaintext is in this response only',
          body: Body({ project_id: Id, name: Name, environment_id: Type.Optional(Nullable(Id)), expires_in_days: Type.Optional(Days), ...settable }),
          response: { 201: CreatedApiKey, ...problems(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const b = request.body;
        if (b.expires_in_days !== undefined && b.expires_at != null) throw invalid('body.expires_at', 'send expires_in_days or expires_at, not both');
        const expiresAt = b.expires_in_days !== undefined ? now() + b.expires_in_days * DAY : b.expires_at != null ? parseInstant(b.expires_at, 'body.expires_at') : null;
        const { row, key, webhookSecret } = await km.keys.create(principalOf(request), { ...b, expires_at: expiresAt, owner_id: b.identity_id }, actorOf(request));
        const [o] = await keyObjects(km.keys, [row], now());
        return reply.code(201).send({ ...o, key, ...(webhookSecret ? { rotation_webhook_secret: webhookSecret } : {}) });
      },
    );

    app.get(
      '/api-keys/:keyID',
      { schema: { tags, summary: 'Get a key', params: KeyParams, response: { 200: ApiKey, ...problems(401, 403, 404) } } },
      async (request) => (await keyObjects(km.keys, [await km.keys.getManaged(principalOf(request), request.params.keyID)], now()))[0],
    );

    app.patch(
      '/api-keys/:keyID',
      {
        schema: {
          tags,
          summary: 'Change a key',
          description:
            'Changes `name`, `scopes`, `role`, `expires_at` (null: never), `rotation_interval_days`, `rotation_webhook_url` and `rotation_grace_minutes` (null clears the policy), `ratelimit` (null: no limit), `meta` (null clears it), `credits` (sets the count and refill anew; null: unlimited) and `ip_allowlist` (null: any address). Giving a key its first `rotation_webhook_url` answers its `rotation_webhook_secret`, once. A revoked key, or one replaced by a rotation, is 409: change its successor. An empty patch changes nothing.',
          params: KeyParams,
          body: Body({ name: Type.Optional(Name), ...settable }),
          response: { 200: UpdatedApiKey, ...problems(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const b = request.body;
        const patch = { ...b, owner_id: b.identity_id, expires_at: b.expires_at === undefined ? undefined : b.expires_at === null ? null : parseInstant(b.expires_at, 'body.expires_at') };
        const { row, webhookSecret } = await km.keys.update(principalOf(request), request.params.keyID, patch, actorOf(request));
        const [o] = await keyObjects(km.keys, [row], km.clock.now());
        return { ...o, ...(webhookSecret ? { rotation_webhook_secret: webhookSecret } : {}) };
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
          description: `\`grace_period_minutes\` 0..${MAX_GRACE_MINUTES}, default ${DEFAULT_GRACE_MINUTES} (also with no body at all); 0 retires the old key at once. Only an active key rotates: a revoked, expired or already-replaced key is 409.`,
          params: KeyParams,
          body: Type.Optional(Body({ grace_period_minutes: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_GRACE_MINUTES })) })),
          response: { 200: RotatedApiKey, ...problems(400, 401, 403, 404, 409) },
        },
        // `curl -X POST .../rotate` sends no body at all: that means the defaults.
        preValidation: async (request) => {
          request.body ??= {};
        },
      },
      async (request) => {
        const grace = request.body?.grace_period_minutes ?? DEFAULT_GRACE_MINUTES;
        const { old, next, key } = await km.keys.rotate(principalOf(request), request.params.keyID, grace, actorOf(request));
        return rotatedObject(old, next, key, now());
      },
    );
  };
