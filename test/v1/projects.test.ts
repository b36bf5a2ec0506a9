// /v1/projects (src/surfaces/v1/projects.ts): root only; org_id and workspace_id; delete. Environments: environments.test.ts.
import { describe, expect, it } from 'vitest';
import { client } from '../support/client.js';
import { engines } from '../support/harness.js';
import { expectInvalid, expectProblem, useV1World } from './fixtures.js';

describe.each(engines)('v1 projects on %s', (engine) => {
  const w = useV1World(engine);

  it('creates projects with increasing org_id and an AWS-shaped workspace_id', async () => {
    const a = await w.root.post('/v1/projects', { name: 'second' });
    const b = await w.root.post('/v1/projects', { name: 'third' });
    expect(a.status).toBe(201);
    expect(a.body).toEqual({ id: expect.stringMatching(/^prj_/), name: 'second', org_id: 2, workspace_id: expect.stringMatching(/^g-[0-9a-f]{10}$/), created_at: '2026-01-01T00:00:00.000Z' });
    expect(b.body.org_id).toBe(3);
    expect(b.body.workspace_id).not.toBe(a.body.workspace_id);
    expect((await w.root.get(`/v1/projects/${a.body.id}`)).body).toEqual(a.body);
    const list = await w.root.get('/v1/projects');
    expect(list.status).toBe(200);
    expect(list.body.map((p: any) => p.org_id)).toEqual(expect.arrayContaining([1, 2, 3]));
  });

  it('refuses bad project bodies with the field named', async () => {
    expectInvalid(await w.root.post('/v1/projects', {}), 'body.name');
    expectInvalid(await w.root.post('/v1/projects', { name: '' }), 'body.name');
    expectInvalid(await w.root.post('/v1/projects', { name: 'x'.repeat(256) }), 'body.name');
    expectInvalid(await w.root.post('/v1/projects', { name: 42 }), 'body.name');
    expectInvalid(await w.root.post('/v1/projects', { name: 'a\u0000b' }), 'body.name');
    expectProblem(await w.root.post('/v1/projects', '{"name":', {}), 400);
    expectProblem(await w.root.call('POST', '/v1/projects', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' }), 415);
  });

  it('answers 404 for unknown projects and 401 without a credential', async () => {
    expectProblem(await w.root.get('/v1/projects/prj_nope'), 404);
    expectInvalid(await w.root.get('/v1/projects/bad%20id'), 'params.id');
    expectProblem(await w.root.delete('/v1/projects/prj_nope'), 404);
    const anon = await client(w.node.app).get('/v1/projects');
    expectProblem(anon, 401);
    expect(anon.headers['www-authenticate']).toBe('Bearer');
    expectProblem(await client(w.node.app, 'km_notakey').get('/v1/projects'), 401);
    expectProblem(await client(w.node.app).call('GET', '/v1/projects', undefined, { authorization: 'Basic abc' }), 401);
  });

  it('refuses project keys, even Admin ones, on project and environment routes (403)', async () => {
    const admin = await w.keyClient('Admin');
    expectProblem(await admin.client.get('/v1/projects'), 403);
    expectProblem(await admin.client.post('/v1/projects', { name: 'x' }), 403);
    expectProblem(await admin.client.get(`/v1/projects/${w.projectId}`), 403);
    expectProblem(await admin.client.delete(`/v1/projects/${w.projectId}`), 403);
    expectProblem(await admin.client.post(`/v1/projects/${w.projectId}/environments`, { name: 'prod' }), 403);
    expectProblem(await admin.client.get(`/v1/projects/${w.projectId}/environments`), 403);
  });

  it('deleting a project makes its keys stop verifying at once and hides it', async () => {
    const p = (await w.root.post('/v1/projects', { name: 'short-lived' })).body;
    const key = await w.createKey({ project_id: p.id });
    expect((await w.verify(key.body.key)).body.code).toBe('VALID');
    const del = await w.root.delete(`/v1/projects/${p.id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    const v = (await w.verify(key.body.key)).body;
    expect(v.valid).toBe(false);
    expectProblem(await client(w.node.app, key.body.key).get('/v1/keys/self'), 401);
    expectProblem(await w.root.get(`/v1/projects/${p.id}`), 404);
    expectProblem(await w.root.get(`/v1/api-keys/${key.body.id}`), 404);
    expectProblem(await w.root.get(`/v1/api-keys?project_id=${p.id}`), 404);
    expectProblem(await w.root.post('/v1/api-keys', { project_id: p.id, name: 'late' }), 404);
    expect((await w.root.get('/v1/projects')).body.map((x: any) => x.id)).not.toContain(p.id);
  });
});
