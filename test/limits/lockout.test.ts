import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { mintKey } from '../../src/keys/material.js';
import { DEFAULT_LOCKOUT, lockSecondsAt } from '../../src/limits/lockout.js';
import { client } from '../support/client.js';
import { engines, testNode, type TestNode } from '../support/harness.js';
import { projectWithKey, redisUrl, twoNodesWithRedis, until } from './support.js';

/** A request from a given client address (inject's remote address). */
async function call(app: FastifyInstance, ip: string, token: string | null, method: 'GET' | 'POST' = 'GET', url = '/v1/projects', body?: unknown) {
  const res = await app.inject({
    method,
    url,
    remoteAddress: ip,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    payload: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.statusCode, headers: res.headers, body: res.json() };
}

const unknownKey = () => mintKey('km').plaintext;

describe('lockout tiers (pure)', () => {
  const tiers = DEFAULT_LOCKOUT.tiers;
  it('locks at 10 failures for 1 minute, at 25 for 5, at 50 and every failure past it for 15', () => {
    const locks = Array.from({ length: 60 }, (_, i) => lockSecondsAt(tiers, i + 1));
    expect(locks.slice(0, 9).every((s) => s === 0)).toBe(true);
    expect(locks[9]).toBe(60);
    expect(locks.slice(10, 24).every((s) => s === 0)).toBe(true);
    expect(locks[24]).toBe(300);
    expect(locks[49]).toBe(900);
    expect(locks.slice(50).every((s) => s === 900)).toBe(true);
  });

  it('reads KEYMINT_LOCKOUT_TIERS, and refuses a tier list that is not rising', () => {
    const base = { KEYMINT_DATABASE_URL: 'sqlite:/tmp/x.db' };
    expect(loadConfig({ ...base, KEYMINT_LOCKOUT_TIERS: '3:5, 6:30' }).lockout.tiers).toEqual([
      { failures: 3, seconds: 5 },
      { failures: 6, seconds: 30 },
    ]);
    expect(loadConfig({ ...base, KEYMINT_LOCKOUT_TIERS: 'off' }).lockout.tiers).toEqual([]);
    expect(loadConfig(base).lockout).toEqual(DEFAULT_LOCKOUT);
    for (const bad of ['10:60,5:30', '10', '0:10', 'ten:60', '10:0']) {
      expect(() => loadConfig({ ...base, KEYMINT_LOCKOUT_TIERS: bad })).toThrow(/KEYMINT_LOCKOUT_TIERS.*failures:seconds/);
    }
    expect(() => loadConfig({ ...base, KEYMINT_TRUST_PROXY: 'yes please' })).toThrow(/KEYMINT_TRUST_PROXY/);
  });
});

describe.each(engines)('lockout on %s (one node, memory)', (engine) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await testNode(engine);
  });
  afterAll(() => node.close());

  it('10 bad credentials lock the address: 429 problem+json with Retry-After, even for a good key; other addresses go on', async () => {
    const ip = '203.0.113.10';
    for (let i = 0; i < 10; i++) expect((await call(node.app, ip, i % 2 ? unknownKey() : 'not-a-key')).status).toBe(401);
    const locked = await call(node.app, ip, node.rootKey);
    expect(locked.status).toBe(429);
    expect(locked.headers['content-type']).toContain('application/problem+json');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(59);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(locked.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect(locked.body.detail).toMatch(/locked out for \d+ s/);
    expect((await call(node.app, ip, null)).status).toBe(429);
    expect((await call(node.app, '203.0.113.11', node.rootKey)).status).toBe(200);
  });

  it('a success resets the count', async () => {
    const ip = '203.0.113.20';
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 9; i++) expect((await call(node.app, ip, unknownKey())).status).toBe(401);
      expect((await call(node.app, ip, node.rootKey)).status).toBe(200);
    }
  });

  it('no credential at all is not a failure', async () => {
    const ip = '203.0.113.30';
    for (let i = 0; i < 15; i++) expect((await call(node.app, ip, null)).status).toBe(401);
    expect((await call(node.app, ip, node.rootKey)).status).toBe(200);
  });

  it('outcomes of POST /v1/keys/verify never count against the caller', async () => {
    const ip = '203.0.113.40';
    const { key, keyId } = await projectWithKey(client(node.app, node.rootKey));
    await client(node.app, node.rootKey).delete(`/v1/api-keys/${keyId}`);
    const bodies = [{ key: 'garbage' }, { key: unknownKey() }, { key }];
    for (let i = 0; i < 30; i++) {
      const res = await call(node.app, ip, node.rootKey, 'POST', '/v1/keys/verify', bodies[i % 3]);
      expect(res.status).toBe(200);
      expect(res.body.valid).toBe(false);
    }
    // Nine of the caller's own failures still leave it free: the verifications counted nothing.
    for (let i = 0; i < 9; i++) expect((await call(node.app, ip, unknownKey())).status).toBe(401);
    expect((await call(node.app, ip, node.rootKey, 'POST', '/v1/keys/verify', { key })).status).toBe(200);
  });
});

describe('lockout tiers and expiry (short tiers)', () => {
  let node: TestNode;
  beforeAll(async () => {
    // Locks of 3 s and 4 s: long enough that a busy machine still makes the next request inside them.
    node = await testNode('sqlite', { env: { KEYMINT_LOCKOUT_TIERS: '3:3,5:4' } });
  });
  afterAll(() => node.close());

  it('locks at each tier for its time, then lets the address try again', async () => {
    const ip = '198.51.100.1';
    for (let i = 0; i < 3; i++) expect((await call(node.app, ip, unknownKey())).status).toBe(401);
    const first = await call(node.app, ip, unknownKey());
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('3');
    await until(async () => (await call(node.app, ip, unknownKey())).status === 401, 15_000, 'the 3 s lock to end');
    // That was failure 4; failure 5 earns the second tier.
    expect((await call(node.app, ip, unknownKey())).status).toBe(401);
    const second = await call(node.app, ip, node.rootKey);
    expect(second.status).toBe(429);
    expect(second.headers['retry-after']).toBe('4');
    await until(async () => (await call(node.app, ip, node.rootKey)).status === 200, 15_000, 'the 4 s lock to end');
  });
});

describe('behind a load balancer (KEYMINT_TRUST_PROXY)', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await testNode('sqlite', { env: { KEYMINT_TRUST_PROXY: '127.0.0.1' } });
  });
  afterAll(() => node.close());

  it('locks the client named by X-Forwarded-For, not the balancer', async () => {
    const via = (client: string, token: string) =>
      node.app.inject({ method: 'GET', url: '/v1/projects', remoteAddress: '127.0.0.1', headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': client } });
    for (let i = 0; i < 10; i++) expect((await via('192.0.2.7', unknownKey())).statusCode).toBe(401);
    expect((await via('192.0.2.7', node.rootKey)).statusCode).toBe(429);
    expect((await via('192.0.2.8', node.rootKey)).statusCode).toBe(200);
  });
});

describe.skipIf(!redisUrl)('lockout across nodes with Redis', () => {
  const nodes = twoNodesWithRedis('sqlite');

  it('failures on both nodes add up, and the lock holds on both', async () => {
    const { a, b } = nodes;
    const ip = '203.0.113.50';
    // Alternating, the tenth failure lands on b: b locks at once, a hears of it over pub/sub.
    for (let i = 0; i < 10; i++) expect((await call(i % 2 ? b.app : a.app, ip, unknownKey())).status).toBe(401);
    expect((await call(b.app, ip, b.rootKey)).status).toBe(429);
    await until(async () => (await call(a.app, ip, a.rootKey)).status === 429, 5_000, 'node a to hear of the lock');
  });

  it('a success on one node resets failures counted on the other', async () => {
    const { a, b } = nodes;
    const ip = '203.0.113.60';
    for (let i = 0; i < 9; i++) expect((await call(a.app, ip, unknownKey())).status).toBe(401);
    // Node b learns of a's failures over pub/sub; its success then clears the shared count.
    const suspects = (node: TestNode): Map<string, number> => (node.km.limits.lockout as any).suspects;
    await until(async () => suspects(b).has(ip), 5_000, 'node b to hear of the failures');
    expect((await call(b.app, ip, b.rootKey)).status).toBe(200);
    await until(async () => !suspects(a).has(ip), 5_000, 'node a to hear of the reset');
    for (let i = 0; i < 9; i++) expect((await call(a.app, ip, unknownKey())).status).toBe(401);
    expect((await call(a.app, ip, a.rootKey)).status).toBe(200);
  });
});
