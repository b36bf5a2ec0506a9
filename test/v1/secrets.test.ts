// A key's plaintext exists only in the response that creates it: never in the database, never in the logs.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlitePath } from '../../src/store/db.js';
import { client } from '../support/client.js';
import { engines } from '../support/harness.js';
import { v1World, type V1World } from './fixtures.js';

describe.each(engines)('v1 plaintext keys on %s', (engine) => {
  let w: V1World;
  const webhookSecrets: string[] = [];
  beforeAll(async () => {
    w = await v1World(engine);
    // Every way a plaintext is handed out, and every way one comes back in.
    const env = (await w.root.post(`/v1/projects/${w.projectId}/environments`, { name: 'live', key_prefix: 'km_live' })).body;
    const admin = await w.keyClient('Admin');
    for (let i = 0; i < 5; i++) {
      const k = (await w.createKey({ environment_id: i % 2 ? env.id : null, scopes: ['s'] }, i % 2 ? admin.client : w.root)).body;
      await w.verify(k.key, { required_scopes: ['s'] });
      await client(w.node.app, k.key).get('/v1/keys/self');
      const r = (await w.rotate(k.id, { grace_period_minutes: i })).body;
      await w.verify(r.key);
      await w.verify(k.key);
      if (i % 2) await w.root.delete(`/v1/api-keys/${r.new_key_id}`);
    }
    const hooked = (await w.createKey({ rotation_interval_days: 1, rotation_webhook_url: 'https://hooks.example.com/k' })).body;
    webhookSecrets.push(hooked.rotation_webhook_secret);
    await w.verify(hooked.key);
    // Failures log too: a bad body next to a real key, an unknown route with a key as credential.
    await w.root.post('/v1/keys/verify', { key: hooked.key, required_scopes: 'nope' });
    await client(w.node.app, hooked.key).get('/v1/no-such-route');
    await w.node.km.usage.flush();
  });
  afterAll(() => w.close());

  it('created keys through every path', () => {
    expect(w.plaintexts.length).toBeGreaterThanOrEqual(12);
    expect(w.node.logs.length).toBeGreaterThan(20);
  });

  it('finds no plaintext key in the captured logs', () => {
    const logs = w.node.logs.join('');
    for (const p of [...w.plaintexts, ...webhookSecrets, w.node.rootKey]) expect(logs.includes(p), `a secret is in the logs`).toBe(false);
    // The search can succeed: request lines are there, with the ids of the keys involved.
    expect(logs).toContain('/v1/api-keys/');
  });

  it('redacts, in anything logged, every field the API documents as shown once, and the other secret-bearing names', async () => {
    const doc = (await w.node.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const shownOnce = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (typeof node !== 'object' || node === null) return;
      for (const [name, schema] of Object.entries((node as { properties?: Record<string, { description?: string }> }).properties ?? {})) {
        if (/shown once/i.test(schema.description ?? '')) shownOnce.add(name);
      }
      Object.values(node).forEach(walk);
    };
    walk(doc);
    expect([...shownOnce].sort()).toEqual(expect.arrayContaining(['key', 'rotation_webhook_secret', 'secret_access_key']));
    // The webhook body's `new_key`, and the names the code gives secrets inside.
    const fields = [...shownOnce, 'new_key', 'secretAccessKey', 'webhookSecret'];
    const before = w.node.logs.length;
    for (const f of fields) w.node.app.log.info({ body: { [f]: `SECRET-${f}` } }, 'redaction probe');
    const probes = w.node.logs.slice(before).join('');
    expect(probes).toContain('redaction probe');
    for (const f of fields) expect(probes, `${f} is logged`).not.toContain(`SECRET-${f}`);
  });

  it('finds no plaintext key in the stored data', async () => {
    let haystack: string;
    if (engine === 'sqlite') {
      const dir = dirname(sqlitePath(w.node.db.url));
      // The database file, its WAL and anything else in the data folder, byte for byte.
      haystack = readdirSync(dir).map((f) => readFileSync(join(dir, f)).toString('latin1')).join('\n');
      expect(haystack.length).toBeGreaterThan(4096);
    } else {
      const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = current_schema()`.execute(w.node.km.store.db);
      expect(tables.rows.map((t) => t.table_name)).toEqual(expect.arrayContaining(['api_keys', 'audit_events', 'changes']));
      const dumps: string[] = [];
      for (const { table_name } of tables.rows) {
        const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(table_name)} t`.execute(w.node.km.store.db);
        dumps.push(...rows.rows.map((r) => r.row));
      }
      haystack = dumps.join('\n');
    }
    // The search can succeed: the stored digests and display prefixes are there.
    const { digestKey } = await import('../../src/keys/material.js');
    expect(haystack).toContain(digestKey(w.plaintexts[0]));
    expect(haystack).toContain(w.plaintexts[0].slice(0, 11));
    for (const p of [...w.plaintexts, ...webhookSecrets]) expect(haystack.includes(p), 'a plaintext secret is stored').toBe(false);
  });
});
