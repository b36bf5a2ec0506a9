import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Keymint } from '../../keymint.js';
import { awsCredentialsOf } from '../../service/aws-credentials.js';
import { actorOf, requireRoot } from './context.js';
import { awsCredentialObject } from './present.js';
import { Body, Id, Instant, Nullable, problems, TEXT_PATTERN } from './schemas.js';

const tags = ['aws-credentials'];
const ProjectParams = Type.Object({ id: Id });

const AwsCredential = Type.Object({
  access_key_id: Type.String(),
  project_id: Type.String(),
  workspace_id: Type.String({ description: 'The one workspace this pair may use' }),
  description: Nullable(Type.String()),
  created_at: Instant,
  revoked_at: Nullable(Instant),
});

const CreatedAwsCredential = Type.Object({
  ...AwsCredential.properties,
  secret_access_key: Type.String({ description: 'The secret: shown once, never again' }),
});

export const awsCredentialRoutes =
  (km: Keymint): FastifyPluginAsyncTypebox =>
  async (app) => {
    const credentials = awsCredentialsOf(km);
    app.addHook('preHandler', async (request) => requireRoot(request));

    app.post(
      '/projects/:id/aws-credentials',
      {
        schema: {
          tags,
          summary: 'Issue an AWS access key pair for the project (root only); the secret is in this response only',
          description: 'The pair signs (SigV4) requests to the Amazon Managed Grafana-compatible API, on this project\'s workspace only.',
          params: ProjectParams,
          body: Type.Optional(Body({ description: Type.Optional(Nullable(Type.String({ maxLength: 255, pattern: TEXT_PATTERN }))) })),
          response: { 201: CreatedAwsCredential, ...problems(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const project = await km.projects.get(request.params.id);
        const { row, secretAccessKey } = await credentials.issue(project.id, request.body?.description ?? null, actorOf(request));
        return reply.code(201).send({ ...awsCredentialObject(row, project.workspace_id), secret_access_key: secretAccessKey });
      },
    );

    app.get(
      '/projects/:id/aws-credentials',
      {
        schema: {
          tags,
          summary: 'List the project\'s AWS access key pairs, oldest first, without secrets (root only)',
          params: ProjectParams,
          querystring: Type.Object({ include_revoked: Type.Optional(Type.Boolean({ default: false })) }),
          response: { 200: Type.Array(AwsCredential), ...problems(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const project = await km.projects.get(request.params.id);
        return (await credentials.list(project.id, request.query.include_revoked ?? false)).map((c) => awsCredentialObject(c, project.workspace_id));
      },
    );

    app.delete(
      '/projects/:id/aws-credentials/:accessKeyId',
      {
        schema: {
          tags,
          summary: 'Revoke an AWS access key pair at once (again: still 204; root only)',
          params: Type.Object({ id: Id, accessKeyId: Id }),
          response: { 204: Type.Null(), ...problems(401, 403, 404) },
        },
      },
      async (request, reply) => {
        await credentials.revoke(request.params.id, request.params.accessKeyId, actorOf(request));
        return reply.code(204).send(null);
      },
    );
  };
