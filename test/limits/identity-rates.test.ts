// An identity's rate limit is one window for all its keys, across nodes (Redis).
import { describe, expect, it } from 'vitest';
import { client } from '../support/client.js';
import { engines } from '../support/harness.js';
import { redisUrl, twoNodesWithRedis } from './support.js';

describe.skipIf(!redisUrl).each(engines)('identity rate limit shared by its keys on two nodes (%s)', (engine) => {
  const nodes = twoNodesWithRedis(engine);

  it('5 per minute across two keys and two nodes: exactly 5 VALID of 12', async () => {
    const a = client(nodes.a.app, nodes.a.rootKey);
    const b = client(nodes.b.app, nodes.b.rootKey);
    const project = (await a.post('/v1/projects', { name: 'shared' })).body;
    const idn = (await a.post('/v1/identities', { project_id: project.id, name: 'cust', ratelimit: { limit: 5, duration_ms: 60_000 } })).body;
    const k1 = (await a.post('/v1/api-keys', { project_id: project.id, name: 'k1', identity_id: idn.id })).body.key;
    const k2 = (await b.post('/v1/api-keys', { project_id: project.id, name: 'k2', identity_id: idn.id })).body.key;
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const node = i % 2 === 0 ? a : b;
      codes.push((await node.post('/v1/keys/verify', { key: i % 3 === 0 ? k1 : k2 })).body.code);
    }
    expect(codes.filter((c) => c === 'VALID')).toHaveLength(5);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(7);
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('VALID'));
  });
});
