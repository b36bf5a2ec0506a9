import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Keymint } from '../../keymint.js';
import { actorOf, requireRoot } from './context.js';
import { projectObject } from './present.js';
import { Body, Id, Name, Project, problems } from './schemas.js';

const tags = ['projects'];
const IdParams = Type.Object({ id: Id });

export const projectRoutes =
  (km: Keymint): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.addHook('preHandler', async (request) => requireRoot(request));

    app.post(
      '/projects',
      { schema: { tags, summary: 'Create a project (root only)', body: Body({ name: Name }), response: { 201: Project, ...problems(400, 401, 403) } } },
      async (request, reply) => reply.code(201).send(projectObject(await km.projects.create(request.body.name, actorOf(request)))),
    );

    app.get('/projects', { schema: { tags, summary: 'List projects (root only)', response: { 200: Type.Array(Project), ...problems(401, 403) } } }, async () =>
      (await km.projects.list()).map(projectObject),
    );

    app.get(
      '/projects/:id',
      { schema: { tags, summary: 'Get a project (root only)', params: IdParams, response: { 200: Project, ...problems(401, 403, 404) } } },
      async (request) => projectObject(await km.projects.get(request.params.id)),
    );

    app.delete(
      '/projects/:id',
      { schema: { tags, summary: 'Delete a project; its keys stop verifying at once', description: 'Revokes every key of the project in the same transaction; the project and its keys then answer 404. Its audit events stay readable by the root key.', params: IdParams, response: { 204: Type.Null(), ...problems(401, 403, 404) } } },
      async (request, reply) => {
        await km.projects.delete(request.params.id, actorOf(request));
        return reply.code(204).send(null);
      },
    );
  };
