import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Keymint } from '../../keymint.js';
import { refuseLesserKeys } from '../../service/api-keys.js';
import { principalOf } from './context.js';
import { keyObject } from './present.js';
import { sendProblem } from './problem.js';
import { ApiKey, Body, Id, problems, VerifyResult } from './schemas.js';

const tags = ['verification'];

/** `POST /v1/keys/verify`: the hot path, registered under its own admission hook (no request limit). */
export const verifyRoutes =
  (km: Keymint): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/keys/verify',
      {
        schema: {
          tags,
          summary: 'Is this key good, and what may it do?',
          description:
            'Every outcome is HTTP 200 with a `code`. The caller is the root key or an Admin key of a project, which sees only its own project\'s keys. `MALFORMED` is decided without storage.',
          body: Body({
            key: Type.String({ maxLength: 512 }),
            required_scopes: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 100 })),
            environment_id: Type.Optional(Id),
          }),
          response: { 200: VerifyResult, ...problems(400, 401, 403) },
        },
        // The schema documents the answer; JSON.stringify writes it faster than a serializer that
        // must test each nullable (anyOf) field, and the verifier builds exactly these fields.
        serializerCompiler: () => JSON.stringify,
        // Thousands a second, each counted in metrics and usage: at the default `info` a verification writes no
        // access-log lines (at `debug` and `trace` it does). Errors are logged as on every route.
        logLevel: app.log.level === 'info' ? 'warn' : undefined,
      },
      // Not async: a verification answered from memory is sent without a promise.
      (request) => {
        const p = principalOf(request);
        refuseLesserKeys(p, 'verifying keys');
        return km.verifier.verify(request.body, p.kind === 'root' ? null : p.projectId);
      },
    );
  };

/** `GET /v1/keys/self`: a management route (counted against the caller's request limit). */
export const selfRoutes =
  (km: Keymint): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/keys/self',
      { schema: { tags, summary: 'The calling key\'s own object', response: { 200: ApiKey, ...problems(401) } } },
      async (request, reply) => {
        const p = principalOf(request);
        const row = p.kind === 'api_key' ? await km.keys.findById(p.id) : undefined;
        if (!row) return sendProblem(reply, 401, 'Only a project key has a key object: call this with Authorization: Bearer <project key>');
        return keyObject(row, km.clock.now());
      },
    );
  };
