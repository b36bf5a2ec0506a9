// Scheduled rotation end to end on a real database, with a real receiver on 127.0.0.1 that checks
// every signature with `standardwebhooks`, and a clock the test moves.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, RETRY_DELAYS_MS } from '../../src/rotation/retry.js';
import { client, type Client } from '../support/client.js';
import { engines, testNode, type TestNode } from '../support/harness.js';
import { expectNoPlaintext } from './support/raw.js';
import { type Receiver, startReceiver } from './support/receiver.js';

const DAY = 86_400_000;
const MINUTE = 60_000;

describe.each(engines)('scheduled rotation on %s', (engine) => {
  let node: TestNode;
  let root: Client;
  let projectId: string;
  let rx: Receiver;

  beforeAll(async () => {
    // The receiver listens on 127.0.0.1 over http: allowed only with KEYMINT_WEBHOOK_ALLOW_PRIVATE.
    node = await testNode(engine, { env: { KEYMINT_WEBHOOK_ALLOW_PRIVATE: 'true' } });
    root = client(node.app, node.rootKey);
    projectId = (await root.post('/v1/projects', { name: 'acme' })).body.id;
  });
  afterAll(() => node.close());
  beforeEach(async () => {
    rx = await startReceiver();
  });
  afterEach(async () => {
    // Keys of a finished test must not call a later test's receiver (which may get the same port).
    const live = (await root.get(`/v1/api-keys?project_id=${projectId}&limit=1000`)).body as { id: string }[];
    for (const k of live) await root.delete(`/v1/api-keys/${k.id}`);
    await tick();
    await rx.close();
  });

  async function rotatingKey(extra: Record<string, unknown> = {}) {
    const res = await root.post('/v1/api-keys', { project_id: projectId, name: `svc-${Math.random()}`, scopes: ['read'], rotation_interval_days: 1, rotation_webhook_url: `${rx.url}/hooks/keymint`, ...extra });
    expect(res.status).toBe(201);
    expect(res.body.rotation_webhook_secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    rx.secret = res.body.rotation_webhook_secret;
    return res.body as { id: string; key: string; next_rotation_at: string };
  }

  const verify = async (key: string) => (await root.post('/v1/keys/verify', { key })).body.code as string;
  const getKey = async (id: string) => (await root.get(`/v1/api-keys/${id}`)).body;
  const deliveries = async (id: string) => (await root.get(`/v1/api-keys/${id}/webhook-deliveries`)).body as any[];
  const tick = () => node.km.rotation.tick();
  const auditActions = async () => (await root.get(`/v1/audit-events?project_id=${projectId}&limit=1000`)).body.map((e: any) => `${e.action} ${e.target.id}`) as string[];
  const outboxOf = (keyId: string) => node.km.store.db.selectFrom('rotation_outbox').selectAll().where('old_key_id', '=', keyId).execute();

  it('a key given its first webhook by PATCH answers the signing secret once, and that secret verifies the delivery', async () => {
    const plain = await root.post('/v1/api-keys', { project_id: projectId, name: `later-${Math.random()}` });
    const patched = await root.patch(`/v1/api-keys/${plain.body.id}`, { rotation_interval_days: 1, rotation_webhook_url: `${rx.url}/hooks/keymint` });
    expect(patched.status).toBe(200);
    expect(patched.body.rotation_webhook_secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    rx.secret = patched.body.rotation_webhook_secret;
    // A later change of URL keeps the secret, so it is not shown again.
    const moved = await root.patch(`/v1/api-keys/${plain.body.id}`, { rotation_webhook_url: `${rx.url}/hooks/keymint?v=2` });
    expect(moved.body.rotation_webhook_secret).toBeUndefined();
    expect((await getKey(plain.body.id)).rotation_webhook_secret).toBeUndefined();
    node.clock.advance(DAY);
    await tick();
    expect(rx.received).toHaveLength(1);
    expect(rx.received[0].verifyError).toBeNull();
    const secret = patched.body.rotation_webhook_secret as string;
    expect(node.logs.join('')).not.toContain(secret.slice(6));
    await expectNoPlaintext(node.km, secret);
  });

  it('rotates a one-day key when its day is over: the receiver verifies the signature and gets a working key; the old key lasts its grace', async () => {
    const old = await rotatingKey();
    expect(Date.parse(old.next_rotation_at)).toBe(node.clock.now() + DAY);
    let stateWhileWaiting: string | null = null;
    rx.script = async (r) => {
      // Until the receiver answers, the successor must not verify, and the old key must.
      stateWhileWaiting = `${await verify(r.event.data.new_key)} ${await verify(old.key)}`;
      return { status: 200 };
    };

    node.clock.advance(DAY - 1000);
    await tick();
    expect(rx.received).toHaveLength(0);

    node.clock.advance(1000);
    const rotatedAt = node.clock.now();
    await tick();
    expect(rx.received).toHaveLength(1);
    const msg = rx.received[0];
    expect(msg.verifyError).toBeNull();
    expect(msg.path).toBe('/hooks/keymint');
    expect(msg.headers['webhook-id']).toMatch(/^msg_/);
    expect(msg.headers['webhook-signature']).toMatch(/^v1,/);
    expect(stateWhileWaiting).toBe('NOT_FOUND VALID');
    const { type, data } = msg.event;
    expect(type).toBe('api_key.rotated');
    expect(data).toMatchObject({ old_key_id: old.id, project_id: projectId, environment_id: null, rotated_at: new Date(rotatedAt).toISOString(), grace_expires_at: new Date(rotatedAt + DAY).toISOString() });
    expect(data.new_key_prefix).toBe(data.new_key.slice(0, data.new_key_prefix.length));

    // Committed: the successor verifies, the old key is in its 24-hour grace, the policy moved one day on.
    expect(await verify(data.new_key)).toBe('VALID');
    expect(await verify(old.key)).toBe('VALID');
    const oldNow = await getKey(old.id);
    expect(oldNow).toMatchObject({ status: 'grace', replaced_by_key_id: data.new_key_id, grace_expires_at: data.grace_expires_at, next_rotation_at: null });
    const next = await getKey(data.new_key_id);
    expect(next).toMatchObject({ status: 'active', name: oldNow.name, scopes: ['read'], rotation_interval_days: 1, next_rotation_at: new Date(rotatedAt + DAY).toISOString() });
    expect(await auditActions()).toContain(`api_key.rotated ${old.id}`);
    const listed = await deliveries(old.id);
    expect(listed).toEqual([expect.objectContaining({ webhook_id: msg.headers['webhook-id'], trigger: 'scheduled', attempt: 1, status_code: 200, outcome: 'delivered', new_key_id: data.new_key_id })]);
    expect(await deliveries(data.new_key_id)).toEqual(listed);
    await expectNoPlaintext(node.km, data.new_key);
    expect(node.logs.join('')).not.toContain(data.new_key);
    expect((await outboxOf(old.id))[0]).toMatchObject({ status: 'delivered', successor_enc: null });

    // The grace ends: the old key stops verifying; the successor does not.
    node.clock.advance(DAY - 1);
    expect(await verify(old.key)).toBe('VALID');
    node.clock.advance(1);
    expect(await verify(old.key)).toBe('ROTATED');
    expect(await verify(data.new_key)).toBe('VALID');
    // ...and the successor rotates in its turn, with the same secret.
    await tick();
    expect(rx.received).toHaveLength(2);
    expect(rx.received[1].verifyError).toBeNull();
    expect(rx.received[1].event.data.old_key_id).toBe(data.new_key_id);
  });

  it('honours rotation_grace_minutes', async () => {
    const old = await rotatingKey({ rotation_grace_minutes: 30 });
    node.clock.advance(DAY);
    const at = node.clock.now();
    await tick();
    expect(rx.received[0].event.data.grace_expires_at).toBe(new Date(at + 30 * MINUTE).toISOString());
    node.clock.advance(30 * MINUTE);
    expect(await verify(old.key)).toBe('ROTATED');
    expect((await root.patch(`/v1/api-keys/${rx.received[0].event.data.new_key_id}`, { rotation_grace_minutes: 10081 })).status).toBe(400);
  });

  /** A webhook-deliveries counter as /metrics shows it to Prometheus. */
  const deliveredMetric = async (outcome: string) => {
    const text = (await node.app.inject({ method: 'GET', url: '/metrics' })).body;
    return Number(new RegExp(`^keymint_webhook_deliveries_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  };

  it('500 then 200: retried after about 5 s with the same webhook-id and the same successor, committed once', async () => {
    const old = await rotatingKey();
    const [retriedBefore, deliveredBefore] = [await deliveredMetric('retrying'), await deliveredMetric('delivered')];
    rx.script = (_r, i) => ({ status: i === 0 ? 500 : 200 });
    node.clock.advance(DAY);
    const first = node.clock.now();
    await tick();
    expect(rx.received.map((r) => r.answered)).toEqual([500]);
    const newKey = rx.received[0].event.data.new_key;
    expect(await verify(newKey)).toBe('NOT_FOUND');
    expect(await verify(old.key)).toBe('VALID');
    const [retrying] = await deliveries(old.id);
    expect(retrying).toMatchObject({ attempt: 1, status_code: 500, outcome: 'retrying' });
    const nextAt = Date.parse(retrying.next_attempt_at);
    // 5 s with up to 10% jitter either way.
    expect(nextAt - first).toBeGreaterThanOrEqual(4500);
    expect(nextAt - first).toBeLessThanOrEqual(5500);

    node.clock.set(nextAt - 1);
    await tick();
    expect(rx.received).toHaveLength(1);
    node.clock.set(nextAt);
    await tick();
    expect(rx.received.map((r) => r.answered)).toEqual([500, 200]);
    expect(rx.received[1].verifyError).toBeNull();
    expect(rx.received[1].headers['webhook-id']).toBe(rx.received[0].headers['webhook-id']);
    expect(rx.received[1].event.data.new_key).toBe(newKey);
    expect(await verify(newKey)).toBe('VALID');
    expect((await deliveries(old.id)).map((d) => `${d.attempt} ${d.status_code} ${d.outcome}`)).toEqual(['2 200 delivered', '1 500 retrying']);
    expect((await auditActions()).filter((a) => a === `api_key.rotated ${old.id}`)).toHaveLength(1);
    expect([await deliveredMetric('retrying'), await deliveredMetric('delivered')]).toEqual([retriedBefore + 1, deliveredBefore + 1]);
    await expectNoPlaintext(node.km, newKey);
  });

  it('410: abandoned at once; the successor is destroyed, the old key keeps working and tries again one interval later', async () => {
    const old = await rotatingKey();
    rx.script = () => ({ status: 410 });
    node.clock.advance(DAY);
    const at = node.clock.now();
    await tick();
    const { new_key, new_key_id } = rx.received[0].event.data;
    expect(await verify(old.key)).toBe('VALID');
    expect(await verify(new_key)).toBe('NOT_FOUND');
    expect(await node.km.store.db.selectFrom('api_keys').select('id').where('id', '=', new_key_id).execute()).toEqual([]);
    expect(await getKey(old.id)).toMatchObject({ status: 'active', replaced_by_key_id: null, next_rotation_at: new Date(at + DAY).toISOString() });
    expect(await deliveries(old.id)).toEqual([expect.objectContaining({ attempt: 1, status_code: 410, outcome: 'abandoned' })]);
    expect(await auditActions()).toContain(`api_key.rotation_failed ${old.id}`);
    expect((await outboxOf(old.id))[0]).toMatchObject({ status: 'abandoned', successor_enc: null });
    await expectNoPlaintext(node.km, new_key);
    node.clock.advance(10 * 3_600_000);
    await tick();
    expect(rx.received).toHaveLength(1);
  });

  it('a receiver that never answers times out and is retried; the same successor then commits', async () => {
    const old = await rotatingKey();
    rx.script = (_r, i) => (i === 0 ? 'hang' : { status: 204 });
    // Shortened before the key falls due, so the background pass cannot start the attempt with 15 s.
    node.km.rotation.configure({ timeoutMs: 1000 });
    try {
      node.clock.advance(DAY);
      await tick();
    } finally {
      node.km.rotation.configure({ timeoutMs: 15_000 });
    }
    const [attempt] = await deliveries(old.id);
    expect(attempt).toMatchObject({ attempt: 1, status_code: null, outcome: 'retrying', error: 'no answer within 1 s' });
    const newKey = rx.received[0].event.data.new_key;
    expect(await verify(old.key)).toBe('VALID');
    expect(await verify(newKey)).toBe('NOT_FOUND');
    node.clock.set(Date.parse(attempt.next_attempt_at));
    await tick();
    expect(rx.received[1].event.data.new_key).toBe(newKey);
    expect(await verify(newKey)).toBe('VALID');
  });

  it('a 302 is a failure: not followed, retried later, the old key keeps working', async () => {
    const old = await rotatingKey();
    rx.script = (r) => (r.path === '/elsewhere' ? { status: 200 } : { status: 302, headers: { location: `${rx.url}/elsewhere` } });
    node.clock.advance(DAY);
    await tick();
    expect(rx.received.map((r) => r.path)).toEqual(['/hooks/keymint']);
    expect(await deliveries(old.id)).toEqual([expect.objectContaining({ status_code: 302, outcome: 'retrying' })]);
    expect(await verify(old.key)).toBe('VALID');
    expect(await verify(rx.received[0].event.data.new_key)).toBe('NOT_FOUND');
    expect(await getKey(old.id)).toMatchObject({ status: 'active', replaced_by_key_id: null });
  });

  it(`gives up after ${MAX_ATTEMPTS} failed attempts on the 5 s .. 10 h schedule; nothing of the successor remains`, async () => {
    const old = await rotatingKey();
    rx.script = () => ({ status: 503 });
    node.clock.advance(DAY);
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await tick();
      expect(rx.received).toHaveLength(i + 1);
      const [last] = await deliveries(old.id);
      if (i < RETRY_DELAYS_MS.length) {
        const wait = Date.parse(last.next_attempt_at) - node.clock.now();
        expect(wait).toBeGreaterThanOrEqual(RETRY_DELAYS_MS[i] * 0.9);
        expect(wait).toBeLessThanOrEqual(RETRY_DELAYS_MS[i] * 1.1);
        node.clock.advance(wait);
      }
    }
    const ids = new Set(rx.received.map((r) => r.headers['webhook-id']));
    const keys = new Set(rx.received.map((r) => r.event.data.new_key));
    expect([ids.size, keys.size]).toEqual([1, 1]);
    const listed = await deliveries(old.id);
    expect(listed.map((d) => d.outcome)).toEqual(['abandoned', ...Array(MAX_ATTEMPTS - 1).fill('retrying')]);
    expect(await verify(old.key)).toBe('VALID');
    expect(await getKey(old.id)).toMatchObject({ status: 'active', next_rotation_at: new Date(node.clock.now() + DAY).toISOString() });
    expect(await auditActions()).toContain(`api_key.rotation_failed ${old.id}`);
    await expectNoPlaintext(node.km, [...keys][0]);
  });

  it('a manual rotation of a key with a webhook delivers api_key.rotated with the key the caller got', async () => {
    const old = await rotatingKey();
    const rotated = await root.post(`/v1/api-keys/${old.id}/rotate`, { grace_period_minutes: 15 });
    expect(rotated.status).toBe(200);
    await tick();
    expect(rx.received).toHaveLength(1);
    expect(rx.received[0].verifyError).toBeNull();
    expect(rx.received[0].event.data).toMatchObject({ old_key_id: old.id, new_key_id: rotated.body.new_key_id, new_key: rotated.body.key, grace_expires_at: rotated.body.grace_expires_at });
    expect(await deliveries(old.id)).toEqual([expect.objectContaining({ trigger: 'manual', outcome: 'delivered', status_code: 200 })]);
    await expectNoPlaintext(node.km, rotated.body.key);
    // The successor carries the policy: no scheduled rotation of the replaced key remains.
    node.clock.advance(DAY);
    await tick();
    expect(rx.received.map((r) => r.event.data.old_key_id)).toEqual([old.id, rotated.body.new_key_id]);
  });

  it('a key revoked while its webhook is being retried is not rotated: the pending successor is destroyed on the next pass', async () => {
    const old = await rotatingKey();
    rx.script = () => ({ status: 500 });
    node.clock.advance(DAY);
    await tick();
    const { new_key, new_key_id } = rx.received[0].event.data;
    expect((await root.delete(`/v1/api-keys/${old.id}`)).status).toBe(204);
    // Cancelled on the next pass, not at the next retry (5 s here, hours later in the schedule).
    rx.script = () => ({ status: 200 });
    await tick();
    expect(rx.received).toHaveLength(1);
    expect((await deliveries(old.id))[0]).toMatchObject({ outcome: 'cancelled' });
    expect(await node.km.store.db.selectFrom('api_keys').select('id').where('id', '=', new_key_id).execute()).toEqual([]);
    expect(await verify(new_key)).toBe('NOT_FOUND');
    await expectNoPlaintext(node.km, new_key);
  });

  it('a scheduled successor keeps the rate limit, and takes a PATCH made while it waited (the drift of issue 10)', async () => {
    // One key at a time: the receiver checks one signing secret.
    const kept = await rotatingKey({ ratelimit: { limit: 5, duration_ms: 60_000 } });
    node.clock.advance(DAY);
    await tick();
    expect(rx.received).toHaveLength(1);
    expect(await getKey(rx.received[0].event.data.new_key_id)).toMatchObject({ status: 'active', ratelimit: { limit: 5, duration_ms: 60_000 }, scopes: ['read'] });
    await root.delete(`/v1/api-keys/${rx.received[0].event.data.new_key_id}`);
    await root.delete(`/v1/api-keys/${kept.id}`);

    const patched = await rotatingKey({ ratelimit: { limit: 5, duration_ms: 60_000 } });
    rx.script = async () => {
      // The delivery waits on the receiver: change the key's limit and scopes now, before answering.
      const res = await root.patch(`/v1/api-keys/${patched.id}`, { ratelimit: { limit: 9, duration_ms: 2_000 }, scopes: ['write'] });
      return { status: res.status === 200 ? 200 : 500 };
    };
    node.clock.advance(DAY);
    await tick();
    expect(rx.received).toHaveLength(2);
    expect(await getKey(rx.received[1].event.data.new_key_id)).toMatchObject({ status: 'active', ratelimit: { limit: 9, duration_ms: 2_000 }, scopes: ['write'] });
  });
});
