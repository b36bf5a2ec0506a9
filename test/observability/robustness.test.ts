// /healthz, /readyz and /metrics take no input: whatever a client (or a confused probe) sends, they
// answer at once with a 2xx or a 4xx, never a 5xx, on both engines.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, testNode, type TestNode } from '../support/harness.js';

describe.each(engines)('health and metrics robustness on %s', (engine) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await testNode(engine);
  });
  afterAll(() => node.close());

  it('random methods, query strings, headers and bodies never cause a 5xx', async () => {
    const statuses = new Set<number>();
    const path = fc.constantFrom('/healthz', '/readyz', '/metrics', '/healthz/', '/readyz/%zz', '/metrics%00', '/healthz/..%2F..%2Fmetrics');
    const method = fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH');
    const query = fc.oneof(fc.constant(''), fc.string({ unit: 'binary', maxLength: 30 }).map((s) => `?x=${encodeURIComponent(s)}`), fc.constantFrom('?%', '?a=%FF%FE', '?a[b]=1&a=2'));
    const headerValue = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('x'.repeat(16_000), '\t', '1e309', '-1'));
    const headers = fc.dictionary(fc.constantFrom('accept', 'accept-encoding', 'authorization', 'x-grafana-org-id', 'x-forwarded-for', 'content-type', 'x-a'), headerValue);
    const body = fc.oneof(fc.constant(undefined), fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom('{', '['.repeat(5000) + ']'.repeat(5000), '{"a":1}'), fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)));
    await fc.assert(
      fc.asyncProperty(method, path, query, headers, body, async (m, p, q, h, b) => {
        const send = m !== 'GET' && m !== 'HEAD' && b !== undefined;
        const res = await node.app.inject({ method: m as 'GET', url: `${p}${q}`, headers: h, payload: send ? b : undefined });
        statuses.add(res.statusCode);
        expect(res.statusCode, `${m} ${p}${q} -> ${res.statusCode} ${res.body.slice(0, 200)}`).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
    expect(statuses.has(200)).toBe(true);
    expect([...statuses].some((s) => s >= 400)).toBe(true);
  });
});
