// The happy path of the AWS surface, driven by the real @aws-sdk/client-grafana over a socket.
import { CreateWorkspaceApiKeyCommand, DeleteWorkspaceApiKeyCommand, type GrafanaClient, ResourceNotFoundException } from '@aws-sdk/client-grafana';
import { describe, expect, it } from 'vitest';
import { engines } from '../support/harness.js';
import { type AwsTestNode, ROOT_PAIR, rejection, withAwsTestNode } from './support.js';

describe.each(engines)('AWS workspace API keys on %s', (engine) => {
  let t: AwsTestNode;
  let sdk: GrafanaClient;
  withAwsTestNode(engine, (node) => {
    t = node;
    sdk = node.sdk();
  });

  const liveKeys = async () => (await t.root.get(`/v1/api-keys?project_id=${t.projectId}`)).body as any[];

  it('creates a key that verifies on v1 with its name, role and expiry, then deletes it', async () => {
    const before = t.node.clock.now();
    const created = await sdk.send(new CreateWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: 'ci-bot', keyRole: 'ADMIN', secondsToLive: 3600 }));
    expect(created).toMatchObject({ keyName: 'ci-bot', workspaceId: t.workspaceId, $metadata: { httpStatusCode: 200 } });
    expect(created.key).toMatch(/^km_[0-9A-Za-z]{38}$/);
    expect(created.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const verified = await t.root.post('/v1/keys/verify', { key: created.key });
    expect(verified.body).toMatchObject({ valid: true, code: 'VALID', project_id: t.projectId, name: 'ci-bot', role: 'Admin' });
    expect(Date.parse(verified.body.expires_at)).toBe(before + 3600_000);

    const deleted = await sdk.send(new DeleteWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: 'ci-bot' }));
    expect(deleted).toMatchObject({ keyName: 'ci-bot', workspaceId: t.workspaceId, $metadata: { httpStatusCode: 200 } });
    expect((await t.root.post('/v1/keys/verify', { key: created.key })).body.code).toBe('REVOKED');
    expect((await liveKeys()).map((k) => k.name)).not.toContain('ci-bot');
  });

  it('the returned key authenticates on the Grafana surface', async (ctx) => {
    if (!t.node.app.hasRoute({ method: 'GET', url: '/api/auth/keys' })) {
      ctx.skip('the Grafana surface is not in this build; v1 verify covers the key');
    }
    const { key } = await sdk.send(new CreateWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: 'grafana-user', keyRole: 'ADMIN', secondsToLive: 600 }));
    const res = await t.node.app.inject({ method: 'GET', url: '/api/auth/keys', headers: { authorization: `Bearer ${key}` } });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).map((k: { name: string }) => k.name)).toContain('grafana-user');
  });

  it('maps EDITOR and VIEWER to the Grafana roles Editor and Viewer', async () => {
    for (const [keyRole, role] of [['EDITOR', 'Editor'], ['VIEWER', 'Viewer']] as const) {
      const { key } = await sdk.send(new CreateWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: `role-${keyRole}`, keyRole, secondsToLive: 60 }));
      expect((await t.root.post('/v1/keys/verify', { key })).body).toMatchObject({ valid: true, role });
    }
  });

  it('a key stops verifying once secondsToLive has passed', async () => {
    const { key } = await sdk.send(new CreateWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: 'short-lived', keyRole: 'VIEWER', secondsToLive: 30 }));
    t.node.clock.advance(29_000);
    expect((await t.root.post('/v1/keys/verify', { key })).body.code).toBe('VALID');
    t.node.clock.advance(1_000);
    expect((await t.root.post('/v1/keys/verify', { key })).body.code).toBe('EXPIRED');
    t.node.clock.advance(-30_000);
  });

  it('a key name with "/" and spaces round-trips: the path label is decoded once', async () => {
    const keyName = 'team a/deploy bot %2F 100% ünïcode';
    const created = await sdk.send(new CreateWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName, keyRole: 'EDITOR', secondsToLive: 60 }));
    expect(created.keyName).toBe(keyName);
    expect((await t.root.post('/v1/keys/verify', { key: created.key })).body.name).toBe(keyName);
    const deleted = await sdk.send(new DeleteWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName }));
    expect(deleted.keyName).toBe(keyName);
    expect((await t.root.post('/v1/keys/verify', { key: created.key })).body.code).toBe('REVOKED');
    // The singly-decoded sibling name is a different key.
    const e = await rejection(sdk.send(new DeleteWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: 'team a/deploy bot / 100% ünïcode' })));
    expect(e).toBeInstanceOf(ResourceNotFoundException);
  });

  it('a deleted name can be used again, and deleting twice is ResourceNotFoundException', async () => {
    const first = await sdk.send(new CreateWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: 'again', keyRole: 'VIEWER', secondsToLive: 60 }));
    await sdk.send(new DeleteWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: 'again' }));
    const e = await rejection(sdk.send(new DeleteWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: 'again' })));
    expect(e).toBeInstanceOf(ResourceNotFoundException);
    expect(e).toMatchObject({ resourceId: 'again', resourceType: 'API_KEY', $metadata: { httpStatusCode: 404 } });
    const second = await sdk.send(new CreateWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: 'again', keyRole: 'VIEWER', secondsToLive: 60 }));
    expect(second.key).not.toBe(first.key);
    expect((await t.root.post('/v1/keys/verify', { key: second.key })).body.code).toBe('VALID');
  });

  it('a key created through v1 is deleted through the AWS API by its name', async () => {
    const v1 = await t.root.post('/v1/api-keys', { project_id: t.projectId, name: 'made-on-v1', role: 'Viewer' });
    expect(v1.status).toBe(201);
    await sdk.send(new DeleteWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: 'made-on-v1' }));
    expect((await t.root.post('/v1/keys/verify', { key: v1.body.key })).body.code).toBe('REVOKED');
  });

  it('audits creation and deletion under the access key id, and never logs the key', async () => {
    const { key } = await sdk.send(new CreateWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: 'audited', keyRole: 'VIEWER', secondsToLive: 60 }));
    await sdk.send(new DeleteWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: 'audited' }));
    const events = (await t.root.get(`/v1/audit-events?project_id=${t.projectId}&limit=2`)).body;
    expect(events.map((e: any) => [e.action, e.actor.type, e.actor.id, e.ip])).toEqual([
      ['api_key.revoked', 'aws_credential', ROOT_PAIR.accessKeyId, '127.0.0.1'],
      ['api_key.created', 'aws_credential', ROOT_PAIR.accessKeyId, '127.0.0.1'],
    ]);
    expect(t.node.logs.join('')).not.toContain(key);
    expect(t.node.logs.join('')).not.toContain(ROOT_PAIR.secretAccessKey);
  });

  it('answers with x-amzn-RequestId and a Date header on the server clock', async () => {
    const res = await fetch(`${t.endpoint}/workspaces/${t.workspaceId}/apikeys`, { method: 'POST', body: '{}' });
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(res.headers.get('date')!)).toBe(Math.floor(t.node.clock.now() / 1000) * 1000);
  });
});
