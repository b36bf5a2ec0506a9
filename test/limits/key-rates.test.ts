import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/client.js';
import { engines, testNode, type TestNode } from '../support/harness.js';
import { inOneWindow, projectWithKey, redisEnv, redisUrl, twoNodesWithRedis, until } from './support.js';

describe.each(engines)('per-key rate limits on %s (memory, one node)', (engine) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await testNode(engine);
  });
  afterAll(() => node.close());

  it('admits `limit` verifications per window, then answers RATE_LIMITED with the reset time', async () => {
    const root = client(node.app, node.rootKey);
    const { key, created } = await projectWithKey(root, { ratelimit: { limit: 3, duration_ms: 60_000 } });
    expect(created.ratelimit).toEqual({ limit: 3, duration_ms: 60_000 });
    const now = node.clock.now();
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await root.post('/v1/keys/verify', { key })).body);
    expect(answers.map((a) => a.code)).toEqual(['VALID', 'VALID', 'VALID', 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(answers.map((a) => a.ratelimit.remaining)).toEqual([2, 1, 0, 0, 0]);
    expect(answers[3]).toMatchObject({ valid: false, key_id: created.id, ratelimit: { limit: 3, remaining: 0 } });
    const resetAt = Date.parse(answers[3].ratelimit.reset_at);
    expect(resetAt).toBeGreaterThan(now);
    expect(resetAt).toBeLessThanOrEqual(now + 60_000);
  });

  it('a key without a limit answers ratelimit null and is never limited', async () => {
    const root = client(node.app, node.rootKey);
    const { key, created } = await projectWithKey(root);
    expect(created.ratelimit).toBeNull();
    for (let i = 0; i < 20; i++) expect((await root.post('/v1/keys/verify', { key })).body).toMatchObject({ code: 'VALID', ratelimit: null });
  });

  it('the window resets: a limited key verifies again once it has passed', async () => {
    const root = client(node.app, node.rootKey);
    const key = await inOneWindow(1_000, async (start) => {
      const { key } = await projectWithKey(root, { ratelimit: { limit: 1, duration_ms: 1_000 } });
      start();
      expect((await root.post('/v1/keys/verify', { key })).body.code).toBe('VALID');
      expect((await root.post('/v1/keys/verify', { key })).body.code).toBe('RATE_LIMITED');
      return key;
    });
    await until(async () => (await root.post('/v1/keys/verify', { key })).body.code === 'VALID', 10_000, 'the window to reset');
  });

  it('PATCH sets, changes and clears (null) a limit; the change applies to the next verification', async () => {
    const root = client(node.app, node.rootKey);
    const { key, keyId } = await projectWithKey(root);
    const set = await root.patch(`/v1/api-keys/${keyId}`, { ratelimit: { limit: 1, duration_ms: 60_000 } });
    expect(set.status).toBe(200);
    expect(set.body.ratelimit).toEqual({ limit: 1, duration_ms: 60_000 });
    expect((await root.post('/v1/keys/verify', { key })).body.code).toBe('VALID');
    expect((await root.post('/v1/keys/verify', { key })).body.code).toBe('RATE_LIMITED');
    const cleared = await root.patch(`/v1/api-keys/${keyId}`, { ratelimit: null });
    expect(cleared.body.ratelimit).toBeNull();
    expect((await root.get(`/v1/api-keys/${keyId}`)).body.ratelimit).toBeNull();
    expect((await root.post('/v1/keys/verify', { key })).body).toMatchObject({ code: 'VALID', ratelimit: null });
  });

  it('a rotated key\'s successor inherits the limit', async () => {
    const root = client(node.app, node.rootKey);
    const { keyId } = await projectWithKey(root, { ratelimit: { limit: 2, duration_ms: 5_000 } });
    const rotated = await root.post(`/v1/api-keys/${keyId}/rotate`, { grace_period_minutes: 0 });
    expect((await root.get(`/v1/api-keys/${rotated.body.new_key_id}`)).body.ratelimit).toEqual({ limit: 2, duration_ms: 5_000 });
  });

  it('only otherwise-valid verifications take a unit: a revoked or out-of-scope answer does not', async () => {
    const root = client(node.app, node.rootKey);
    const { key } = await projectWithKey(root, { ratelimit: { limit: 2, duration_ms: 60_000 }, scopes: ['read'] });
    for (let i = 0; i < 5; i++) expect((await root.post('/v1/keys/verify', { key, required_scopes: ['write'] })).body.code).toBe('INSUFFICIENT_SCOPES');
    expect((await root.post('/v1/keys/verify', { key })).body.ratelimit.remaining).toBe(1);
  });

  it.each([
    [{ limit: 0, duration_ms: 60_000 }, 'body.ratelimit.limit'],
    [{ limit: 10, duration_ms: 999 }, 'body.ratelimit.duration_ms'],
    [{ limit: 10, duration_ms: 86_400_001 }, 'body.ratelimit.duration_ms'],
    [{ limit: 1.5, duration_ms: 60_000 }, 'body.ratelimit.limit'],
    [{ limit: '10', duration_ms: 60_000 }, 'body.ratelimit.limit'],
    [{ limit: 10 }, 'body.ratelimit.duration_ms'],
    [{ limit: 10, duration_ms: 60_000, burst: 3 }, 'body.ratelimit.burst'],
  ])('refuses ratelimit %j with a 400 at %s, and writes nothing', async (ratelimit, location) => {
    const root = client(node.app, node.rootKey);
    const { projectId, keyId } = await projectWithKey(root);
    const create = await root.post('/v1/api-keys', { project_id: projectId, name: 'bad', ratelimit });
    expect(create.status).toBe(400);
    expect(create.headers['content-type']).toContain('application/problem+json');
    expect(create.body.errors[0].location).toBe(location);
    const patch = await root.patch(`/v1/api-keys/${keyId}`, { ratelimit });
    expect(patch.status).toBe(400);
    expect((await root.get(`/v1/api-keys?project_id=${projectId}`)).body.map((k: any) => k.name)).toEqual(['svc']);
    expect((await root.get(`/v1/api-keys/${keyId}`)).body.ratelimit).toBeNull();
  });
});

describe.skipIf(!redisUrl).each(engines)('per-key rate limits on %s with Redis (two nodes)', (engine) => {
  const nodes = twoNodesWithRedis(engine);

  it('one limit holds across both nodes', async () => {
    const { a, b } = nodes;
    const ra = client(a.app, a.rootKey);
    const rb = client(b.app, b.rootKey);
    const { key } = await projectWithKey(ra, { ratelimit: { limit: 5, duration_ms: 60_000 } });
    const codes = [];
    for (let i = 0; i < 10; i++) codes.push((await (i % 2 ? rb : ra).post('/v1/keys/verify', { key })).body.code);
    expect(codes.filter((c) => c === 'VALID')).toHaveLength(5);
    expect(codes.slice(5)).toEqual(Array(5).fill('RATE_LIMITED'));
  });

  it('honours a window that is not a whole number of seconds', async () => {
    const { a, b } = nodes;
    const ra = client(a.app, a.rootKey);
    // More than 1 s left is only certain when the second verification came within 0.5 s of the first.
    await inOneWindow(500, async (start) => {
      const { key } = await projectWithKey(ra, { ratelimit: { limit: 1, duration_ms: 1_500 } });
      start();
      const first = (await ra.post('/v1/keys/verify', { key })).body;
      const second = (await ra.post('/v1/keys/verify', { key })).body;
      expect(second.code).toBe('RATE_LIMITED');
      const left = Date.parse(second.ratelimit.reset_at) - a.clock.now();
      expect(left).toBeGreaterThan(1_000);
      expect(left).toBeLessThanOrEqual(1_500);
      expect(first.code).toBe('VALID');
    });
  });
});

describe.skipIf(!redisUrl)('when Redis goes away', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await testNode('sqlite', { env: redisEnv() });
  });
  afterAll(() => node.close());

  it('limits fall back to this node\'s memory: no 5xx, no hang, the node stays ready', async () => {
    const root = client(node.app, node.rootKey);
    const { key } = await projectWithKey(root, { ratelimit: { limit: 2, duration_ms: 60_000 } });
    node.km.limits.redis!.disconnect();
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await root.post('/v1/keys/verify', { key })).body.code);
    expect(codes).toEqual(['VALID', 'VALID', 'RATE_LIMITED']);
    expect((await root.get('/v1/projects')).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await client(node.app, 'km_bad').get('/v1/projects')).status).toBe(401);
    // Locked in memory: a bad key is refused with 429, the root key (known good) still passes.
    expect((await client(node.app, 'km_bad').get('/v1/projects')).status).toBe(429);
    expect((await client(node.app, node.rootKey).get('/v1/projects')).status).toBe(200);
    const ready = await client(node.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.redis).toMatch(/^failing/);
  });
});
