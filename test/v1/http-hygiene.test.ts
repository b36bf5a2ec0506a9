// What every answer carries (request id, nosniff, no-store on management, CSP on /docs), body-less DELETE with any
// Content-Type on all three surfaces, error codes, one message per bad field, and last use of a credential key.
import { CreateWorkspaceApiKeyCommand, DeleteWorkspaceApiKeyCommand } from '@aws-sdk/client-grafana';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsTestNode, type AwsTestNode, signRaw, sendRaw } from '../aws/support.js';
import { engines } from '../support/harness.js';
import { v1World, type V1World } from './fixtures.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe.each(engines)('HTTP hygiene on %s', (engine) => {
  let w: V1World;
  beforeAll(async () => {
    w = await v1World(engine);
  });
  afterAll(() => w.close());

  const inject = (method: string, url: string, headers: Record<string, string> = {}, payload?: string) => w.node.app.inject({ method: method as 'GET', url, headers, payload });
  const asRoot = { authorization: '' };
  beforeAll(() => {
    asRoot.authorization = `Bearer ${w.node.rootKey}`;
  });

  it('every answer has a distinct X-Request-Id and nosniff; a v1 problem carries the same id and a code', async () => {
    const answers = [await inject('GET', '/healthz'), await inject('GET', '/v1/projects'), await inject('GET', '/api/auth/keys'), await inject('GET', '/nowhere')];
    const ids = answers.map((r) => r.headers['x-request-id'] as string);
    for (const r of answers) expect(r.headers['x-content-type-options']).toBe('nosniff');
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
    expect(answers[1].json()).toMatchObject({ code: 'missing_credential', type: 'https://keymint.dev/problems/missing-credential', request_id: ids[1] });
  });

  it('management answers are Cache-Control: no-store (create, rotate, Grafana create), /docs has a CSP with frame-ancestors none', async () => {
    const created = await w.createKey({});
    expect(created.status).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const rotated = await w.rotate(created.body.id);
    expect(rotated.headers['cache-control']).toBe('no-store');
    const org = (await w.root.get(`/v1/projects/${w.projectId}`)).body.org_id;
    const grafana = await inject('POST', '/api/auth/keys', { ...asRoot, 'content-type': 'application/json', 'x-grafana-org-id': String(org) }, JSON.stringify({ name: 'g', role: 'Viewer' }));
    expect(grafana.statusCode).toBe(200);
    expect(grafana.headers['cache-control']).toBe('no-store');
    const docs = await inject('GET', '/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(docs.headers['x-content-type-options']).toBe('nosniff');
  });

  it('DELETE with Content-Type and no body is 204 on v1 and 200 on Grafana, whatever the type; a wrong-typed body on POST stays 415', async () => {
    for (const type of ['application/json', 'text/plain', 'application/x-www-form-urlencoded']) {
      const key = await w.createKey({});
      expect((await inject('DELETE', `/v1/api-keys/${key.body.id}`, { ...asRoot, 'content-type': type })).statusCode).toBe(204);
      const org = (await w.root.get(`/v1/projects/${w.projectId}`)).body.org_id;
      const g = await w.createKey({});
      const grafanaId = (await inject('GET', '/api/auth/keys', { ...asRoot, 'x-grafana-org-id': String(org) })).json().find((k: { name: string }) => k.name === g.body.name).id;
      const res = await inject('DELETE', `/api/auth/keys/${grafanaId}`, { ...asRoot, 'content-type': type, 'x-grafana-org-id': String(org) });
      expect([res.statusCode, res.json()]).toEqual([200, { message: 'API key deleted' }]);
    }
    const wrong = await inject('POST', '/v1/projects', { ...asRoot, 'content-type': 'application/xml' }, '<name>x</name>');
    expect(wrong.statusCode).toBe(415);
    expect(wrong.json().code).toBe('unsupported_media_type');
  });

  it('one message per bad field: an enum names its values, a nullable number says what it wants once', async () => {
    const role = await w.createKey({ role: 'admin' });
    expect(role.status).toBe(400);
    expect(role.body.errors).toEqual([{ location: 'body.role', message: 'must be one of "None", "Viewer", "Editor", "Admin"' }]);
    expect(role.body.code).toBe('invalid_request');
    const days = await w.createKey({ rotation_interval_days: 0 });
    expect(days.status).toBe(400);
    expect(days.body.errors).toEqual([{ location: 'body.rotation_interval_days', message: 'must be >= 1, or null' }]);
    expect(days.body.detail).toBe('The request is not valid: body.rotation_interval_days must be >= 1, or null');
  });

  it('conflicts and missing things have codes of their own', async () => {
    const first = await w.createKey({ name: 'taken' });
    const again = await w.createKey({ name: 'taken' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'name_taken', type: 'https://keymint.dev/problems/name-taken' });
    await w.root.delete(`/v1/api-keys/${first.body.id}`);
    const patched = await w.root.patch(`/v1/api-keys/${first.body.id}`, { scopes: [] });
    expect(patched.body.code).toBe('key_revoked');
    expect((await w.root.get('/v1/api-keys/key_nothere')).body.code).toBe('api_key_not_found');
    expect((await w.root.get('/v1/nothing')).body.code).toBe('route_not_found');
  });

  it('a key used as a credential shows last_used_at (v1 self) and lastUsedAt (Grafana), written in the batch', async () => {
    const { client: admin, id } = await w.keyClient('Admin');
    expect((await admin.get('/v1/keys/self')).body.last_used_at).toBeNull();
    const before = w.node.clock.now();
    for (let i = 0; i < 3; i++) expect((await admin.get(`/v1/api-keys?project_id=${w.projectId}`)).status).toBe(200);
    await w.node.km.usage.flush();
    const self = (await admin.get('/v1/keys/self')).body;
    expect(self.id).toBe(id);
    expect(Date.parse(self.last_used_at)).toBeGreaterThanOrEqual(before);
    const org = (await w.root.get(`/v1/projects/${w.projectId}`)).body.org_id;
    const list = (await inject('GET', '/api/auth/keys', { ...asRoot, 'x-grafana-org-id': String(org) })).json();
    expect(list.find((k: { name: string }) => k.name === self.name).lastUsedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
});

describe.each(engines)('AWS surface hygiene on %s', (engine) => {
  let t: AwsTestNode;
  beforeAll(async () => {
    t = await awsTestNode(engine);
  });
  afterAll(() => t?.close());

  it('x-amzn-RequestId equals X-Request-Id; answers are no-store; DELETE with Content-Type and no body works', async () => {
    const sdk = t.sdk();
    await sdk.send(new CreateWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: 'h', keyRole: 'VIEWER', secondsToLive: 60 }));
    const req = { method: 'DELETE', url: `/workspaces/${t.workspaceId}/apikeys/h`, headers: { 'content-type': 'application/json' } };
    const res = await sendRaw(t, req, await signRaw(t.host, req));
    expect(res.status).toBe(200);
    expect(res.headers['x-amzn-requestid']).toBe(res.headers['x-request-id']);
    expect(res.headers['x-amzn-requestid']).toMatch(UUID);
    expect(res.headers['cache-control']).toBe('no-store');
    await expect(sdk.send(new DeleteWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: 'h' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
