// The key repository's one rule that every rotation path shares: what a successor inherits. A column
// added to api_keys must be classified here (inherited, or the key's own), or this suite fails.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintKey } from '../../src/keys/material.js';
import * as keyRows from '../../src/store/api-keys.js';
import { engines, testNode, type TestNode } from '../support/harness.js';
import { noteLastUses } from '../../src/store/last-used.js';

/** Columns that belong to one key and never pass to its successor. */
const OWN_COLUMNS = ['num_id', 'id', 'key_prefix', 'digest', 'created_at', 'revoked_at', 'replaced_by_key_id', 'grace_expires_at', 'pending'];
/** Kept for nodes of an older release during an upgrade; no KeyRow reads it (migration 010). */
const RETIRED_COLUMNS = ['last_used_at'];

describe.each(engines)('key repository on %s', (engine) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await testNode(engine);
  });
  afterAll(() => node.close());

  it('every api_keys column is either inherited by a successor, the key\'s own, or retired', async () => {
    const tables = await node.km.store.db.introspection.getTables();
    // PostgreSQL lists every schema's tables (other suites' test schemas too): take this node's own.
    const schema = engine === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(node.km.store.db)).rows[0].s : undefined;
    const columns = tables.find((t) => t.name === 'api_keys' && (schema === undefined || t.schema === schema))!.columns.map((c) => c.name).sort();
    const inherited = Object.keys(keyRows.successorFields({} as keyRows.KeyRow, 0));
    expect([...inherited, ...OWN_COLUMNS, ...RETIRED_COLUMNS].sort()).toEqual(columns);
  });

  it('a successor, pending or not, carries every inherited field of its predecessor', async () => {
    const project = await node.km.projects.create('acme', { principal: { kind: 'root', id: 'r' }, ip: null });
    const now = node.clock.now();
    const owner = await node.km.owners.create({ kind: 'root', id: 'r' }, { project_id: project.id, name: 'owner', role: 'Editor' }, { principal: { kind: 'root', id: 'r' }, ip: null });
    const m = mintKey('km');
    const old = await keyRows.insert(node.km.store.db, {
      id: `key_${Math.random().toString(36).slice(2)}`,
      project_id: project.id,
      environment_id: null,
      name: 'svc',
      key_prefix: m.displayPrefix,
      digest: m.digest,
      role: 'Editor',
      scopes: '["read","write"]',
      expires_at: now + 10 * 86_400_000,
      created_at: now,
      revoked_at: null,
      replaced_by_key_id: null,
      grace_expires_at: null,
      rotation_interval_days: 3,
      next_rotation_at: now + 3 * 86_400_000,
      rotation_webhook_url: 'https://example.com/hook',
      rotation_grace_minutes: 15,
      webhook_secret_enc: 'sealed',
      ratelimit_limit: 7,
      ratelimit_duration_ms: 1_000,
      meta: '{"plan":"pro"}',
      ip_allowlist: '["10.0.0.0/8"]',
      credit_pool_id: 'crp_shared',
      owner_id: owner.id,
    });
    await noteLastUses(node.km.store.db, [[old.num_id, now]]);
    const later = now + 5_000;
    const pending = await keyRows.insertSuccessor(node.km.store.db, old, { id: `key_${Math.random().toString(36).slice(2)}`, ...mintKey('km') }, later, 1);
    // Made with name changed meanwhile, then activated: it takes the settings of the moment it goes live.
    await node.km.store.db.updateTable('api_keys').set({ name: 'svc-2', ratelimit_limit: 8 }).where('id', '=', old.id).execute();
    const renamed = (await keyRows.findById(node.km.store.db, old.id))!;
    const replaced = (await keyRows.replaceWithSuccessor(node.km.store.db, old.id, pending.id, later + 60_000))!;
    const active = (await keyRows.activateSuccessor(node.km.store.db, replaced, pending.id, later))!;
    const fields = keyRows.successorFields(renamed, later);
    expect(active).toMatchObject({ ...fields, pending: 0, last_used_at: null, revoked_at: null });
    expect(fields).toMatchObject({ owner_id: owner.id, meta: '{"plan":"pro"}', ip_allowlist: '["10.0.0.0/8"]', credit_pool_id: 'crp_shared', name: 'svc-2', ratelimit_limit: 8, ratelimit_duration_ms: 1_000, next_rotation_at: later + 3 * 86_400_000, rotation_grace_minutes: 15 });
    // A second replacement of the same key writes nothing.
    expect(await keyRows.replaceWithSuccessor(node.km.store.db, old.id, 'other', later)).toBeUndefined();
  });
});
