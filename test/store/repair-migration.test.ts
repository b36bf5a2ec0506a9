// Migration 005 on a store the old race left behind: live keys under a deleted project or bound to a
// deleted environment are revoked (audited as `system`), everything else is left alone, and the node's
// log says how many it revoked.
import { afterAll, describe, expect, it } from 'vitest';
import { mintKey } from '../../src/keys/material.js';
import { migrator, openStore } from '../../src/store/db.js';
import * as keyRows from '../../src/store/api-keys.js';
import { client } from '../support/client.js';
import { engines, freshDatabase, testNode, type TestNode } from '../support/harness.js';

describe.each(engines)('migration 005 (revoke orphaned keys) on %s', (engine) => {
  let node: TestNode | undefined;
  afterAll(async () => {
    await node?.close();
    await node?.db.drop();
  });

  it('revokes live keys under a deleted project or a deleted environment, audits each as system, and logs the count', async () => {
    const db = await freshDatabase(engine);
    const store = openStore(db.url);
    const plain: Record<string, string> = {};
    try {
      const { error } = await (await migrator(store)).migrateTo('004_key_ratelimits');
      expect(error).toBeUndefined();
      const t = Date.now();
      await store.db
        .insertInto('projects')
        .values([
          { id: 'prj_gone', name: 'gone', workspace_id: 'g-000000000a', created_at: t - 10_000, deleted_at: t - 5_000 },
          { id: 'prj_live', name: 'live', workspace_id: 'g-000000000b', created_at: t - 10_000, deleted_at: null },
        ])
        .execute();
      await store.db.insertInto('environments').values({ id: 'env_kept', project_id: 'prj_live', name: 'prod', key_prefix: null, created_at: t }).execute();
      const key = async (id: string, project: string, extra: Partial<keyRows.KeyRow> = {}) => {
        const m = mintKey('km');
        plain[id] = m.plaintext;
        // Inserted as the schema of migration 004 has it, without the repository (which reads later tables).
        await store.db.insertInto('api_keys').values({
          id, project_id: project, environment_id: null, name: id, key_prefix: m.displayPrefix, digest: m.digest, role: 'None', scopes: '[]', expires_at: null,
          created_at: t, revoked_at: null, replaced_by_key_id: null, grace_expires_at: null, rotation_interval_days: null, next_rotation_at: null,
          rotation_webhook_url: null, rotation_grace_minutes: null, webhook_secret_enc: null, last_used_at: null, ratelimit_limit: null, ratelimit_duration_ms: null,
          ...extra,
          // Written at migration 004: no later column (owner_id from 007, meta/ip_allowlist/credit_pool_id from 008) exists yet.
        } as keyRows.NewKeyRow).execute();
      };
      await key('key_orphan1', 'prj_gone');
      await key('key_orphan2', 'prj_gone', { replaced_by_key_id: 'key_orphan1', grace_expires_at: t + 3_600_000 }); // in grace: still verifies
      await key('key_envgone', 'prj_live', { environment_id: 'env_deleted' });
      await key('key_revoked', 'prj_gone', { revoked_at: t - 5_000 });
      await key('key_rotatedout', 'prj_gone', { name: 'old', replaced_by_key_id: 'key_orphan1', grace_expires_at: t - 1 });
      await key('key_healthy', 'prj_live', { environment_id: 'env_kept' });
      await key('key_healthy2', 'prj_live');
    } finally {
      await store.close();
    }

    node = await testNode(engine, { db });
    const root = client(node.app, node.rootKey);
    expect(node.logs.join('')).toContain('migration 005: revoked 3 live key(s) left under deleted parents (2 under a deleted project, 1 bound to a deleted environment)');
    const code = async (id: string) => (await root.post('/v1/keys/verify', { key: plain[id] })).body.code;
    expect(await code('key_orphan1')).toBe('REVOKED');
    expect(await code('key_orphan2')).toBe('REVOKED');
    expect(await code('key_envgone')).toBe('REVOKED');
    expect(await code('key_healthy')).toBe('VALID');
    expect(await code('key_healthy2')).toBe('VALID');
    const events = (await root.get('/v1/audit-events?limit=1000')).body as any[];
    const revoked = events.filter((e) => e.action === 'api_key.revoked');
    expect(revoked.map((e) => e.target.id).sort()).toEqual(['key_envgone', 'key_orphan1', 'key_orphan2']);
    for (const e of revoked) expect(e.actor.type).toBe('system');
    // Untouched: the already revoked key keeps its own instant, the rotated-out one stays unrevoked.
    const byId = async (id: string) => keyRows.findById(node!.km.store.db, id);
    expect((await byId('key_revoked'))!.revoked_at).toBeLessThan(Date.now() - 4_000);
    expect((await byId('key_rotatedout'))!.revoked_at).toBeNull();
  });
});
