// Migration 010 copies each key's last use out of api_keys into key_last_used: a store written before it keeps every
// key's last_used_at, on the v1 API and in its order, a later use still moves it forward, and the old column (kept for
// nodes of the older release during an upgrade) is no longer what the API shows.
import { afterAll, describe, expect, it } from 'vitest';
import { mintKey } from '../../src/keys/material.js';
import { migrator, openStore } from '../../src/store/db.js';
import { client } from '../support/client.js';
import { engines, freshDatabase, testNode, type TestNode } from '../support/harness.js';

describe.each(engines)('migration 010 (key_last_used) on %s', (engine) => {
  let node: TestNode | undefined;
  afterAll(async () => {
    await node?.close();
    await node?.db.drop();
  });

  it('keeps the last use of every key written before it', async () => {
    const db = await freshDatabase(engine);
    const store = openStore(db.url);
    const t = Date.now() - 3_600_000;
    const plain: Record<string, string> = {};
    try {
      const { error } = await (await migrator(store)).migrateTo('009_dashboard_sessions');
      expect(error).toBeUndefined();
      await store.db.insertInto('projects').values({ id: 'prj_a', name: 'a', workspace_id: 'g-000000000a', created_at: t, deleted_at: null }).execute();
      const used: Record<string, number | null> = { key_early: t + 1_000, key_late: t + 2_000, key_never: null };
      for (const [id, lastUsedAt] of Object.entries(used)) {
        const m = mintKey('km');
        plain[id] = m.plaintext;
        // The columns of api_keys at migration 009, last_used_at among them.
        await store.db
          .insertInto('api_keys')
          .values({
            id, project_id: 'prj_a', environment_id: null, name: id, key_prefix: m.displayPrefix, digest: m.digest, role: 'None', scopes: '[]',
            expires_at: null, created_at: t, revoked_at: null, replaced_by_key_id: null, grace_expires_at: null, rotation_interval_days: null,
            next_rotation_at: null, rotation_webhook_url: null, rotation_grace_minutes: null, webhook_secret_enc: null, ratelimit_limit: null,
            ratelimit_duration_ms: null, meta: null, ip_allowlist: null, credit_pool_id: null, owner_id: null, last_used_at: lastUsedAt,
          } as any)
          .execute();
      }
    } finally {
      await store.close();
    }

    node = await testNode(engine, { db });
    const root = client(node.app, node.rootKey);
    const lastUsed = async (id: string) => (await root.get(`/v1/api-keys/${id}`)).body.last_used_at;
    expect(await lastUsed('key_early')).toBe(new Date(t + 1_000).toISOString());
    expect(await lastUsed('key_late')).toBe(new Date(t + 2_000).toISOString());
    expect(await lastUsed('key_never')).toBeNull();
    const sorted = (await root.get('/v1/api-keys?project_id=prj_a&sort=last_used_at&order=desc')).body.map((k: { id: string }) => k.id);
    expect(sorted).toEqual(['key_late', 'key_early', 'key_never']);
    // A node of the older release, still running while the cluster upgrades, reads and writes the old column: it
    // still verifies, and what it writes there is not what the new release shows.
    await node.km.store.db.updateTable('api_keys').set({ last_used_at: t + 9_000 } as any).where('id', '=', 'key_early').execute();
    expect(await lastUsed('key_early')).toBe(new Date(t + 1_000).toISOString());

    // A use after the migration moves it forward; the others stay.
    expect((await root.post('/v1/keys/verify', { key: plain.key_never })).body.code).toBe('VALID');
    await node.km.usage.flush();
    expect(await lastUsed('key_never')).toBe(new Date(node.clock.now()).toISOString());
    expect(await lastUsed('key_early')).toBe(new Date(t + 1_000).toISOString());
  });
});
