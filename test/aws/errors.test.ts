// Every error of CreateWorkspaceApiKey and DeleteWorkspaceApiKey, as the real SDK raises it, and the
// restJson1 shapes of requests the SDK cannot make (signed by hand).
import {
  ConflictException,
  CreateWorkspaceApiKeyCommand,
  type CreateWorkspaceApiKeyCommandInput,
  DeleteWorkspaceApiKeyCommand,
  type GrafanaClient,
  GrafanaServiceException,
  InternalServerException,
  ResourceNotFoundException,
  ValidationException,
} from '@aws-sdk/client-grafana';
import { describe, expect, it } from 'vitest';
import { engines } from '../support/harness.js';
import { type AwsTestNode, awsTestNode, type RawRequest, rejection, sendRaw, signRaw, withAwsTestNode } from './support.js';

describe.each(engines)('AWS surface errors on %s', (engine) => {
  let t: AwsTestNode;
  let sdk: GrafanaClient;
  withAwsTestNode(engine, (node) => {
    t = node;
    sdk = node.sdk();
  });

  const create = (input: Partial<CreateWorkspaceApiKeyCommandInput>) =>
    sdk.send(new CreateWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: 'k', keyRole: 'VIEWER', secondsToLive: 60, ...input } as CreateWorkspaceApiKeyCommandInput));
  const remove = (workspaceId: string, keyName: string) => sdk.send(new DeleteWorkspaceApiKeyCommand({ workspaceId, keyName }));
  const keyNames = async () => ((await t.root.get(`/v1/api-keys?project_id=${t.projectId}`)).body as { name: string }[]).map((k) => k.name);

  /** A ValidationException naming exactly these fields. */
  async function expectInvalid(p: Promise<unknown>, fields: string[], message: RegExp) {
    const e = await rejection(p);
    expect(e).toBeInstanceOf(ValidationException);
    expect(e.name).toBe('ValidationException');
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(e.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.reason).toBe('FIELD_VALIDATION_FAILED');
    expect(e.fieldList.map((f: { name: string }) => f.name)).toEqual(fields);
    expect(e.message).toMatch(message);
    if (fields.length === 1) expect(e.fieldList[0].message).toMatch(message);
    return e;
  }

  it('a malformed workspace id is a ValidationException on both operations', async () => {
    for (const ws of ['g-123', 'G-ABCDEF0123', 'g-abcdef01234', 'prj_123', `g-${'a'.repeat(200)}`]) {
      await expectInvalid(create({ workspaceId: ws, keyName: `bad-ws` }), ['workspaceId'], /workspaceId .* must match \^g-\[0-9a-f\]\{10\}\$/);
      await expectInvalid(remove(ws, 'bad-ws'), ['workspaceId'], /workspaceId/);
    }
    expect(await keyNames()).not.toContain('bad-ws');
  });

  it('an unknown workspace is ResourceNotFoundException WORKSPACE', async () => {
    for (const call of [() => create({ workspaceId: 'g-0000000000' }), () => remove('g-0000000000', 'k')]) {
      const e = await rejection(call());
      expect(e).toBeInstanceOf(ResourceNotFoundException);
      expect(e).toMatchObject({ resourceId: 'g-0000000000', resourceType: 'WORKSPACE', $metadata: { httpStatusCode: 404 } });
      expect(e.message).toMatch(/Workspace g-0000000000 was not found/);
    }
  });

  it('an unknown key name is ResourceNotFoundException API_KEY', async () => {
    const e = await rejection(remove(t.workspaceId, 'never-made'));
    expect(e).toBeInstanceOf(ResourceNotFoundException);
    expect(e).toMatchObject({ resourceId: 'never-made', resourceType: 'API_KEY', $metadata: { httpStatusCode: 404 } });
    expect(e.message).toMatch(/no live API key named "never-made"/);
  });

  it('a duplicate live name is ConflictException, and the first key is untouched', async () => {
    const first = await create({ keyName: 'dup' });
    const e = await rejection(create({ keyName: 'dup', keyRole: 'ADMIN' }));
    expect(e).toBeInstanceOf(ConflictException);
    expect(e).toMatchObject({ resourceId: 'dup', resourceType: 'API_KEY', $metadata: { httpStatusCode: 409 } });
    expect(e.message).toMatch(/a live key named "dup" \(key_\w+\) already exists/);
    expect((await t.root.post('/v1/keys/verify', { key: first.key })).body).toMatchObject({ valid: true, role: 'Viewer' });
    expect((await keyNames()).filter((n) => n === 'dup')).toHaveLength(1);
  });

  it('a name held by an expired key is ConflictException saying the holder expired (and how to free the name)', async () => {
    await create({ keyName: 'old', secondsToLive: 1 });
    t.node.clock.advance(2_000);
    const e = await rejection(create({ keyName: 'old' }));
    expect(e).toBeInstanceOf(ConflictException);
    expect(e.message).toMatch(/a key named "old" \(key_\w+\) expired at \d{4}-\d\d-\d\dT[\d:.]+Z but still holds the name: revoke it/);
    expect(e.message).not.toMatch(/live/);
  });

  it('a role other than ADMIN, EDITOR, VIEWER is a ValidationException', async () => {
    for (const keyRole of ['OWNER', 'admin', 'Admin', 'NONE', '']) {
      await expectInvalid(create({ keyName: 'bad-role', keyRole }), ['keyRole'], /keyRole .* must be one of ADMIN, EDITOR, VIEWER/);
    }
    expect(await keyNames()).not.toContain('bad-role');
  });

  it('secondsToLive outside 1..2592000 is a ValidationException; both bounds are accepted', async () => {
    for (const secondsToLive of [0, 2592001, -5, 1.5]) {
      await expectInvalid(create({ keyName: 'ttl', secondsToLive }), ['secondsToLive'], /secondsToLive .* must be a whole number from 1 to 2592000/);
    }
    expect(await keyNames()).not.toContain('ttl');
    for (const secondsToLive of [1, 2592000]) {
      const { key } = await create({ keyName: `ttl-${secondsToLive}`, secondsToLive });
      const v = (await t.root.post('/v1/keys/verify', { key })).body;
      expect(Date.parse(v.expires_at)).toBe(t.node.clock.now() + secondsToLive * 1000);
    }
  });

  it('a 101-character name is a ValidationException on both operations; 100 characters work, however long encoded', async () => {
    await expectInvalid(create({ keyName: 'n'.repeat(101) }), ['keyName'], /keyName must be a string of 1 to 100 characters \(it has 101\)/);
    await expectInvalid(remove(t.workspaceId, 'n'.repeat(101)), ['keyName'], /it has 101/);
    await expectInvalid(remove(t.workspaceId, 'ü /'.repeat(34)), ['keyName'], /it has 102/);
    for (const keyName of ['n'.repeat(100), 'ü /'.repeat(33) + 'x']) {
      await create({ keyName });
      expect((await remove(t.workspaceId, keyName)).keyName).toBe(keyName);
    }
  });

  it('a name with NUL is a ValidationException, not a store failure', async () => {
    await expectInvalid(create({ keyName: 'a\u0000b' }), ['keyName'], /must not contain the NUL character/);
    await expectInvalid(remove(t.workspaceId, 'a\u0000b'), ['keyName'], /must not contain the NUL character/);
    await expectInvalid(create({ keyName: 'a\ud800' }), ['keyName'], /unpaired UTF-16 surrogates/);
  });

  it('reports every bad field at once', async () => {
    const e = await expectInvalid(
      create({ workspaceId: 'nope', keyName: '', keyRole: 'ROOT', secondsToLive: 0 }),
      ['workspaceId', 'keyName', 'keyRole', 'secondsToLive'],
      /^4 validation errors detected: workspaceId/,
    );
    expect(e.fieldList[1].message).toBe('keyName must be a string of 1 to 100 characters (it has 0)');
  });

  describe('requests the SDK cannot make', () => {
    async function signed(req: RawRequest) {
      return sendRaw(t, req, await signRaw(t.host, req));
    }
    const apikeys = () => `/workspaces/${t.workspaceId}/apikeys`;

    function expectShape(res: Awaited<ReturnType<typeof signed>>, shape: string, status: number) {
      expect(res.status).toBe(status);
      expect(res.headers['x-amzn-errortype']).toBe(shape);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    }

    it('malformed JSON, or a body that is not an object, is CANNOT_PARSE', async () => {
      for (const body of ['{"keyName": ', 'null', '[1]', '"text"']) {
        const res = await signed({ method: 'POST', url: apikeys(), body });
        expectShape(res, 'ValidationException', 400);
        expect(res.body).toMatchObject({ reason: 'CANNOT_PARSE' });
        expect(res.body.message).toMatch(/not valid JSON|must be a JSON object/);
      }
    });

    it('missing members and wrong JSON types are FIELD_VALIDATION_FAILED', async () => {
      const res = await signed({ method: 'POST', url: apikeys(), body: '{"secondsToLive": "60", "keyRole": ["ADMIN"]}' });
      expectShape(res, 'ValidationException', 400);
      expect(res.body.reason).toBe('FIELD_VALIDATION_FAILED');
      expect(res.body.fieldList).toEqual([
        { name: 'keyName', message: 'keyName is required' },
        { name: 'keyRole', message: 'keyRole ["ADMIN"] must be one of ADMIN, EDITOR, VIEWER' },
        { name: 'secondsToLive', message: 'secondsToLive "60" must be a whole number from 1 to 2592000 (30 days)' },
      ]);
    });

    it('a number too large for JSON is named as read (Infinity), not as null', async () => {
      const res = await signed({ method: 'POST', url: apikeys(), body: '{"keyName": "big", "keyRole": "VIEWER", "secondsToLive": 1e400}' });
      expectShape(res, 'ValidationException', 400);
      expect(res.body.fieldList).toEqual([{ name: 'secondsToLive', message: 'secondsToLive Infinity must be a whole number from 1 to 2592000 (30 days)' }]);
    });

    it('another method or path is UNKNOWN_OPERATION', async () => {
      for (const [method, url] of [
        ['GET', apikeys()],
        ['PUT', apikeys()],
        ['POST', `${apikeys()}/name`],
        ['DELETE', `${apikeys()}/a/b`],
        ['GET', `/workspaces/${t.workspaceId}`],
        ['GET', '/workspaces'],
      ]) {
        const res = await signed({ method, url });
        expectShape(res, 'ValidationException', 400);
        expect(res.body.reason).toBe('UNKNOWN_OPERATION');
        expect(res.body.message).toMatch(/serves CreateWorkspaceApiKey \(POST/);
      }
    });

    it('bad percent-encoding in the path is CANNOT_PARSE, before anything else', async () => {
      for (const label of ['%ZZ', '%C0%AF', '%E2%82', '%ED%A0%80']) {
        const res = await sendRaw(t, { method: 'DELETE', url: `${apikeys()}/${label}` }, {});
        expectShape(res, 'ValidationException', 400);
        expect(res.body).toMatchObject({ reason: 'CANNOT_PARSE' });
      }
      // Elsewhere, Fastify's own answer is unchanged.
      const v1 = await t.node.app.inject({ method: 'GET', url: '/v1/%ZZ' });
      expect(v1.statusCode).toBe(400);
      expect(v1.headers['x-amzn-errortype']).toBeUndefined();
    });

    it('a body over 64 KiB is a ValidationException, never a Fastify body', async () => {
      const res = await sendRaw(t, { method: 'POST', url: apikeys(), body: `{"keyName":"${'x'.repeat(70_000)}"}` }, { 'content-type': 'application/json' });
      expectShape(res, 'ValidationException', 400);
      expect(res.body.message).toBe('The body is larger than 64 KiB');
    });
  });
});

describe('AWS surface internal errors', () => {
  it('a store failure is InternalServerException with Retry-After, and is logged', async () => {
    const t = await awsTestNode('sqlite');
    try {
      await t.node.km.store.db.destroy();
      const e = await rejection(t.sdk().send(new CreateWorkspaceApiKeyCommand({ workspaceId: t.workspaceId, keyName: 'k', keyRole: 'VIEWER', secondsToLive: 60 })));
      expect(e).toBeInstanceOf(InternalServerException);
      expect(e).toBeInstanceOf(GrafanaServiceException);
      expect(e).toMatchObject({ retryAfterSeconds: 1, $fault: 'server', $metadata: { httpStatusCode: 500 } });
      expect(e.message).toMatch(/unexpected error/);
      expect(t.node.logs.join('')).toMatch(/"msg":"unexpected error"/);
    } finally {
      await t.close().catch(() => {});
    }
  });
});
