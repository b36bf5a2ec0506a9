// Lockout and per-credential request limits on the Grafana and AWS surfaces, each in its own error shape.
import { CreateWorkspaceApiKeyCommand, ThrottlingException } from '@aws-sdk/client-grafana';
import { afterEach, describe, expect, it } from 'vitest';
import { mintKey } from '../../src/keys/material.js';
import { awsTestNode, ROOT_PAIR, type AwsTestNode } from '../aws/support.js';
import { engines, testNode, type TestNode } from '../support/harness.js';

let open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.map((n) => n.close()));
  open = [];
});

async function grafanaNode(engine: (typeof engines)[number], env: Record<string, string> = {}): Promise<TestNode> {
  const node = await testNode(engine, { env });
  open.push(node);
  return node;
}

const grafanaList = (node: TestNode, ip: string, token: string) =>
  node.app.inject({ method: 'GET', url: '/api/auth/keys', remoteAddress: ip, headers: { authorization: `Bearer ${token}`, 'x-grafana-org-id': '1' } });

describe.each(engines)('Grafana surface limits on %s', (engine) => {
  it('locks an address out after 10 bad keys: 429 {"message"} with Retry-After for bad keys; the root key still passes', async () => {
    const node = await grafanaNode(engine);
    await node.app.inject({ method: 'POST', url: '/v1/projects', headers: { authorization: `Bearer ${node.rootKey}`, 'content-type': 'application/json' }, payload: '{"name":"org"}' });
    const ip = '198.51.100.7';
    for (let i = 0; i < 10; i++) expect((await grafanaList(node, ip, mintKey().plaintext)).statusCode).toBe(401);
    const locked = await grafanaList(node, ip, mintKey().plaintext);
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.json()).toEqual({ message: expect.stringMatching(/locked out/), messageId: 'keymint.locked-out', statusCode: 429 });
    expect((await grafanaList(node, ip, node.rootKey)).statusCode).toBe(200);
    expect((await grafanaList(node, '198.51.100.8', node.rootKey)).statusCode).toBe(200);
  });

  it('refuses a credential over KEYMINT_MANAGEMENT_RATE_LIMIT with 429 {"message"} and Retry-After', async () => {
    const node = await grafanaNode(engine, { KEYMINT_MANAGEMENT_RATE_LIMIT: '3' });
    await node.app.inject({ method: 'POST', url: '/v1/projects', headers: { authorization: `Bearer ${node.rootKey}`, 'content-type': 'application/json' }, payload: '{"name":"org"}' });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await grafanaList(node, '198.51.100.9', node.rootKey)).statusCode);
    const refused = await grafanaList(node, '198.51.100.9', node.rootKey);
    // The v1 project creation above spent one unit of the same credential's budget.
    expect(statuses).toEqual([200, 200, 429]);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json().message).toMatch(/more than 3 requests/);
  });
});

describe.each(engines)('AWS surface limits on %s', (engine) => {
  async function node(env: Record<string, string> = {}): Promise<AwsTestNode> {
    const n = await awsTestNode(engine, env);
    open.push(n);
    return n;
  }
  const create = (n: AwsTestNode, keyName: string, credentials = ROOT_PAIR) =>
    n.sdk(credentials).send(new CreateWorkspaceApiKeyCommand({ workspaceId: n.workspaceId, keyName, keyRole: 'VIEWER', secondsToLive: 60 }));

  it('locks the address out after 10 bad signatures: ThrottlingException naming the lockout; the right secret still passes', async () => {
    const n = await node();
    const wrong = { ...ROOT_PAIR, secretAccessKey: 'not-the-secret' };
    for (let i = 0; i < 10; i++) await expect(create(n, `k${i}`, wrong)).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    await expect(create(n, 'good')).resolves.toMatchObject({ keyName: 'good' });
    const err = await create(n, 'bad', wrong).catch((e) => e);
    expect(err).toBeInstanceOf(ThrottlingException);
    expect(err.quotaCode).toBe('KEYMINT_LOCKOUT_TIERS');
    expect(err.message).toMatch(/locked out/);
    expect(err.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('refuses an access key over KEYMINT_MANAGEMENT_RATE_LIMIT with ThrottlingException', async () => {
    const n = await node({ KEYMINT_MANAGEMENT_RATE_LIMIT: '2' });
    await create(n, 'one');
    await create(n, 'two');
    const err = await create(n, 'three').catch((e) => e);
    expect(err).toBeInstanceOf(ThrottlingException);
    expect(err.quotaCode).toBe('KEYMINT_MANAGEMENT_RATE_LIMIT');
    expect(err.$metadata.httpStatusCode).toBe(429);
  });
});
