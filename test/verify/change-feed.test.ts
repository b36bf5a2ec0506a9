// PostgreSQL assigns change numbers at insert but commits in any order: a change that lands late is still applied.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/client.js';
import { engines, testNode, type TestNode } from '../support/harness.js';

describe.skipIf(!engines.includes('postgres'))('change feed on postgres', () => {
  let node: TestNode;
  const clients: pg.Client[] = [];
  beforeAll(async () => {
    node = await testNode('postgres');
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
    await node.close();
  });

  const connect = async () => {
    const c = new pg.Client({ connectionString: node.db.url });
    await c.connect();
    clients.push(c);
    return c;
  };

  it('applies a change whose number was skipped because its transaction committed after a later one', async () => {
    const root = client(node.app, node.rootKey);
    const projectId = (await root.post('/v1/projects', { name: 'acme' })).body.id;
    const created = (await root.post('/v1/api-keys', { project_id: projectId, name: 'slow' })).body;
    const verify = async () => (await root.post('/v1/keys/verify', { key: created.key })).body.code;
    expect(await verify()).toBe('VALID'); // cached
    const digest = (await node.km.keys.findById(created.id))!.digest;
    const now = node.clock.now();

    // A revoke takes change number n but has not committed yet ...
    const slow = await connect();
    await slow.query('begin');
    await slow.query('update api_keys set revoked_at = $1 where id = $2', [now, created.id]);
    await slow.query(`insert into changes (at, kind, ref) values ($1, 'key', $2)`, [now, digest]);
    // ... while another change takes n + 1 and commits first; the node reads past n.
    const fast = await connect();
    await fast.query(`insert into changes (at, kind, ref) values ($1, 'key', 'unrelated')`, [now]);
    await node.km.feed.catchUp();
    expect(await verify()).toBe('VALID');

    await slow.query('commit');
    await node.km.feed.catchUp();
    expect(await verify()).toBe('REVOKED');
  });
});
