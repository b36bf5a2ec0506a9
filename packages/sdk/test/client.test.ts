// The typed client against a real server on both engines: every resource, errors as KeymintError, 429 retried,
// paging with async iterators.
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../../test/support/harness.js';
import { Keymint, KeymintError } from '../src/index.js';
import { type SdkWorld, sdkWorld } from './support.js';

describe.each(engines)('@keymint/sdk client (%s)', (engine) => {
  let w: SdkWorld;
  beforeAll(async () => {
    w = await sdkWorld(engine);
  });
  afterAll(() => w.close());

  it('creates, gets, updates, verifies, rotates and revokes a key', async () => {
    const created = await w.keymint.keys.create({ project_id: w.projectId, name: 'ci', scopes: ['read'] });
    expect(created.key).toMatch(/^km_/);
    expect((await w.keymint.keys.get(created.id)).name).toBe('ci');
    expect((await w.keymint.keys.update(created.id, { scopes: ['read', 'write'] })).scopes).toEqual(['read', 'write']);
    expect(await w.keymint.keys.verify(created.key, { requiredScopes: ['write'] })).toMatchObject({ valid: true, code: 'VALID', key_id: created.id });
    expect((await w.keymint.keys.verify(created.key, { requiredScopes: ['admin'] })).code).toBe('INSUFFICIENT_SCOPES');
    const rotated = await w.keymint.keys.rotate(created.id, { grace_period_minutes: 0 });
    expect(rotated.old_key_id).toBe(created.id);
    expect((await w.keymint.keys.verify(created.key)).code).toBe('ROTATED');
    expect(await w.keymint.keys.revoke(rotated.new_key_id)).toBeUndefined();
    expect((await w.keymint.keys.verify(rotated.key)).code).toBe('REVOKED');
  });

  it('throws a KeymintError with the problem details', async () => {
    const err = await w.keymint.keys.create({ project_id: w.projectId, name: '' }).catch((e) => e);
    expect(err).toBeInstanceOf(KeymintError);
    expect(err.status).toBe(400);
    expect(err.problem).toMatchObject({ status: 400, title: 'Bad Request' });
    expect(err.errors[0].location).toBe('body.name');
    const missing = await w.keymint.keys.get('key_doesnotexist').catch((e) => e);
    expect(missing).toMatchObject({ status: 404 });
    const anonymous = await new Keymint({ baseUrl: w.url, token: 'km_nope' }).projects.list().catch((e) => e);
    expect(anonymous).toMatchObject({ status: 401 });
  });

  it('pages a listing with an async iterator', async () => {
    const project = await w.keymint.projects.create({ name: 'paged' });
    for (let i = 0; i < 7; i++) await w.keymint.keys.create({ project_id: project.id, name: `k${i}` });
    const first = await w.keymint.keys.list({ project_id: project.id, limit: 3 });
    expect(first.map((k) => k.name)).toEqual(['k6', 'k5', 'k4']);
    const all: string[] = [];
    for await (const k of w.keymint.keys.list({ project_id: project.id, limit: 3 })) all.push(k.name);
    expect(all).toEqual(['k6', 'k5', 'k4', 'k3', 'k2', 'k1', 'k0']);
    const events = [];
    for await (const e of w.keymint.audit.list({ project_id: project.id, limit: 2 })) events.push(e);
    expect(events.filter((e) => e.action === 'api_key.created')).toHaveLength(7);
  });

  it('covers projects, environments, usage, deliveries and AWS credentials', async () => {
    const p = await w.keymint.projects.create({ name: 'other' });
    expect((await w.keymint.projects.get(p.id)).name).toBe('other');
    expect((await w.keymint.projects.list()).map((x) => x.id)).toContain(p.id);
    const env = await w.keymint.environments.create(p.id, { name: 'live', key_prefix: 'km_live' });
    expect((await w.keymint.environments.list(p.id)).map((e) => e.id)).toEqual([env.id]);
    const k = await w.keymint.keys.create({ project_id: p.id, name: 'e', environment_id: env.id });
    expect(k.key.startsWith('km_live_')).toBe(true);
    await w.keymint.keys.verify(k.key);
    const usage = await w.keymint.keys.usage(k.id, { granularity: 'minute' });
    expect(usage.buckets.reduce((n, b) => n + b.counts.VALID, 0)).toBe(1);
    expect(await w.keymint.deliveries.list(k.id)).toEqual([]);
    const aws = await w.keymint.awsCredentials.create(p.id, { description: 'ci' });
    expect((await w.keymint.awsCredentials.list(p.id)).map((c) => c.access_key_id)).toEqual([aws.access_key_id]);
    await w.keymint.awsCredentials.revoke(p.id, aws.access_key_id);
    await w.keymint.keys.revoke(k.id);
    await w.keymint.environments.delete(p.id, env.id);
    await w.keymint.projects.delete(p.id);
    expect(await w.keymint.projects.get(p.id).catch((e) => e.status)).toBe(404);
  });
});

describe('429 and request ids', () => {
  it('retries after Retry-After, then gives up with the request id', async () => {
    let calls = 0;
    const server = createServer((req, res) => {
      calls++;
      if (req.url === '/v1/projects' && calls < 3) {
        res.writeHead(429, { 'retry-after': '0', 'content-type': 'application/problem+json', 'x-request-id': `req-${calls}` });
        return res.end(JSON.stringify({ type: 't', title: 'Too Many Requests', status: 429, detail: 'slow down' }));
      }
      if (req.url === '/v1/projects') return res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
      res.writeHead(429, { 'retry-after': '3600', 'content-type': 'application/problem+json', 'x-request-id': 'req-long' });
      res.end(JSON.stringify({ type: 't', title: 'Too Many Requests', status: 429, detail: 'locked' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      const km = new Keymint({ baseUrl: `http://127.0.0.1:${port}`, token: 't' });
      expect(await km.projects.list()).toEqual([]);
      expect(calls).toBe(3);
      const err = await km.projects.get('prj_x').catch((e) => e);
      expect(err).toBeInstanceOf(KeymintError);
      expect(err).toMatchObject({ status: 429, requestId: 'req-long', retryAfter: 3600, detail: 'locked' });
    } finally {
      server.close();
    }
  });
});
