// POST /v1/api-keys/import: keys from another system, by SHA-256 digest, so the keys its users hold keep working.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Keymint } from '../../keymint.js';
import { DIGEST_PATTERN, MAX_IMPORT_BATCH } from '../../service/key-import.js';
import { actorOf, parseInstant, principalOf } from './context.js';
import { Body, Id, Instant, Name, Nullable, problems, Role, Scopes, TEXT_PATTERN } from './schemas.js';

const ImportedKey = Body({
  digest: Type.String({ pattern: DIGEST_PATTERN, description: 'Hex SHA-256 of the whole key as its holders send it' }),
  name: Name,
  scopes: Type.Optional(Scopes),
  role: Type.Optional(Role),
  expires_at: Type.Optional(Nullable(Instant)),
  key_prefix: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: TEXT_PATTERN, description: 'Shown in listings in place of a minted key\'s first characters (default `imported`)' })),
});

export const keyImportRoutes =
  (km: Keymint): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api-keys/import',
      {
        schema: {
          tags: ['api-keys'],
          summary: 'Import keys from another system by their SHA-256 digests (root or the project\'s Admin key)',
          description:
            `Up to ${MAX_IMPORT_BATCH} keys per request, all or nothing. Idempotent: a digest already in the project answers \`existing\` with its id, so a failed import can simply be sent again; a digest of another project is 409. ` +
            'An imported key verifies like a minted one (POST /v1/keys/verify with the plaintext its holder has), even without Keymint\'s prefix and checksum. Each created key writes an `api_key.imported` audit event.',
          body: Body({ project_id: Id, environment_id: Type.Optional(Nullable(Id)), keys: Type.Array(ImportedKey, { minItems: 1, maxItems: MAX_IMPORT_BATCH }) }),
          response: {
            200: Type.Object({
              created: Type.Integer(),
              existing: Type.Integer(),
              keys: Type.Array(Type.Object({ digest: Type.String(), id: Type.String(), status: Type.Enum(['created', 'existing']) })),
            }),
            ...problems(400, 401, 403, 404, 409),
          },
        },
      },
      async (request) => {
        const b = request.body;
        const keys = b.keys.map((k, i) => ({ ...k, expires_at: k.expires_at == null ? null : parseInstant(k.expires_at, `body.keys.${i}.expires_at`) }));
        const out = await km.keyImport.import(principalOf(request), b.project_id, b.environment_id ?? null, keys, actorOf(request));
        return { created: out.filter((o) => o.status === 'created').length, existing: out.filter((o) => o.status === 'existing').length, keys: out };
      },
    );
  };
