// The request rate per access key (KEYMINT_AWS_REQUESTS_PER_SECOND) and ThrottlingException.
import { DeleteWorkspaceApiKeyCommand, type GrafanaClient, ResourceNotFoundException, ThrottlingException } from '@aws-sdk/client-grafana';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { memoryRequestRate } from '../../src/limits/request-rate.js';
import { engines } from '../support/harness.js';
import { type AwsTestNode, ROOT_PAIR, rejection, withAwsTestNode } from './support.js';

/**
 * Sends five calls at once until one is throttled. Five in flight together land in at most two one-second windows,
 * so a budget of 2 per second runs out even on a busy machine where one call after another could each take 0.5 s.
 */
async function firstThrottled(sdk: GrafanaClient, workspaceId: string): Promise<{ error: any; admitted: number }> {
  for (let burst = 0; burst < 10; burst++) {
    const errors = await Promise.all(Array.from({ length: 5 }, () => rejection(sdk.send(new DeleteWorkspaceApiKeyCommand({ workspaceId, keyName: 'absent' })))));
    const throttled = errors.filter((e) => e instanceof ThrottlingException);
    for (const e of errors) if (!(e instanceof ThrottlingException)) expect(e).toBeInstanceOf(ResourceNotFoundException);
    // Admitted: the calls of this burst that got through (at most 2 in each of the two windows it can span).
    if (throttled.length) return { error: throttled[0], admitted: errors.length - throttled.length };
  }
  throw new Error('no request was throttled in 50 calls');
}

describe.each(engines)('AWS request rate on %s', (engine) => {
  let t: AwsTestNode;
  withAwsTestNode(engine, (node) => {
    t = node;
  }, { KEYMINT_AWS_REQUESTS_PER_SECOND: '2' });

  it('answers ThrottlingException with an integer Retry-After once an access key exceeds its rate', async () => {
    const { error, admitted } = await firstThrottled(t.sdk(), t.workspaceId);
    expect(admitted).toBeLessThanOrEqual(4);
    expect(error.name).toBe('ThrottlingException');
    expect(error).toMatchObject({
      retryAfterSeconds: 1,
      serviceCode: 'grafana',
      quotaCode: 'KEYMINT_AWS_REQUESTS_PER_SECOND',
      $metadata: { httpStatusCode: 429 },
    });
    expect(error.message).toMatch(new RegExp(`access key ${ROOT_PAIR.accessKeyId} may make 2 requests per second`));
    expect(error.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('counts each access key on its own, and refills after Retry-After', async () => {
    const { error } = await firstThrottled(t.sdk(), t.workspaceId);
    // Another pair has its own budget.
    const issued = (await t.root.post(`/v1/projects/${t.projectId}/aws-credentials`, {})).body;
    const other = t.sdk({ accessKeyId: issued.access_key_id, secretAccessKey: issued.secret_access_key });
    expect(await rejection(other.send(new DeleteWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: 'absent' })))).toBeInstanceOf(ResourceNotFoundException);
    // After the advertised wait the root pair is served again (polled with a deadline, never a fixed sleep).
    const deadline = Date.now() + 15_000;
    await new Promise((r) => setTimeout(r, error.retryAfterSeconds * 1000));
    for (;;) {
      const e = await rejection(t.sdk().send(new DeleteWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: 'absent' })));
      if (e instanceof ResourceNotFoundException) break;
      expect(e).toBeInstanceOf(ThrottlingException);
      if (Date.now() > deadline) throw new Error('still throttled 15 s later');
      await new Promise((r) => setTimeout(r, 200));
    }
  });
});

describe('the request rate setting', () => {
  it('defaults to a generous 100 per second and refuses what is not a positive whole number', () => {
    expect(loadConfig({}).awsRequestsPerSecond).toBe(100);
    expect(loadConfig({ KEYMINT_AWS_REQUESTS_PER_SECOND: '5' }).awsRequestsPerSecond).toBe(5);
    for (const bad of ['0', '-1', '1.5', 'fast']) {
      expect(() => loadConfig({ KEYMINT_AWS_REQUESTS_PER_SECOND: bad })).toThrow(/KEYMINT_AWS_REQUESTS_PER_SECOND=.* is not valid: use a whole number from 1 to/);
    }
  });

  it('the in-memory limiter grants exactly its budget per id', async () => {
    const rate = memoryRequestRate(3);
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await rate.consume('a'));
    expect(decisions.slice(0, 3)).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(decisions[3]).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(await rate.consume('b')).toEqual({ ok: true });
  });
});
