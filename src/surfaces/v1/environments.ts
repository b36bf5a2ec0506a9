import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Keymint } from '../../keymint.js';
import { actorOf, requireRoot } from './context.js';
import { environmentObject } from './present.js';
import { Body, Environment, Id, Name, Nullable, problems } from './schemas.js';

const tags = ['environments'];
const ProjectParams = Type.Object({ id: Id });

export const environmentRoutes =
  (km: Keymint): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.addHook('preHandler', async (request) => requireRoot(request));

    app.post(
      '/projects/:id/environments',
      {
        schema: {
          tags,
          summary: 'Create an environment (root only)',
          description: 'An environment may carry its own key prefix, such as `km_live` or `km_test`: its keys then start with it.',
          params: ProjectParams,
          body: Body({ name: Name, key_prefix: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 32 }))) }),
          response: { 201: Environment, ...problems(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => reply.code(201).send(environmentObject(await km.projects.createEnvironment(request.params.id, request.body, actorOf(request)))),
    );

    app.get(
      '/projects/:id/environments',
      { schema: { tags, summary: 'List environments (root only)', params: ProjectParams, response: { 200: Type.Array(Environment), ...problems(401, 403, 404) } } },
      async (request) => (await km.projects.listEnvironments(request.params.id)).map(environmentObject),
    );

    app.delete(
      '/projects/:id/environments/:envId',
      {
        schema: {
          tags,
          summary: 'Delete an environment (root only)',
          description: 'Refused with 409 while live keys are bound to it: revoke them first.',
          params: Type.Object({ id: Id, envId: Id }),
          response: { 204: Type.Null(), ...problems(401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        await km.projects.deleteEnvironment(request.params.id, request.params.envId, actorOf(request));
        return reply.code(204).send(null);
      },
    );
  };
