// Two real server processes on one PostgreSQL: each due rotation is minted, delivered and committed by one node.
import { describe, expect, it } from 'vitest';
import { mintKey, ROOT_PREFIX } from '../../src/keys/material.js';
import { openStore } from '../../src/store/db.js';
import { engines, freshDatabase } from '../support/harness.js';
import { cleanedUpAfterEach, FileClock, http, startServerProcess } from './support/process.js';
import { startReceiver, waitUntil } from './support/receiver.js';

const DAY = 86_400_000;
const KEYS = 8;

describe.skipIf(!engines.includes('postgres'))('two nodes on one PostgreSQL', () => {
  const t = cleanedUpAfterEach();

  it('deliver each due rotation once', { timeout: 180_000 }, async () => {
    const db = (t.db = await freshDatabase('postgres'));
    const clock = new FileClock();
    const rootKey = mintKey(ROOT_PREFIX).plaintext;
    // A slow answer widens the window in which the other node could try the same delivery.
    const rx = (t.rx = await startReceiver(async () => {
      await new Promise((r) => setTimeout(r, 100));
      return { status: 200 };
    }));
    const [a, b] = await Promise.all([startServerProcess(db.url, clock, rootKey), startServerProcess(db.url, clock, rootKey)]);
    const apiA = http(a.url, rootKey);
    const apiB = http(b.url, rootKey);
    const project = (await apiA('POST', '/v1/projects', { name: 'acme' })).body.id;
    const created: { id: string; key: string }[] = [];
    for (let i = 0; i < KEYS; i++) {
      const res = await (i % 2 ? apiB : apiA)('POST', '/v1/api-keys', { project_id: project, name: `svc-${i}`, rotation_interval_days: 1, rotation_webhook_url: `${rx.url}/hook` });
      expect(res.status).toBe(201);
      // One receiver for every key: it verifies each message with that key's own secret.
      rx.secrets.set(res.body.id, res.body.rotation_webhook_secret);
      created.push({ id: res.body.id, key: res.body.key });
    }

    clock.advance(DAY);
    const store = (t.store = openStore(db.url));
    const delivered = async () => (await store.db.selectFrom('rotation_outbox').select('id').where('status', '=', 'delivered').execute()).length;
    await waitUntil(async () => (await delivered()) === KEYS, `${KEYS} committed rotations`, 60_000);
    // Give a would-be duplicate time to show up, with both nodes still polling every 100 ms.
    await new Promise((r) => setTimeout(r, 1000));

    const perKey = new Map<string, number>();
    for (const r of rx.received) {
      const oldId = JSON.parse(r.body).data.old_key_id as string;
      perKey.set(oldId, (perKey.get(oldId) ?? 0) + 1);
    }
    expect([...perKey.keys()].sort()).toEqual(created.map((c) => c.id).sort());
    expect([...perKey.values()].every((n) => n === 1)).toBe(true);
    expect(rx.received).toHaveLength(KEYS);
    expect(rx.received.map((r) => r.verifyError)).toEqual(Array(KEYS).fill(null));
    expect(new Set(rx.received.map((r) => r.headers['webhook-id'])).size).toBe(KEYS);

    const rows = await store.db.selectFrom('api_keys').select(['id', 'pending', 'replaced_by_key_id']).where('project_id', '=', project).execute();
    expect(rows).toHaveLength(2 * KEYS);
    expect(rows.filter((r) => r.pending === 1)).toEqual([]);
    const audit = (await apiB('GET', `/v1/audit-events?project_id=${project}&limit=1000`)).body.filter((e: any) => e.action === 'api_key.rotated');
    expect(audit).toHaveLength(KEYS);
    // Every successor verifies on both nodes, and so does every old key (in its grace).
    for (const r of rx.received) {
      const newKey = JSON.parse(r.body).data.new_key;
      expect((await apiA('POST', '/v1/keys/verify', { key: newKey })).body.code).toBe('VALID');
      expect((await apiB('POST', '/v1/keys/verify', { key: newKey })).body.code).toBe('VALID');
    }
    for (const c of created) expect((await apiB('POST', '/v1/keys/verify', { key: c.key })).body.code).toBe('VALID');
  });
});
