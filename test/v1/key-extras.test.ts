// What a key carries (issue 13): meta, credits with refill, IP allowlists, on create, PATCH, GET, list, verify,
// rotation and the audit log. Both engines; the hot path reads no store for a cached key.
import { describe, expect, it } from 'vitest';
import { client } from '../support/client.js';
import { engines } from '../support/harness.js';
import { DAY, expectInvalid, expectProblem, useV1World } from './fixtures.js';

describe.each(engines)('key meta, credits and IP allowlists on %s', (engine) => {
  const w = useV1World(engine);

  describe('meta', () => {
    it('is returned by create, GET, list and verify (for every code where the key is known), and PATCH null clears it', async () => {
      const meta = { plan: 'pro', tenant: { id: 42 }, flags: ['beta'] };
      const created = await w.createKey({ name: 'with-meta', meta });
      expect(created.status).toBe(201);
      expect(created.body.meta).toEqual(meta);
      expect((await w.root.get(`/v1/api-keys/${created.body.id}`)).body.meta).toEqual(meta);
      const list = await w.root.get(`/v1/api-keys?project_id=${w.projectId}`);
      expect(list.body.find((k: any) => k.id === created.body.id).meta).toEqual(meta);
      expect((await w.verify(created.body.key)).body).toMatchObject({ code: 'VALID', meta });
      expect((await w.verify(created.body.key, { required_scopes: ['nope'] })).body).toMatchObject({ code: 'INSUFFICIENT_SCOPES', meta });

      const changed = await w.root.patch(`/v1/api-keys/${created.body.id}`, { meta: { plan: 'free' } });
      expect(changed.status).toBe(200);
      expect(changed.body.meta).toEqual({ plan: 'free' });
      expect((await w.verify(created.body.key)).body.meta).toEqual({ plan: 'free' });
      expect((await w.root.patch(`/v1/api-keys/${created.body.id}`, { meta: null })).body.meta).toBeNull();
      expect((await w.verify(created.body.key)).body.meta).toBeNull();

      await w.root.patch(`/v1/api-keys/${created.body.id}`, { meta });
      expect((await w.root.delete(`/v1/api-keys/${created.body.id}`)).status).toBe(204);
      expect((await w.verify(created.body.key)).body).toMatchObject({ code: 'REVOKED', meta });
      expect((await w.verify('km_' + 'x'.repeat(38))).body.meta).toBeNull();
    });

    it('refuses what is not a JSON object of at most 16 KiB, naming body.meta, and writes nothing', async () => {
      expectInvalid(await w.createKey({ name: 'meta-array', meta: [1] }), 'body.meta');
      expectInvalid(await w.createKey({ name: 'meta-text', meta: 'pro' }), 'body.meta');
      const big = expectInvalid(await w.createKey({ name: 'meta-big', meta: { x: 'y'.repeat(16_400) } }), 'body.meta');
      expect(big.detail).toMatch(/16 KiB/);
      const list = await w.root.get(`/v1/api-keys?project_id=${w.projectId}`);
      expect(list.body.map((k: any) => k.name)).not.toContain('meta-big');
    });
  });

  describe('IP allowlist', () => {
    it('answers IP_NOT_ALLOWED outside the ranges or without client_ip, VALID inside, and is normalized on write', async () => {
      const created = await w.createKey({ name: 'allow', ip_allowlist: ['10.1.2.3/16', '2001:DB8::/32'] });
      expect(created.status).toBe(201);
      expect(created.body.ip_allowlist).toEqual(['10.1.0.0/16', '2001:db8::/32']);
      expect((await w.verify(created.body.key, { client_ip: '10.2.0.1' })).body).toMatchObject({ valid: false, code: 'IP_NOT_ALLOWED', key_id: created.body.id });
      expect((await w.verify(created.body.key)).body).toMatchObject({ valid: false, code: 'IP_NOT_ALLOWED' });
      expect((await w.verify(created.body.key, { client_ip: '10.1.2.3' })).body).toMatchObject({ valid: true, code: 'VALID' });
      expect((await w.verify(created.body.key, { client_ip: '2001:db8:1::5' })).body.code).toBe('VALID');
      expectInvalid(await w.verify(created.body.key, { client_ip: 'ten.one' }), 'body.client_ip');
      expect((await w.root.patch(`/v1/api-keys/${created.body.id}`, { ip_allowlist: null })).body.ip_allowlist).toBeNull();
      expect((await w.verify(created.body.key)).body.code).toBe('VALID');
    });

    it('names the bad entry in a 400, and refuses more than 100 ranges', async () => {
      const bad = expectInvalid(await w.createKey({ name: 'bad-cidr', ip_allowlist: ['10.0.0.0/8', '10.0.0.0/33'] }), 'body.ip_allowlist.1');
      expect(bad.detail).toContain('"10.0.0.0/33"');
      expectInvalid(await w.createKey({ name: 'many', ip_allowlist: Array.from({ length: 101 }, (_, i) => `10.0.${i}.0/24`) }), 'body.ip_allowlist');
      expectInvalid(await w.createKey({ name: 'empty', ip_allowlist: [] }), 'body.ip_allowlist');
    });

    it('a key with an allowlist used as a credential is checked against the request\'s own address, on v1 and Grafana', async () => {
      const elsewhere = await w.createKey({ name: 'admin-elsewhere', role: 'Admin', ip_allowlist: ['10.0.0.0/8'] });
      const here = await w.createKey({ name: 'admin-here', role: 'Admin', ip_allowlist: ['127.0.0.0/8'] });
      const refused = expectProblem(await client(w.node.app, elsewhere.body.key).get(`/v1/api-keys?project_id=${w.projectId}`), 403);
      expect(refused.detail).toMatch(/ip_allowlist/);
      expect((await client(w.node.app, here.body.key).get(`/v1/api-keys?project_id=${w.projectId}`)).status).toBe(200);
      const grafana = await w.node.app.inject({ method: 'GET', url: '/api/auth/keys', headers: { authorization: `Bearer ${elsewhere.body.key}` } });
      expect(grafana.statusCode).toBe(403);
      expect(grafana.json()).toMatchObject({ message: 'API key not allowed from this address', statusCode: 403 });
      expect((await w.node.app.inject({ method: 'GET', url: '/api/auth/keys', headers: { authorization: `Bearer ${here.body.key}` } })).statusCode).toBe(200);
    });
  });

  describe('credits', () => {
    it('each VALID verification takes cost (default 1, 0 reads), USAGE_EXCEEDED at 0; GET shows the count', async () => {
      const created = await w.createKey({ name: 'metered', credits: { remaining: 4, refill: null } });
      expect(created.body.credits).toEqual({ remaining: 4, refill: null });
      const codes = [];
      expect((await w.verify(created.body.key, { cost: 0 })).body).toMatchObject({ code: 'VALID', credits: { remaining: 4 } });
      expect((await w.verify(created.body.key, { cost: 2 })).body).toMatchObject({ code: 'VALID', credits: { remaining: 2 } });
      for (let i = 0; i < 3; i++) codes.push((await w.verify(created.body.key)).body);
      expect(codes.map((c) => [c.code, c.valid, c.credits.remaining])).toEqual([['VALID', true, 1], ['VALID', true, 0], ['USAGE_EXCEEDED', false, 0]]);
      // Other outcomes spend nothing.
      expect((await w.verify(created.body.key, { required_scopes: ['x'] })).body).toMatchObject({ code: 'INSUFFICIENT_SCOPES', credits: null });
      expect((await w.root.get(`/v1/api-keys/${created.body.id}`)).body.credits).toEqual({ remaining: 0, refill: null });
      const more = await w.root.patch(`/v1/api-keys/${created.body.id}`, { credits: { remaining: 1, refill: null } });
      expect(more.body.credits).toEqual({ remaining: 1, refill: null });
      expect((await w.verify(created.body.key)).body).toMatchObject({ code: 'VALID', credits: { remaining: 0 } });
      expect((await w.root.patch(`/v1/api-keys/${created.body.id}`, { credits: null })).body.credits).toBeNull();
      expect((await w.verify(created.body.key)).body).toMatchObject({ code: 'VALID', credits: null });
    });

    it('refills at the UTC boundary, also for a key nobody verified (GET shows it)', async () => {
      const created = await w.createKey({ name: 'daily', credits: { remaining: 1, refill: { amount: 3, interval: 'daily' } } });
      expect((await w.verify(created.body.key)).body.credits).toEqual({ remaining: 0 });
      expect((await w.verify(created.body.key)).body.code).toBe('USAGE_EXCEEDED');
      const clock = w.node.clock;
      const start = clock.now();
      clock.set(start - (start % DAY) + DAY - 1);
      expect((await w.verify(created.body.key)).body.code).toBe('USAGE_EXCEEDED');
      clock.set(start - (start % DAY) + 2 * DAY + 5_000);
      expect((await w.root.get(`/v1/api-keys/${created.body.id}`)).body.credits).toEqual({ remaining: 3, refill: { amount: 3, interval: 'daily' } });
      expect((await w.verify(created.body.key)).body.credits).toEqual({ remaining: 2 });
      clock.set(start);
    });

    it('refuses bad credits with 400 naming the field', async () => {
      expectInvalid(await w.createKey({ name: 'c1', credits: { remaining: -1, refill: null } }), 'body.credits.remaining');
      expectInvalid(await w.createKey({ name: 'c2', credits: { remaining: 1 } }), 'body.credits');
      expectInvalid(await w.createKey({ name: 'c3', credits: { remaining: 1, refill: { amount: 1, interval: 'weekly' } } }), 'body.credits.refill.interval');
      expectInvalid(await w.createKey({ name: 'c4', credits: { remaining: 1, refill: { amount: 1, interval: 'monthly', day_of_month: 32 } } }), 'body.credits.refill.day_of_month');
      expectInvalid(await w.createKey({ name: 'c5', credits: { remaining: 1, refill: { amount: 1, interval: 'daily', day_of_month: 3 } } }), 'body.credits.refill.day_of_month');
      expectInvalid(await w.verify('km_x', { cost: -1 }), 'body.cost');
    });
  });

  it('a rotation successor inherits meta and allowlist, and shares the remaining credits during grace', async () => {
    const created = await w.createKey({ name: 'rotating', meta: { plan: 'pro' }, ip_allowlist: ['10.0.0.0/8'], credits: { remaining: 3, refill: null } });
    const rotated = await w.rotate(created.body.id, { grace_period_minutes: 60 });
    expect(rotated.status).toBe(200);
    const next = (await w.root.get(`/v1/api-keys/${rotated.body.new_key_id}`)).body;
    expect(next).toMatchObject({ meta: { plan: 'pro' }, ip_allowlist: ['10.0.0.0/8'], credits: { remaining: 3, refill: null } });
    const ip = { client_ip: '10.9.9.9' };
    expect((await w.verify(created.body.key, ip)).body.credits).toEqual({ remaining: 2 });
    expect((await w.verify(rotated.body.key, ip)).body.credits).toEqual({ remaining: 1 });
    expect((await w.verify(created.body.key, ip)).body.credits).toEqual({ remaining: 0 });
    expect((await w.verify(rotated.body.key, ip)).body.code).toBe('USAGE_EXCEEDED');
    // Topping up the successor tops up the predecessor in grace too (one pool).
    await w.root.patch(`/v1/api-keys/${rotated.body.new_key_id}`, { credits: { remaining: 1, refill: null } });
    expect((await w.verify(created.body.key, ip)).body).toMatchObject({ code: 'VALID', credits: { remaining: 0 } });
    expect((await w.verify(rotated.body.key, ip)).body.code).toBe('USAGE_EXCEEDED');
  });

  it('changes of meta, credits and allowlist are in the audit log', async () => {
    const created = await w.createKey({ name: 'audited' });
    await w.root.patch(`/v1/api-keys/${created.body.id}`, { meta: { a: 1 } });
    await w.root.patch(`/v1/api-keys/${created.body.id}`, { credits: { remaining: 5, refill: null } });
    await w.root.patch(`/v1/api-keys/${created.body.id}`, { ip_allowlist: ['10.0.0.0/8'], name: 'audited-2' });
    const events = (await w.root.get(`/v1/audit-events?project_id=${w.projectId}`)).body.filter((e: any) => e.target.id === created.body.id);
    expect(events.map((e: any) => e.action).sort()).toEqual(
      ['api_key.created', 'api_key.meta_changed', 'api_key.credits_changed', 'api_key.updated', 'api_key.ip_allowlist_changed'].sort(),
    );
  });

  it('a cached key with meta and an allowlist verifies without reading the store', async () => {
    const created = await w.createKey({ name: 'hot', meta: { plan: 'pro' }, ip_allowlist: ['10.0.0.0/8'] });
    await w.verify(created.body.key, { client_ip: '10.0.0.1' });
    const misses = w.node.km.cache.misses;
    for (let i = 0; i < 20; i++) expect((await w.verify(created.body.key, { client_ip: '10.0.0.1' })).body.code).toBe('VALID');
    expect(w.node.km.cache.misses).toBe(misses);
  });

  it('the OpenAPI document describes meta, credits, ip_allowlist, cost, client_ip and the new codes', async () => {
    const doc = (await w.node.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const text = JSON.stringify(doc);
    for (const word of ['ip_allowlist', 'client_ip', 'USAGE_EXCEEDED', 'IP_NOT_ALLOWED', 'day_of_month', '/v1/verifier-keys']) expect(text).toContain(word);
    const create = doc.paths['/v1/api-keys'].post.requestBody.content['application/json'].schema.properties;
    expect(Object.keys(create)).toEqual(expect.arrayContaining(['meta', 'credits', 'ip_allowlist']));
  });
});
