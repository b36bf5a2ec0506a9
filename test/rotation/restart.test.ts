// A node that stops between minting a successor and delivering it, or in the middle of a delivery:
// the next node sends the same message, and the old key keeps working meanwhile.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/util/clock.js';
import { client } from '../support/client.js';
import { engines, freshDatabase, testNode, type TestDatabase, type TestNode } from '../support/harness.js';
import { expectNoPlaintext } from './support/raw.js';
import { type Receiver, startReceiver } from './support/receiver.js';

const DAY = 86_400_000;
const env = { KEYMINT_WEBHOOK_ALLOW_PRIVATE: 'true' };

describe.each(engines)('restarts on %s', (engine) => {
  let db: TestDatabase;
  let rx: Receiver;
  const nodes: TestNode[] = [];
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.close().catch(() => {});
    await rx?.close();
    await db?.drop();
  });

  async function setup() {
    db = await freshDatabase(engine);
    const clock = new ManualClock();
    const a = await testNode(engine, { db, clock, env });
    nodes.push(a);
    rx = await startReceiver();
    const root = client(a.app, a.rootKey);
    const project = (await root.post('/v1/projects', { name: 'acme' })).body.id;
    const key = (await root.post('/v1/api-keys', { project_id: project, name: 'svc', rotation_interval_days: 1, rotation_webhook_url: `${rx.url}/hook` })).body;
    rx.secret = key.rotation_webhook_secret;
    return { a, clock, key };
  }

  it('a successor minted by a node that then stops is delivered by the next node, the same one', async () => {
    const { a, clock, key } = await setup();
    await a.km.rotation.stop();
    clock.advance(DAY);
    const [due] = await a.km.rotation.outbox.dueKeys(clock.now(), 10);
    const minted = await a.km.rotation.outbox.mintPending(due.id, due.next_rotation_at, clock.now());
    expect(minted).not.toBeNull();
    // A second claim of the same due time (another node, a second pass) mints nothing.
    expect(await a.km.rotation.outbox.mintPending(due.id, due.next_rotation_at, clock.now())).toBeNull();
    const successor = a.km.rotation.outbox.openSuccessor(minted!);
    await a.close();
    nodes.length = 0;

    const b = await testNode(engine, { db, clock, env, rootKey: a.rootKey });
    nodes.push(b);
    const root = client(b.app, b.rootKey);
    expect((await root.post('/v1/keys/verify', { key: key.key })).body.code).toBe('VALID');
    await b.km.rotation.tick();
    expect(rx.received).toHaveLength(1);
    expect(rx.received[0].verifyError).toBeNull();
    expect(rx.received[0].headers['webhook-id']).toBe(minted!.id);
    expect(rx.received[0].event.data).toMatchObject({ new_key: successor, new_key_id: minted!.new_key_id });
    expect((await root.post('/v1/keys/verify', { key: successor })).body.code).toBe('VALID');
    expect((await root.post('/v1/keys/verify', { key: key.key })).body.code).toBe('VALID');
    await expectNoPlaintext(b.km, successor);
  });

  it('stopping a node mid-delivery gives its lease back without counting an attempt', async () => {
    const { a, clock, key } = await setup();
    rx.script = (_r, i) => (i === 0 ? 'hang' : { status: 200 });
    clock.advance(DAY);
    const pass = a.km.rotation.tick();
    await rx.waitFor(() => rx.received.length === 1, 'the first delivery');
    await a.km.rotation.stop();
    await pass;
    const [row] = await a.km.store.db.selectFrom('rotation_outbox').selectAll().execute();
    expect(row).toMatchObject({ status: 'pending', attempts: 0, lease_until: null });
    expect(await a.km.store.db.selectFrom('webhook_deliveries').selectAll().execute()).toEqual([]);
    await a.close();
    nodes.length = 0;

    // The next node delivers at once: no lease to wait out.
    const b = await testNode(engine, { db, clock, env, rootKey: a.rootKey });
    nodes.push(b);
    await b.km.rotation.tick();
    expect(rx.received.map((r) => r.headers['webhook-id'])).toEqual([row.id, row.id]);
    expect(rx.received[1].event.data.new_key).toBe(rx.received[0].event.data.new_key);
    expect((await client(b.app, b.rootKey).get(`/v1/api-keys/${key.id}`)).body.status).toBe('grace');
  });
});
