import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from 'typebox';
import type { Gate } from '../../auth/admission.js';
import type { Principal } from '../../auth/principal.js';
import type { Keymint } from '../../keymint.js';
import type { MaybePromise } from '../../util/maybe-promise.js';
import type { VerifyResult } from '../../verify/verifier.js';
import { refuseLesserKeys } from '../../service/api-keys.js';
import { invalid } from '../../service/errors.js';
import { isIpAddress } from '../../keys/cidr.js';
import { MAX_COST } from '../../keys/credits.js';
import { principalOf } from './context.js';
import { keyObjects } from './present.js';
import { sendProblem } from './problem.js';
import { ApiKey, Body, Id, problems, VerifyResult as VerifyResultSchema } from './schemas.js';
import { takeFailure } from './verify-handover.js';

const tags = ['verification'];

export const VerifyBody = Body({
  key: Type.String({ maxLength: 512 }),
  required_scopes: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 100 })),
  environment_id: Type.Optional(Id),
  cost: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_COST, description: 'Credits to take from a key with credits (default 1; 0 reads the count without spending)' })),
  client_ip: Type.Optional(
    Type.String({ maxLength: 64, description: 'The address your API saw the request come from: checked against the key\'s ip_allowlist (IP_NOT_ALLOWED outside it, or when missing)' }),
  ),
});

/**
 * One verification by an admitted caller: throws (before anything is counted) when the caller may not verify or
 * the body asks for something impossible. Shared by the route below and the fast path in front of node:http.
 */
export function verifyAs(km: Keymint, p: Principal, body: Static<typeof VerifyBody>): MaybePromise<VerifyResult> {
  refuseLesserKeys(p, 'verifying keys');
  const ip = body.client_ip;
  if (ip !== undefined && !isIpAddress(ip)) throw invalid('body.client_ip', `client_ip ${JSON.stringify(ip)} is not an IP address: send an IPv4 or IPv6 address, for example 203.0.113.7`);
  return km.verifier.verify(body, p.kind === 'root' || p.projectId === null ? null : p.projectId);
}

/** Who may verify: a Bearer credential (root, verifier or project key), with no request limit. */
export function verifyGate(km: Keymint): Gate {
  return { kinds: [km.credentials.bearer], management: false };
}

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
            'Every outcome is HTTP 200 with a `code`. The caller is the root key, a verifier key or an Admin key of a project (a project key or a project\'s verifier key sees only its own project\'s keys: others answer `NOT_FOUND`). `MALFORMED` is decided without storage. The key\'s `meta` comes with every outcome where the key is known. A key with an `ip_allowlist` answers `IP_NOT_ALLOWED` unless `client_ip` is inside it; a key with credits takes `cost` of them (default 1) on an otherwise VALID verification, and answers `USAGE_EXCEEDED` when fewer remain.',
          body: VerifyBody,
          response: { 200: VerifyResultSchema, ...problems(400, 401, 403) },
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
        const failed = takeFailure(request.raw.socket);
        if (failed !== undefined) throw failed;
        return verifyAs(km, principalOf(request), request.body);
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
        return (await keyObjects(km.keys, [row], km.clock.now()))[0];
      },
    );
  };
