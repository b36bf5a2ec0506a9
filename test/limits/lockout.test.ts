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

  it('10 bad credentials lock the address: bad ones get 429 problem+json with Retry-After before any store lookup; good ones pass', async () => {
    const ip = '203.0.113.10';
    for (let i = 0; i < 10; i++) expect((await call(node.app, ip, i % 2 ? unknownKey() : 'not-a-key')).status).toBe(401);
    const misses = node.km.cache.misses;
    const locked = await call(node.app, ip, unknownKey());
    expect(locked.status).toBe(429);
    expect(locked.headers['content-type']).toContain('application/problem+json');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(59);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(locked.body).toMatchObject({ status: 429, title: 'Too Many Requests', code: 'locked_out', type: 'https://keymint.dev/problems/locked-out' });
    expect(locked.body.detail).toMatch(/locked out for \d+ s/);
    // The unknown key was refused from memory: the store was not asked.
    expect(node.km.cache.misses).toBe(misses);
    expect((await call(node.app, ip, null)).status).toBe(429);
    // The root key is known good from memory: it passes, locked or not.
    expect((await call(node.app, ip, node.rootKey)).status).toBe(200);
    expect((await call(node.app, '203.0.113.11', node.rootKey)).status).toBe(200);
  });

  it('a project key that authenticated before passes a locked address (cached, or remembered by digest); a revoked one does not', async () => {
    const ip = '203.0.113.12';
    const root = client(node.app, node.rootKey);
    const { projectId } = await projectWithKey(root);
    const admin = (await root.post('/v1/api-keys', { project_id: projectId, name: 'admin', role: 'Admin' })).body;
    const doomed = (await root.post('/v1/api-keys', { project_id: projectId, name: 'doomed', role: 'Admin' })).body;
    expect((await call(node.app, ip, admin.key, 'GET', `/v1/api-keys?project_id=${projectId}`)).status).toBe(200);
    expect((await call(node.app, ip, doomed.key, 'GET', `/v1/api-keys?project_id=${projectId}`)).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await call(node.app, ip, unknownKey())).status).toBe(401);
    expect((await call(node.app, ip, unknownKey())).status).toBe(429);
    expect((await call(node.app, ip, admin.key, 'GET', `/v1/api-keys?project_id=${projectId}`)).status).toBe(200);
    // Dropped from the cache, it is still remembered by its digest (checked again against the store).
    node.km.cache.clear();
    expect((await call(node.app, ip, admin.key, 'GET', `/v1/api-keys?project_id=${projectId}`)).status).toBe(200);
    expect((await root.delete(`/v1/api-keys/${doomed.id}`)).status).toBe(204);
    expect((await call(node.app, ip, doomed.key, 'GET', `/v1/api-keys?project_id=${projectId}`)).status).toBe(429);
  });

  it('a success never clears failures: 9 bad + 1 good, five times, locks the bad keys while the good one goes on', async () => {
    const ip = '203.0.113.20';
    const statuses: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 9; i++) statuses.push((await call(node.app, ip, unknownKey())).status);
      expect((await call(node.app, ip, node.rootKey)).status).toBe(200);
    }
    expect(statuses.slice(0, 10)).toEqual([...Array(9).fill(401), 401]);
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
  });

  it('each lock is in the audit log (root sees it, with the address) and in /metrics', async () => {
    const ip = '203.0.113.25';
    for (let i = 0; i < 10; i++) await call(node.app, ip, unknownKey());
    expect((await call(node.app, ip, unknownKey())).status).toBe(429);
    const events = (await client(node.app, node.rootKey).get('/v1/audit-events?limit=100')).body as { action: string; ip: string; target: { type: string; id: string } }[];
    await until(async () => {
      const list = (await client(node.app, node.rootKey).get('/v1/audit-events?limit=100')).body as typeof events;
      return list.some((e) => e.action === 'address.locked' && e.ip === ip && e.target.type === 'address' && e.target.id === ip);
    }, 5_000, 'the lockout audit event');
    const metrics = (await node.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(Number(/^keymint_lockouts_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(/^keymint_lockout_refusals_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(/^keymint_auth_failures_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(10);
    expect(node.logs.some((l) => l.includes('"event":"lockout"') && l.includes(ip))).toBe(true);
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
    const second = await call(node.app, ip, unknownKey());
    expect(second.status).toBe(429);
    expect(second.headers['retry-after']).toBe('4');
    await until(async () => (await call(node.app, ip, unknownKey())).status === 401, 15_000, 'the 4 s lock to end');
  });
});

describe('behind a load balancer (KEYMINT_TRUST_PROXY)', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await testNode('sqlite', { env: { KEYMINT_TRUST_PROXY: '127.0.0.1,10.0.0.5' } });
  });
  afterAll(() => node.close());

  const via = (xff: string, token: string) =>
    node.app.inject({ method: 'GET', url: '/v1/projects', remoteAddress: '127.0.0.1', headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': xff } });

  it('locks the client named by X-Forwarded-For, not the balancer', async () => {
    for (let i = 0; i < 10; i++) expect((await via('192.0.2.7', unknownKey())).statusCode).toBe(401);
    expect((await via('192.0.2.7', unknownKey())).statusCode).toBe(429);
    expect((await via('192.0.2.8', unknownKey())).statusCode).toBe(401);
  });

  it('takes the rightmost hop not in the list: a client cannot rotate or forge the address it is counted under', async () => {
    // The client prepends a different made-up address each time; the balancers append the real one.
    for (let i = 0; i < 10; i++) expect((await via(`198.18.0.${i}, 192.0.2.9, 10.0.0.5`, unknownKey())).statusCode).toBe(401);
    expect((await via('198.18.0.99, 192.0.2.9, 10.0.0.5', unknownKey())).statusCode).toBe(429);
    // Nor can it name a victim: the victim's address is only a forged left hop here.
    expect((await via('192.0.2.10', unknownKey())).statusCode).toBe(401);
    const forged = await node.app.inject({ method: 'GET', url: '/v1/projects', remoteAddress: '127.0.0.1', headers: { authorization: `Bearer ${node.rootKey}`, 'x-forwarded-for': '192.0.2.9, 192.0.2.11' } });
    expect(forged.statusCode).toBe(200);
  });
});

describe.skipIf(!redisUrl)('lockout across nodes with Redis', () => {
  const nodes = twoNodesWithRedis('sqlite');

  it('failures on both nodes add up, the lock holds on both for bad keys, and the root key passes on both', async () => {
    const { a, b } = nodes;
    const ip = '203.0.113.50';
    // Alternating, the tenth failure lands on b: b locks at once, a hears of it over pub/sub.
    for (let i = 0; i < 10; i++) expect((await call(i % 2 ? b.app : a.app, ip, unknownKey())).status).toBe(401);
    expect((await call(b.app, ip, unknownKey())).status).toBe(429);
    await until(async () => (await call(a.app, ip, unknownKey())).status === 429, 5_000, 'node a to hear of the lock');
    expect((await call(a.app, ip, a.rootKey)).status).toBe(200);
    expect((await call(b.app, ip, b.rootKey)).status).toBe(200);
  });

  it('a success on one node clears nothing counted on the other', async () => {
    const { a, b } = nodes;
    const ip = '203.0.113.60';
    for (let i = 0; i < 9; i++) expect((await call(a.app, ip, unknownKey())).status).toBe(401);
    expect((await call(b.app, ip, b.rootKey)).status).toBe(200);
    expect((await call(b.app, ip, unknownKey())).status).toBe(401);
    await until(async () => (await call(a.app, ip, unknownKey())).status === 429, 5_000, 'node a to hear of the lock');
  });
});
