// Grafana's /api/serviceaccounts: service accounts (Keymint owners) and their tokens (keys owned by them), plus
// the migration of API keys into service accounts. Thin: every rule lives in the owner and key services.
import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Actor } from '../../auth/principal.js';
import type { Keymint } from '../../keymint.js';
import type { Role } from '../../keys/roles.js';
import { MAX_DAYS } from '../../service/api-keys.js';
import { ServiceError } from '../../service/errors.js';
import type { OwnerRow } from '../../service/owners.js';
import { rfc3339 } from './api-keys.js';
import { type GrafanaCaller, grafanaCaller } from './caller.js';
import { titleCasedRole } from './create-command.js';
import { type ApiKeyAction, BAD_REQUEST_DATA, GrafanaError } from './errors.js';
import { jsonFields, optionalBool, optionalInt, optionalString, parseInt64 } from './json-body.js';

const MAX_SECONDS_TO_LIVE = MAX_DAYS * 86_400;
/** Grafana's default page size for the search; Keymint also caps it there. */
const DEFAULT_PER_PAGE = 1000;

/** Grafana's login for a service account: `sa-<org>-<name as a slug>`. */
export function serviceAccountLogin(orgId: number, name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `sa-${orgId}-${slug}`;
}

const avatarUrl = (login: string) => `/avatar/${createHash('md5').update(login).digest('hex')}`;

/** Grafana's ServiceAccountDTO. */
export function serviceAccountDto(o: OwnerRow, orgId: number, tokens: number) {
  const login = serviceAccountLogin(orgId, o.name);
  return { id: o.num_id, uid: o.id, name: o.name, login, orgId, isDisabled: o.is_disabled === 1, role: o.role, tokens, avatarUrl: avatarUrl(login) };
}

/** Grafana's ServiceAccountProfileDTO. */
function serviceAccountProfile(o: OwnerRow, orgId: number, tokens: number) {
  return { ...serviceAccountDto(o, orgId, tokens), createdAt: rfc3339(o.created_at), updatedAt: rfc3339(o.updated_at), teams: [] as string[] };
}

/** Go's strconv.ParseBool, as c.QueryBool reads a query parameter (anything else is false). */
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

function queryValue(request: FastifyRequest, ...names: string[]): string | undefined {
  const q = request.query as Record<string, string | string[] | undefined>;
  for (const n of names) {
    const v = q[n];
    if (v !== undefined) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

/** c.QueryInt: a number or 0. */
function queryInt(request: FastifyRequest, name: string): number {
  const v = queryValue(request, name);
  return v !== undefined && /^[+-]?\d{1,15}$/.test(v) ? Number(v) : 0;
}

function roleFrom(fields: Map<string, unknown>): Role | undefined {
  const raw = fields.get('role');
  if (raw === undefined) return undefined;
  const role = typeof raw === 'string' ? titleCasedRole(raw) : null;
  if (role === null) throw new GrafanaError(400, 'Invalid role specified');
  return role;
}

const actorOf = (request: FastifyRequest, caller: GrafanaCaller): Actor => ({ principal: caller.principal, ip: request.ip });

/** Service errors in Grafana's words for these routes. */
function grafanaOf(e: unknown, messages: Partial<Record<ServiceError['kind'], [number, string]>>): unknown {
  if (!(e instanceof ServiceError)) return e;
  const m = messages[e.kind];
  return m ? new GrafanaError(m[0], m[1]) : e;
}

const ROLE_DENIED: [number, string] = [403, "can not assign a role higher than user's role"];

export function serviceAccountRoutes(km: Keymint): FastifyPluginAsync {
  return async (app) => {
    const gate = (action: ApiKeyAction) => async (request: FastifyRequest) => {
      request.grafana = await grafanaCaller(km, request, action);
    };
    const callerOf = (request: FastifyRequest) => request.grafana!;
    const tags = ['grafana'];
    const migrations = km.config.grafanaCompat !== '12';

    /** The service account named by `:id` in the caller's organization, or Grafana's 400/404. */
    async function accountOf(request: FastifyRequest, raw: string): Promise<OwnerRow> {
      const id = parseInt64(raw);
      if (id === null) throw new GrafanaError(400, 'Service Account ID is invalid');
      const row = id > 0 ? await km.owners.findByNumId(callerOf(request).org.id, id) : undefined;
      if (!row) throw new GrafanaError(404, 'service account not found');
      return row;
    }

    const tokenCount = async (o: OwnerRow) => (await km.owners.tokenCounts([o.id])).get(o.id) ?? 0;

    app.post(
      '/serviceaccounts',
      {
        onRequest: gate('serviceaccounts:create'),
        schema: { tags, summary: 'Create a service account (Grafana)', description: 'Body `{"name", "role"?, "isDisabled"?}` (role defaults to Viewer); answers 201 with the service account.' },
      },
      async (request, reply) => {
        const caller = callerOf(request);
        const fields = jsonFields(request.headers['content-type'], request.body);
        const name = optionalString(fields, 'name');
        const role = roleFrom(fields) ?? 'Viewer';
        const isDisabled = optionalBool(fields, 'isdisabled') ?? false;
        if (!name) throw new GrafanaError(400, BAD_REQUEST_DATA);
        try {
          const row = await km.owners.create(caller.principal, { project_id: caller.org.id, name, role, is_disabled: isDisabled }, actorOf(request, caller));
          return reply.code(201).send(serviceAccountDto(row, caller.org.org_id, 0));
        } catch (e) {
          throw grafanaOf(e, { forbidden: ROLE_DENIED, conflict: [400, 'service account already exists'] });
        }
      },
    );

    app.get(
      '/serviceaccounts/search',
      {
        onRequest: gate('serviceaccounts:read'),
        schema: {
          tags,
          summary: 'Search service accounts with paging (Grafana)',
          description: '`perpage` (default and cap 1000), `page` (from 1), `query` (part of the name, any case), `disabled=true` (only disabled ones).',
        },
      },
      async (request) => {
        const caller = callerOf(request);
        const perPage = Math.min(queryInt(request, 'perpage') > 0 ? queryInt(request, 'perpage') : DEFAULT_PER_PAGE, DEFAULT_PER_PAGE);
        const page = Math.max(1, queryInt(request, 'page'));
        const onlyDisabled = TRUE.has(queryValue(request, 'disabled', 'Disabled') ?? '');
        const { rows, total } = await km.owners.search(caller.org.id, { query: queryValue(request, 'query') ?? '', onlyDisabled, limit: perPage, offset: (page - 1) * perPage });
        const counts = await km.owners.tokenCounts(rows.map((r) => r.id));
        return { totalCount: total, serviceAccounts: rows.map((r) => serviceAccountDto(r, caller.org.org_id, counts.get(r.id) ?? 0)), page, perPage };
      },
    );

    if (migrations) {
      app.post(
        '/serviceaccounts/migrate',
        {
          onRequest: gate('serviceaccounts:write'),
          schema: {
            tags,
            summary: 'Migrate every API key of the organization to a service account (Grafana)',
            description: 'Each key becomes the token of a new service account `sa-autogen-<key name>` with its role, and keeps working unchanged. A key that cannot be migrated stays an API key and is listed in `failedApikeyIDs`/`failedDetails`.',
          },
        },
        async (request) => {
          const caller = callerOf(request);
          return km.owners.migrateAll(caller.org.id, caller.org.org_id, actorOf(request, caller));
        },
      );

      app.post<{ Params: { keyId: string } }>(
        '/serviceaccounts/migrate/:keyId',
        { onRequest: gate('serviceaccounts:write'), schema: { tags, summary: 'Migrate one API key to a service account (Grafana)' } },
        async (request) => {
          const caller = callerOf(request);
          const id = parseInt64(request.params.keyId);
          if (id === null) throw new GrafanaError(400, 'Key ID is invalid');
          const key = id > 0 ? (await km.owners.migratableKeys(caller.org.id)).find((k) => k.num_id === id) : undefined;
          if (!key) throw new GrafanaError(404, 'API key not found');
          const failure = await km.owners.adoptKey(key, caller.org.org_id, actorOf(request, caller));
          if (failure !== null) throw new GrafanaError(400, `Failed to migrate API key ${id}: ${failure}`);
          return { message: 'Service accounts migrated' };
        },
      );

      app.get(
        '/serviceaccounts/migrationstatus',
        { onRequest: gate('serviceaccounts:read'), schema: { tags, summary: 'Are all API keys of the organization migrated? (Grafana)' } },
        async (request) => ({ migrated: (await km.owners.migratableKeys(callerOf(request).org.id)).length === 0 }),
      );
    }

    app.get<{ Params: { id: string } }>(
      '/serviceaccounts/:id',
      { onRequest: gate('serviceaccounts:read'), schema: { tags, summary: 'Get a service account (Grafana)' } },
      async (request) => {
        const row = await accountOf(request, request.params.id);
        return serviceAccountDto(row, callerOf(request).org.org_id, await tokenCount(row));
      },
    );

    app.patch<{ Params: { id: string } }>(
      '/serviceaccounts/:id',
      {
        onRequest: gate('serviceaccounts:write'),
        schema: { tags, summary: 'Update a service account (Grafana)', description: 'Body `{"name"?, "role"?, "isDisabled"?}`. Disabling stops its tokens on every node at once; enabling restores them.' },
      },
      async (request) => {
        const caller = callerOf(request);
        const fields = jsonFields(request.headers['content-type'], request.body);
        const name = optionalString(fields, 'name');
        const role = roleFrom(fields);
        const isDisabled = optionalBool(fields, 'isdisabled');
        const current = await accountOf(request, request.params.id);
        if (name === '') throw new GrafanaError(400, BAD_REQUEST_DATA);
        try {
          const row = await km.owners.update(caller.principal, current.id, { name, role, is_disabled: isDisabled }, actorOf(request, caller));
          return { id: row.num_id, name: row.name, message: 'Service account updated', serviceaccount: serviceAccountProfile(row, caller.org.org_id, await tokenCount(row)) };
        } catch (e) {
          throw grafanaOf(e, { forbidden: ROLE_DENIED, conflict: [400, 'service account already exists'], not_found: [404, 'service account not found'] });
        }
      },
    );

    app.delete<{ Params: { id: string } }>(
      '/serviceaccounts/:id',
      { onRequest: gate('serviceaccounts:delete'), schema: { tags, summary: 'Delete a service account and revoke its tokens (Grafana)' } },
      async (request) => {
        const caller = callerOf(request);
        const row = await accountOf(request, request.params.id);
        try {
          await km.owners.delete(caller.principal, row.id, actorOf(request, caller));
        } catch (e) {
          throw grafanaOf(e, { not_found: [404, 'service account not found'] });
        }
        return { message: 'Service account deleted' };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/serviceaccounts/:id/tokens',
      { onRequest: gate('serviceaccounts:read'), schema: { tags, summary: 'List the tokens of a service account (Grafana)' } },
      async (request) => {
        const row = await accountOf(request, request.params.id);
        const now = km.clock.now();
        return (await km.owners.keysOf(row.id)).map((k) => {
          const hasExpired = k.expires_at !== null && k.expires_at <= now;
          return {
            id: k.num_id,
            name: k.name,
            created: rfc3339(k.created_at),
            // Grafana's schema types these as date-time strings: left out (not null) when there is none.
            ...(k.expires_at !== null ? { expiration: rfc3339(k.expires_at) } : {}),
            ...(k.last_used_at !== null ? { lastUsedAt: rfc3339(k.last_used_at) } : {}),
            secondsUntilExpiration: k.expires_at === null || hasExpired ? 0 : (k.expires_at - now) / 1000,
            hasExpired,
            isRevoked: false,
          };
        });
      },
    );

    app.post<{ Params: { id: string } }>(
      '/serviceaccounts/:id/tokens',
      {
        onRequest: gate('serviceaccounts:write'),
        schema: { tags, summary: 'Add a token to a service account (Grafana)', description: 'Body `{"name", "secondsToLive"?}`; answers `{"id", "name", "key"}`, the key shown once. The token acts with the service account\'s role.' },
      },
      async (request) => {
        const caller = callerOf(request);
        const fields = jsonFields(request.headers['content-type'], request.body);
        const name = optionalString(fields, 'name');
        const s = optionalInt(fields, 'secondstolive') ?? 0;
        const owner = await accountOf(request, request.params.id);
        if (!name) throw new GrafanaError(400, BAD_REQUEST_DATA);
        const max = km.config.apiKeyMaxSecondsToLive;
        if (max !== -1) {
          if (s === 0) throw new GrafanaError(400, 'Number of seconds before expiration should be set');
          if (s > max) throw new GrafanaError(400, 'Number of seconds before expiration is greater than the global limit');
        }
        if (s < 0 || s > MAX_SECONDS_TO_LIVE) throw new GrafanaError(400, 'invalid SecondsToLive value');
        const expiresAt = s ? Math.floor(km.clock.now() / 1000) * 1000 + s * 1000 : null;
        try {
          const { row, key } = await km.keys.create(caller.principal, { project_id: caller.org.id, name, owner_id: owner.id, expires_at: expiresAt }, actorOf(request, caller));
          return { id: row.num_id, name: row.name, key };
        } catch (e) {
          // The account deleted while its token was being made (before or inside the create's transaction).
          if (e instanceof ServiceError && ((e.kind === 'validation' && e.location === 'body.identity_id') || (e.kind === 'conflict' && e.code !== 'name_taken'))) {
            throw new GrafanaError(404, 'service account not found');
          }
          throw grafanaOf(e, {
            forbidden: ROLE_DENIED,
            conflict: [409, 'service account token with given name already exists in the organization'],
            validation: [400, (e as Error).message],
          });
        }
      },
    );

    app.delete<{ Params: { id: string; tokenId: string } }>(
      '/serviceaccounts/:id/tokens/:tokenId',
      { onRequest: gate('serviceaccounts:write'), schema: { tags, summary: 'Delete (revoke) a token of a service account (Grafana)' } },
      async (request) => {
        const caller = callerOf(request);
        const owner = await accountOf(request, request.params.id);
        const tokenId = parseInt64(request.params.tokenId);
        if (tokenId === null) throw new GrafanaError(400, 'Token ID is invalid');
        try {
          await km.keys.revokeByNumId(caller.principal, caller.org.id, tokenId, actorOf(request, caller), owner.id);
        } catch (e) {
          throw grafanaOf(e, { not_found: [404, 'service account token not found'] });
        }
        return { message: 'Service account token deleted' };
      },
    );
  };
}
