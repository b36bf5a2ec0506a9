// Whatever a signed client sends under /workspaces: a restJson1 4xx or a success, never a 5xx, and a
// name that is accepted is stored exactly as sent.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { engines } from '../support/harness.js';
import { type AwsTestNode, type RawRequest, sendRaw, signRaw, withAwsTestNode } from './support.js';

describe.each(engines)('AWS surface robustness on %s', (engine) => {
  let t: AwsTestNode;
  withAwsTestNode(
    engine,
    (node) => {
      t = node;
    },
    { KEYMINT_AWS_REQUESTS_PER_SECOND: '1000000', KEYMINT_MANAGEMENT_RATE_LIMIT: '0' },
  );

  const send = async (req: RawRequest) => sendRaw(t, req, await signRaw(t.host, req));
  const expectAwsShape = (res: Awaited<ReturnType<typeof send>>, what: string) => {
    expect(res.status, `${what} -> ${res.status} ${res.text}`).toBeLessThan(500);
    expect(res.headers['x-amzn-requestid']).toBeTruthy();
    if (res.status >= 400) {
      expect(res.headers['x-amzn-errortype'], res.text).toBeTruthy();
      expect(typeof res.body?.message, res.text).toBe('string');
    }
  };
  const storedNames = async () => ((await t.root.get(`/v1/api-keys?project_id=${t.projectId}`)).body as { name: string }[]).map((k) => k.name);

  it('any key name is stored exactly as sent, or refused with a ValidationException (NUL, control characters, lone surrogates)', async () => {
    const name = fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), fc.constantFrom('a\u0000b', '\ud800', 'x\udc00y', '\u0001\u007f', '💥'));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(name, async (raw) => {
        const keyName = `${raw}-${n++}`;
        const res = await send({ method: 'POST', url: `/workspaces/${t.workspaceId}/apikeys`, body: JSON.stringify({ keyName, keyRole: 'VIEWER', secondsToLive: 60 }) });
        expectAwsShape(res, JSON.stringify(keyName));
        if (res.status === 200) {
          expect(await storedNames()).toContain(keyName);
          const del = await send({ method: 'DELETE', url: `/workspaces/${t.workspaceId}/apikeys/${encodeURIComponent(keyName)}` });
          expect(del.status, del.text).toBe(200);
        } else {
          expect(res.headers['x-amzn-errortype']).toBe('ValidationException');
          expect(res.body.fieldList[0].name).toBe('keyName');
        }
      }),
      { numRuns: 100 },
    );
  });

  it('random bodies, content types and path labels never cause a 5xx', async () => {
    const value = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.integer(), fc.double(), fc.constantFrom(1e308, -0, 2 ** 53 + 2), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 3 }));
    const body = fc.oneof(
      fc.record({ keyName: value, keyRole: fc.oneof(value, fc.constantFrom('ADMIN', 'VIEWER', 'viewer')), secondsToLive: value }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
      fc.json(),
      fc.string({ unit: 'binary' }),
      fc.constantFrom('', '{', '[]', 'null', '{"__proto__":{"keyName":"p"}}', '['.repeat(5000) + ']'.repeat(5000), '{"a":'.repeat(2000) + '1' + '}'.repeat(2000)),
    );
    const label = fc.oneof(fc.constant(null).map(() => t.workspaceId), fc.string({ unit: 'binary', maxLength: 30 }).map(encodeURIComponent), fc.constantFrom('%00', '%ED%A0%80', 'g-0000000000', 'x'.repeat(300)));
    const contentType = fc.constantFrom('application/json', 'application/x-amz-json-1.1', 'text/plain', 'application/json; charset=latin1', 'multipart/form-data');
    await fc.assert(
      fc.asyncProperty(fc.boolean(), label, label, body, contentType, async (create, ws, keyName, b, ct) => {
        const req: RawRequest = create
          ? { method: 'POST', url: `/workspaces/${ws}/apikeys`, body: b, headers: { 'content-type': ct } }
          : { method: 'DELETE', url: `/workspaces/${ws}/apikeys/${keyName}` };
        expectAwsShape(await send(req), `${req.method} ${req.url} ${req.body?.slice(0, 80)}`);
      }),
      { numRuns: 200 },
    );
  });
});
