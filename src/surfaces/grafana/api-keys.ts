// GET, POST and DELETE /api/auth/keys: Grafana 10's API key routes over the one key service.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Actor } from '../../auth/principal.js';
import type { Keymint } from '../../keymint.js';
import { type KeyRow, MAX_DAYS } from '../../service/api-keys.js';
import { ServiceError } from '../../service/errors.js';
import { type GrafanaCaller, grafanaCaller } from './caller.js';
import { type CreateCommand, parseCreateCommand } from './create-command.js';
import { type ApiKeyAction, GrafanaError } from './errors.js';
import { parseInt64 } from './json-body.js';

declare module 'fastify' {
  interface FastifyRequest {
    grafana: GrafanaCaller | null;
  }
}

/** Grafana lists at most this many keys. */
export const LIST_CAP = 100;
const MAX_SECONDS_TO_LIVE = MAX_DAYS * 86_400;

/** RFC 3339 in whole seconds, as Grafana writes instants. */
export const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Go's strconv.ParseBool true values; anything else (or a parse error) is false. */
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

export function grafanaKey(k: KeyRow) {
  return {
    id: k.num_id,
    name: k.name,
    role: k.role,
    ...(k.expires_at !== null ? { expiration: rfc3339(k.expires_at) } : {}),
    ...(k.last_used_at !== null ? { lastUsedAt: rfc3339(k.last_used_at) } : {}),
  };
}

const actorOf = (request: FastifyRequest, caller: GrafanaCaller): Actor => ({ principal: caller.principal, ip: request.ip });

/**
 * Rows 4 to 8 of the create table, in order, then the write. The route has done 401 and 403 and
 * rows 1 to 3. Exported so row 4 can be shown: over HTTP only Admin callers get this far.
 */
export async function createKey(km: Keymint, caller: GrafanaCaller, cmd: CreateCommand, actor: Actor) {
  try {
    km.keys.requireGrant(caller.principal, caller.org.id, cmd.role);
  } catch (e) {
    if (e instanceof ServiceError && e.kind === 'forbidden') throw new GrafanaError(403, "Cannot assign a role higher than user's role");
    throw e;
  }
  const s = cmd.secondsToLive;
  const max = km.config.apiKeyMaxSecondsToLive;
  if (max !== -1) {
    if (s === null || s === 0) throw new GrafanaError(400, 'Number of seconds before expiration should be set');
    if (s > max) throw new GrafanaError(400, 'Number of seconds before expiration is greater than the global limit');
  }
  const duplicate = () => new GrafanaError(409, 'API key, organization ID and name must be unique');
  // Expired keys keep their name, as in Grafana; revoked and rotated-out ones free it.
  if (await km.keys.findLiveByName(caller.org.id, cmd.name)) throw duplicate();
  if (s !== null && s < 0) throw new GrafanaError(400, 'negative value for SecondsToLive');
  if (s !== null && s > MAX_SECONDS_TO_LIVE) throw new GrafanaError(400, `secondsToLive must be at most ${MAX_SECONDS_TO_LIVE} (100 years)`);
  // Grafana counts from the current whole second (Unix time + secondsToLive).
  const expiresAt = s ? Math.floor(km.clock.now() / 1000) * 1000 + s * 1000 : null;
  try {
    const { row, key } = await km.keys.create(caller.principal, { project_id: caller.org.id, name: cmd.name, role: cmd.role, expires_at: expiresAt }, actor);
    return { id: row.num_id, name: row.name, key };
  } catch (e) {
    if (e instanceof ServiceError && e.kind === 'conflict') throw duplicate(); // a concurrent create took the name
    throw e;
  }
}

export function apiKeyRoutes(km: Keymint): FastifyPluginAsync {
  return async (app) => {
    // 401, then 403, before the body is read or the handler runs.
    const gate = (action: ApiKeyAction) => async (request: FastifyRequest) => {
      request.grafana = await grafanaCaller(km, request, action);
    };
    const callerOf = (request: FastifyRequest) => request.grafana!;
    const tags = ['grafana'];

    app.get(
      '/auth/keys',
      {
        onRequest: gate('apikeys:read'),
        schema: {
          tags,
          summary: 'List API keys (Grafana)',
          description: 'Sorted by name, at most 100. `includeExpired=true` adds expired keys. `Authorization: Bearer <key>` or `Basic api_key:<key>`.',
        },
      },
      async (request) => {
        const raw = (request.query as Record<string, string | string[] | undefined>).includeExpired;
        const includeExpired = TRUE.has(Array.isArray(raw) ? raw[0] : (raw ?? ''));
        const caller = callerOf(request);
        const rows = await km.keys.listByName(caller.principal, caller.org.id, { includeExpired, limit: LIST_CAP });
        return rows.map(grafanaKey);
      },
    );

    app.post(
      '/auth/keys',
      {
        onRequest: gate('apikeys:create'),
        schema: {
          tags,
          summary: 'Create an API key (Grafana)',
          description: 'Body `{"name", "role", "secondsToLive"?}`; answers `{"id", "name", "key"}`. Gone (410) with KEYMINT_GRAFANA_COMPAT=11.3.',
        },
      },
      async (request) => {
        if (km.config.grafanaCompat === '11.3') {
          throw new GrafanaError(410, 'this endpoint has been removed, please use POST /api/serviceaccounts and POST /api/serviceaccounts/{id}/tokens instead');
        }
        const caller = callerOf(request);
        const cmd = parseCreateCommand(request.headers['content-type'], request.body);
        return createKey(km, caller, cmd, actorOf(request, caller));
      },
    );

    app.delete<{ Params: { id: string } }>(
      '/auth/keys/:id',
      { onRequest: gate('apikeys:delete'), schema: { tags, summary: 'Delete (revoke) an API key by its numeric id (Grafana)' } },
      async (request) => {
        const id = parseInt64(request.params.id);
        if (id === null) throw new GrafanaError(400, 'id is invalid');
        const caller = callerOf(request);
        const notFound = new GrafanaError(404, 'Failed to delete API key');
        try {
          await km.keys.revokeByNumId(caller.principal, caller.org.id, id, actorOf(request, caller));
        } catch (e) {
          // Keys of another organization, service account tokens, and keys already gone (revoked, rotated out), are not there to delete.
          if (e instanceof ServiceError && e.kind === 'not_found') throw notFound;
          throw e;
        }
        return { message: 'API key deleted' };
      },
    );
  };
}
