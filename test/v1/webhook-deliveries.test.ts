// GET /v1/api-keys/{id}/webhook-deliveries (src/surfaces/v1/webhook-deliveries.ts): the attempts of a key's
// rotation webhooks, newest first, paged; for the key's managers only. A real receiver on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/client.js';
import { engines } from '../support/harness.js';
import { type Receiver, startReceiver } from '../rotation/support/receiver.js';
import { expectProblem, useV1World } from './fixtures.js';

describe.each(engines)('v1 webhook deliveries on %s', (engine) => {
  const w = useV1World(engine, { env: { KEYMINT_WEBHOOK_ALLOW_PRIVATE: 'true' } });
  let rx: Receiver;
  beforeAll(async () => {
    rx = await startReceiver();
  });
  afterAll(() => rx.close());

  it('lists the notice of a manual rotation under the old and the new key, with its status code and outcome', async () => {
    const key = await w.createKey({ rotation_interval_days: 30, rotation_webhook_url: `${rx.url}/hook` });
    expect(key.status).toBe(201);
    rx.secrets.set(key.body.id, key.body.rotation_webhook_secret);
    const rotated = await w.rotate(key.body.id);
    expect(rotated.status).toBe(200);
    await w.node.km.rotation.tick();
    await rx.waitFor(() => rx.received.length === 1, 'the rotation notice');
    const listed = await w.root.get(`/v1/api-keys/${key.body.id}/webhook-deliveries`);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([
      expect.objectContaining({ trigger: 'manual', attempt: 1, status_code: 200, outcome: 'delivered', old_key_id: key.body.id, new_key_id: rotated.body.new_key_id, event_type: 'api_key.rotated' }),
    ]);
    expect((await w.root.get(`/v1/api-keys/${rotated.body.new_key_id}/webhook-deliveries`)).body).toEqual(listed.body);
  });

  it('needs a manager of the key, answers 404 for an unknown key and 400 for a bad page size', async () => {
    const key = await w.createKey({});
    const viewer = await w.keyClient('Viewer');
    expectProblem(await viewer.client.get(`/v1/api-keys/${key.body.id}/webhook-deliveries`), 403);
    expectProblem(await client(w.node.app).get(`/v1/api-keys/${key.body.id}/webhook-deliveries`), 401);
    expectProblem(await w.root.get('/v1/api-keys/key_nope/webhook-deliveries'), 404);
    expectProblem(await w.root.get(`/v1/api-keys/${key.body.id}/webhook-deliveries?limit=0`), 400);
    expect((await w.root.get(`/v1/api-keys/${key.body.id}/webhook-deliveries`)).body).toEqual([]);
  });
});
