import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { client } from '../support/client.js';
import { engines, testNode, type TestNode } from '../support/harness.js';
import { redisUrl, twoNodesWithRedis, until } from './support.js';

const LIMITS = { KEYMINT_MANAGEMENT_RATE_LIMIT: '5', KEYMINT_MANAGEMENT_RATE_WINDOW_SECONDS: '60' };

describe.each(engines)('per-credential request limits on %s', (engine) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await testNode(engine, { env: LIMITS });
  });
  afterAll(() => node.close());

  it('refuses a credential past its limit with 429 problem+json and Retry-After; others and verification go on', async () => {
    const root = client(node.app, node.rootKey);
    const project = await root.post('/v1/projects', { name: 'acme' }); // 1
    const admin = await root.post('/v1/api-keys', { project_id: project.body.id, name: 'admin', role: 'Admin' }); // 2
    const svc = await root.post('/v1/api-keys', { project_id: project.body.id, name: 'svc' }); // 3
    expect((await root.get('/v1/projects')).status).toBe(200); // 4
    expect((await root.get(`/v1/projects/${project.body.id}`)).status).toBe(200); // 5
    const refused = await root.get('/v1/projects');
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.body.detail).toContain('more than 5 requests in 60 s');
    // Writes are refused too, and write nothing.
    expect((await root.post('/v1/projects', { name: 'late' })).status).toBe(429);

    // The hot path is not a management route: the throttled root key still verifies.
    for (let i = 0; i < 10; i++) expect((await root.post('/v1/keys/verify', { key: svc.body.key })).body.code).toBe('VALID');

    // Another credential has its own count.
    const adminClient = client(node.app, admin.body.key);
    const names = (await adminClient.get(`/v1/api-keys?project_id=${project.body.id}`)).body.map((k: any) => k.name);
    expect(names.sort()).toEqual(['admin', 'svc']);
  });

  it('an AWS access key\'s budget, as the AWS surface spends it (requestRate), is the same as take()', async () => {
    const throttle = node.km.limits.throttle;
    const rate = throttle.requestRate('aws');
    for (let i = 0; i < 3; i++) expect(await rate.consume('AKIDEXAMPLE')).toEqual({ ok: true });
    expect(await throttle.take({ kind: 'aws', id: 'AKIDEXAMPLE' })).toBe(0);
    expect(await throttle.take({ kind: 'aws', id: 'AKIDEXAMPLE' })).toBe(0);
    const refused = await rate.consume('AKIDEXAMPLE');
    expect(refused).toMatchObject({ ok: false });
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(await rate.consume('AKIDOTHER')).toEqual({ ok: true });
  });

  it('the OpenAPI document lists 429 on every v1 route', async () => {
    const doc = (await client(node.app).get('/openapi.json')).body;
    const v1 = Object.entries(doc.paths as Record<string, Record<string, { responses: object }>>).filter(([path]) => path.startsWith('/v1/'));
    expect(v1.length).toBeGreaterThan(5);
    for (const [, ops] of v1) for (const op of Object.values(ops)) expect(Object.keys(op.responses)).toContain('429');
  });

  it('is off with KEYMINT_MANAGEMENT_RATE_LIMIT=0, and refuses bad values', () => {
    const base = { KEYMINT_DATABASE_URL: 'sqlite:/tmp/x.db' };
    expect(loadConfig({ ...base, KEYMINT_MANAGEMENT_RATE_LIMIT: '0' }).managementThrottle.limit).toBe(0);
    expect(loadConfig(base).managementThrottle).toEqual({ limit: 6000, windowSeconds: 60 });
    expect(() => loadConfig({ ...base, KEYMINT_MANAGEMENT_RATE_LIMIT: '-1' })).toThrow(/KEYMINT_MANAGEMENT_RATE_LIMIT/);
    expect(() => loadConfig({ ...base, KEYMINT_MANAGEMENT_RATE_WINDOW_SECONDS: '0' })).toThrow(/KEYMINT_MANAGEMENT_RATE_WINDOW_SECONDS/);
  });
});

describe('per-credential request limits: the window passes', () => {
  let node: TestNode;
  beforeAll(async () => {
    // A 3 s window: three requests in one window even when a busy machine makes each take a while.
    node = await testNode('sqlite', { env: { KEYMINT_MANAGEMENT_RATE_LIMIT: '2', KEYMINT_MANAGEMENT_RATE_WINDOW_SECONDS: '3' } });
  });
  afterAll(() => node.close());

  it('admits the credential again in the next window', async () => {
    const root = client(node.app, node.rootKey);
    await root.get('/v1/projects');
    await root.get('/v1/projects');
    expect((await root.get('/v1/projects')).status).toBe(429);
    await until(async () => (await root.get('/v1/projects')).status === 200, 10_000, 'the next window');
  });
});

describe.skipIf(!redisUrl)('per-credential request limits across nodes with Redis', () => {
  const nodes = twoNodesWithRedis('sqlite', LIMITS);

  it('counts one credential\'s requests on every node together', async () => {
    const { a, b } = nodes;
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await client(i % 2 ? b.app : a.app, a.rootKey).get('/v1/projects')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
  });
});
