// /v1/projects/{id}/environments (src/surfaces/v1/environments.ts): root only, key prefixes, names unique
// per project, delete refused while live keys are bound (the race with creates: test/concurrency/).
import { describe, expect, it } from 'vitest';
import { engines } from '../support/harness.js';
import { expectInvalid, expectProblem, useV1World } from './fixtures.js';

describe.each(engines)('v1 environments on %s', (engine) => {
  const w = useV1World(engine);

  it('creates environments with and without a key prefix; names are unique per project', async () => {
    const live = await w.root.post(`/v1/projects/${w.projectId}/environments`, { name: 'production', key_prefix: 'km_live' });
    expect(live.status).toBe(201);
    expect(live.body).toEqual({ id: expect.stringMatching(/^env_/), project_id: w.projectId, name: 'production', key_prefix: 'km_live', created_at: expect.any(String) });
    const plain = await w.root.post(`/v1/projects/${w.projectId}/environments`, { name: 'staging' });
    expect(plain.body.key_prefix).toBeNull();
    expectProblem(await w.root.post(`/v1/projects/${w.projectId}/environments`, { name: 'production' }), 409);
    const list = await w.root.get(`/v1/projects/${w.projectId}/environments`);
    expect(list.body.map((e: any) => e.name)).toEqual(['production', 'staging']);
  });

  it('refuses bad environment bodies and unknown projects', async () => {
    const url = `/v1/projects/${w.projectId}/environments`;
    expectInvalid(await w.root.post(url, {}), 'body.name');
    expectInvalid(await w.root.post(url, { name: 'e1', key_prefix: '9bad' }), 'body.key_prefix');
    expectInvalid(await w.root.post(url, { name: 'e1', key_prefix: 'has space' }), 'body.key_prefix');
    expectInvalid(await w.root.post(url, { name: 'e1', key_prefix: 'km_root' }), 'body.key_prefix');
    expectInvalid(await w.root.post(url, { name: 'e1', key_prefix: 'x'.repeat(33) }), 'body.key_prefix');
    expectProblem(await w.root.post('/v1/projects/prj_nope/environments', { name: 'e' }), 404);
    expectProblem(await w.root.get('/v1/projects/prj_nope/environments'), 404);
  });

  it('deletes an environment only when no live key is bound to it', async () => {
    const env = (await w.root.post(`/v1/projects/${w.projectId}/environments`, { name: 'doomed' })).body;
    const key = await w.createKey({ environment_id: env.id });
    const refused = expectProblem(await w.root.delete(`/v1/projects/${w.projectId}/environments/${env.id}`), 409);
    expect(refused.detail).toContain(key.body.id);
    expect((await w.root.delete(`/v1/api-keys/${key.body.id}`)).status).toBe(204);
    const ok = await w.root.delete(`/v1/projects/${w.projectId}/environments/${env.id}`);
    expect(ok.status).toBe(204);
    expect(ok.text).toBe('');
    expectProblem(await w.root.delete(`/v1/projects/${w.projectId}/environments/${env.id}`), 404);
    // Another project's environment is not found through this project, whatever is bound to it.
    const other = (await w.root.post('/v1/projects', { name: 'other-env' })).body;
    const otherEnv = (await w.root.post(`/v1/projects/${other.id}/environments`, { name: 'x' })).body;
    await w.createKey({ project_id: other.id, environment_id: otherEnv.id });
    expectProblem(await w.root.delete(`/v1/projects/${w.projectId}/environments/${otherEnv.id}`), 404);
  });
});
