// POST /v1/api-keys/import and POST /v1/keys/usage on both engines: imported digests verify (even without
// Keymint's checksum, also on a node started after the import), imports are idempotent and all-or-nothing,
// racing imports of the same digests create each key once, and reported usage is counted.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/client.js';
import { engines, testNode } from '../support/harness.js';
import { expectProblem, type V1World, v1World } from './fixtures.js';

const sha = (k: string) => createHash('sha256').update(k).digest('hex');

describe.each(engines)('key import and reported usage (%s)', (engine) => {
  let w: V1World;
  beforeAll(async () => {
    w = await v1World(engine);
  });
  afterAll(() => w.close());

  it('imports digests that then verify, idempotently', async () => {
    const legacy = ['uk_3ZbH9wq1legacykey_one', 'uk_3ZbH9wq1legacykey_two'];
    const body = { project_id: w.projectId, keys: legacy.map((k, i) => ({ digest: sha(k).toUpperCase(), name: `legacy-${i}`, scopes: ['read'], role: 'Viewer' })) };
    const first = await w.root.post('/v1/api-keys/import', body);
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ created: 2, existing: 0 });
    const again = await w.root.post('/v1/api-keys/import', body);
    expect(again.body).toMatchObject({ created: 0, existing: 2 });
    expect(again.body.keys.map((k: { id: string }) => k.id)).toEqual(first.body.keys.map((k: { id: string }) => k.id));
    expect((await w.verify(legacy[0], { required_scopes: ['read'] })).body).toMatchObject({ valid: true, code: 'VALID', name: 'legacy-0', role: 'Viewer' });
    expect((await w.verify('uk_not_imported_at_all_000')).body.code).toBe('MALFORMED');
    const listed = await w.root.get(`/v1/api-keys?project_id=${w.projectId}`);
    expect(listed.body.find((k: { name: string }) => k.name === 'legacy-1')).toMatchObject({ key_prefix: 'imported', status: 'active' });
    const audit = await w.root.get(`/v1/audit-events?project_id=${w.projectId}`);
    expect(audit.body.filter((e: { action: string }) => e.action === 'api_key.imported')).toHaveLength(2);

    // A node that starts after the import knows that such keys exist.
    const later = await testNode(engine, { db: w.node.db, rootKey: w.node.rootKey });
    try {
      expect((await client(later.app, later.rootKey).post('/v1/keys/verify', { key: legacy[1] })).body.code).toBe('VALID');
    } finally {
      await later.close();
    }
  });

  it('refuses a bad batch whole, and digests of another project', async () => {
    const ok = { digest: sha('uk_batch_ok_0000000000'), name: 'batch-ok' };
    expectProblem(await w.root.post('/v1/api-keys/import', { project_id: w.projectId, keys: [ok, { digest: 'abc', name: 'x' }] }), 400);
    expectProblem(await w.root.post('/v1/api-keys/import', { project_id: w.projectId, keys: [ok, { ...ok, name: 'dup' }] }), 400);
    const live = await w.createKey({ name: 'taken' });
    expect(live.status).toBe(201);
    expectProblem(await w.root.post('/v1/api-keys/import', { project_id: w.projectId, keys: [ok, { digest: sha('uk_other_00000000000'), name: 'taken' }] }), 409);
    expect((await w.verify('uk_batch_ok_0000000000')).body.valid).toBe(false);
    const other = await w.root.post('/v1/projects', { name: 'other' });
    expectProblem(await w.root.post('/v1/api-keys/import', { project_id: other.body.id, keys: [{ digest: sha('uk_3ZbH9wq1legacykey_one'), name: 'steal' }] }), 409);
    const viewer = await w.keyClient('Viewer');
    expectProblem(await viewer.client.post('/v1/api-keys/import', { project_id: w.projectId, keys: [ok] }), 403);
    // An Admin key may import, but never a key above its own role (there is none above Admin: Admin is fine).
    const admin = await w.keyClient('Admin');
    const byAdmin = await admin.client.post('/v1/api-keys/import', { project_id: w.projectId, keys: [{ ...ok, role: 'Admin' }] });
    expect(byAdmin.status, byAdmin.text).toBe(200);
  });

  it('creates each digest once when imports race', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => ({ digest: sha(`uk_race_${i}_000000000000`), name: `race-${i}` }));
    const results = await Promise.all(Array.from({ length: 8 }, () => w.root.post('/v1/api-keys/import', { project_id: w.projectId, keys })));
    for (const r of results) expect([200, 409]).toContain(r.status);
    const ok = results.filter((r) => r.status === 200);
    expect(ok.reduce((n, r) => n + r.body.created, 0)).toBe(20);
    const listed = await w.root.get(`/v1/api-keys?project_id=${w.projectId}&limit=1000`);
    expect(listed.body.filter((k: { name: string }) => k.name.startsWith('race-'))).toHaveLength(20);
  });

  it('counts usage a local verifier reports, for its project only', async () => {
    const k = await w.createKey({ name: 'reported' });
    const at = new Date(w.node.clock.now() - 1_000).toISOString();
    const sent = await w.root.post('/v1/keys/usage', { project_id: w.projectId, entries: [{ key_id: k.body.id, at, outcome: 'VALID', count: 7 }, { key_id: k.body.id, at, outcome: 'REVOKED', count: 2 }] });
    expect(sent.status, sent.text).toBe(202);
    const usage = await w.root.get(`/v1/api-keys/${k.body.id}/usage?granularity=minute`);
    const sum = (o: string) => usage.body.buckets.reduce((n: number, b: { counts: Record<string, number> }) => n + b.counts[o], 0);
    expect([sum('VALID'), sum('REVOKED')]).toEqual([7, 2]);
    expect((await w.root.get(`/v1/api-keys/${k.body.id}`)).body.last_used_at).toBe(at);
    const other = await w.root.post('/v1/projects', { name: 'elsewhere' });
    expectProblem(await w.root.post('/v1/keys/usage', { project_id: other.body.id, entries: [{ key_id: k.body.id, at, outcome: 'VALID', count: 1 }] }), 400);
    expectProblem(await w.root.post('/v1/keys/usage', { project_id: w.projectId, entries: [{ key_id: k.body.id, at, outcome: 'BOGUS', count: 1 }] }), 400);
    const viewer = await w.keyClient('Viewer');
    expectProblem(await viewer.client.post('/v1/keys/usage', { project_id: w.projectId, entries: [] }), 403);
  });
});
