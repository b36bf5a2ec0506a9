// Per-project AWS access key pairs on the AWS surface: allowed on their own project's workspace only, stopped
// when revoked or when their project is deleted. The v1 routes that issue them: test/v1/aws-credentials.test.ts.
import { AccessDeniedException, CreateWorkspaceApiKeyCommand, DeleteWorkspaceApiKeyCommand, GrafanaServiceException } from '@aws-sdk/client-grafana';
import { describe, expect, it } from 'vitest';
import { engines } from '../support/harness.js';
import { type AwsTestNode, awsTestNode, ROOT_PAIR, rejection, withAwsTestNode } from './support.js';

describe.each(engines)('AWS credentials on %s', (engine) => {
  let t: AwsTestNode;
  let other: { id: string; workspace_id: string };
  withAwsTestNode(engine, async (node) => {
    t = node;
    other = (await t.root.post('/v1/projects', { name: 'workspace two' })).body;
  });

  const issue = async (projectId = t.projectId, description?: string) => {
    const res = await t.root.post(`/v1/projects/${projectId}/aws-credentials`, description === undefined ? {} : { description });
    expect(res.status).toBe(201);
    return res.body as { access_key_id: string; secret_access_key: string; project_id: string; workspace_id: string; description: string | null; created_at: string; revoked_at: null };
  };
  const sdkFor = (pair: { access_key_id: string; secret_access_key: string }) => t.sdk({ accessKeyId: pair.access_key_id, secretAccessKey: pair.secret_access_key });

  it('a project pair manages keys in its own workspace, audited under its access key id', async () => {
    const pair = await issue();
    const sdk = sdkFor(pair);
    const { key } = await sdk.send(new CreateWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: 'by-project-pair', keyRole: 'EDITOR', secondsToLive: 60 }));
    expect((await t.root.post('/v1/keys/verify', { key })).body).toMatchObject({ valid: true, project_id: t.projectId, role: 'Editor' });
    await sdk.send(new DeleteWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: 'by-project-pair' }));
    const [revoked] = (await t.root.get(`/v1/audit-events?project_id=${t.projectId}&limit=1`)).body;
    expect(revoked).toMatchObject({ action: 'api_key.revoked', actor: { type: 'aws_credential', id: pair.access_key_id } });
  });

  it("a project pair on another workspace, existing or not, is AccessDeniedException and changes nothing", async () => {
    const sdk = sdkFor(await issue());
    await t.root.post('/v1/api-keys', { project_id: other.id, name: 'theirs' });
    for (const call of [
      () => sdk.send(new CreateWorkspaceApiKeyCommand({ workspaceId: other.workspace_id, keyName: 'intruder', keyRole: 'ADMIN', secondsToLive: 60 })),
      () => sdk.send(new DeleteWorkspaceApiKeyCommand({ workspaceId: other.workspace_id, keyName: 'theirs' })),
      () => sdk.send(new DeleteWorkspaceApiKeyCommand({ workspaceId: 'g-0000000000', keyName: 'theirs' })),
    ]) {
      const e = await rejection(call());
      expect(e).toBeInstanceOf(AccessDeniedException);
      expect(e.$metadata.httpStatusCode).toBe(403);
      expect(e.message).toMatch(/may use its workspace only/);
    }
    const names = (await t.root.get(`/v1/api-keys?project_id=${other.id}`)).body.map((k: { name: string }) => k.name);
    expect(names).toEqual(['theirs']);
  });

  it('the root pair works on every workspace', async () => {
    const sdk = t.sdk(ROOT_PAIR);
    for (const workspaceId of [t.workspaceId, other.workspace_id]) {
      const created = await sdk.send(new CreateWorkspaceApiKeyCommand({ workspaceId, keyName: 'by-root-pair', keyRole: 'ADMIN', secondsToLive: 60 }));
      expect(created.workspaceId).toBe(workspaceId);
    }
  });

  it('a revoked pair is UnrecognizedClientException at once; revoking again is still 204', async () => {
    const pair = await issue();
    const sdk = sdkFor(pair);
    await rejection(sdk.send(new DeleteWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: 'absent' })));
    expect((await t.root.delete(`/v1/projects/${t.projectId}/aws-credentials/${pair.access_key_id}`)).status).toBe(204);
    expect((await t.root.delete(`/v1/projects/${t.projectId}/aws-credentials/${pair.access_key_id}`)).status).toBe(204);
    const e = await rejection(sdk.send(new DeleteWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: 'absent' })));
    expect(e).toBeInstanceOf(GrafanaServiceException);
    expect(e.name).toBe('UnrecognizedClientException');

    const active = (await t.root.get(`/v1/projects/${t.projectId}/aws-credentials`)).body.map((c: { access_key_id: string }) => c.access_key_id);
    expect(active).not.toContain(pair.access_key_id);
    const all = (await t.root.get(`/v1/projects/${t.projectId}/aws-credentials?include_revoked=true`)).body;
    expect(all.find((c: { access_key_id: string }) => c.access_key_id === pair.access_key_id).revoked_at).toEqual(new Date(t.node.clock.now()).toISOString());
    const events = (await t.root.get(`/v1/audit-events?project_id=${t.projectId}&limit=50`)).body.filter((ev: any) => ev.target.id === pair.access_key_id);
    expect(events.map((ev: any) => ev.action)).toEqual(['aws_credential.revoked', 'aws_credential.created']);
  });

  it("a deleted project's pairs stop with it", async () => {
    const doomed = (await t.root.post('/v1/projects', { name: 'doomed' })).body;
    const sdk = sdkFor(await issue(doomed.id));
    await rejection(sdk.send(new DeleteWorkspaceApiKeyCommand({ workspaceId: doomed.workspace_id, keyName: 'absent' })));
    expect((await t.root.delete(`/v1/projects/${doomed.id}`)).status).toBe(204);
    const e = await rejection(sdk.send(new DeleteWorkspaceApiKeyCommand({ workspaceId: doomed.workspace_id, keyName: 'absent' })));
    expect(e.name).toBe('UnrecognizedClientException');
  });

});

describe('without KEYMINT_AWS_ACCESS_KEY_ID', () => {
  it('there is no root pair: only issued pairs sign', async () => {
    const t = await awsTestNode('sqlite', { KEYMINT_AWS_ACCESS_KEY_ID: '', KEYMINT_AWS_SECRET_ACCESS_KEY: '' });
    try {
      const e = await rejection(t.sdk(ROOT_PAIR).send(new DeleteWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: 'absent' })));
      expect(e.name).toBe('UnrecognizedClientException');
      const pair = (await t.root.post(`/v1/projects/${t.projectId}/aws-credentials`, {})).body;
      const created = await t
        .sdk({ accessKeyId: pair.access_key_id, secretAccessKey: pair.secret_access_key })
        .send(new CreateWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: 'k', keyRole: 'VIEWER', secondsToLive: 60 }));
      expect(created.keyName).toBe('k');
    } finally {
      await t.close();
    }
  });
});
