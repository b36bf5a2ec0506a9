// /v1/keys/verify and /v1/keys/self (src/surfaces/v1/verify.ts): a key's life decided at the instant of the request (grace, expiry, revocation).
import { describe, expect, it } from 'vitest';
import { client } from '../support/client.js';
import { engines } from '../support/harness.js';
import { DAY, expectInvalid, expectProblem, MINUTE, useV1World } from './fixtures.js';

describe.each(engines)('v1 key life on %s', (engine) => {
  const w = useV1World(engine);

  it('verifies a good key with its identity, and says why a bad one is bad', async () => {
    const k = (await w.createKey({ name: 'ident', scopes: ['read', 'write'], role: 'Viewer', expires_in_days: 2 })).body;
    const v = await w.verify(k.key);
    expect(v.status).toBe(200);
    expect(v.body).toEqual({
      valid: true, code: 'VALID', key_id: k.id, project_id: w.projectId, environment_id: null, name: 'ident', role: 'Viewer',
      scopes: ['read', 'write'], expires_at: k.expires_at, grace_expires_at: null, ratelimit: null, meta: null, credits: null, identity: null,
    });
    expect((await w.verify(k.key, { required_scopes: ['read'] })).body.code).toBe('VALID');
    expect((await w.verify(k.key, { required_scopes: ['read', 'admin'] })).body).toMatchObject({ valid: false, code: 'INSUFFICIENT_SCOPES', key_id: k.id });
    const nulls = { key_id: null, project_id: null, environment_id: null, name: null, role: null, scopes: null, expires_at: null, grace_expires_at: null, ratelimit: null, meta: null, credits: null, identity: null };
    expect((await w.verify('km_short')).body).toEqual({ valid: false, code: 'MALFORMED', ...nulls });
    // One character changed: the checksum catches it, no storage needed.
    const typo = k.key.slice(0, 5) + (k.key[5] === 'a' ? 'b' : 'a') + k.key.slice(6);
    expect((await w.verify(typo)).body.code).toBe('MALFORMED');
    // Well formed, never issued.
    const { mintKey } = await import('../../src/keys/material.js');
    expect((await w.verify(mintKey().plaintext)).body).toEqual({ valid: false, code: 'NOT_FOUND', ...nulls });
    expectInvalid(await w.root.post('/v1/keys/verify', {}), 'body.key');
    expectInvalid(await w.root.post('/v1/keys/verify', { key: 5 }), 'body.key');
    expectInvalid(await w.root.post('/v1/keys/verify', { key: k.key, required_scopes: 'read' }), 'body.required_scopes');
    expectInvalid(await w.root.post('/v1/keys/verify', { key: k.key, scopes: ['read'] }), 'body.scopes');
    expectProblem(await client(w.node.app).post('/v1/keys/verify', { key: k.key }), 401);
  });

  it('keeps a rotated key valid until one millisecond before grace_expires_at, and not at it', async () => {
    const k = (await w.createKey({})).body;
    const start = w.node.clock.now();
    const r = (await w.rotate(k.id, { grace_period_minutes: 30 })).body;
    const graceEnd = Date.parse(r.grace_expires_at);
    expect(graceEnd).toBe(start + 30 * MINUTE);
    try {
      const both = [await w.verify(k.key), await w.verify(r.key)];
      expect(both.map((v) => v.body.code)).toEqual(['VALID', 'VALID']);
      expect(both[0].body.grace_expires_at).toBe(r.grace_expires_at);
      w.node.clock.set(graceEnd - 1);
      expect((await w.verify(k.key)).body).toMatchObject({ valid: true, code: 'VALID', grace_expires_at: r.grace_expires_at });
      expect((await client(w.node.app, k.key).get('/v1/keys/self')).body.status).toBe('grace');
      w.node.clock.set(graceEnd);
      expect((await w.verify(k.key)).body).toMatchObject({ valid: false, code: 'ROTATED', key_id: k.id });
      expect((await w.verify(r.key)).body.code).toBe('VALID');
      expect((await w.root.get(`/v1/api-keys/${k.id}`)).body.status).toBe('rotated');
      expectProblem(await client(w.node.app, k.key).get('/v1/keys/self'), 401);
    } finally {
      w.node.clock.set(start);
    }
  });

  it('retires the old key at once with grace_period_minutes 0', async () => {
    const k = (await w.createKey({})).body;
    const r = (await w.rotate(k.id, { grace_period_minutes: 0 })).body;
    expect((await w.verify(k.key)).body.code).toBe('ROTATED');
    expect((await w.verify(r.key)).body.code).toBe('VALID');
  });

  it('expires a key exactly at expires_at', async () => {
    const start = w.node.clock.now();
    const k = (await w.createKey({ expires_in_days: 1 })).body;
    const end = Date.parse(k.expires_at);
    expect(end).toBe(start + DAY);
    try {
      w.node.clock.set(end - 1);
      expect((await w.verify(k.key)).body).toMatchObject({ valid: true, code: 'VALID' });
      w.node.clock.set(end);
      expect((await w.verify(k.key)).body).toMatchObject({ valid: false, code: 'EXPIRED', key_id: k.id, expires_at: k.expires_at });
      expect((await w.root.get(`/v1/api-keys/${k.id}`)).body.status).toBe('expired');
      // Expired keys still show in the default list: only revoked and rotated-out ones are left out.
      expect((await w.root.get(`/v1/api-keys?project_id=${w.projectId}`)).body.map((x: any) => x.id)).toContain(k.id);
      expectProblem(await client(w.node.app, k.key).get('/v1/keys/self'), 401);
    } finally {
      w.node.clock.set(start);
    }
  });

  it('fails a revoked key on the very next request, as credential and as verified key', async () => {
    const admin = await w.keyClient('Admin');
    const k = (await w.createKey({})).body;
    // Warm every cache first, so the revocation has something to invalidate.
    expect((await w.verify(k.key)).body.code).toBe('VALID');
    expect((await admin.client.get('/v1/keys/self')).status).toBe(200);
    expect((await w.root.delete(`/v1/api-keys/${k.id}`)).status).toBe(204);
    expect((await w.verify(k.key)).body).toMatchObject({ valid: false, code: 'REVOKED', key_id: k.id });
    expect((await w.root.delete(`/v1/api-keys/${admin.id}`)).status).toBe(204);
    const refused = expectProblem(await admin.client.get('/v1/keys/self'), 401);
    expect(refused.detail).toMatch(/revoked/);
    expectProblem(await admin.client.get(`/v1/api-keys?project_id=${w.projectId}`), 401);
  });

  it("GET /v1/keys/self answers any role's own key object, and 401 for root or a bad key", async () => {
    const none = await w.keyClient('None');
    const self = await none.client.get('/v1/keys/self');
    expect(self.status).toBe(200);
    expect(self.body).toMatchObject({ id: none.id, project_id: w.projectId, role: 'None', status: 'active' });
    expect(self.body.key).toBeUndefined();
    expectProblem(await w.root.get('/v1/keys/self'), 401);
    expectProblem(await client(w.node.app).get('/v1/keys/self'), 401);
    expectProblem(await client(w.node.app, 'km_garbage').get('/v1/keys/self'), 401);
    const { mintKey } = await import('../../src/keys/material.js');
    expectProblem(await client(w.node.app, mintKey().plaintext).get('/v1/keys/self'), 401);
  });

  it('records last_used_at of a verified key in a batch', async () => {
    const k = (await w.createKey({})).body;
    w.node.clock.advance(5000);
    try {
      await w.verify(k.key);
      await w.node.km.usage.flush();
      expect((await w.root.get(`/v1/api-keys/${k.id}`)).body.last_used_at).toBe(new Date(w.node.clock.now()).toISOString());
    } finally {
      w.node.clock.advance(-5000);
    }
  });
});
