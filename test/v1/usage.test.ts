// GET /v1/api-keys/{id}/usage (src/surfaces/v1/usage.ts): verifications per bucket and outcome, on a ManualClock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/client.js';
import { engines, testNode, type TestNode } from '../support/harness.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe.each(engines)('key usage on %s', (engine) => {
  let node: TestNode;
  let root: ReturnType<typeof client>;
  let projectId: string;
  let key: { id: string; key: string };
  const start = Date.parse('2026-01-01T00:00:00Z');

  beforeAll(async () => {
    node = await testNode(engine);
    root = client(node.app, node.rootKey);
    projectId = (await root.post('/v1/projects', { name: 'acme' })).body.id;
    key = (await root.post('/v1/api-keys', { project_id: projectId, name: 'svc', scopes: ['read'] })).body;
    // 00:00:10 two VALID, 00:01:30 one INSUFFICIENT_SCOPES, 01:00:05 one VALID, next day 00:00 one VALID then revoked: one REVOKED.
    const at = async (t: number, body: object) => {
      node.clock.set(t);
      await root.post('/v1/keys/verify', { key: key.key, ...body });
    };
    await at(start + 10_000, {});
    await at(start + 10_000, {});
    await at(start + MINUTE + 30_000, { required_scopes: ['write'] });
    await node.km.usage.flush(); // some counts already in the store, some still in memory: both must show
    await at(start + HOUR + 5_000, {});
    await at(start + 24 * HOUR, {});
    await root.delete(`/v1/api-keys/${key.id}`);
    await at(start + 24 * HOUR + 1, {});
    node.clock.set(start + 2 * 24 * HOUR);
  });
  afterAll(() => node.close());

  const usage = (query: string, as = root) => as.get(`/v1/api-keys/${key.id}/usage?${query}`);
  const nonEmpty = (buckets: { start: string; total: number; counts: Record<string, number> }[]) =>
    buckets.filter((b) => b.total > 0).map((b) => ({ start: b.start, ...Object.fromEntries(Object.entries(b.counts).filter(([, n]) => n > 0)) }));

  it('counts per minute, with an empty bucket for every quiet minute', async () => {
    const res = await usage('granularity=minute&from=2026-01-01T00:00:00Z&to=2026-01-01T00:05:00Z');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ key_id: key.id, granularity: 'minute', from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T00:05:00.000Z' });
    expect(res.body.buckets).toHaveLength(5);
    expect(res.body.buckets[0]).toEqual({
      start: '2026-01-01T00:00:00.000Z',
      total: 2,
      counts: { VALID: 2, MALFORMED: 0, NOT_FOUND: 0, EXPIRED: 0, REVOKED: 0, ROTATED: 0, RATE_LIMITED: 0, INSUFFICIENT_SCOPES: 0, DISABLED: 0, IP_NOT_ALLOWED: 0, USAGE_EXCEEDED: 0 },
    });
    expect(nonEmpty(res.body.buckets)).toEqual([
      { start: '2026-01-01T00:00:00.000Z', VALID: 2 },
      { start: '2026-01-01T00:01:00.000Z', INSUFFICIENT_SCOPES: 1 },
    ]);
  });

  it('adds minutes up into hours and days (UTC), from rounded down', async () => {
    const hours = await usage('granularity=hour&from=2026-01-01T00:30:00Z&to=2026-01-02T01:00:00Z');
    expect(hours.status).toBe(200);
    expect(hours.body.from).toBe('2026-01-01T00:00:00.000Z');
    expect(hours.body.buckets).toHaveLength(25);
    expect(nonEmpty(hours.body.buckets)).toEqual([
      { start: '2026-01-01T00:00:00.000Z', VALID: 2, INSUFFICIENT_SCOPES: 1 },
      { start: '2026-01-01T01:00:00.000Z', VALID: 1 },
      { start: '2026-01-02T00:00:00.000Z', VALID: 1, REVOKED: 1 },
    ]);
    const days = await usage('granularity=day&from=2026-01-01T00:00:00Z&to=2026-01-03T00:00:00Z');
    expect(days.body.buckets.map((b: { total: number }) => b.total)).toEqual([4, 2]);
  });

  it('defaults to hourly buckets over the last 24 hours', async () => {
    const res = await usage('');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ granularity: 'hour', from: '2026-01-02T00:00:00.000Z', to: '2026-01-03T00:00:00.000Z' });
    expect(res.body.buckets).toHaveLength(24);
    expect(res.body.buckets[0].total).toBe(2);
  });

  it('refuses a bad query with a problem that says what to change', async () => {
    const cases: [string, RegExp][] = [
      ['granularity=week', /granularity/],
      ['from=yesterday', /from/],
      ['from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', /from must be before to/],
      ['from=2026-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', /from must be before to/],
      ['granularity=minute&from=2026-01-01T00:00:00Z&to=2026-01-03T00:00:00Z', /at most 1440/],
    ];
    for (const [query, detail] of cases) {
      const res = await usage(query);
      expect(res.status, query).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.detail).toMatch(detail);
    }
  });

  it('is for the same callers as the key itself', async () => {
    const admin = (await root.post('/v1/api-keys', { project_id: projectId, name: 'admin', role: 'Admin' })).body.key;
    const viewer = (await root.post('/v1/api-keys', { project_id: projectId, name: 'viewer', role: 'Viewer' })).body.key;
    const otherProject = (await root.post('/v1/projects', { name: 'other' })).body.id;
    const outsider = (await root.post('/v1/api-keys', { project_id: otherProject, name: 'admin', role: 'Admin' })).body.key;
    expect((await usage('', client(node.app, admin))).status).toBe(200);
    expect((await usage('', client(node.app, viewer))).status).toBe(403);
    expect((await usage('', client(node.app, outsider))).status).toBe(404);
    expect((await usage('', client(node.app))).status).toBe(401);
    expect((await root.get('/v1/api-keys/key_nosuch/usage')).status).toBe(404);
  });
});
