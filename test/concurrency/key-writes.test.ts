// Key writes racing the deletes of their parents, and each other, on both engines (issue 10). Each race
// is repeated for several rounds, with the delete sent among the writes, so that some writes land before
// it and some after. After each round the invariants are checked in the store itself:
//  - no live key under a deleted project, nor bound to a deleted environment;
//  - every successor carries what its predecessor has (one `successorFields`), however it was made;
//  - one audit event per acknowledged write, none for a refused one; never a 5xx.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as keyRows from '../../src/store/api-keys.js';
import { client, type Client, type Res } from '../support/client.js';
import { engines, testNode, type TestNode } from '../support/harness.js';
import { type Receiver, startReceiver } from '../rotation/support/receiver.js';

const ROUNDS = 5;
const WRITERS = 20;
const DAY = 86_400_000;
// Each test is many rounds of many requests: on a busy machine it needs longer than the default 30 s.
const SLOW = 240_000;

describe.each(engines)('key writes racing deletes on %s', (engine) => {
  let node: TestNode;
  let root: Client;
  beforeAll(async () => {
    node = await testNode(engine, { env: { KEYMINT_WEBHOOK_ALLOW_PRIVATE: 'true', KEYMINT_MANAGEMENT_RATE_LIMIT: '0' } });
    root = client(node.app, node.rootKey);
  }, SLOW);
  afterAll(() => node?.close(), SLOW);

  const db = () => node.km.store.db;
  const newProject = async () => {
    const res = await root.post('/v1/projects', { name: `p-${Math.random()}` });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const newKey = async (projectId: string, extra: Record<string, unknown> = {}) => {
    const res = await root.post('/v1/api-keys', { project_id: projectId, name: `k-${Math.random()}`, ...extra });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string; key: string };
  };
  /** Audit events of the project with this action (root sees a deleted project's history). */
  const audited = async (projectId: string, action: string) =>
    (await db().selectFrom('audit_events').select('target_id').where('project_id', '=', projectId).where('action', '=', action).execute()).map((e) => e.target_id);
  const unrevoked = (projectId: string) => db().selectFrom('api_keys').select('id').where('project_id', '=', projectId).where('revoked_at', 'is', null).execute();
  const statuses = (rs: Res[]) => rs.map((r) => r.status);
  /**
   * All writes sent at once; the delete is sent when `after` of them have been answered, while the rest
   * are still in flight (some before their transaction, some inside it).
   */
  const around = async <T>(writes: (() => Promise<T>)[], del: () => Promise<Res>, after: number): Promise<[T[], Res]> => {
    let answered = 0;
    let fire!: () => void;
    const trigger = new Promise<void>((ok) => (fire = ok));
    if (after === 0) fire();
    const all = Promise.all(
      writes.map((w) =>
        w().finally(() => {
          if (++answered === after) fire();
        }),
      ),
    );
    const d = trigger.then(del);
    return Promise.all([all, d]);
  };
  /** Where the delete lands, round by round: from before the first answer to the middle of the batch. */
  const cut = (round: number, n: number) => [0, 1, Math.floor(n / 4), Math.floor(n / 3), Math.floor(n / 2)][round % 5];
  /** The inherited fields of `old` and of its successor are the same (the rotation interval restarts at each's own time). */
  const expectSuccessorOf = (old: keyRows.KeyRow, next: keyRows.KeyRow) => {
    const { next_rotation_at: _a, ...want } = keyRows.successorFields(old, 0);
    const { next_rotation_at: _b, ...got } = keyRows.successorFields(next, 0);
    expect(got).toEqual(want);
  };

  it(`${WRITERS} creates (and Grafana creates, AWS pairs, environments) racing a project delete, ${ROUNDS} rounds: whatever was acknowledged before the delete is revoked with it`, async () => {
    let won = 0;
    let lost = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const projectId = await newProject();
      const creates = Array.from({ length: WRITERS }, (_, i) => () => root.post('/v1/api-keys', { project_id: projectId, name: `race-${i}`, role: 'Admin' }));
      const pairs = Array.from({ length: 3 }, () => () => root.post(`/v1/projects/${projectId}/aws-credentials`, {}));
      const envs = Array.from({ length: 3 }, (_, i) => () => root.post(`/v1/projects/${projectId}/environments`, { name: `env-${i}` }));
      // Grafana's create, with the project's own Admin key (which the delete revokes too).
      const admin = client(node.app, (await newKey(projectId, { role: 'Admin' })).key);
      const grafana = Array.from({ length: 4 }, (_, i) => () => admin.post('/api/auth/keys', { name: `g-${i}`, role: 'Viewer' }));
      const [all, del] = await around([...creates, ...pairs, ...envs, ...grafana], () => root.delete(`/v1/projects/${projectId}`), cut(round, WRITERS));
      const results = all.slice(0, WRITERS + 6);
      expect(del.status).toBe(204);
      for (const r of results) expect([201, 404], r.text).toContain(r.status);
      const viaGrafana = all.slice(WRITERS + 6);
      // Grafana's shape: 200 {id,name,key}; or the caller's key already revoked (401) or its project gone (404), as {message}.
      for (const r of viaGrafana) {
        expect([200, 401, 404], r.text).toContain(r.status);
        if (r.status !== 200) expect(r.body).toEqual(expect.objectContaining({ message: expect.any(String) }));
      }
      const keys = results.slice(0, WRITERS).filter((r) => r.status === 201);
      won += keys.length;
      lost += WRITERS - keys.length;

      expect(await unrevoked(projectId)).toEqual([]);
      for (const k of keys) expect((await root.post('/v1/keys/verify', { key: k.body.key })).body.code).not.toBe('VALID');
      // A key acknowledged before the delete no longer works as a credential either: 401, or 429 once the race's
      // own refused credentials have locked this address (a revoked key is never remembered as good).
      for (const k of keys.slice(0, 3)) expect([401, 429]).toContain((await client(node.app, k.body.key).get('/v1/keys/self')).status);
      const createdIds = await audited(projectId, 'api_key.created');
      // One event per acknowledged create: the v1 ones by id, the Grafana ones by count (they answer a numeric id), plus the Admin key.
      for (const k of keys) expect(createdIds).toContain(k.body.id);
      expect(createdIds).toHaveLength(keys.length + viaGrafana.filter((r) => r.status === 200).length + 1);
      for (const r of viaGrafana.filter((r) => r.status === 200)) expect((await root.post('/v1/keys/verify', { key: r.body.key })).body.code).not.toBe('VALID');
      const issued = results.slice(WRITERS, WRITERS + 3).filter((r) => r.status === 201);
      expect(await audited(projectId, 'aws_credential.created')).toHaveLength(issued.length);
      const signable = await db().selectFrom('aws_credentials').innerJoin('projects', 'projects.id', 'aws_credentials.project_id').select('access_key_id').where('projects.id', '=', projectId).where('projects.deleted_at', 'is', null).execute();
      expect(signable).toEqual([]);
      expect(await audited(projectId, 'environment.created')).toHaveLength(results.slice(WRITERS + 3).filter((r) => r.status === 201).length);
      // 404 answers are problem+json that say what is gone.
      for (const r of results.filter((r) => r.status === 404)) expect(r.body.detail).toMatch(/project .* was not found/);
    }
    // The race was real: over the rounds, creates landed on both sides of the delete.
    expect(won + lost).toBe(ROUNDS * WRITERS);
    console.log(`[concurrency ${engine}] creates vs project delete: ${won} acknowledged (then revoked), ${lost} refused with 404`);
  }, SLOW);

  it(`${WRITERS} creates bound to an environment racing its delete, ${ROUNDS} rounds: the delete is 409 if any key got in, else no key is bound to it`, async () => {
    const projectId = await newProject();
    const outcomes: Record<number, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      const env = (await root.post(`/v1/projects/${projectId}/environments`, { name: `env-${round}` })).body.id as string;
      const creates = Array.from({ length: WRITERS }, (_, i) => () => root.post('/v1/api-keys', { project_id: projectId, name: `r${round}-${i}`, environment_id: env }));
      const [results, del] = await around(creates, () => root.delete(`/v1/projects/${projectId}/environments/${env}`), cut(round, WRITERS));
      for (const r of results) expect([201, 400], r.text).toContain(r.status);
      const made = results.filter((r) => r.status === 201);
      outcomes[del.status] = (outcomes[del.status] ?? 0) + 1;
      const bound = await db().selectFrom('api_keys').select('id').where('environment_id', '=', env).where('revoked_at', 'is', null).execute();
      if (del.status === 204) {
        expect(bound).toEqual([]);
        expect(made).toEqual([]);
        for (const r of results) expect(r.body.errors?.[0]?.location).toBe('body.environment_id');
        expect(await audited(projectId, 'environment.deleted')).toContain(env);
      } else {
        expect(del.status, del.text).toBe(409);
        expect(del.body.detail).toMatch(/still has live keys/);
        expect(made.length).toBeGreaterThan(0);
        expect(bound.map((b) => b.id).sort()).toEqual(made.map((r) => r.body.id).sort());
        expect(await audited(projectId, 'environment.deleted')).not.toContain(env);
      }
      const created = new Set(await audited(projectId, 'api_key.created'));
      for (const r of made) expect(created.has(r.body.id)).toBe(true);
    }
    console.log(`[concurrency ${engine}] creates vs environment delete: delete answers ${JSON.stringify(outcomes)}`);
  }, SLOW);

  it(`rotations racing a project delete, ${ROUNDS} rounds: no successor outlives the project`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const projectId = await newProject();
      const keys = await Promise.all(Array.from({ length: 10 }, () => newKey(projectId, { scopes: ['a'], role: 'Editor', ratelimit: { limit: 3, duration_ms: 1_000 } })));
      const rotations = keys.map((k) => () => root.post(`/v1/api-keys/${k.id}/rotate`, { grace_period_minutes: 5 }));
      const [results, del] = await around(rotations, () => root.delete(`/v1/projects/${projectId}`), cut(round, rotations.length));
      expect(del.status).toBe(204);
      for (const r of results) expect([200, 404], r.text).toContain(r.status);
      expect(await unrevoked(projectId)).toEqual([]);
      const rotated = results.filter((r) => r.status === 200);
      expect((await audited(projectId, 'api_key.rotated')).sort()).toEqual(rotated.map((r) => r.body.old_key_id).sort());
      for (const r of rotated) {
        expect((await root.post('/v1/keys/verify', { key: r.body.key })).body.code).not.toBe('VALID');
        expectSuccessorOf((await keyRows.findById(db(), r.body.old_key_id))!, (await keyRows.findById(db(), r.body.new_key_id))!);
      }
    }
  }, SLOW);

  it(`revokes racing rotations of the same keys, ${ROUNDS} rounds: each key ends revoked, each acknowledged rotation left one live successor`, async () => {
    const projectId = await newProject();
    for (let round = 0; round < ROUNDS; round++) {
      const keys = await Promise.all(Array.from({ length: 10 }, () => newKey(projectId, { scopes: ['x'], ratelimit: { limit: 2, duration_ms: 5_000 } })));
      // Per key, a rotation and a revoke at once (in either order of sending).
      const pairs = await Promise.all(
        keys.map(async (k, i) => {
          const rotate = () => root.post(`/v1/api-keys/${k.id}/rotate`, { grace_period_minutes: 5 });
          const revoke = () => root.delete(`/v1/api-keys/${k.id}`);
          const [rot, rev] = i % 2 === 0 ? await Promise.all([rotate(), revoke()]) : (await Promise.all([revoke(), rotate()])).reverse();
          return { rot, rev };
        }),
      );
      for (const { rot, rev } of pairs) {
        expect(rev.status, rev.text).toBe(204);
        expect([200, 409], rot.text).toContain(rot.status);
      }
      const rotations = pairs.map((p) => p.rot);
      const revokedEvents = await audited(projectId, 'api_key.revoked');
      const rotatedEvents = await audited(projectId, 'api_key.rotated');
      for (const k of keys) {
        const row = (await keyRows.findById(db(), k.id))!;
        expect(row.revoked_at).not.toBeNull();
        expect(revokedEvents.filter((id) => id === k.id)).toHaveLength(1);
        const rotation = rotations.find((r) => r.status === 200 && r.body.old_key_id === k.id);
        expect(rotatedEvents.filter((id) => id === k.id)).toHaveLength(rotation ? 1 : 0);
        if (rotation) {
          const next = (await keyRows.findById(db(), rotation.body.new_key_id))!;
          expect(next.revoked_at).toBeNull();
          expectSuccessorOf(row, next);
          expect((await root.post('/v1/keys/verify', { key: rotation.body.key })).body.code).toBe('VALID');
          await root.delete(`/v1/api-keys/${next.id}`);
        } else {
          expect(row.replaced_by_key_id).toBeNull();
        }
      }
    }
  }, SLOW);

  describe('a PATCH racing the commit of a scheduled rotation', () => {
    let rx: Receiver;
    beforeEach(async () => {
      rx = await startReceiver();
    });
    afterEach(() => rx.close());

    it(`${ROUNDS} rounds: the successor carries the old key's final rate limit and scopes, whichever won`, async () => {
      const projectId = await newProject();
      const outcomes: Record<number, number> = {};
      let acknowledged = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const keys: { id: string }[] = [];
        for (let i = 0; i < 4; i++) {
          const res = await root.post('/v1/api-keys', {
            project_id: projectId,
            name: `sched-${round}-${i}`,
            scopes: ['old'],
            ratelimit: { limit: 5, duration_ms: 60_000 },
            rotation_interval_days: 1,
            rotation_webhook_url: `${rx.url}/hook`,
          });
          expect(res.status).toBe(201);
          rx.secrets.set(res.body.id, res.body.rotation_webhook_secret);
          keys.push(res.body);
        }
        const patches: Promise<Res>[] = [];
        // Each delivery sends its PATCH and answers 200 at once: the PATCH and the commit race.
        rx.script = (r) => {
          patches.push(root.patch(`/v1/api-keys/${r.event.data.old_key_id}`, { ratelimit: { limit: 9, duration_ms: 2_000 }, scopes: ['new'] }));
          return { status: 200 };
        };
        node.clock.advance(DAY);
        await node.km.rotation.tick();
        const answered = await Promise.all(patches);
        expect(answered).toHaveLength(keys.length);
        for (const p of answered) {
          expect([200, 409], p.text).toContain(p.status);
          outcomes[p.status] = (outcomes[p.status] ?? 0) + 1;
        }
        for (const k of keys) {
          const old = (await keyRows.findById(db(), k.id))!;
          expect(old.replaced_by_key_id, 'the rotation committed').not.toBeNull();
          const next = (await keyRows.findById(db(), old.replaced_by_key_id!))!;
          expect(next.pending).toBe(0);
          expectSuccessorOf(old, next);
          const patched = answered.find((p) => p.status === 200 && p.body.id === k.id);
          expect(next.ratelimit_limit).toBe(patched ? 9 : 5);
        }
        acknowledged += answered.filter((p) => p.status === 200).length;
        expect(await audited(projectId, 'api_key.updated')).toHaveLength(acknowledged);
        // The next round's keys only: retire this round's successors (their next rotation would call the receiver again).
        for (const k of keys) await root.delete(`/v1/api-keys/${(await keyRows.findById(db(), k.id))!.replaced_by_key_id}`);
      }
      console.log(`[concurrency ${engine}] PATCH vs scheduled commit: ${JSON.stringify(outcomes)}`);
    }, SLOW);
  });
});
