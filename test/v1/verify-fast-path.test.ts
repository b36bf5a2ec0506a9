// POST /v1/keys/verify over a real socket, where the fast path in front of node:http answers (src/surfaces/v1/
// verify-fast-path.ts), against the same request through Fastify (app.inject, which never meets the fast path):
// every answer (status, headers, body) must be the same, refusals included; and the connection itself (pipelining,
// requests in pieces, the hand-over to node:http, closing) must behave as node:http's would.
import { beforeAll, describe, expect, it } from 'vitest';
import { mintKey } from '../../src/keys/material.js';
import { client } from '../support/client.js';
import { engines } from '../support/harness.js';
import { rawConnect, rawRequest } from '../support/raw-http.js';
import { useV1World, v1World } from './fixtures.js';

interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  body: unknown;
}

const COMPARED = ['content-type', 'x-content-type-options', 'www-authenticate', 'retry-after', 'cache-control'];

/** The answer without what differs per request (the request id). */
function comparable(status: number, headers: Record<string, unknown>, text: string): Answer & { requestId: string } {
  const body = text ? JSON.parse(text) : undefined;
  if (body && typeof body === 'object' && 'request_id' in body) delete (body as Record<string, unknown>).request_id;
  return {
    status,
    headers: Object.fromEntries(COMPARED.map((h) => [h, headers[h] === undefined ? undefined : String(headers[h])])),
    body,
    requestId: String(headers['x-request-id']),
  };
}

describe.each(engines)('the verify fast path on %s', (engine) => {
  const w = useV1World(engine, { env: { KEYMINT_TRUST_PROXY: '127.0.0.1' } });
  let base: string;
  let keys: Record<string, string>;
  let callers: Record<string, string>;

  beforeAll(async () => {
    base = await w.node.app.listen({ port: 0, host: '127.0.0.1' });
    const other = (await w.root.post('/v1/projects', { name: 'other' })).body.id;
    const make = async (body: Record<string, unknown>) => (await w.createKey(body)).body;
    const revoked = await make({ name: 'revoked' });
    await w.root.delete(`/v1/api-keys/${revoked.id}`);
    keys = {
      good: (await make({ name: 'good', scopes: ['read'], meta: { plan: 'pro' } })).key,
      revoked: revoked.key,
      otherProject: (await make({ name: 'theirs', project_id: other })).key,
      metered: (await make({ name: 'metered', credits: { remaining: 5, refill: null } })).key,
    };
    callers = {
      root: w.node.rootKey,
      admin: (await w.keyClient('Admin')).key,
      viewer: (await w.keyClient('Viewer')).key,
      verifier: (await w.root.post('/v1/verifier-keys', { name: 'gateway', project_id: w.projectId })).body.key,
      fencedAdmin: (await make({ name: 'fenced', role: 'Admin', ip_allowlist: ['10.9.0.0/16'] })).key,
      // Made here and never used: its first call reads it from the store (a promise on the fast path).
      newAdmin: (await make({ name: 'new-admin', role: 'Admin' })).key,
    };
  });

  /** One request on a new connection (a connection handed to node:http stays there). */
  async function overSocket(body: string, headers: Record<string, string>): Promise<Answer & { requestId: string }> {
    const conn = await rawConnect(base);
    conn.write(rawRequest('POST', '/v1/keys/verify', headers, body));
    const [res] = await conn.responses(1);
    conn.destroy();
    return comparable(res.status, res.headers, res.body);
  }

  async function throughFastify(body: string, headers: Record<string, string>): Promise<Answer & { requestId: string }> {
    const res = await w.node.app.inject({ method: 'POST', url: '/v1/keys/verify', headers, payload: body });
    return comparable(res.statusCode, res.headers, res.body);
  }

  const json = (caller: string | null, extra: Record<string, string> = {}) => ({
    'content-type': 'application/json',
    ...(caller ? { authorization: `Bearer ${caller}` } : {}),
    ...extra,
  });

  it('answers every request as the Fastify route does, and the common ones itself', async () => {
    const cases: { name: string; fast: boolean; status: number; body: () => string; headers: () => Record<string, string> }[] = [
      { name: 'a good key', fast: true, status: 200, body: () => JSON.stringify({ key: keys.good }), headers: () => json(callers.root) },
      { name: 'missing scopes', fast: true, status: 200, body: () => JSON.stringify({ key: keys.good, required_scopes: ['write'] }), headers: () => json(callers.root) },
      { name: 'a revoked key', fast: true, status: 200, body: () => JSON.stringify({ key: keys.revoked }), headers: () => json(callers.root) },
      { name: 'an unknown key', fast: true, status: 200, body: () => JSON.stringify({ key: mintKey().plaintext }), headers: () => json(callers.root) },
      { name: 'a malformed key', fast: true, status: 200, body: () => JSON.stringify({ key: 'km_nope' }), headers: () => json(callers.root) },
      { name: 'an Admin key, own project', fast: true, status: 200, body: () => JSON.stringify({ key: keys.good }), headers: () => json(callers.admin) },
      { name: 'an Admin key, other project', fast: true, status: 200, body: () => JSON.stringify({ key: keys.otherProject }), headers: () => json(callers.admin) },
      { name: 'an Admin key not cached yet', fast: true, status: 200, body: () => JSON.stringify({ key: keys.good }), headers: () => json(callers.newAdmin) },
      // cost 0 reads the credits without spending them, so both paths see the same count.
      { name: 'a key with credits', fast: true, status: 200, body: () => JSON.stringify({ key: keys.metered, cost: 0 }), headers: () => json(callers.root) },
      { name: 'a verifier key', fast: true, status: 200, body: () => JSON.stringify({ key: keys.good }), headers: () => json(callers.verifier) },
      { name: 'charset in the type', fast: true, status: 200, body: () => JSON.stringify({ key: keys.good }), headers: () => json(callers.root, { 'content-type': 'application/json; charset=utf-8' }) },
      { name: 'an allowlisted caller inside its list', fast: true, status: 200, body: () => JSON.stringify({ key: keys.good }), headers: () => json(callers.fencedAdmin, { 'x-forwarded-for': '10.9.1.1' }) },
      { name: 'an allowlisted caller outside its list', fast: false, status: 403, body: () => JSON.stringify({ key: keys.good }), headers: () => json(callers.fencedAdmin, { 'x-forwarded-for': '10.8.1.1' }) },
      { name: 'a Viewer key', fast: false, status: 403, body: () => JSON.stringify({ key: keys.good }), headers: () => json(callers.viewer) },
      { name: 'no credential', fast: false, status: 401, body: () => JSON.stringify({ key: keys.good }), headers: () => json(null) },
      { name: 'a key that is not text', fast: false, status: 400, body: () => JSON.stringify({ key: 5 }), headers: () => json(callers.root) },
      { name: 'an unknown field', fast: false, status: 400, body: () => JSON.stringify({ key: keys.good, scopes: ['read'] }), headers: () => json(callers.root) },
      { name: 'broken JSON', fast: false, status: 400, body: () => `{"key": "${keys.good}"`, headers: () => json(callers.root) },
      { name: 'prototype poisoning', fast: false, status: 400, body: () => `{"key": "${keys.good}", "__proto__": {"x": 1}}`, headers: () => json(callers.root) },
      { name: 'a bad client_ip', fast: false, status: 400, body: () => JSON.stringify({ key: keys.good, client_ip: 'here' }), headers: () => json(callers.root) },
      { name: 'another content type', fast: false, status: 415, body: () => JSON.stringify({ key: keys.good }), headers: () => json(callers.root, { 'content-type': 'application/xml' }) },
      { name: 'a body over the limit', fast: false, status: 413, body: () => JSON.stringify({ key: keys.good, pad: 'x'.repeat(70_000) }), headers: () => json(callers.root) },
    ];
    const ids = new Set<string>();
    for (const c of cases) {
      const before = w.node.km.metrics.fastPathAnswers;
      const socket = await overSocket(c.body(), c.headers());
      const tookFastPath = w.node.km.metrics.fastPathAnswers > before;
      const fastify = await throughFastify(c.body(), c.headers());
      const { requestId, ...answer } = socket;
      const { requestId: _, ...expected } = fastify;
      expect({ case: c.name, ...answer }).toEqual({ case: c.name, ...expected });
      expect({ case: c.name, status: answer.status, fast: tookFastPath }).toEqual({ case: c.name, status: c.status, fast: c.fast });
      expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      ids.add(requestId).add(fastify.requestId);
    }
    // Both paths draw from one sequence of request ids: none repeats.
    expect(ids.size).toBe(cases.length * 2);
  });

  it('leaves a locked-out address to the long way: a root key still passes, a guess gets 429', async () => {
    const lockout = w.node.km.limits.lockout;
    const guess = () => overSocket(JSON.stringify({ key: keys.good }), json(mintKey().plaintext, { 'x-forwarded-for': '10.7.7.7' }));
    let status = 0;
    for (let i = 0; i < 30 && status !== 429; i++) {
      const counted = lockout.failuresCounted;
      status = (await guess()).status;
      // Each wrong guess is counted once: the fast path counts nothing, the route counts it.
      if (status === 401) expect(lockout.failuresCounted).toBe(counted + 1);
    }
    expect(status).toBe(429);
    const before = w.node.km.metrics.fastPathAnswers;
    const root = await overSocket(JSON.stringify({ key: keys.good }), json(callers.root, { 'x-forwarded-for': '10.7.7.7' }));
    expect(root.status).toBe(200);
    expect((root.body as { code: string }).code).toBe('VALID');
    expect(w.node.km.metrics.fastPathAnswers).toBe(before);
    // Another address is not locked: answered on the fast path.
    expect((await overSocket(JSON.stringify({ key: keys.good }), json(callers.root, { 'x-forwarded-for': '10.7.7.8' }))).status).toBe(200);
    expect(w.node.km.metrics.fastPathAnswers).toBe(before + 1);
    expect(await client(w.node.app).get('/healthz')).toMatchObject({ status: 200 });
  });

  const verifyRequest = (key: string, caller = callers.root, path = '/v1/keys/verify', extra: Record<string, string> = {}) =>
    rawRequest('POST', path, { authorization: `Bearer ${caller}`, 'content-type': 'application/json', ...extra }, JSON.stringify({ key }));
  const fastAnswers = () => w.node.km.metrics.fastPathAnswers;

  it('writes the head node:http writes for the route: the same header lines in the same order', async () => {
    const conn = await rawConnect(base);
    const before = fastAnswers();
    // The query string is not the fast path's: node:http and Fastify answer it, on the same route.
    conn.write(verifyRequest(keys.good) + verifyRequest(keys.good, callers.root, '/v1/keys/verify?via=route'));
    const [fast, route] = await conn.responses(2);
    expect(fastAnswers()).toBe(before + 1);
    const shown = (r: typeof fast) => r.lines.map(([n, v]) => `${n}: ${/^(x-request-id|date)$/i.test(n) ? '*' : v}`);
    expect(shown(fast)).toEqual(shown(route));
    expect(shown(fast)).toContain(`Keep-Alive: timeout=${w.node.app.server.keepAliveTimeout / 1000}`);
    expect(fast.headers.date).toBe(new Date(Date.parse(fast.headers.date)).toUTCString());
    expect(JSON.parse(fast.body)).toEqual(JSON.parse(route.body));
    conn.destroy();
  });

  it('answers pipelined requests in order, and hands the connection to node:http at the first other one', async () => {
    const uncached = (await w.createKey({ name: 'pipelined' })).body.key;
    const conn = await rawConnect(base);
    const before = fastAnswers();
    // The third is read from the store (a promise): the fourth and fifth wait for it, in order.
    conn.write(verifyRequest(keys.good) + verifyRequest(mintKey().plaintext) + verifyRequest(uncached) + rawRequest('GET', '/healthz', {}) + verifyRequest(keys.good));
    const answers = await conn.responses(5);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.map((a) => JSON.parse(a.body).code ?? JSON.parse(a.body).status)).toEqual(['VALID', 'NOT_FOUND', 'VALID', 'ok', 'VALID']);
    expect(fastAnswers()).toBe(before + 3);
    // node:http keeps the connection: a later verification on it is the route's.
    conn.write(verifyRequest(keys.good));
    expect(JSON.parse((await conn.responses(1))[0].body).code).toBe('VALID');
    expect(fastAnswers()).toBe(before + 3);
    conn.destroy();
  });

  it('holds requests that arrive while a verification reads the store, and answers each once', async () => {
    const uncached = (await w.createKey({ name: 'slow' })).body.key;
    const conn = await rawConnect(base);
    const before = fastAnswers();
    conn.write(verifyRequest(uncached));
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 1));
      conn.write(verifyRequest(i % 2 ? keys.good : keys.revoked));
    }
    const answers = await conn.responses(6);
    expect(answers.map((a) => JSON.parse(a.body).code)).toEqual(['VALID', 'REVOKED', 'VALID', 'REVOKED', 'VALID', 'REVOKED']);
    expect(fastAnswers()).toBe(before + 6);
    // Nothing more comes: each request was answered once.
    await expect(conn.responses(1, 200)).rejects.toThrow(/0 of 1/);
    conn.destroy();
  });

  it('answers a long pipeline behind a store read, pausing and resuming its reading', async () => {
    const uncached = (await w.createKey({ name: 'pipeline-head' })).body.key;
    const conn = await rawConnect(base);
    const before = fastAnswers();
    // About 800 KB behind the first request: more than the fast path holds before it stops reading.
    conn.write(verifyRequest(uncached) + verifyRequest(keys.good).repeat(3_000));
    const answers = await conn.responses(3_001, 20_000);
    expect(answers.every((a) => a.status === 200 && JSON.parse(a.body).code === 'VALID')).toBe(true);
    expect(fastAnswers()).toBe(before + 3_001);
    conn.destroy();
  });

  it('answers a client that ends behind a store read, then closes, and keeps serving others', async () => {
    const uncached = (await w.createKey({ name: 'ended' })).body.key;
    const conn = await rawConnect(base);
    conn.write(verifyRequest(uncached) + rawRequest('GET', '/healthz', {}));
    conn.end();
    // The verification is answered; the health check is too unless the end came while the store was read (then
    // node:http cannot be given the connection, and it closes).
    expect(JSON.parse((await conn.responses(1))[0].body).code).toBe('VALID');
    const health = await conn.responses(1, 3_000).catch((e) => String(e));
    if (typeof health === 'string') expect(health).toMatch(/closed/);
    else expect(health[0].status).toBe(200);
    await conn.closed;
    const again = await rawConnect(base);
    again.write(verifyRequest(keys.good));
    expect(JSON.parse((await again.responses(1))[0].body).code).toBe('VALID');
    again.destroy();
  });

  it('waits for a request that comes in pieces, down to one byte at a time', async () => {
    const conn = await rawConnect(base);
    const before = fastAnswers();
    const bytes = verifyRequest(keys.good);
    for (const piece of [bytes.slice(0, 30), bytes.slice(30, bytes.indexOf('\r\n\r\n') + 4), bytes.slice(bytes.indexOf('\r\n\r\n') + 4)]) {
      conn.write(piece);
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const byte of bytes) conn.write(byte);
    const answers = await conn.responses(2);
    expect(answers.map((a) => JSON.parse(a.body).code)).toEqual(['VALID', 'VALID']);
    expect(fastAnswers()).toBe(before + 2);
    conn.destroy();
  });

  it('keeps a connection for many verifications, and closes it after answering when the client ends', async () => {
    const conn = await rawConnect(base);
    const before = fastAnswers();
    for (let i = 0; i < 20; i++) {
      conn.write(verifyRequest(keys.good));
      expect(JSON.parse((await conn.responses(1))[0].body).code).toBe('VALID');
    }
    expect(fastAnswers()).toBe(before + 20);
    conn.write(verifyRequest(keys.good));
    conn.end();
    expect(JSON.parse((await conn.responses(1))[0].body).code).toBe('VALID');
    await conn.closed;
  });

  it('reads a head again when it differs from the last one on the connection', async () => {
    const conn = await rawConnect(base);
    const before = fastAnswers();
    // Same length, other caller: the second head differs only in its credential.
    const admin = verifyRequest(keys.good, callers.admin);
    const viewer = verifyRequest(keys.good, callers.viewer);
    expect(admin.length).toBe(viewer.length);
    conn.write(admin);
    expect(JSON.parse((await conn.responses(1))[0].body).code).toBe('VALID');
    conn.write(viewer);
    expect((await conn.responses(1))[0].status).toBe(403);
    expect(fastAnswers()).toBe(before + 1);
    conn.destroy();
  });

  it('leaves to node:http what it does not read strictly, and node:http answers it as it always does', async () => {
    const body = JSON.stringify({ key: keys.good });
    const head = `POST /v1/keys/verify HTTP/1.1\r\nhost: keymint.test\r\nauthorization: Bearer ${callers.root}\r\ncontent-type: application/json\r\n`;
    const cases: { name: string; bytes: string; status: number; closes?: boolean }[] = [
      { name: 'a chunked body', bytes: `${head}transfer-encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`, status: 200 },
      { name: 'Connection: close', bytes: `${head}connection: close\r\ncontent-length: ${body.length}\r\n\r\n${body}`, status: 200, closes: true },
      { name: 'a header twice', bytes: `${head}x-trace: 1\r\nx-trace: 2\r\ncontent-length: ${body.length}\r\n\r\n${body}`, status: 200 },
      { name: 'two lengths', bytes: `${head}content-length: ${body.length}\r\ncontent-length: ${body.length + 1}\r\n\r\n${body}`, status: 400, closes: true },
      { name: 'a bare LF', bytes: `${head}x-trace: 1\ncontent-length: ${body.length}\r\n\r\n${body}`, status: 400, closes: true },
      { name: 'HTTP/1.0', bytes: `${head.replace('HTTP/1.1', 'HTTP/1.0')}content-length: ${body.length}\r\n\r\n${body}`, status: 200, closes: true },
      { name: 'no Host', bytes: `${head.replace('host: keymint.test\r\n', '')}content-length: ${body.length}\r\n\r\n${body}`, status: 400, closes: true },
    ];
    for (const c of cases) {
      const conn = await rawConnect(base);
      const before = fastAnswers();
      conn.write(c.bytes);
      const [answer] = await conn.responses(1);
      expect({ case: c.name, status: answer.status, fast: fastAnswers() - before }).toEqual({ case: c.name, status: c.status, fast: 0 });
      if (c.status === 200) expect(JSON.parse(answer.body).code).toBe('VALID');
      if (c.closes) await conn.closed;
      conn.destroy();
    }
  });

  it('closes its idle connections when the app closes, so closing does not wait for clients', async () => {
    const other = await v1World(engine);
    const url = await other.node.app.listen({ port: 0, host: '127.0.0.1' });
    const conn = await rawConnect(url);
    conn.write(verifyRequest(mintKey().plaintext, other.node.rootKey));
    expect(JSON.parse((await conn.responses(1))[0].body).code).toBe('NOT_FOUND');
    expect(other.node.km.metrics.fastPathAnswers).toBe(1);
    const started = Date.now();
    await other.close();
    await conn.closed;
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
