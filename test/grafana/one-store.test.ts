// One store: a key is the same key on the Grafana surface and on v1, on one node and across nodes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/client.js';
import { engines, type TestNode, testNode } from '../support/harness.js';
import { bearer, useGrafanaFixture } from './support.js';

describe.each(engines)('Grafana surface and v1 share one store on %s', (engine) => {
  const f = useGrafanaFixture(engine);

  it('a key created here is listed and verifiable through v1 with its role', async () => {
    const made = await f.post({ name: 'from-grafana', role: 'editor', secondsToLive: 600 });
    expect(made.status).toBe(200);
    const v1 = (await f.root.get(`/v1/api-keys?project_id=${f.project.id}`)).body.find((k: any) => k.name === 'from-grafana');
    expect(v1).toMatchObject({ project_id: f.project.id, role: 'Editor', status: 'active', scopes: [], revoked_at: null });
    expect(Date.parse(v1.expires_at)).toBe(Math.floor(f.node.clock.now() / 1000) * 1000 + 600_000);
    expect(await f.verify(made.body.key)).toMatchObject({ valid: true, code: 'VALID', key_id: v1.id, role: 'Editor' });
    // The key works on v1 as itself.
    const self = await client(f.node.app, made.body.key).get('/v1/keys/self');
    expect(self.body).toMatchObject({ id: v1.id, role: 'Editor' });
  });

  it('a key created through v1 appears here, and a delete here revokes it everywhere at once', async () => {
    const v1 = await f.v1Key('from-v1', 'Viewer');
    const listed = (await f.get('/api/auth/keys')).body.find((k: any) => k.name === 'from-v1');
    expect(listed).toEqual({ id: expect.any(Number), name: 'from-v1', role: 'Viewer' });
    const admin = await f.v1Key('v1-admin', 'Admin');
    // The v1 Admin key manages keys here too.
    expect((await f.get('/api/auth/keys', bearer(admin.key))).body.map((k: any) => k.name)).toContain('from-v1');
    expect((await f.del(listed.id, bearer(admin.key))).status).toBe(200);
    expect((await f.verify(v1.key)).code).toBe('REVOKED');
    expect((await f.root.get(`/v1/api-keys/${v1.id}`)).body.status).toBe('revoked');
    expect((await client(f.node.app, v1.key).get('/v1/keys/self')).status).toBe(401);
    // The audit log says who deleted it, through which credential.
    const events = (await f.root.get(`/v1/audit-events?project_id=${f.project.id}`)).body;
    expect(events[0]).toMatchObject({ action: 'api_key.revoked', target: { type: 'api_key', id: v1.id }, actor: { type: 'api_key' } });
  });

  it('a revoke through v1 is a 401 here on the next request', async () => {
    const v1 = await f.v1Key('revoked-on-v1', 'Admin');
    expect((await f.get('/api/auth/keys', bearer(v1.key))).status).toBe(200);
    await f.root.delete(`/v1/api-keys/${v1.id}`);
    expect((await f.get('/api/auth/keys', bearer(v1.key))).body).toEqual({ message: 'Revoked API key', messageId: 'api-key.revoked', statusCode: 401 });
  });
});

describe.each(engines)('a delete on one node reaches another node on %s', (engine) => {
  let a: TestNode;
  let b: TestNode;
  beforeAll(async () => {
    a = await testNode(engine);
    b = await testNode(engine, { db: a.db, rootKey: a.rootKey });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('node B refuses the key soon after node A deletes it (polled with a deadline)', async () => {
    const root = client(a.app, a.rootKey);
    const project = (await root.post('/v1/projects', { name: 'cluster' })).body;
    const admin = (await root.post('/v1/api-keys', { project_id: project.id, name: 'admin', role: 'Admin' })).body.key;
    const victim = (await root.post('/v1/api-keys', { project_id: project.id, name: 'victim', role: 'Admin' })).body;
    const onB = async () => (await b.app.inject({ method: 'GET', url: '/api/auth/keys', headers: bearer(victim.key) })).statusCode;
    expect(await onB()).toBe(200); // B has it cached now
    const list = await a.app.inject({ method: 'GET', url: '/api/auth/keys', headers: bearer(admin) });
    const id = JSON.parse(list.body).find((k: any) => k.name === 'victim').id;
    expect((await a.app.inject({ method: 'DELETE', url: `/api/auth/keys/${id}`, headers: bearer(admin) })).statusCode).toBe(200);
    expect((await a.app.inject({ method: 'GET', url: '/api/auth/keys', headers: bearer(victim.key) })).statusCode).toBe(401);
    const deadline = Date.now() + 10_000;
    let status = await onB();
    while (status !== 401 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      status = await onB();
    }
    expect(status).toBe(401);
  });
});
