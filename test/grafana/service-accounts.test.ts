// Grafana's /api/serviceaccounts over HTTP on both engines: service accounts, tokens, disable/enable, delete,
// the API key migration, and every response checked against Grafana's own published schema.
import { afterAll, describe, expect, it } from 'vitest';
import { engines } from '../support/harness.js';
import { bearer, call, type GrafanaRes, JSON_CT, useGrafanaFixture } from './support.js';
import { checked, expectGrafanaSchema } from './grafana-schema.js';

describe.each(engines)('Grafana service accounts (%s)', (engine) => {
  const f = useGrafanaFixture(engine);

  /** One request to the Grafana surface (the admin key unless `auth` says otherwise), its answer schema-checked. */
  async function api(method: string, url: string, body?: unknown, auth: Record<string, string> = bearer(f.admin)): Promise<GrafanaRes> {
    const res = await call(f.node.app, method, url, { ...auth, ...(body !== undefined ? JSON_CT : {}) }, body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
    expectGrafanaSchema(method, url, res.status, res.body);
    return res;
  }

  const newAccount = async (name: string, role = 'Admin', extra: Record<string, unknown> = {}) => {
    const res = await api('POST', '/api/serviceaccounts', { name, role, ...extra });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: number; name: string; role: string; isDisabled: boolean; orgId: number; tokens: number };
  };
  const newToken = async (saId: number, name: string, extra: Record<string, unknown> = {}) => {
    const res = await api('POST', `/api/serviceaccounts/${saId}/tokens`, { name, ...extra });
    expect(res.status, res.text).toBe(200);
    return res.body as { id: number; name: string; key: string };
  };

  it('creates a service account (201), adds a token (200 with key) that lists the search with the account role', async () => {
    const sa = await newAccount('terraform', 'Admin');
    expect(sa).toMatchObject({ name: 'terraform', role: 'Admin', isDisabled: false, orgId: f.project.org_id, tokens: 0 });
    const token = await newToken(sa.id, 'tf-token');
    expect(token.name).toBe('tf-token');
    expect(token.key).toMatch(/^km_/);

    const search = await api('GET', '/api/serviceaccounts/search?perpage=10&page=1&query=terra', undefined, bearer(token.key));
    expect(search.status).toBe(200);
    expect(search.body).toMatchObject({ totalCount: 1, page: 1, perPage: 10 });
    expect(search.body.serviceAccounts[0]).toMatchObject({ id: sa.id, name: 'terraform', tokens: 1 });
    // The token is a key like any other: verified, with the account's role.
    expect(await f.verify(token.key)).toMatchObject({ code: 'VALID', role: 'Admin' });
    // ... and it works on every Grafana route, /api/auth/keys included.
    expect((await api('GET', '/api/auth/keys', undefined, bearer(token.key))).status).toBe(200);
  });

  it('a token acts with its account role: a Viewer account token is refused 403 on management routes', async () => {
    const sa = await newAccount('dash-reader', 'Viewer');
    const token = await newToken(sa.id, 'reader');
    const res = await api('GET', '/api/serviceaccounts/search', undefined, bearer(token.key));
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('serviceaccounts:read');
    // Raising the account role raises its tokens at once.
    expect((await api('PATCH', `/api/serviceaccounts/${sa.id}`, { role: 'Admin' })).status).toBe(200);
    expect((await api('GET', '/api/serviceaccounts/search', undefined, bearer(token.key))).status).toBe(200);
  });

  it('lists tokens with expiration, secondsUntilExpiration and hasExpired; deleting one makes it 401 at once', async () => {
    const sa = await newAccount('ci');
    const forever = await newToken(sa.id, 'ci-forever');
    const daily = await newToken(sa.id, 'ci-daily', { secondsToLive: 86_400 });
    const list = await api('GET', `/api/serviceaccounts/${sa.id}/tokens`);
    expect(list.status).toBe(200);
    const byName = Object.fromEntries((list.body as any[]).map((t) => [t.name, t]));
    expect(byName['ci-forever']).toMatchObject({ id: forever.id, hasExpired: false, secondsUntilExpiration: 0 });
    expect(byName['ci-forever'].expiration).toBeUndefined();
    expect(byName['ci-daily']).toMatchObject({ id: daily.id, hasExpired: false });
    expect(byName['ci-daily'].secondsUntilExpiration).toBeGreaterThan(86_000);
    expect(byName['ci-daily'].expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    f.node.clock.advance(86_401_000);
    const later = await api('GET', `/api/serviceaccounts/${sa.id}/tokens`);
    expect((later.body as any[]).find((t) => t.name === 'ci-daily')).toMatchObject({ hasExpired: true, secondsUntilExpiration: 0 });

    expect((await api('GET', '/api/serviceaccounts/search', undefined, bearer(forever.key))).status).toBe(200);
    const del = await api('DELETE', `/api/serviceaccounts/${sa.id}/tokens/${forever.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ message: 'Service account token deleted' });
    const after = await api('GET', '/api/serviceaccounts/search', undefined, bearer(forever.key));
    expect(after.status).toBe(401);
    expect((await api('DELETE', `/api/serviceaccounts/${sa.id}/tokens/${forever.id}`)).status).toBe(404);
  });

  it('disabling an account stops its tokens (401, verify DISABLED) without revoking them; enabling restores them', async () => {
    const sa = await newAccount('batch');
    const token = await newToken(sa.id, 'batch-token');
    expect((await f.verify(token.key)).code).toBe('VALID');

    const off = await api('PATCH', `/api/serviceaccounts/${sa.id}`, { isDisabled: true });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: sa.id, name: 'batch', message: 'Service account updated', serviceaccount: { isDisabled: true } });
    expect((await f.verify(token.key)).code).toBe('DISABLED');
    const refused = await api('GET', '/api/serviceaccounts/search', undefined, bearer(token.key));
    expect(refused.status).toBe(401);
    expect(refused.body.message).toBe('Service account is disabled');
    expect((await api('GET', '/api/serviceaccounts/search?disabled=true')).body.serviceAccounts.map((s: any) => s.name)).toEqual(['batch']);

    expect((await api('PATCH', `/api/serviceaccounts/${sa.id}`, { isDisabled: false })).status).toBe(200);
    expect((await f.verify(token.key)).code).toBe('VALID');
    expect((await api('GET', `/api/serviceaccounts/${sa.id}`, undefined, bearer(token.key))).body).toMatchObject({ id: sa.id, isDisabled: false, tokens: 1 });
  });

  it('deleting an account revokes its tokens', async () => {
    const sa = await newAccount('temp');
    const token = await newToken(sa.id, 'temp-token');
    const del = await api('DELETE', `/api/serviceaccounts/${sa.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ message: 'Service account deleted' });
    expect((await f.verify(token.key)).code).toBe('REVOKED');
    expect((await api('GET', `/api/serviceaccounts/${sa.id}`)).status).toBe(404);
    expect((await api('POST', `/api/serviceaccounts/${sa.id}/tokens`, { name: 'again' })).status).toBe(404);
  });

  it('migrate: API keys keep working unchanged as tokens of new service accounts; a failure stays an API key and is listed', async () => {
    const created = await f.post({ name: 'legacy', role: 'Editor' });
    expect(created.status).toBe(200);
    expectGrafanaSchema('POST', '/api/auth/keys', created.status, created.body);
    const blocker = await f.post({ name: 'blocked', role: 'Viewer' });
    // An account already holds the name migration would give `blocked`: that key cannot move.
    await newAccount('sa-autogen-blocked', 'Viewer');
    const listed = await api('GET', '/api/auth/keys');
    expect(listed.body.map((k: any) => k.name)).toEqual(expect.arrayContaining(['legacy', 'blocked']));

    const res = await api('POST', '/api/serviceaccounts/migrate');
    expect(res.status).toBe(200);
    expect(res.body.failed).toBe(1);
    expect(res.body.failedApikeyIDs).toEqual([blocker.body.id]);
    expect(res.body.failedDetails[0]).toContain('sa-autogen-blocked');
    expect(res.body.migrated).toBe(res.body.total - 1);

    // The migrated key: same plaintext, same role, now a token of `sa-autogen-legacy`.
    expect(await f.verify(created.body.key)).toMatchObject({ code: 'VALID', role: 'Editor' });
    const search = await api('GET', '/api/serviceaccounts/search?query=sa-autogen-legacy');
    expect(search.body.totalCount).toBe(1);
    const sa = search.body.serviceAccounts[0];
    expect(sa).toMatchObject({ name: 'sa-autogen-legacy', role: 'Editor', tokens: 1 });
    const tokens = await api('GET', `/api/serviceaccounts/${sa.id}/tokens`);
    expect(tokens.body).toEqual([expect.objectContaining({ id: created.body.id, name: 'legacy' })]);
    // API keys list only what is still an API key; a token is not deleted through /api/auth/keys.
    const keysAfter = (await api('GET', '/api/auth/keys')).body.map((k: any) => k.name);
    expect(keysAfter).toContain('blocked');
    expect(keysAfter).not.toContain('legacy');
    expect((await api('DELETE', `/api/auth/keys/${created.body.id}`)).status).toBe(404);
    expect(await f.verify(blocker.body.key)).toMatchObject({ code: 'VALID' });

    // One key: the blocked one, once its name is free.
    const other = (await api('GET', '/api/serviceaccounts/search?query=sa-autogen-blocked')).body.serviceAccounts[0];
    expect((await api('DELETE', `/api/serviceaccounts/${other.id}`)).status).toBe(200);
    const one = await api('POST', `/api/serviceaccounts/migrate/${blocker.body.id}`);
    expect(one.status, one.text).toBe(200);
    expect(one.body).toEqual({ message: 'Service accounts migrated' });
    expect((await api('GET', '/api/serviceaccounts/migrationstatus')).body).toEqual({ migrated: true });
    expect((await api('POST', `/api/serviceaccounts/migrate/${blocker.body.id}`)).status).toBe(404);
  });

  it("answers bad input with Grafana's status and message, never a 5xx", async () => {
    const sa = await newAccount('checks', 'Viewer');
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/api/serviceaccounts', { role: 'Viewer' }, 400, 'bad request data'],
      ['POST', '/api/serviceaccounts', { name: 'x', role: 'Owner' }, 400, 'Invalid role specified'],
      ['POST', '/api/serviceaccounts', { name: 'x', isDisabled: 'yes' }, 400, 'bad request data'],
      ['POST', '/api/serviceaccounts', '{not json', 400, 'bad request data'],
      ['POST', '/api/serviceaccounts', { name: 'checks' }, 400, 'service account already exists'],
      ['GET', '/api/serviceaccounts/abc', undefined, 400, 'Service Account ID is invalid'],
      ['GET', '/api/serviceaccounts/999999', undefined, 404, 'service account not found'],
      ['PATCH', '/api/serviceaccounts/999999', { name: 'y' }, 404, 'service account not found'],
      ['PATCH', `/api/serviceaccounts/${sa.id}`, { role: 'root' }, 400, 'Invalid role specified'],
      ['DELETE', '/api/serviceaccounts/0', undefined, 404, 'service account not found'],
      ['POST', `/api/serviceaccounts/${sa.id}/tokens`, {}, 400, 'bad request data'],
      ['POST', `/api/serviceaccounts/${sa.id}/tokens`, { name: 't', secondsToLive: -1 }, 400, 'invalid SecondsToLive value'],
      ['POST', `/api/serviceaccounts/${sa.id}/tokens`, { name: 't', secondsToLive: '60' }, 400, 'bad request data'],
      ['DELETE', `/api/serviceaccounts/${sa.id}/tokens/x`, undefined, 400, 'Token ID is invalid'],
      ['DELETE', `/api/serviceaccounts/${sa.id}/tokens/424242`, undefined, 404, 'service account token not found'],
      ['POST', '/api/serviceaccounts/migrate/abc', undefined, 400, 'Key ID is invalid'],
    ];
    for (const [method, url, body, status, message] of cases) {
      const res = await api(method, url, body);
      expect([method, url, res.status, res.body?.message]).toEqual([method, url, status, message]);
    }
    await newToken(sa.id, 'dup');
    const dup = await api('POST', `/api/serviceaccounts/${sa.id}/tokens`, { name: 'dup' });
    expect([dup.status, dup.body.message]).toEqual([409, 'service account token with given name already exists in the organization']);
  });

  it('only Admin callers manage accounts (401 first, then 403 naming the action); an Editor cannot grant Admin', async () => {
    const anonymous = await api('GET', '/api/serviceaccounts/search', undefined, {});
    expect([anonymous.status, anonymous.body.message]).toEqual([401, 'Unauthorized']);
    const viewer = await f.v1Key('viewer-key', 'Viewer');
    const refused = await api('POST', '/api/serviceaccounts', { name: 'nope' }, bearer(viewer.key));
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe("You'll need additional permissions to perform this action. Permissions needed: serviceaccounts:create");
    // A root key acts in the organization X-Grafana-Org-Id names.
    const root = await api('POST', '/api/serviceaccounts', { name: 'by-root', role: 'Admin' }, { ...bearer(f.node.rootKey), 'x-grafana-org-id': String(f.project.org_id) });
    expect(root.status).toBe(201);
  });

  it('a token created while its account is deleted never outlives the account (many parallel requests)', async () => {
    for (let round = 0; round < 3; round++) {
      const sa = await newAccount(`race-${round}`);
      const creates = Array.from({ length: 20 }, (_, i) => api('POST', `/api/serviceaccounts/${sa.id}/tokens`, { name: `race-${round}-${i}` }));
      const del = api('DELETE', `/api/serviceaccounts/${sa.id}`);
      const results = await Promise.all([...creates, del]);
      for (const r of results) expect(r.status).toBeLessThan(500);
      expect((await del).status).toBe(200);
      for (const r of results.slice(0, -1)) {
        if (r.status === 200) expect((await f.verify(r.body.key)).code).toBe('REVOKED');
        // The account was deleted before or during the token's create: Grafana's 404 (names are unique here).
        else expect([r.status, r.body.message]).toEqual([404, 'service account not found']);
      }
      const live = await f.node.km.store.db
        .selectFrom('api_keys')
        .innerJoin('owners', 'owners.id', 'api_keys.owner_id')
        .select('api_keys.id')
        .where('owners.name', '=', `race-${round}`)
        .where('api_keys.revoked_at', 'is', null)
        .execute();
      expect(live).toEqual([]);
    }
  });

  afterAll(() => {
    // Every documented route was seen at least once with a success.
    for (const op of [
      'POST /serviceaccounts 201',
      'GET /serviceaccounts/search 200',
      'GET /serviceaccounts/{serviceAccountId} 200',
      'PATCH /serviceaccounts/{serviceAccountId} 200',
      'DELETE /serviceaccounts/{serviceAccountId} 200',
      'GET /serviceaccounts/{serviceAccountId}/tokens 200',
      'POST /serviceaccounts/{serviceAccountId}/tokens 200',
      'DELETE /serviceaccounts/{serviceAccountId}/tokens/{tokenId} 200',
      'POST /serviceaccounts/migrate 200',
      'POST /serviceaccounts/migrate/{keyId} 200',
      'GET /auth/keys 200',
      'POST /auth/keys 200',
    ]) {
      expect(checked.has(op), `${op} was validated`).toBe(true);
    }
  });
});
