import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Keymint } from '../../keymint.js';
import { onePage, principalOf } from './context.js';
import { Id, Instant, Nullable, Page, problems } from './schemas.js';
import { deliveryObject } from './present.js';

const WebhookDelivery = Type.Object({
  webhook_id: Type.String({ description: 'The `webhook-id` header: the same on every attempt of one message' }),
  event_type: Type.String(),
  trigger: Type.Enum(['scheduled', 'manual'], { description: '`scheduled`: the rotation commits only on a 2xx; `manual`: notice of a rotation already made' }),
  attempt: Type.Integer({ minimum: 1 }),
  attempted_at: Instant,
  status_code: Nullable(Type.Integer({ description: 'Null when no HTTP answer came (refused address, timeout, connection error)' })),
  outcome: Type.Enum(['delivered', 'retrying', 'abandoned', 'cancelled']),
  error: Nullable(Type.String()),
  duration_ms: Type.Integer(),
  next_attempt_at: Nullable(Instant),
  old_key_id: Type.String(),
  new_key_id: Type.String(),
});

export const webhookDeliveryRoutes =
  (km: Keymint): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api-keys/:keyID/webhook-deliveries',
      {
        schema: {
          tags: ['api-keys'],
          summary: 'Rotation webhook attempts for a key, newest first',
          description:
            'Every attempt to deliver `api_key.rotated` for rotations of this key (or that made it): when, the HTTP status code, and the outcome. ' +
            '`retrying` attempts name their `next_attempt_at`; `abandoned` means a 410 or the last attempt failed (a scheduled rotation was then undone); ' +
            '`cancelled` means the key was revoked, rotated by hand or lost its webhook first. The next page is in `Link: <...>; rel="next"`.',
          params: Type.Object({ keyID: Id }),
          querystring: Type.Object(Page),
          response: { 200: Type.Array(WebhookDelivery), ...problems(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const key = await km.keys.getManaged(principalOf(request), request.params.keyID);
        const page = await onePage(request, reply, (limit, before) => km.rotation.outbox.listDeliveries(key.id, limit, before), (d) => d.seq);
        return page.map(deliveryObject);
      },
    );
  };
