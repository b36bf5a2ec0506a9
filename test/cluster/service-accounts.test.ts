// Black-box, over real HTTP: Grafana service accounts with two `keymint serve` processes on one database (each
// engine). A deleted token is refused on the next request on every node; a disabled account's keys verify DISABLED
// on the other node within 1 s; an API key keeps working through the migration.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintKey, ROOT_PREFIX } from '../../src/keys/material.js';
import { engines, freshDatabase, TEST_ENCRYPTION_KEY, type TestDatabase } from '../support/harness.js';
import { expectGrafanaSchema } from '../grafana/grafana-schema.js';
import { kill, type KeymintProcess, startNode } from './processes.js';

type Node = KeymintProcess & { url: string };
const rootKey = mintKey(ROOT_PREFIX).plaintext;

async function http(node: Node, method: string, path: string, body: unknown, token: string, headers: Record<string, string> = {}) {
  const res = await fetch(node.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (path.startsWith('/api/')) expectGrafanaSchema(method, path, res.status, parsed);
  return { status: res.status, body: parsed };
}

/** Milliseconds until `probe` holds, polling as fast as the node answers (at most 10 s). */
async function msUntil(probe: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > 10_000) return Infinity;
  }
  return Date.now() - started;
}

describe.each(engines)('service accounts on two nodes (%s), black-box', (engine) => {
  let db: TestDatabase | undefined;
  let a: Node;
  let b: Node;
  let admin: string;

  beforeAll(async () => {
    db = await freshDatabase(engine);
    const env = { KEYMINT_DATABASE_URL: db.url, KEYMINT_ROOT_KEY: rootKey, KEYMINT_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY };
    a = await startNode(env);
    b = await startNode(env);
    const project = await http(a, 'POST', '/v1/projects', { name: 'grafana org' }, rootKey);
    expect(project.status).toBe(201);
    const key = await http(a, 'POST', '/v1/api-keys', { project_id: project.body.id, name: 'admin', role: 'Admin' }, rootKey);
    admin = key.body.key;
  }, 120_000);

  afterAll(async () => {
    kill(a);
    kill(b);
    await Promise.all([a?.exited, b?.exited]);
    await db?.drop();
  });

  const verify = async (node: Node, key: string) => (await http(node, 'POST', '/v1/keys/verify', { key }, rootKey)).body.code as string;

  it('account Admin 201, token 200 with key, the token lists the search on the other node; deleted, it is 401 on the next request on both', async () => {
    const sa = await http(a, 'POST', '/api/serviceaccounts', { name: 'terraform', role: 'Admin' }, admin);
    expect(sa.status).toBe(201);
    const token = await http(a, 'POST', `/api/serviceaccounts/${sa.body.id}/tokens`, { name: 'tf' }, admin);
    expect(token.status).toBe(200);
    expect(typeof token.body.key).toBe('string');
    for (let i = 0; i < 2; i++) {
      const search = await http(b, 'GET', '/api/serviceaccounts/search', undefined, token.body.key);
      expect(search.status).toBe(200);
      expect(Object.keys(search.body).sort()).toEqual(['page', 'perPage', 'serviceAccounts', 'totalCount']);
      expect(search.body.serviceAccounts.map((s: { name: string }) => s.name)).toContain('terraform');
    }
    const del = await http(a, 'DELETE', `/api/serviceaccounts/${sa.body.id}/tokens/${token.body.id}`, undefined, admin);
    expect(del.status).toBe(200);
    expect((await http(b, 'GET', '/api/serviceaccounts/search', undefined, token.body.key)).status).toBe(401);
    expect((await http(a, 'GET', '/api/serviceaccounts/search', undefined, token.body.key)).status).toBe(401);
  });

  it('an API key made on /api/auth/keys keeps working after migrate, and is then a token of a service account', async () => {
    const legacy = await http(a, 'POST', '/api/auth/keys', { name: 'legacy', role: 'Editor' }, admin);
    expect(legacy.status).toBe(200);
    expect(await verify(b, legacy.body.key)).toBe('VALID');
    const migrated = await http(b, 'POST', '/api/serviceaccounts/migrate', undefined, admin);
    expect(migrated.status).toBe(200);
    expect(migrated.body.failed).toBe(0);
    expect(migrated.body.migrated).toBeGreaterThanOrEqual(1);
    expect(await verify(a, legacy.body.key)).toBe('VALID');
    expect(await verify(b, legacy.body.key)).toBe('VALID');
    const found = await http(a, 'GET', '/api/serviceaccounts/search?query=sa-autogen-legacy', undefined, admin);
    expect(found.body.serviceAccounts).toHaveLength(1);
    const tokens = await http(b, 'GET', `/api/serviceaccounts/${found.body.serviceAccounts[0].id}/tokens`, undefined, admin);
    expect(tokens.body.map((t: { id: number; name: string }) => [t.id, t.name])).toEqual([[legacy.body.id, 'legacy']]);
  });

  it("disabling an account makes its key verify DISABLED on the other node within 1 s; enabling restores it", async () => {
    const sa = await http(a, 'POST', '/api/serviceaccounts', { name: 'batch', role: 'Viewer' }, admin);
    const token = await http(a, 'POST', `/api/serviceaccounts/${sa.body.id}/tokens`, { name: 'batch-token' }, admin);
    expect(await verify(b, token.body.key)).toBe('VALID');
    expect(await verify(b, token.body.key)).toBe('VALID'); // cached on b
    expect((await http(a, 'PATCH', `/api/serviceaccounts/${sa.body.id}`, { isDisabled: true }, admin)).status).toBe(200);
    const disabledMs = await msUntil(async () => (await verify(b, token.body.key)) === 'DISABLED');
    expect((await http(b, 'GET', '/api/serviceaccounts/search', undefined, token.body.key)).status).toBe(401);
    expect((await http(a, 'PATCH', `/api/serviceaccounts/${sa.body.id}`, { isDisabled: false }, admin)).status).toBe(200);
    const enabledMs = await msUntil(async () => (await verify(b, token.body.key)) === 'VALID');
    console.log(`[service accounts ${engine}] disable seen on the other node after ${disabledMs} ms, enable after ${enabledMs} ms`);
    expect(disabledMs).toBeLessThan(1_000);
    expect(enabledMs).toBeLessThan(1_000);
  });

  it('a v1 identity disabled on one node makes its key verify DISABLED on the other within 1 s', async () => {
    const projects = await http(a, 'GET', '/v1/projects', undefined, rootKey);
    const projectId = projects.body[0].id;
    const idn = await http(a, 'POST', '/v1/identities', { project_id: projectId, name: 'cust-1', external_id: 'u1', meta: { plan: 'pro' } }, rootKey);
    expect(idn.status).toBe(201);
    const key = await http(a, 'POST', '/v1/api-keys', { project_id: projectId, name: 'cust-1-key', identity_id: idn.body.id }, rootKey);
    const first = await http(b, 'POST', '/v1/keys/verify', { key: key.body.key }, rootKey);
    expect(first.body).toMatchObject({ code: 'VALID', identity: { id: idn.body.id, external_id: 'u1', meta: { plan: 'pro' } } });
    expect((await http(a, 'PATCH', `/v1/identities/${idn.body.id}`, { is_disabled: true }, rootKey)).status).toBe(200);
    const ms = await msUntil(async () => (await verify(b, key.body.key)) === 'DISABLED');
    console.log(`[identities ${engine}] disable seen on the other node after ${ms} ms`);
    expect(ms).toBeLessThan(1_000);
  });
});
