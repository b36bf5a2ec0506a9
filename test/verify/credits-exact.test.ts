// Credits are exact across nodes: N concurrent verifications over three nodes against `remaining: k` give exactly
// k VALID, in Redis (a Lua script) and in the store (a conditional UPDATE), on both engines, repeated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/client.js';
import { engines, type TestNode, testNode } from '../support/harness.js';
import { redisEnv, redisUrl } from '../limits/support.js';

const modes = redisUrl ? (['store', 'redis'] as const) : (['store'] as const);
const cases = engines.flatMap((engine) => modes.map((mode) => [engine, mode] as const));

describe.each(cases)('credits on %s, spent in the %s, over three nodes', (engine, mode) => {
  const nodes: TestNode[] = [];
  let projectId: string;

  beforeAll(async () => {
    const env = mode === 'redis' ? redisEnv() : {};
    nodes.push(await testNode(engine, { env }));
    for (let i = 0; i < 2; i++) nodes.push(await testNode(engine, { env, db: nodes[0].db, rootKey: nodes[0].rootKey }));
    projectId = (await client(nodes[0].app, nodes[0].rootKey).post('/v1/projects', { name: 'metered' })).body.id;
  });
  afterAll(async () => {
    for (const n of nodes.slice(1)) await n.close();
    await nodes[0]?.close();
  });

  it.each([1, 2, 3, 4, 5])('remaining 5: exactly 5 of 30 concurrent verifications are VALID, then USAGE_EXCEEDED (run %i)', async (run) => {
    const root = client(nodes[0].app, nodes[0].rootKey);
    const created = await root.post('/v1/api-keys', { project_id: projectId, name: `k-${run}`, credits: { remaining: 5, refill: null } });
    expect(created.status).toBe(201);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => client(nodes[i % 3].app, nodes[0].rootKey).post('/v1/keys/verify', { key: created.body.key })),
    );
    const codes = answers.map((a) => a.body.code);
    expect(codes.filter((c) => c === 'VALID')).toHaveLength(5);
    expect(codes.filter((c) => c === 'USAGE_EXCEEDED')).toHaveLength(25);
    // Each credit was handed out once: the VALID answers saw 4, 3, 2, 1, 0 left.
    expect(answers.filter((a) => a.body.valid).map((a) => a.body.credits.remaining).sort()).toEqual([0, 1, 2, 3, 4]);
    for (const n of nodes) expect((await client(n.app, n.rootKey).get(`/v1/api-keys/${created.body.id}`)).body.credits.remaining).toBe(0);
    // What Redis counted reaches the store too (the backstop should Redis lose it).
    await Promise.all(nodes.map((n) => n.km.credits.flush()));
    const row = await nodes[0].km.store.db.selectFrom('credit_pools').select('remaining').where('id', '=', (await nodes[0].km.keys.findById(created.body.id))!.credit_pool_id!).executeTakeFirstOrThrow();
    expect(row.remaining).toBe(0);
    if (mode === 'redis') {
      // Redis did the counting (not the store fallback).
      const poolId = (await nodes[0].km.keys.findById(created.body.id))!.credit_pool_id!;
      expect(await nodes[0].km.limits.redis!.hget(`${nodes[0].km.config.redisPrefix}credits:${poolId}`, 'r')).toBe('0');
    }
  });

  it('a PATCH on one node resets the count every node spends from', async () => {
    const root = client(nodes[0].app, nodes[0].rootKey);
    const created = await root.post('/v1/api-keys', { project_id: projectId, name: 'reset', credits: { remaining: 1, refill: null } });
    for (const n of nodes) await client(n.app, n.rootKey).post('/v1/keys/verify', { key: created.body.key });
    expect((await client(nodes[1].app, nodes[0].rootKey).patch(`/v1/api-keys/${created.body.id}`, { credits: { remaining: 2, refill: null } })).status).toBe(200);
    await Promise.all(nodes.map((n) => n.km.feed.catchUp()));
    const codes = await Promise.all(nodes.map((n) => client(n.app, n.rootKey).post('/v1/keys/verify', { key: created.body.key }).then((r) => r.body.code)));
    expect(codes.sort()).toEqual(['USAGE_EXCEEDED', 'VALID', 'VALID']);
  });
});
