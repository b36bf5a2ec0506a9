// /v1/projects/{id}/aws-credentials (src/surfaces/v1/aws-credentials.ts): root only; the secret in the 201
// only and sealed at rest; 404 for unknown projects and pairs. Signing with the pairs: test/aws/credentials.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/client.js';
import { engines } from '../support/harness.js';
import { useV1World } from './fixtures.js';

describe.each(engines)('v1 AWS credentials on %s', (engine) => {
  const w = useV1World(engine);
  let workspaceId: string;
  let other: { id: string; workspace_id: string };
  beforeAll(async () => {
    workspaceId = (await w.root.get(`/v1/projects/${w.projectId}`)).body.workspace_id;
    other = (await w.root.post('/v1/projects', { name: 'workspace two' })).body;
  });

  const issue = async (projectId = w.projectId, description?: string) => {
    const res = await w.root.post(`/v1/projects/${projectId}/aws-credentials`, description === undefined ? {} : { description });
    expect(res.status).toBe(201);
    return res.body as { access_key_id: string; secret_access_key: string; project_id: string; workspace_id: string; description: string | null; created_at: string; revoked_at: null };
  };

  it('issues a pair once: the secret is in the 201 only, and sealed at rest', async () => {
    const pair = await issue(w.projectId, 'deploy pipeline');
    expect(pair).toMatchObject({ project_id: w.projectId, workspace_id: workspaceId, description: 'deploy pipeline', revoked_at: null });
    expect(pair.access_key_id).toMatch(/^KMAK[0-9A-F]{16}$/);
    expect(pair.secret_access_key).toMatch(/^[0-9A-Za-z]{40}$/);

    const listed = (await w.root.get(`/v1/projects/${w.projectId}/aws-credentials`)).body;
    const mine = listed.find((c: { access_key_id: string }) => c.access_key_id === pair.access_key_id);
    expect(mine).toEqual({ ...pair, secret_access_key: undefined });
    expect(JSON.stringify(listed)).not.toContain(pair.secret_access_key);

    const row = await w.node.km.store.db.selectFrom('aws_credentials').selectAll().where('access_key_id', '=', pair.access_key_id).executeTakeFirstOrThrow();
    expect(row.secret_enc).not.toContain(pair.secret_access_key);
    expect(w.node.km.sealer.open(row.secret_enc)).toBe(pair.secret_access_key);
    expect(w.node.logs.join('')).not.toContain(pair.secret_access_key);
  });

  it('the v1 routes are root only, answer 404 for unknown projects and pairs, and validate the body', async () => {
    const admin = (await w.root.post('/v1/api-keys', { project_id: w.projectId, name: 'an admin key', role: 'Admin' })).body.key;
    const asAdmin = client(w.node.app, admin);
    expect((await asAdmin.post(`/v1/projects/${w.projectId}/aws-credentials`, {})).status).toBe(403);
    expect((await asAdmin.get(`/v1/projects/${w.projectId}/aws-credentials`)).status).toBe(403);
    expect((await client(w.node.app).post(`/v1/projects/${w.projectId}/aws-credentials`, {})).status).toBe(401);
    const missing = await w.root.post('/v1/projects/prj_nope/aws-credentials', {});
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await w.root.get('/v1/projects/prj_nope/aws-credentials')).status).toBe(404);
    expect((await w.root.delete(`/v1/projects/${w.projectId}/aws-credentials/KMAKNOSUCHKEY0000000`)).status).toBe(404);
    // Another project's pair is not found under this project.
    const theirs = await issue(other.id);
    expect((await w.root.delete(`/v1/projects/${w.projectId}/aws-credentials/${theirs.access_key_id}`)).status).toBe(404);
    const tooLong = await w.root.post(`/v1/projects/${w.projectId}/aws-credentials`, { description: 'd'.repeat(256) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors[0].location).toBe('body.description');
    for (const description of ['a\u0000b', 'a\u0001b', '\ud800']) {
      const bad = await w.root.post(`/v1/projects/${w.projectId}/aws-credentials`, { description });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].location).toBe('body.description');
    }
    // A misspelt field is refused, not quietly dropped.
    const misspelt = await w.root.post(`/v1/projects/${w.projectId}/aws-credentials`, { descripton: 'ci' });
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.errors[0].location).toBe('body.descripton');
  });
});
