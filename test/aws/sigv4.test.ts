// SigV4 verification: the rules one by one, the three failure types as the SDK raises them, and
// independent vectors (AWS's published test suite, and a hand-computed double-encoded path).
import { createHash, createHmac } from 'node:crypto';
import { CreateWorkspaceApiKeyCommand, GrafanaServiceException } from '@aws-sdk/client-grafana';
import { describe, expect, it } from 'vitest';
import { formatAmzDate, verifySigV4, type WireRequest } from '../../src/auth/sigv4.js';
import { engines } from '../support/harness.js';
import { type AwsTestNode, ROOT_PAIR, type RawRequest, rejection, sendRaw, signRaw, withAwsTestNode } from './support.js';

const MINUTE = 60_000;

describe('verifySigV4 against independent vectors', () => {
  const example = { secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', projectId: null };
  const lookup = async (id: string) => (id === 'AKIDEXAMPLE' ? example : null);

  it("accepts AWS's get-vanilla test vector, and nothing else", async () => {
    const req: WireRequest = {
      method: 'GET',
      path: '/',
      query: '',
      body: undefined,
      headers: {
        host: 'example.amazonaws.com',
        'x-amz-date': '20150830T123600Z',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
      },
    };
    const now = Date.parse('2015-08-30T12:36:00Z');
    expect(await verifySigV4(req, 'service', now, lookup)).toEqual({ ok: true, accessKeyId: 'AKIDEXAMPLE', projectId: null });
    expect(await verifySigV4({ ...req, method: 'POST' }, 'service', now, lookup)).toMatchObject({ ok: false, failure: 'invalid' });
    expect(await verifySigV4(req, 'grafana', now, lookup)).toMatchObject({ ok: false, failure: 'invalid', message: expect.stringMatching(/scoped to correct service: 'grafana'/) });
    expect(await verifySigV4(req, 'service', now + 5 * MINUTE, lookup)).toMatchObject({ ok: true });
    expect(await verifySigV4(req, 'service', now + 5 * MINUTE + 1000, lookup)).toMatchObject({ ok: false, message: expect.stringMatching(/^Signature expired/) });
    expect(await verifySigV4(req, 'service', now - 5 * MINUTE - 1000, lookup)).toMatchObject({ ok: false, message: expect.stringMatching(/^Signature not yet current/) });
  });

  /** An independent SigV4 signer over node:crypto, the test's oracle for the canonical path. */
  function referenceSignature(secret: string, method: string, canonicalPath: string, headers: Record<string, string>, amzDate: string, region: string, service: string) {
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    const names = Object.keys(headers).sort();
    const canonical = [method, canonicalPath, '', ...names.map((n) => `${n}:${headers[n]}`), '', names.join(';'), sha('')].join('\n');
    const scope = `${amzDate.slice(0, 8)}/${region}/${service}/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha(canonical)].join('\n');
    const key = [amzDate.slice(0, 8), region, service, 'aws4_request'].reduce<Buffer | string>((k, part) => createHmac('sha256', k).update(part).digest(), `AWS4${secret}`);
    return { signature: createHmac('sha256', key).update(toSign).digest('hex'), scope, signedHeaders: names.join(';') };
  }

  it('builds the canonical path by URI-encoding the wire path a second time', async () => {
    const amzDate = '20260301T100000Z';
    const headers = { host: 'km.example', 'x-amz-date': amzDate };
    const wirePath = '/workspaces/g-0123456789/apikeys/a%2Fb%20c';
    const request = (canonicalPath: string): WireRequest => {
      const s = referenceSignature(example.secretAccessKey, 'DELETE', canonicalPath, headers, amzDate, 'us-east-1', 'grafana');
      return {
        method: 'DELETE',
        path: wirePath,
        query: '',
        body: undefined,
        headers: { ...headers, authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/${s.scope}, SignedHeaders=${s.signedHeaders}, Signature=${s.signature}` },
      };
    };
    const now = Date.parse('2026-03-01T10:00:00Z');
    expect(await verifySigV4(request('/workspaces/g-0123456789/apikeys/a%252Fb%2520c'), 'grafana', now, lookup)).toMatchObject({ ok: true });
    // Signed over the path encoded once (the S3 rule): refused.
    expect(await verifySigV4(request(wirePath), 'grafana', now, lookup)).toMatchObject({ ok: false, failure: 'invalid' });
  });

  it('formats x-amz-date as the signers do', () => {
    expect(formatAmzDate(Date.parse('2015-08-30T12:36:00.999Z'))).toBe('20150830T123600Z');
  });
});

describe.each(engines)('SigV4 on the AWS surface on %s', (engine) => {
  let t: AwsTestNode;
  // Dozens of bad signatures from one address: with lockout on, the later ones would be 429 (test/limits covers it).
  withAwsTestNode(
    engine,
    (node) => {
      t = node;
    },
    { KEYMINT_LOCKOUT_TIERS: 'off' },
  );

  const createInput = () => ({ workspaceId: t.workspaceId, keyName: `k-${Math.random().toString(36).slice(2)}`, keyRole: 'VIEWER', secondsToLive: 60 });

  /** A 403 of the given SigV4 failure type, as the SDK raises it (a service exception named after the header). */
  function expectAuthError(e: any, name: string, message: RegExp) {
    expect(e).toBeInstanceOf(GrafanaServiceException);
    expect(e.name).toBe(name);
    expect(e.$fault).toBe('client');
    expect(e.$metadata.httpStatusCode).toBe(403);
    expect(e.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.message).toMatch(message);
  }

  it('an unknown access key id is UnrecognizedClientException', async () => {
    const e = await rejection(t.sdk({ accessKeyId: 'KMAKNOSUCHKEY0000000', secretAccessKey: 'whatever' }).send(new CreateWorkspaceApiKeyCommand(createInput())));
    expectAuthError(e, 'UnrecognizedClientException', /access key id KMAKNOSUCHKEY0000000 is not known/);
  });

  it('a wrong secret is InvalidSignatureException, and nothing is written', async () => {
    const input = createInput();
    const e = await rejection(t.sdk({ ...ROOT_PAIR, secretAccessKey: `${ROOT_PAIR.secretAccessKey}x` }).send(new CreateWorkspaceApiKeyCommand(input)));
    expectAuthError(e, 'InvalidSignatureException', /signature we calculated does not match/);
    const keys = (await t.root.get(`/v1/api-keys?project_id=${t.projectId}`)).body as { name: string }[];
    expect(keys.map((k) => k.name)).not.toContain(input.keyName);
  });

  it('a timestamp more than 5 minutes old or ahead is InvalidSignatureException; within 5 minutes is fine', async () => {
    const stale = await rejection(t.sdk(ROOT_PAIR, { systemClockOffset: -6 * MINUTE }).send(new CreateWorkspaceApiKeyCommand(createInput())));
    expectAuthError(stale, 'InvalidSignatureException', /^Signature expired: \d{8}T\d{6}Z is now earlier than/);
    const ahead = await rejection(t.sdk(ROOT_PAIR, { systemClockOffset: 6 * MINUTE }).send(new CreateWorkspaceApiKeyCommand(createInput())));
    expectAuthError(ahead, 'InvalidSignatureException', /^Signature not yet current/);
    await t.sdk(ROOT_PAIR, { systemClockOffset: -4 * MINUTE }).send(new CreateWorkspaceApiKeyCommand(createInput()));
    await t.sdk(ROOT_PAIR, { systemClockOffset: 4 * MINUTE }).send(new CreateWorkspaceApiKeyCommand(createInput()));
  });

  it('checks against the server clock, and its Date header lets the SDK correct its skew', async () => {
    const sdk = t.sdk();
    t.node.clock.advance(6 * MINUTE);
    try {
      const e = await rejection(sdk.send(new CreateWorkspaceApiKeyCommand(createInput())));
      expectAuthError(e, 'InvalidSignatureException', /^Signature expired/);
      // The SDK read the server's time from the Date header of that answer: its next request is signed on it.
      await sdk.send(new CreateWorkspaceApiKeyCommand(createInput()));
    } finally {
      t.node.clock.advance(-6 * MINUTE);
    }
  });

  describe('hand-made requests', () => {
    const url = () => `/workspaces/${t.workspaceId}/apikeys`;
    const body = JSON.stringify({ keyName: 'raw', keyRole: 'VIEWER', secondsToLive: 60 });

    async function expect403(res: Awaited<ReturnType<typeof sendRaw>>, shape: string, message: RegExp) {
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe(shape);
      expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.message).toMatch(message);
    }

    it('no signature, a Bearer token or a presigned URL is MissingAuthenticationTokenException, before validation', async () => {
      const req: RawRequest = { method: 'POST', url: url(), body: 'not json' };
      await expect403(await sendRaw(t, req, { 'content-type': 'application/json' }), 'MissingAuthenticationTokenException', /^Missing Authentication Token: sign the request/);
      await expect403(await sendRaw(t, req, { authorization: `Bearer ${t.node.rootKey}` }), 'MissingAuthenticationTokenException', /not Bearer/);
      // A key (or secret) sent bare as the header is refused without being echoed back.
      for (const bare of [t.node.rootKey, ROOT_PAIR.secretAccessKey]) {
        const res = await sendRaw(t, req, { authorization: bare });
        await expect403(res, 'MissingAuthenticationTokenException', /not a bare credential/);
        expect(res.text).not.toContain(bare);
      }
      await expect403(await sendRaw(t, { method: 'DELETE', url: `${url()}/x?X-Amz-Signature=abc` }, {}), 'MissingAuthenticationTokenException', /presigned URLs are not accepted/);
    });

    it('a signature for another service, or without host signed, is InvalidSignatureException', async () => {
      const req: RawRequest = { method: 'POST', url: url(), body };
      await expect403(await sendRaw(t, req, await signRaw(t.host, req, { service: 'execute-api' })), 'InvalidSignatureException', /scoped to correct service: 'grafana', not 'execute-api'/);
      await expect403(
        await sendRaw(t, req, await signRaw(t.host, req, { unsignableHeaders: new Set(['host']) })),
        'InvalidSignatureException',
        /SignedHeaders must include host/,
      );
    });

    it('a credential date other than the x-amz-date date is InvalidSignatureException', async () => {
      const req: RawRequest = { method: 'POST', url: url(), body };
      const headers = await signRaw(t.host, req);
      headers.authorization = headers.authorization.replace(/Credential=([^/]+)\/(\d{8})/, (_m, id) => `Credential=${id}/20000101`);
      await expect403(await sendRaw(t, req, headers), 'InvalidSignatureException', /Credential date 20000101 does not match the date of x-amz-date/);
    });

    it('a body changed after signing is refused, with or without x-amz-content-sha256', async () => {
      const req: RawRequest = { method: 'POST', url: url(), body };
      const tampered = { ...req, body: body.replace('VIEWER', 'ADMIN') };
      await expect403(await sendRaw(t, tampered, await signRaw(t.host, req)), 'InvalidSignatureException', /x-amz-content-sha256 does not match the SHA-256 of the body/);
      await expect403(await sendRaw(t, tampered, await signRaw(t.host, req, { applyChecksum: false })), 'InvalidSignatureException', /signature we calculated does not match/);
      // Unchanged, the same requests succeed.
      expect((await sendRaw(t, req, await signRaw(t.host, req, { applyChecksum: false }))).status).toBe(200);
    });

    it('a path or signature changed after signing is InvalidSignatureException', async () => {
      const signedFor: RawRequest = { method: 'DELETE', url: `${url()}/a%20b` };
      await expect403(await sendRaw(t, { ...signedFor, url: `${url()}/a%2Fb` }, await signRaw(t.host, signedFor)), 'InvalidSignatureException', /does not match/);
      const headers = await signRaw(t.host, signedFor);
      headers.authorization = headers.authorization.replace(/Signature=(.)/, (_m, c) => `Signature=${c === '0' ? '1' : '0'}`);
      await expect403(await sendRaw(t, signedFor, headers), 'InvalidSignatureException', /does not match/);
    });

    it('a malformed Authorization header is InvalidSignatureException saying what is missing', async () => {
      const req: RawRequest = { method: 'DELETE', url: `${url()}/x` };
      const headers = await signRaw(t.host, req);
      await expect403(await sendRaw(t, req, { ...headers, authorization: 'AWS4-HMAC-SHA256 Signature=00' }), 'InvalidSignatureException', /requires Credential, SignedHeaders and Signature/);
      await expect403(
        await sendRaw(t, req, { ...headers, authorization: headers.authorization.replace('/aws4_request', '/aws5_request') }),
        'InvalidSignatureException',
        /is not AKID\/YYYYMMDD\/region\/grafana\/aws4_request/,
      );
      await expect403(await sendRaw(t, req, { ...headers, authorization: headers.authorization.replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256') }), 'InvalidSignatureException', /only|not supported/);
    });

    it('headers that were sent but not signed are left out of the canonical request', async () => {
      const req: RawRequest = { method: 'DELETE', url: `${url()}/unsigned-extra` };
      const headers = await signRaw(t.host, req);
      const res = await sendRaw(t, req, { ...headers, 'x-forwarded-for': '10.0.0.1', 'x-custom': 'added after signing' });
      expect(res.status).toBe(404);
      expect(res.headers['x-amzn-errortype']).toBe('ResourceNotFoundException');
    });
  });
});
