// /v1/api-keys: the seed's shapes, each route's errors, who may do what, pagination and filters.
import { describe, expect, it } from 'vitest';
import { parseKey } from '../../src/keys/material.js';
import { client } from '../support/client.js';
import { engines } from '../support/harness.js';
import { DAY, expectInvalid, expectProblem, useV1World } from './fixtures.js';

const KEY_FIELDS = [
  'id', 'project_id', 'name', 'key_prefix', 'scopes', 'expires_at', 'last_used_at', 'created_at', 'revoked_at', 'replaced_by_key_id',
  'grace_expires_at', 'environment_id', 'rotation_interval_days', 'next_rotation_at', 'rotation_webhook_url', 'role', 'status',
  'ratelimit', 'meta', 'credits', 'ip_allowlist', 'identity_id',
].sort();

describe.each(engines)('v1 api keys on %s', (engine) => {
  const w = useV1World(engine);

  describe('create', () => {
    it('answers 201 with the key object and the plaintext once', async () => {
      const res = await w.createKey({ name: 'billing', scopes: ['invoices:read'], role: 'Viewer', expires_in_days: 30 });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body).sort()).toEqual([...KEY_FIELDS, 'key'].sort());
      expect(res.body).toMatchObject({
        project_id: w.projectId, name: 'billing', scopes: ['invoices:read'], role: 'Viewer', status: 'active', revoked_at: null,
        last_used_at: null, replaced_by_key_id: null, grace_expires_at: null, environment_id: null, rotation_interval_days: null,
        next_rotation_at: null, rotation_webhook_url: null, created_at: '2026-01-01T00:00:00.000Z', expires_at: '2026-01-31T00:00:00.000Z',
      });
      expect(res.body.id).toMatch(/^key_/);
      expect(res.body.key).toMatch(/^km_[0-9A-Za-z]{38}$/);
      expect(parseKey(res.body.key)).not.toBeNull();
      expect(res.body.key_prefix).toBe(res.body.key.slice(0, 11));
      const got = await w.root.get(`/v1/api-keys/${res.body.id}`);
      expect(got.status).toBe(200);
      expect(Object.keys(got.body).sort()).toEqual(KEY_FIELDS);
      expect(got.body.key).toBeUndefined();
      expect(got.text).not.toContain(res.body.key);
    });

    it('takes an expires_at instant and defaults role None, scopes []', async () => {
      const res = await w.createKey({ expires_at: '2026-03-01T12:00:00Z' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ expires_at: '2026-03-01T12:00:00.000Z', role: 'None', scopes: [] });
    });

    it('returns the webhook secret once when a webhook URL is given', async () => {
      const res = await w.createKey({ rotation_interval_days: 30, rotation_webhook_url: 'https://hooks.example.com/keymint' });
      expect(res.status).toBe(201);
      expect(res.body.rotation_webhook_secret).toMatch(/^whsec_/);
      expect(res.body).toMatchObject({ rotation_interval_days: 30, next_rotation_at: '2026-01-31T00:00:00.000Z' });
      expect((await w.root.get(`/v1/api-keys/${res.body.id}`)).body.rotation_webhook_secret).toBeUndefined();
    });

    it('names each bad field in errors[].location', async () => {
      expectInvalid(await w.root.post('/v1/api-keys', { name: 'x' }), 'body.project_id');
      expectInvalid(await w.createKey({ name: undefined }), 'body.name');
      expectInvalid(await w.createKey({ name: '' }), 'body.name');
      expectInvalid(await w.createKey({ name: 'n'.repeat(256) }), 'body.name');
      expectInvalid(await w.createKey({ scopes: 'read' }), 'body.scopes');
      expectInvalid(await w.createKey({ scopes: [1] }), 'body.scopes.0');
      expectInvalid(await w.createKey({ role: 'Owner' }), 'body.role');
      expectInvalid(await w.createKey({ expires_in_days: 0 }), 'body.expires_in_days');
      expectInvalid(await w.createKey({ expires_in_days: 36501 }), 'body.expires_in_days');
      expectInvalid(await w.createKey({ expires_in_days: '5' }), 'body.expires_in_days');
      expectInvalid(await w.createKey({ expires_at: 'tomorrow' }), 'body.expires_at');
      expectInvalid(await w.createKey({ expires_at: '2025-12-31T23:59:59Z' }), 'body.expires_at');
      expectInvalid(await w.createKey({ expires_at: '2030-06-30T23:59:60Z' }), 'body.expires_at');
      expectInvalid(await w.createKey({ expires_in_days: 1, expires_at: '2027-01-01T00:00:00Z' }), 'body.expires_at');
      expectInvalid(await w.createKey({ rotation_interval_days: 30 }), 'body.rotation_webhook_url');
      expectInvalid(await w.createKey({ rotation_webhook_url: 'ftp://x.example.com' }), 'body.rotation_webhook_url');
      expectInvalid(await w.createKey({ rotation_webhook_url: 'not a url' }), 'body.rotation_webhook_url');
      expectInvalid(await w.createKey({ rotation_webhook_url: 'https://hooks.example.com/\u0000' }), 'body.rotation_webhook_url');
      expectInvalid(await w.createKey({ rotation_webhook_url: 'https://hooks.example.com/\ud800' }), 'body.rotation_webhook_url');
      expectInvalid(await w.createKey({ environment_id: 'env_nope' }), 'body.environment_id');
      // A misspelt field is refused, not ignored: `expire_at` must not make a key that never expires.
      const typo = expectInvalid(await w.createKey({ expire_at: '2027-01-01T00:00:00Z' }), 'body.expire_at');
      expect(typo.errors[0].message).toMatch(/not a field/);
    });

    it('refuses a duplicate live name (409) but frees the name when the key is revoked', async () => {
      const a = await w.createKey({ name: 'dup' });
      expectProblem(await w.createKey({ name: 'dup' }), 409);
      await w.root.delete(`/v1/api-keys/${a.body.id}`);
      expect((await w.createKey({ name: 'dup' })).status).toBe(201);
    });

    it('answers 404 for an unknown project', async () => {
      expectProblem(await w.createKey({ project_id: 'prj_nope' }), 404);
    });
  });

  describe('who may manage keys', () => {
    it('refuses None, Viewer and Editor keys on every management route (403)', async () => {
      const target = (await w.createKey({})).body;
      for (const role of ['None', 'Viewer', 'Editor'] as const) {
        const { client: c } = await w.keyClient(role);
        expectProblem(await c.get(`/v1/api-keys?project_id=${w.projectId}`), 403);
        expectProblem(await c.post('/v1/api-keys', { project_id: w.projectId, name: `by-${role}` }), 403);
        expectProblem(await c.get(`/v1/api-keys/${target.id}`), 403);
        expectProblem(await c.patch(`/v1/api-keys/${target.id}`, { name: 'renamed' }), 403);
        expectProblem(await c.delete(`/v1/api-keys/${target.id}`), 403);
        expectProblem(await c.post(`/v1/api-keys/${target.id}/rotate`, {}), 403);
        expectProblem(await c.post('/v1/keys/verify', { key: 'km_x' }), 403);
        expectProblem(await c.get(`/v1/audit-events?project_id=${w.projectId}`), 403);
      }
      expect((await w.root.get(`/v1/api-keys/${target.id}`)).body.status).toBe('active');
    });

    it('lets an Admin key manage its own project, up to its own role', async () => {
      const admin = await w.keyClient('Admin');
      const made = await w.createKey({ name: 'made-by-admin', role: 'Admin' }, admin.client);
      expect(made.status).toBe(201);
      expect((await admin.client.patch(`/v1/api-keys/${made.body.id}`, { role: 'Viewer' })).body.role).toBe('Viewer');
      expect((await admin.client.get(`/v1/api-keys?project_id=${w.projectId}`)).status).toBe(200);
      expect((await w.rotate(made.body.id, {}, admin.client)).status).toBe(200);
      expect((await admin.client.delete(`/v1/api-keys/${made.body.id}`)).status).toBe(204);
    });

    it('never lets a credential grant a role above its own', async () => {
      // Admin is the top role, so the rule bites for any project key below Admin: it may not even create.
      const editor = await w.keyClient('Editor');
      const res = expectProblem(await editor.client.post('/v1/api-keys', { project_id: w.projectId, name: 'escalate', role: 'Admin' }), 403);
      expect(res.detail).toMatch(/Admin/);
      const target = (await w.createKey({ role: 'None' })).body;
      expectProblem(await editor.client.patch(`/v1/api-keys/${target.id}`, { role: 'Admin' }), 403);
      expect((await w.root.get(`/v1/api-keys/${target.id}`)).body.role).toBe('None');
    });

    it("refuses an Admin key on another project's keys (404: not visible)", async () => {
      const other = (await w.root.post('/v1/projects', { name: 'other' })).body;
      const theirs = (await w.createKey({ project_id: other.id })).body;
      expect((await w.verify(theirs.key)).body.code).toBe('VALID');
      const admin = await w.keyClient('Admin');
      expectProblem(await admin.client.get(`/v1/api-keys?project_id=${other.id}`), 404);
      expectProblem(await admin.client.post('/v1/api-keys', { project_id: other.id, name: 'intruder' }), 404);
      expectProblem(await admin.client.get(`/v1/api-keys/${theirs.id}`), 404);
      expectProblem(await admin.client.patch(`/v1/api-keys/${theirs.id}`, { name: 'x' }), 404);
      expectProblem(await admin.client.delete(`/v1/api-keys/${theirs.id}`), 404);
      expectProblem(await admin.client.post(`/v1/api-keys/${theirs.id}/rotate`, {}), 404);
      expectProblem(await admin.client.get(`/v1/audit-events?project_id=${other.id}`), 404);
      const v = await admin.client.post('/v1/keys/verify', { key: theirs.key });
      expect(v.status).toBe(200);
      expect(v.body).toMatchObject({ valid: false, code: 'NOT_FOUND', key_id: null });
      expect((await w.root.get(`/v1/api-keys/${theirs.id}`)).body.status).toBe('active');
    });
  });

  describe('get, patch, revoke', () => {
    it('gets a key; unknown ids are 404 and malformed ids 400', async () => {
      expectProblem(await w.root.get('/v1/api-keys/key_nope'), 404);
      expectInvalid(await w.root.get('/v1/api-keys/%00'), 'params.keyID');
      expectInvalid(await w.root.get(`/v1/api-keys/${'k'.repeat(65)}`), 'params.keyID');
    });

    it('patches each field, and null clears expiry and rotation policy', async () => {
      const k = (await w.createKey({ expires_in_days: 5 })).body;
      const p = await w.root.patch(`/v1/api-keys/${k.id}`, {
        name: 'renamed', scopes: ['a', 'b'], role: 'Editor', expires_at: '2027-01-01T00:00:00Z',
        rotation_interval_days: 7, rotation_webhook_url: 'https://hooks.example.com/x',
      });
      expect(p.status).toBe(200);
      // The key's first webhook URL brings its signing secret, shown this once.
      expect(Object.keys(p.body).sort()).toEqual([...KEY_FIELDS, 'rotation_webhook_secret'].sort());
      expect(p.body.rotation_webhook_secret).toMatch(/^whsec_/);
      expect(p.body).toMatchObject({
        name: 'renamed', scopes: ['a', 'b'], role: 'Editor', expires_at: '2027-01-01T00:00:00.000Z', rotation_interval_days: 7,
        next_rotation_at: '2026-01-08T00:00:00.000Z', rotation_webhook_url: 'https://hooks.example.com/x',
      });
      const cleared = await w.root.patch(`/v1/api-keys/${k.id}`, { expires_at: null, rotation_interval_days: null, rotation_webhook_url: null });
      expect(cleared.body).toMatchObject({ expires_at: null, rotation_interval_days: null, next_rotation_at: null, rotation_webhook_url: null });
      const same = await w.root.patch(`/v1/api-keys/${k.id}`, {});
      expect(same.status).toBe(200);
      expect(same.body).toEqual(cleared.body);
    });

    it('refuses bad patches with the field named, and conflicts with 409', async () => {
      const k = (await w.createKey({ name: 'patch-me' })).body;
      await w.createKey({ name: 'taken' });
      expectInvalid(await w.root.patch(`/v1/api-keys/${k.id}`, { name: '' }), 'body.name');
      expectInvalid(await w.root.patch(`/v1/api-keys/${k.id}`, { role: 'root' }), 'body.role');
      expectInvalid(await w.root.patch(`/v1/api-keys/${k.id}`, { expires_at: '2020-01-01T00:00:00Z' }), 'body.expires_at');
      expectInvalid(await w.root.patch(`/v1/api-keys/${k.id}`, { rotation_interval_days: 3 }), 'body.rotation_webhook_url');
      expectInvalid(await w.root.patch(`/v1/api-keys/${k.id}`, { scopes: [''] }), 'body.scopes.0');
      expectInvalid(await w.root.patch(`/v1/api-keys/${k.id}`, { revoked_at: null }), 'body.revoked_at');
      expectProblem(await w.root.patch(`/v1/api-keys/${k.id}`, { name: 'taken' }), 409);
      expectProblem(await w.root.patch('/v1/api-keys/key_nope', { name: 'x' }), 404);
      await w.root.delete(`/v1/api-keys/${k.id}`);
      expectProblem(await w.root.patch(`/v1/api-keys/${k.id}`, { name: 'again' }), 409);
    });

    it('revokes with 204 and an empty body; again is 204 too', async () => {
      const k = (await w.createKey({})).body;
      const first = await w.root.delete(`/v1/api-keys/${k.id}`);
      expect(first.status).toBe(204);
      expect(first.text).toBe('');
      const second = await w.root.delete(`/v1/api-keys/${k.id}`);
      expect(second.status).toBe(204);
      expect((await w.root.get(`/v1/api-keys/${k.id}`)).body).toMatchObject({ status: 'revoked', revoked_at: '2026-01-01T00:00:00.000Z' });
      expectProblem(await w.root.delete('/v1/api-keys/key_nope'), 404);
    });
  });

  describe('rotate', () => {
    it("answers the seed's shape; the successor inherits name, scopes, role, environment, expiry and policy", async () => {
      const env = (await w.root.post(`/v1/projects/${w.projectId}/environments`, { name: 'rot-env', key_prefix: 'km_test' })).body;
      const k = (await w.createKey({ name: 'to-rotate', scopes: ['s'], role: 'Editor', environment_id: env.id, expires_in_days: 90, rotation_interval_days: 30, rotation_webhook_url: 'https://h.example.com/' })).body;
      const r = await w.rotate(k.id, { grace_period_minutes: 15 });
      expect(r.status).toBe(200);
      expect(Object.keys(r.body).sort()).toEqual(['created_at', 'expires_at', 'grace_expires_at', 'key', 'key_prefix', 'name', 'new_key_id', 'old_key_id', 'project_id', 'scopes'].sort());
      expect(r.body).toMatchObject({ old_key_id: k.id, project_id: w.projectId, name: 'to-rotate', scopes: ['s'], expires_at: k.expires_at, grace_expires_at: '2026-01-01T00:15:00.000Z' });
      expect(r.body.key).toMatch(/^km_test_/);
      const next = (await w.root.get(`/v1/api-keys/${r.body.new_key_id}`)).body;
      expect(next).toMatchObject({ name: 'to-rotate', role: 'Editor', environment_id: env.id, rotation_interval_days: 30, rotation_webhook_url: 'https://h.example.com/', status: 'active' });
      const old = (await w.root.get(`/v1/api-keys/${k.id}`)).body;
      expect(old).toMatchObject({ replaced_by_key_id: r.body.new_key_id, grace_expires_at: '2026-01-01T00:15:00.000Z', status: 'grace' });
      // The old key is now the successor's business: no more rotating or patching it.
      expectProblem(await w.rotate(k.id, {}), 409);
      expectProblem(await w.root.patch(`/v1/api-keys/${k.id}`, { name: 'x' }), 409);
    });

    it('defaults to 60 minutes of grace, with or without a body', async () => {
      const a = (await w.createKey({})).body;
      expect((await w.rotate(a.id)).body.grace_expires_at).toBe('2026-01-01T01:00:00.000Z');
      const b = (await w.createKey({})).body;
      const bare = await w.root.call('POST', `/v1/api-keys/${b.id}/rotate`);
      expect(bare.status).toBe(200);
      w.plaintexts.push(bare.body.key);
      expect(bare.body.grace_expires_at).toBe('2026-01-01T01:00:00.000Z');
    });

    it('lets exactly one of two simultaneous rotations win; the other is 409 and writes nothing', async () => {
      const k = (await w.createKey({ name: 'raced' })).body;
      const [a, b] = await Promise.all([w.rotate(k.id, {}), w.rotate(k.id, {})]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const live = (await w.root.get(`/v1/api-keys?project_id=${w.projectId}&limit=1000`)).body.filter((x: any) => x.name === 'raced');
      expect(live.map((x: any) => x.status).sort()).toEqual(['active', 'grace']);
      const same = await Promise.all([w.createKey({ name: 'twin' }), w.createKey({ name: 'twin' })]);
      expect(same.map((r) => r.status).sort()).toEqual([201, 409]);
    });

    it('refuses a bad grace period, revoked and expired keys', async () => {
      const k = (await w.createKey({ expires_in_days: 1 })).body;
      expectInvalid(await w.rotate(k.id, { grace_period_minutes: -1 }), 'body.grace_period_minutes');
      expectInvalid(await w.rotate(k.id, { grace_period_minutes: 10081 }), 'body.grace_period_minutes');
      expectInvalid(await w.rotate(k.id, { grace_period_minutes: '5' }), 'body.grace_period_minutes');
      expectInvalid(await w.rotate(k.id, { grace_period_minutes: 1.5 }), 'body.grace_period_minutes');
      expectInvalid(await w.rotate(k.id, { grace_minutes: 5 }), 'body.grace_minutes');
      expectProblem(await w.rotate('key_nope', {}), 404);
      const revoked = (await w.createKey({})).body;
      await w.root.delete(`/v1/api-keys/${revoked.id}`);
      expectProblem(await w.rotate(revoked.id, {}), 409);
      w.node.clock.advance(DAY);
      try {
        expectProblem(await w.rotate(k.id, {}), 409);
      } finally {
        w.node.clock.advance(-DAY);
      }
    });
  });

  describe('list', () => {
    it('is a bare array, newest first, paged with a Link header until the last page', async () => {
      const p = (await w.root.post('/v1/projects', { name: 'paged' })).body;
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push((await w.createKey({ project_id: p.id, name: `p${i}` })).body.id);
      const seen: string[] = [];
      let url: string | null = `/v1/api-keys?project_id=${p.id}&limit=3`;
      let pages = 0;
      while (url) {
        const res = await w.root.get(url);
        expect(res.status).toBe(200);
        expect(Array.isArray(res.body)).toBe(true);
        seen.push(...res.body.map((k: any) => k.id));
        pages++;
        const link = res.headers.link as string | undefined;
        if (link) {
          const m = /^<([^>]+)>; rel="next"$/.exec(link);
          expect(m, link).not.toBeNull();
          expect(m![1]).toContain('limit=3');
          url = m![1];
        } else url = null;
      }
      expect(pages).toBe(3);
      expect(seen).toEqual([...ids].reverse());
      const exact = await w.root.get(`/v1/api-keys?project_id=${p.id}&limit=7`);
      expect(exact.body).toHaveLength(7);
      expect(exact.headers.link).toBeUndefined();
      expect((await w.root.get(`/v1/api-keys?project_id=${p.id}`)).body).toHaveLength(7);
    });

    it('leaves out revoked and rotated-out keys unless include_revoked=true', async () => {
      const p = (await w.root.post('/v1/projects', { name: 'filtered' })).body;
      const live = (await w.createKey({ project_id: p.id, name: 'live' })).body;
      const revoked = (await w.createKey({ project_id: p.id, name: 'revoked' })).body;
      await w.root.delete(`/v1/api-keys/${revoked.id}`);
      const graced = (await w.createKey({ project_id: p.id, name: 'graced' })).body;
      const g = (await w.rotate(graced.id, { grace_period_minutes: 10 })).body;
      const gone = (await w.createKey({ project_id: p.id, name: 'gone' })).body;
      const r = (await w.rotate(gone.id, { grace_period_minutes: 0 })).body;
      const ids = async (q: string) => (await w.root.get(`/v1/api-keys?project_id=${p.id}${q}`)).body.map((k: any) => k.id).sort();
      expect(await ids('')).toEqual([live.id, graced.id, g.new_key_id, r.new_key_id].sort());
      expect(await ids('&include_revoked=false')).toEqual(await ids(''));
      expect(await ids('&include_revoked=true')).toEqual([live.id, revoked.id, graced.id, g.new_key_id, gone.id, r.new_key_id].sort());
      // Once the grace period is over, the old key drops out of the default list too.
      w.node.clock.advance(10 * 60_000);
      try {
        expect(await ids('')).toEqual([live.id, g.new_key_id, r.new_key_id].sort());
      } finally {
        w.node.clock.advance(-10 * 60_000);
      }
    });

    it('filters by environment_id; an environment prefix shapes its keys', async () => {
      const p = (await w.root.post('/v1/projects', { name: 'envs' })).body;
      const live = (await w.root.post(`/v1/projects/${p.id}/environments`, { name: 'production', key_prefix: 'km_live' })).body;
      const test = (await w.root.post(`/v1/projects/${p.id}/environments`, { name: 'test', key_prefix: 'km_test' })).body;
      const a = (await w.createKey({ project_id: p.id, environment_id: live.id })).body;
      const b = (await w.createKey({ project_id: p.id, environment_id: test.id })).body;
      const c = (await w.createKey({ project_id: p.id })).body;
      expect(a.key).toMatch(/^km_live_[0-9A-Za-z]{38}$/);
      expect(a.key_prefix).toMatch(/^km_live_[0-9A-Za-z]{8}$/);
      expect(b.key).toMatch(/^km_test_/);
      expect(c.key).toMatch(/^km_[0-9A-Za-z]{38}$/);
      const list = async (env: string) => (await w.root.get(`/v1/api-keys?project_id=${p.id}&environment_id=${env}`)).body.map((k: any) => k.id);
      expect(await list(live.id)).toEqual([a.id]);
      expect(await list(test.id)).toEqual([b.id]);
      expect(await list('env_nope')).toEqual([]);
      // Verification can be narrowed to one environment: a key from another answers NOT_FOUND.
      expect((await w.verify(a.key, { environment_id: live.id })).body.code).toBe('VALID');
      expect((await w.verify(a.key, { environment_id: test.id })).body).toMatchObject({ valid: false, code: 'NOT_FOUND', key_id: null });
      expect((await w.verify(a.key)).body).toMatchObject({ code: 'VALID', environment_id: live.id });
    });

    it('refuses bad query strings with the parameter named', async () => {
      expectInvalid(await w.root.get('/v1/api-keys'), 'querystring.project_id');
      expectInvalid(await w.root.get(`/v1/api-keys?project_id=${w.projectId}&limit=0`), 'querystring.limit');
      expectInvalid(await w.root.get(`/v1/api-keys?project_id=${w.projectId}&limit=1001`), 'querystring.limit');
      expectInvalid(await w.root.get(`/v1/api-keys?project_id=${w.projectId}&limit=ten`), 'querystring.limit');
      expectInvalid(await w.root.get(`/v1/api-keys?project_id=${w.projectId}&include_revoked=maybe`), 'querystring.include_revoked');
      expectInvalid(await w.root.get(`/v1/api-keys?project_id=${w.projectId}&cursor=garbage`), 'querystring.cursor');
      expectProblem(await w.root.get('/v1/api-keys?project_id=prj_nope'), 404);
    });
  });

  it('answers unknown routes with a problem', async () => {
    expectProblem(await w.root.get('/v1/nothing-here'), 404);
    expectProblem(await client(w.node.app).get('/v1/nothing-here'), 401);
  });
});
