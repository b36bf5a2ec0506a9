import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/client.js';
import { engines, testNode, type TestNode } from '../support/harness.js';

describe.each(engines)('v1 on %s', (engine) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await testNode(engine);
  });
  afterAll(() => node.close());

  it('creates a project and a key, verifies it, rotates it, revokes it', async () => {
    const root = client(node.app, node.rootKey);
    const project = await root.post('/v1/projects', { name: 'acme' });
    expect(project.status).toBe(201);
    expect(project.body.org_id).toBe(1);
    expect(project.body.workspace_id).toMatch(/^g-[0-9a-f]{10}$/);
    const created = await root.post('/v1/api-keys', { project_id: project.body.id, name: 'svc', scopes: ['read'] });
    expect(created.status).toBe(201);
    const v = await root.post('/v1/keys/verify', { key: created.body.key });
    expect(v.body).toMatchObject({ valid: true, code: 'VALID', key_id: created.body.id });
    const rotated = await root.post(`/v1/api-keys/${created.body.id}/rotate`, { grace_period_minutes: 5 });
    expect(rotated.status).toBe(200);
    expect((await root.post('/v1/keys/verify', { key: created.body.key })).body.code).toBe('VALID');
    expect((await root.post('/v1/keys/verify', { key: rotated.body.key })).body.code).toBe('VALID');
    expect((await root.delete(`/v1/api-keys/${rotated.body.new_key_id}`)).status).toBe(204);
    expect((await root.post('/v1/keys/verify', { key: rotated.body.key })).body.code).toBe('REVOKED');
  });
});
