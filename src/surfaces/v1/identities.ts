// /v1/identities: owners of keys on the native surface (Grafana calls them service accounts). A key joins one with
// `identity_id`; verify then answers the identity and applies its shared rate limit.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Keymint } from '../../keymint.js';
import { identityObject } from '../../service/owners.js';
import { actorOf, onePage, principalOf } from './context.js';
import { Body, ExternalId, Id, Identity, KeyRatelimit, Meta, Name, Nullable, Page, problems, Role } from './schemas.js';

const tags = ['identities'];
const IdentityParams = Type.Object({ identityID: Id });

const settable = {
  external_id: Type.Optional(Nullable(ExternalId)),
  role: Type.Optional(Role),
  is_disabled: Type.Optional(Type.Boolean()),
  meta: Type.Optional(Nullable(Meta)),
  ratelimit: Type.Optional(Nullable(KeyRatelimit)),
};

export const identityRoutes =
  (km: Keymint): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/identities',
      {
        schema: {
          tags,
          summary: 'Create an identity: an owner of keys that outlives any one key',
          description:
            'Its keys act with its `role`, stop (`DISABLED`) while `is_disabled` is true, share its `ratelimit` across every node, and are revoked when it is deleted. `external_id` is your own id for it, unique in the project. `meta` is answered by verify.',
          body: Body({ project_id: Id, name: Name, ...settable }),
          response: { 201: Identity, ...problems(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => reply.code(201).send(identityObject(await km.owners.create(principalOf(request), request.body, actorOf(request)))),
    );

    app.get(
      '/identities',
      {
        schema: {
          tags,
          summary: 'List the identities of a project, newest first',
          description: '`external_id` finds the one with that id (or none). The next page is in `Link: <...>; rel="next"`.',
          querystring: Type.Object({ project_id: Id, external_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })), ...Page }),
          response: { 200: Type.Array(Identity), ...problems(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const page = await onePage(
          request,
          reply,
          (limit, before) => km.owners.list(principalOf(request), { project_id: q.project_id, external_id: q.external_id, limit, before }),
          (r) => r.num_id,
        );
        return page.map(identityObject);
      },
    );

    app.get(
      '/identities/:identityID',
      { schema: { tags, summary: 'Get an identity', params: IdentityParams, response: { 200: Identity, ...problems(401, 403, 404) } } },
      async (request) => identityObject(await km.owners.getManaged(principalOf(request), request.params.identityID)),
    );

    app.patch(
      '/identities/:identityID',
      {
        schema: {
          tags,
          summary: 'Change an identity',
          description:
            'Changes `name`, `external_id`, `role` (its keys take it at once), `is_disabled` (its keys stop or work again on every node within a second), `meta` and `ratelimit` (null clears them). An empty patch changes nothing.',
          params: IdentityParams,
          body: Body({ name: Type.Optional(Name), ...settable }),
          response: { 200: Identity, ...problems(400, 401, 403, 404, 409) },
        },
      },
      async (request) => identityObject(await km.owners.update(principalOf(request), request.params.identityID, request.body, actorOf(request))),
    );

    app.delete(
      '/identities/:identityID',
      {
        schema: { tags, summary: 'Delete an identity and revoke its keys', params: IdentityParams, response: { 204: Type.Null(), ...problems(401, 403, 404) } },
      },
      async (request, reply) => {
        await km.owners.delete(principalOf(request), request.params.identityID, actorOf(request));
        return reply.code(204).send(null);
      },
    );
  };
