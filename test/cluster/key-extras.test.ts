// Issue 13's "Done when", black-box over HTTP against three real server processes on one PostgreSQL (and one
// Redis, then none): meta on verify, exact credits across nodes, IP allowlists, a verifier key.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mintKey, ROOT_PREFIX } from '../../src/keys/material.js';
import { freshDatabase, TEST_ENCRYPTION_KEY, type TestDatabase } from '../support/harness.js';
import { kill, type KeymintProcess, startNode } from './processes.js';

const postgres = inject('postgresUrl');
const redis = inject('redisUrl');
if (!postgres || !redis) console.log('[keymint tests] PostgreSQL or Redis unreachable: skipping the three-node key extras test');

type Node = KeymintProcess & { url: string };
const rootKey = mintKey(ROOT_PREFIX).plaintext;

async function call(node: Node, method: string, path: string, body?: unknown, token = rootKey) {
  const res = await fetch(node.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe.skipIf(!postgres || !redis).each(['with Redis', 'without Redis'])('three processes on one PostgreSQL, %s', (mode) => {
  let db: TestDatabase | undefined;
  const nodes: Node[] = [];
  let projectId: string;

  beforeAll(async () => {
    db = await freshDatabase('postgres');
    const env: Record<string, string> = { KEYMINT_DATABASE_URL: db.url, KEYMINT_ROOT_KEY: rootKey, KEYMINT_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY };
    if (mode === 'with Redis') Object.assign(env, { KEYMINT_REDIS_URL: redis!, KEYMINT_REDIS_PREFIX: `kmtest:${randomBytes(6).toString('hex')}:` });
    // Three processes compiling TypeScript at once on a busy machine: give them time.
    const started = await Promise.allSettled([0, 1, 2].map(() => startNode(env, 240_000)));
    for (const s of started) if (s.status === 'fulfilled') nodes.push(s.value);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    projectId = (await call(nodes[0], 'POST', '/v1/projects', { name: 'done-when' })).body.id;
  }, 300_000);

  afterAll(async () => {
    nodes.forEach(kill);
    await Promise.all(nodes.map((n) => n.exited));
    nodes.length = 0;
    await db?.drop();
  });

  it('a key with meta returns it on verify, from any node', async () => {
    const created = await call(nodes[0], 'POST', '/v1/api-keys', { project_id: projectId, name: 'meta', meta: { plan: 'pro', seats: 5 } });
    expect(created.status).toBe(201);
    for (const n of nodes) expect((await call(n, 'POST', '/v1/keys/verify', { key: created.body.key })).body).toMatchObject({ code: 'VALID', meta: { plan: 'pro', seats: 5 } });
  });

  it('remaining 5: exactly 5 VALID of 30 concurrent verifications over 3 nodes, then USAGE_EXCEEDED (3 runs)', async () => {
    for (let run = 0; run < 3; run++) {
      const created = await call(nodes[run], 'POST', '/v1/api-keys', { project_id: projectId, name: `metered-${run}`, credits: { remaining: 5, refill: null } });
      expect(created.status).toBe(201);
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => call(nodes[i % 3], 'POST', '/v1/keys/verify', { key: created.body.key })));
      const codes = answers.map((a) => a.body.code);
      console.log(`[key extras, ${mode}] run ${run + 1}: ${codes.filter((c) => c === 'VALID').length} VALID, ${codes.filter((c) => c === 'USAGE_EXCEEDED').length} USAGE_EXCEEDED of 30`);
      expect(codes.filter((c) => c === 'VALID')).toHaveLength(5);
      expect(codes.filter((c) => c === 'USAGE_EXCEEDED')).toHaveLength(25);
      expect((await call(nodes[(run + 1) % 3], 'POST', '/v1/keys/verify', { key: created.body.key })).body).toMatchObject({ valid: false, code: 'USAGE_EXCEEDED', credits: { remaining: 0 } });
      expect((await call(nodes[(run + 2) % 3], 'GET', `/v1/api-keys/${created.body.id}`)).body.credits).toEqual({ remaining: 0, refill: null });
    }
  });

  it('an allowlist ["10.1.0.0/16"] answers IP_NOT_ALLOWED for 10.2.0.1 and VALID for 10.1.2.3', async () => {
    const created = await call(nodes[1], 'POST', '/v1/api-keys', { project_id: projectId, name: 'allow', ip_allowlist: ['10.1.0.0/16'] });
    expect((await call(nodes[2], 'POST', '/v1/keys/verify', { key: created.body.key, client_ip: '10.2.0.1' })).body).toMatchObject({ valid: false, code: 'IP_NOT_ALLOWED' });
    expect((await call(nodes[0], 'POST', '/v1/keys/verify', { key: created.body.key, client_ip: '10.1.2.3' })).body).toMatchObject({ valid: true, code: 'VALID' });
  });

  it('a verifier key verifies a key of its project (200 VALID) and gets 403 on GET /v1/api-keys', async () => {
    const verifier = await call(nodes[0], 'POST', '/v1/verifier-keys', { name: 'gateway', project_id: projectId });
    expect(verifier.status).toBe(201);
    const key = await call(nodes[1], 'POST', '/v1/api-keys', { project_id: projectId, name: 'for-verifier' });
    const verified = await call(nodes[2], 'POST', '/v1/keys/verify', { key: key.body.key }, verifier.body.key);
    expect(verified.status).toBe(200);
    expect(verified.body.code).toBe('VALID');
    for (const n of nodes) expect((await call(n, 'GET', `/v1/api-keys?project_id=${projectId}`, undefined, verifier.body.key)).status).toBe(403);
  });
});
