// /v1/identities on both engines: owners of keys with an external id, meta and a shared rate limit; verify answers
// the identity; disabling stops its keys without revoking them; deleting revokes them, even when racing key creates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/harness.js';
import { v1World, type V1World } from './fixtures.js';

describe.each(engines)('v1 identities (%s)', (engine) => {
  let w: V1World;
  beforeAll(async () => {
    w = await v1World(engine);
  });
  afterAll(() => w?.close());

  const identity = async (body: Record<string, unknown>) => {
    const res = await w.root.post('/v1/identities', { project_id: w.projectId, ...body });
    expect(res.status, res.text).toBe(201);
    return res.body;
  };

  it('creates, gets, lists by external_id with cursor paging, and changes an identity', async () => {
    const created = await identity({ name: 'Acme Corp', external_id: 'cust_42', meta: { plan: 'pro' }, role: 'Viewer' });
    expect(created).toMatchObject({ name: 'Acme Corp', external_id: 'cust_42', meta: { plan: 'pro' }, role: 'Viewer', is_disabled: false, ratelimit: null, project_id: w.projectId });
    expect(created.id).toMatch(/^idn_/);
    await identity({ name: 'Other' });
    expect((await w.root.get(`/v1/identities/${created.id}`)).body).toEqual(created);

    const byExternal = await w.root.get(`/v1/identities?project_id=${w.projectId}&external_id=cust_42`);
    expect(byExternal.body.map((i: any) => i.id)).toEqual([created.id]);
    const first = await w.root.get(`/v1/identities?project_id=${w.projectId}&limit=1`);
    expect(first.body).toHaveLength(1);
    const next = /<([^>]+)>; rel="next"/.exec(String(first.headers.link))![1];
    const second = await w.root.get(next);
    expect(second.body).toHaveLength(1);
    expect(second.body[0].id).not.toBe(first.body[0].id);

    const patched = await w.root.patch(`/v1/identities/${created.id}`, { meta: { plan: 'enterprise' }, external_id: 'cust_43' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ meta: { plan: 'enterprise' }, external_id: 'cust_43' });
  });

  it('refuses a duplicate external_id or name (409), meta that is not an object or over 16 KiB (400)', async () => {
    await identity({ name: 'dup-a', external_id: 'ext-dup' });
    const dupExt = await w.root.post('/v1/identities', { project_id: w.projectId, name: 'dup-b', external_id: 'ext-dup' });
    expect(dupExt.status).toBe(409);
    expect(dupExt.body.detail).toContain('external_id');
    expect((await w.root.post('/v1/identities', { project_id: w.projectId, name: 'dup-a' })).status).toBe(409);
    const array = await w.root.post('/v1/identities', { project_id: w.projectId, name: 'm1', meta: [1, 2] });
    expect(array.status).toBe(400);
    const big = await w.root.post('/v1/identities', { project_id: w.projectId, name: 'm2', meta: { blob: 'x'.repeat(17_000) } });
    expect(big.status).toBe(400);
    expect(big.body.detail).toContain('16384 bytes');
    expect((await w.root.get('/v1/identities/idn_nope')).status).toBe(404);
  });

  it('keys join an identity with identity_id: verify answers it, its role applies, and its rate limit is shared by its keys', async () => {
    const idn = await identity({ name: 'shared-limit', external_id: 'u_7', meta: { tier: 'free' }, role: 'Editor', ratelimit: { limit: 3, duration_ms: 60_000 } });
    const k1 = await w.createKey({ identity_id: idn.id });
    expect(k1.status, k1.text).toBe(201);
    expect(k1.body).toMatchObject({ identity_id: idn.id, role: 'Editor' });
    const k2 = await w.createKey({ identity_id: idn.id, role: 'Editor' });
    expect(k2.status).toBe(201);
    const wrongRole = await w.createKey({ identity_id: idn.id, role: 'Admin' });
    expect(wrongRole.status).toBe(400);
    expect(wrongRole.body.detail).toContain("identity's role");
    expect((await w.createKey({ identity_id: 'idn_missing' })).status).toBe(400);

    const v = await w.verify(k1.body.key);
    expect(v.body).toMatchObject({ valid: true, code: 'VALID', identity: { id: idn.id, external_id: 'u_7', meta: { tier: 'free' } } });
    expect(v.body.ratelimit).toMatchObject({ limit: 3, remaining: 2 });
    const codes = [];
    for (const key of [k2.body.key, k1.body.key, k2.body.key, k1.body.key]) codes.push((await w.verify(key)).body.code);
    expect(codes).toEqual(['VALID', 'VALID', 'RATE_LIMITED', 'RATE_LIMITED']);
    // A key without an identity answers identity null.
    const plain = await w.createKey({});
    expect((await w.verify(plain.body.key)).body.identity).toBeNull();
    // PATCH attaches a key to an identity, and detaches it.
    const attached = await w.root.patch(`/v1/api-keys/${plain.body.id}`, { identity_id: idn.id });
    expect(attached.body).toMatchObject({ identity_id: idn.id, role: 'Editor' });
    expect((await w.root.patch(`/v1/api-keys/${plain.body.id}`, { identity_id: null })).body.identity_id).toBeNull();
    // Changing the identity role changes its keys' role.
    await w.root.patch(`/v1/identities/${idn.id}`, { role: 'Viewer', ratelimit: null });
    expect((await w.verify(k1.body.key)).body).toMatchObject({ code: 'VALID', role: 'Viewer' });
    // A rotation's successor stays with the identity.
    const rotated = await w.rotate(k1.body.id, { grace_period_minutes: 0 });
    expect((await w.root.get(`/v1/api-keys/${rotated.body.new_key_id}`)).body.identity_id).toBe(idn.id);
  });

  it('disabling an identity makes its keys verify DISABLED and fail as credentials (401), not revoked; enabling restores them', async () => {
    const idn = await identity({ name: 'to-disable', role: 'Admin' });
    const key = await w.createKey({ identity_id: idn.id, role: 'Admin' });
    expect((await w.verify(key.body.key)).body.code).toBe('VALID');
    await w.root.patch(`/v1/identities/${idn.id}`, { is_disabled: true });
    expect((await w.verify(key.body.key)).body).toMatchObject({ valid: false, code: 'DISABLED' });
    const self = await w.node.app.inject({ method: 'GET', url: '/v1/keys/self', headers: { authorization: `Bearer ${key.body.key}` } });
    expect(self.statusCode).toBe(401);
    expect(JSON.parse(self.body).detail).toContain('identity is disabled');
    expect((await w.root.get(`/v1/api-keys/${key.body.id}`)).body.status).toBe('active');
    await w.root.patch(`/v1/identities/${idn.id}`, { is_disabled: false });
    expect((await w.verify(key.body.key)).body.code).toBe('VALID');
  });

  it('deleting an identity revokes its keys; key creates racing the delete never leave a live key under it', async () => {
    for (let round = 0; round < 3; round++) {
      const idn = await identity({ name: `racing-${round}` });
      const creates = Array.from({ length: 20 }, () => w.createKey({ identity_id: idn.id }));
      const del = w.root.delete(`/v1/identities/${idn.id}`);
      const results = await Promise.all(creates);
      expect((await del).status).toBe(204);
      for (const r of results) {
        expect([201, 400, 409]).toContain(r.status);
        if (r.status === 201) expect((await w.verify(r.body.key)).body.code).toBe('REVOKED');
      }
      const live = await w.node.km.store.db.selectFrom('api_keys').select('id').where('owner_id', '=', idn.id).where('revoked_at', 'is', null).execute();
      expect(live).toEqual([]);
      expect((await w.root.get(`/v1/identities/${idn.id}`)).status).toBe(404);
      expect((await w.createKey({ identity_id: idn.id })).status).toBe(400);
    }
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await w.root.get('/openapi.json')).body;
    expect(Object.keys(doc.paths['/v1/identities'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(doc.paths['/v1/identities/{identityID}'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
    expect(JSON.stringify(doc.paths['/v1/keys/verify'])).toContain('DISABLED');
  });
});
