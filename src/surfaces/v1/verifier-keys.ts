// /v1/verifier-keys: credentials that may only verify keys, over HTTP or with a local verifier (root only to manage).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { verifierKeyObject } from '../../auth/verifier-keys.js';
import type { Keymint } from '../../keymint.js';
import { actorOf, requireRoot } from './context.js';
import { Body, Id, Instant, Name, Nullable, problems } from './schemas.js';

const tags = ['verifier-keys'];

const verifierKeyFields = {
  id: Type.String(),
  name: Type.String(),
  project_id: Nullable(Type.String({ description: 'The project whose keys it verifies; null: every project' })),
  key_prefix: Type.String({ description: 'km_verify plus the first 8 random characters, for display' }),
  created_at: Instant,
};
const VerifierKey = Type.Object(verifierKeyFields);
const CreatedVerifierKey = Type.Object({ ...verifierKeyFields, key: Type.String({ description: 'The plaintext verifier key: shown once, never again' }) });

export const verifierKeyRoutes =
  (km: Keymint): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.addHook('preHandler', async (request) => requireRoot(request));

    app.post(
      '/verifier-keys',
      {
        schema: {
          tags,
          summary: 'Create a verifier key (root only); its plaintext is in this response only',
          description:
            'A verifier key may call `POST /v1/keys/verify`, and for its project `GET /v1/keys/stream` and `POST /v1/keys/usage` (what a local verifier needs), and nothing else (403 on every other route of every surface). With a `project_id` it verifies that project\'s keys only (any other key answers `NOT_FOUND`); `project_id: null` verifies every project\'s keys. `project_id` must be sent, as an id or null.',
          body: Body({ name: Name, project_id: Nullable(Id) }),
          response: { 201: CreatedVerifierKey, ...problems(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const { row, key } = await km.verifierKeys.create(request.body.name, request.body.project_id, actorOf(request));
        return reply.code(201).send({ ...verifierKeyObject(row), key });
      },
    );

    app.get(
      '/verifier-keys',
      { schema: { tags, summary: 'List verifier keys, newest first (root only)', response: { 200: Type.Array(VerifierKey), ...problems(401, 403) } } },
      async () => (await km.verifierKeys.list()).map(verifierKeyObject),
    );

    app.delete(
      '/verifier-keys/:id',
      {
        schema: {
          tags,
          summary: 'Delete a verifier key (root only): it stops working at once, on every node',
          params: Type.Object({ id: Id }),
          response: { 204: Type.Null(), ...problems(401, 403, 404) },
        },
      },
      async (request, reply) => {
        await km.verifierKeys.delete(request.params.id, actorOf(request));
        return reply.code(204).send(null);
      },
    );
  };
