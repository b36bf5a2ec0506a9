// KEYMINT_GRAFANA_COMPAT=11.3 and 12 over HTTP: 11.3 refuses API key creation (410) with service accounts
// available; 12 migrates every API key at start (they keep working) and answers /api/auth/keys as removed.
import { afterAll, describe, expect, it } from 'vitest';
import { client } from '../support/client.js';
import { engines, type TestNode, testNode } from '../support/harness.js';
import { expectGrafanaSchema } from './grafana-schema.js';
import { bearer, call, JSON_CT } from './support.js';

describe.each(engines)('Grafana compat modes (%s)', (engine) => {
  const nodes: TestNode[] = [];
  afterAll(async () => {
    for (const n of nodes.reverse()) await n.close();
  });

  async function api(node: TestNode, method: string, url: string, key: string, body?: unknown) {
    const res = await call(node.app, method, url, { ...bearer(key), ...(body !== undefined ? JSON_CT : {}) }, body === undefined ? undefined : JSON.stringify(body));
    expectGrafanaSchema(method, url, res.status, res.body);
    return res;
  }

  it('11.3: POST /api/auth/keys is 410 pointing at service accounts, which work; list and delete of keys still work', async () => {
    const node = await testNode(engine, { env: { KEYMINT_GRAFANA_COMPAT: '11.3' } });
    nodes.push(node);
    const root = client(node.app, node.rootKey);
    const project = (await root.post('/v1/projects', { name: 'org' })).body;
    const admin = (await root.post('/v1/api-keys', { project_id: project.id, name: 'admin', role: 'Admin' })).body.key;
    const gone = await api(node, 'POST', '/api/auth/keys', admin, { name: 'k', role: 'Viewer' });
    expect(gone.status).toBe(410);
    expect(gone.body.message).toContain('POST /api/serviceaccounts');
    expect((await api(node, 'POST', '/api/serviceaccounts', admin, { name: 'sa' })).status).toBe(201);
    expect((await api(node, 'GET', '/api/auth/keys', admin)).status).toBe(200);
  });

  it('12: every API key is a service account token after start, keeps working, and /api/auth/keys answers 404', async () => {
    const before = await testNode(engine);
    const root = client(before.app, before.rootKey);
    const project = (await root.post('/v1/projects', { name: 'org' })).body;
    const admin = (await root.post('/v1/api-keys', { project_id: project.id, name: 'admin', role: 'Admin' })).body.key;
    const legacy = (await api(before, 'POST', '/api/auth/keys', admin, { name: 'legacy', role: 'Editor' })).body;
    await before.km.close();
    await before.app.close();

    const node = await testNode(engine, { db: before.db, rootKey: before.rootKey, env: { KEYMINT_GRAFANA_COMPAT: '12' } });
    nodes.push(node, { close: () => before.db.drop() } as TestNode);
    const r = client(node.app, node.rootKey);
    expect((await r.post('/v1/keys/verify', { key: legacy.key })).body).toMatchObject({ code: 'VALID', role: 'Editor' });
    const listed = await api(node, 'GET', '/api/auth/keys', admin);
    expect([listed.status, listed.body.message]).toEqual([404, 'Not found']);
    expect((await call(node.app, 'GET', '/api/auth/keys', { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await api(node, 'POST', '/api/serviceaccounts/migrate', admin)).status).toBe(404);
    const search = await api(node, 'GET', '/api/serviceaccounts/search?query=sa-autogen', admin);
    expect(search.body.serviceAccounts.map((s: { name: string }) => s.name).sort()).toEqual(['sa-autogen-admin', 'sa-autogen-legacy']);
    const sa = search.body.serviceAccounts.find((s: { name: string }) => s.name === 'sa-autogen-legacy');
    const tokens = await api(node, 'GET', `/api/serviceaccounts/${sa.id}/tokens`, admin);
    expect(tokens.body.map((t: { id: number }) => t.id)).toEqual([legacy.id]);
  });
});
