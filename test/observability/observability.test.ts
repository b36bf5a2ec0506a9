import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/client.js';
import { engines, freshDatabase, testNode, type TestNode } from '../support/harness.js';
import { projectWithKey, redisEnv, redisUrl } from '../limits/support.js';

/** The value of one sample line of the Prometheus text format. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(engines)('health and metrics on %s', (engine) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await testNode(engine);
  });
  afterAll(() => node.close());

  it('GET /healthz answers 200 without a credential', async () => {
    const res = await client(node.app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers 200 when the store answers and migrations are current, 503 when they are not', async () => {
    const anon = client(node.app);
    const ready = await anon.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { store: 'ok', migrations: 'ok', redis: 'not configured' } });

    // A node whose database lacks a migration it knows of (an older schema) is not ready.
    const row = await node.km.store.db.selectFrom('kysely_migration' as any).selectAll().where('name', '=', '004_key_ratelimits').executeTakeFirstOrThrow();
    await node.km.store.db.deleteFrom('kysely_migration' as any).where('name', '=', '004_key_ratelimits').execute();
    try {
      const stale = await anon.get('/readyz');
      expect(stale.status).toBe(503);
      expect(stale.body).toMatchObject({ status: 'not ready', checks: { store: 'ok', migrations: 'failing' } });
    } finally {
      await node.km.store.db.insertInto('kysely_migration' as any).values(row).execute();
    }
    expect((await anon.get('/readyz')).status).toBe(200);
  });

  it('GET /metrics counts verifications by outcome, their latency, cache hits, webhook deliveries and store errors', async () => {
    const root = client(node.app, node.rootKey);
    const { key } = await projectWithKey(root, { ratelimit: { limit: 1, duration_ms: 60_000 } });
    const before = (await client(node.app).get('/metrics')).text;
    const count = (text: string, code: string) => sample(text, `keymint_verifications_total{code="${code}"}`) ?? 0;

    await root.post('/v1/keys/verify', { key }); // VALID (a cache miss, then cached)
    await root.post('/v1/keys/verify', { key }); // RATE_LIMITED (a hit)
    await root.post('/v1/keys/verify', { key: 'km_nope' }); // MALFORMED
    node.km.metrics.webhookDeliveries.inc({ outcome: 'delivered' });
    await sql`select * from no_such_table`.execute(node.km.store.db).catch(() => {});

    const res = await client(node.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.text;
    expect(count(text, 'VALID') - count(before, 'VALID')).toBe(1);
    expect(count(text, 'RATE_LIMITED') - count(before, 'RATE_LIMITED')).toBe(1);
    expect(count(text, 'MALFORMED') - count(before, 'MALFORMED')).toBe(1);
    expect(sample(text, 'keymint_verify_duration_seconds_count')! - (sample(before, 'keymint_verify_duration_seconds_count') ?? 0)).toBe(3);
    expect(sample(text, 'keymint_key_cache_hits_total')).toBe(node.km.cache.hits);
    expect(sample(text, 'keymint_key_cache_misses_total')).toBe(node.km.cache.misses);
    expect(sample(text, 'keymint_key_cache_hit_ratio')).toBeCloseTo(node.km.cache.hits / (node.km.cache.hits + node.km.cache.misses), 5);
    expect(sample(text, 'keymint_webhook_deliveries_total{outcome="delivered"}')).toBe(1);
    expect(sample(text, 'keymint_store_errors_total')! - (sample(before, 'keymint_store_errors_total') ?? 0)).toBe(1);
    expect(text).toContain('keymint_process_resident_memory_bytes');
  });

  it('GET /metrics lists every background task at 0 until it fails, then counts its failures', async () => {
    const tasks = ['change_feed', 'usage_flush', 'rotation_scheduler', 'lockout', 'audit', 'sqlite_checkpoint'];
    const series = (task: string) => `keymint_background_failures_total{task="${task}"}`;
    const before = (await client(node.app).get('/metrics')).text;
    for (const task of tasks) expect(sample(before, series(task)), task).toBeTypeOf('number');
    // What the store's checkpoint worker reports when it fails (test/store/checkpointer.test.ts makes one fail).
    node.km.background.report('sqlite_checkpoint', new Error('unable to open database file'));
    const after = (await client(node.app).get('/metrics')).text;
    expect(sample(after, series('sqlite_checkpoint'))! - sample(before, series('sqlite_checkpoint'))!).toBe(1);
    expect(sample(after, series('usage_flush'))).toBe(sample(before, series('usage_flush')));
  });

  it('a duplicate key name (a 409) is not a store error', async () => {
    const root = client(node.app, node.rootKey);
    const { projectId } = await projectWithKey(root);
    const before = sample((await client(node.app).get('/metrics')).text, 'keymint_store_errors_total') ?? 0;
    expect((await root.post('/v1/api-keys', { project_id: projectId, name: 'svc' })).status).toBe(409);
    expect(sample((await client(node.app).get('/metrics')).text, 'keymint_store_errors_total')).toBe(before);
  });

  it('a locked-out address still reaches /healthz and /metrics (the balancer\'s probes are not Keymint clients)', async () => {
    const env = { KEYMINT_LOCKOUT_TIERS: '1:60' };
    const locked = await testNode('sqlite', { env });
    try {
      const bad = await locked.app.inject({ url: '/v1/projects', headers: { authorization: 'Bearer nope' } });
      expect(bad.statusCode).toBe(401);
      expect((await locked.app.inject({ url: '/v1/projects' })).statusCode).toBe(429);
      expect((await locked.app.inject({ url: '/healthz' })).statusCode).toBe(200);
      expect((await locked.app.inject({ url: '/readyz' })).statusCode).toBe(200);
      const metrics = (await locked.app.inject({ url: '/metrics' })).body;
      expect(sample(metrics, 'keymint_lockouts_total')).toBe(1);
    } finally {
      await locked.close();
    }
  });

  // They take no input: whatever a client (or a confused probe) sends, a 2xx or a 4xx at once, never a 5xx.
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

describe.skipIf(!redisUrl)('readiness with Redis', () => {
  it('reports Redis', async () => {
    const node = await testNode('sqlite', { env: redisEnv() });
    try {
      expect((await client(node.app).get('/readyz')).body.checks.redis).toBe('ok');
    } finally {
      await node.close();
    }
  });
});

it('a node does not start when KEYMINT_REDIS_URL points nowhere (a wrong URL shows at once)', async () => {
  const db = await freshDatabase('sqlite');
  try {
    await expect(testNode('sqlite', { db, env: { KEYMINT_REDIS_URL: 'redis://127.0.0.1:1' } })).rejects.toThrow(/KEYMINT_REDIS_URL/);
  } finally {
    await db.drop();
  }
});
