// Crash safety with a real server process: killed with SIGKILL after the successor is minted and
// before any delivery succeeded, restarted, and the same message delivered and committed once.
import { describe, expect, it } from 'vitest';
import { mintKey, ROOT_PREFIX } from '../../src/keys/material.js';
import { openStore } from '../../src/store/db.js';
import { engines, freshDatabase } from '../support/harness.js';
import { cleanedUpAfterEach, FileClock, http, startServerProcess } from './support/process.js';
import { startReceiver, waitUntil } from './support/receiver.js';

const DAY = 86_400_000;

describe.each(engines)('a server killed mid-rotation on %s', (engine) => {
  const t = cleanedUpAfterEach();

  it('delivers the same webhook-id and the same successor after a restart, commits once, and the old key verifies throughout', { timeout: 180_000 }, async () => {
    const db = (t.db = await freshDatabase(engine));
    const clock = new FileClock();
    const rootKey = mintKey(ROOT_PREFIX).plaintext;
    // The first delivery reaches the receiver and is never answered: the process dies waiting.
    const rx = (t.rx = await startReceiver((_r, i) => (i === 0 ? 'hang' : { status: 200 })));

    let server = await startServerProcess(db.url, clock, rootKey);
    let api = http(server.url, rootKey);
    const project = (await api('POST', '/v1/projects', { name: 'acme' })).body.id;
    const created = await api('POST', '/v1/api-keys', { project_id: project, name: 'billing', rotation_interval_days: 1, rotation_webhook_url: `${rx.url}/hook` });
    expect(created.status).toBe(201);
    rx.secret = created.body.rotation_webhook_secret;
    const oldKey = created.body.key as string;
    const oldVerifies = async () => (await api('POST', '/v1/keys/verify', { key: oldKey })).body.code;

    clock.advance(DAY + 1000);
    await rx.waitFor(() => rx.received.length === 1, 'the first delivery', 60_000);
    const first = rx.received[0];
    expect(first.verifyError).toBeNull();
    expect(await oldVerifies()).toBe('VALID');

    // What a crash leaves behind: the pending successor and its sealed plaintext, in the outbox.
    const store = (t.store = openStore(db.url));
    const [pending] = await store.db.selectFrom('rotation_outbox').selectAll().execute();
    expect(pending).toMatchObject({ id: first.headers['webhook-id'], status: 'pending', attempts: 0, new_key_id: first.event.data.new_key_id });
    expect(pending.successor_enc).toMatch(/^v1\./);
    expect(pending.successor_enc).not.toContain(first.event.data.new_key);

    await server.kill('SIGKILL');
    expect(server.child.signalCode).toBe('SIGKILL');

    server = await startServerProcess(db.url, clock, rootKey);
    api = http(server.url, rootKey);
    expect(await oldVerifies()).toBe('VALID');
    expect((await api('POST', '/v1/keys/verify', { key: first.event.data.new_key })).body.code).toBe('NOT_FOUND');

    // The dead node's lease runs out on the clock; the new process picks the delivery up.
    clock.advance(2 * 60_000);
    await rx.waitFor(() => rx.processed.size === 1, 'the delivery after the restart', 60_000);
    const second = rx.received[rx.received.length - 1];
    expect(second.verifyError).toBeNull();
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.event.data.new_key).toBe(first.event.data.new_key);
    expect(second.event.data.new_key_id).toBe(first.event.data.new_key_id);

    await waitUntil(async () => (await api('POST', '/v1/keys/verify', { key: first.event.data.new_key })).body.code === 'VALID', 'the commit');
    expect(await oldVerifies()).toBe('VALID');
    const audit = (await api('GET', `/v1/audit-events?project_id=${project}`)).body.map((e: any) => e.action);
    expect(audit.filter((a: string) => a === 'api_key.rotated')).toHaveLength(1);
    const keys = await store.db.selectFrom('api_keys').select(['id', 'pending', 'replaced_by_key_id']).where('project_id', '=', project).execute();
    expect(keys).toHaveLength(2);
    expect(keys.every((k) => k.pending === 0)).toBe(true);
    expect((await api('GET', `/v1/api-keys/${created.body.id}/webhook-deliveries`)).body).toEqual([
      expect.objectContaining({ webhook_id: first.headers['webhook-id'], outcome: 'delivered', status_code: 200 }),
    ]);
    const [done] = await store.db.selectFrom('rotation_outbox').selectAll().execute();
    expect(done).toMatchObject({ status: 'delivered', successor_enc: null });
    // Nothing more arrives: one message, processed once.
    clock.advance(60_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(new Set(rx.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(rx.processed.size).toBe(1);
  });
});
