// Three real server processes on one PostgreSQL and one Redis, with a client spreading requests across them.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mintKey, ROOT_PREFIX } from '../../src/keys/material.js';
import { freshDatabase, redisPrefix, TEST_ENCRYPTION_KEY, type TestDatabase } from '../support/harness.js';
import { until } from '../limits/support.js';
import { kill, type KeymintProcess, startNode } from './processes.js';

const postgres = inject('postgresUrl');
const redis = inject('redisUrl');
if (!postgres || !redis) console.log('[keymint tests] PostgreSQL or Redis unreachable: skipping the three-node cluster test');

type Node = KeymintProcess & { url: string };
const rootKey = mintKey(ROOT_PREFIX).plaintext;

async function call(node: Node, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(node.url + path, {
    method,
    headers: { authorization: `Bearer ${rootKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

describe.skipIf(!postgres || !redis)('three nodes on one PostgreSQL and one Redis', () => {
  let db: TestDatabase | undefined;
  const nodes: Node[] = [];
  let turn = 0;
  /** The load balancer: round robin over the nodes still running. */
  const next = () => {
    const up = nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
    return up[turn++ % up.length];
  };
  let projectId: string;

  beforeAll(async () => {
    db = await freshDatabase('postgres');
    const env = {
      KEYMINT_DATABASE_URL: db.url,
      KEYMINT_REDIS_URL: redis!,
      KEYMINT_REDIS_PREFIX: redisPrefix(),
      KEYMINT_ROOT_KEY: rootKey,
      KEYMINT_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      // The test client plays the load balancer and names the client address in X-Forwarded-For.
      KEYMINT_TRUST_PROXY: '127.0.0.1',
    };
    // All three start together on a fresh schema: each runs the migrations, which must not collide.
    const started = await Promise.allSettled([0, 1, 2].map(() => startNode(env)));
    for (const s of started) if (s.status === 'fulfilled') nodes.push(s.value);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const project = await call(nodes[0], 'POST', '/v1/projects', { name: 'cluster' });
    expect(project.status).toBe(201);
    projectId = project.body.id;
  }, 240_000);

  afterAll(async () => {
    nodes.forEach(kill);
    await Promise.all(nodes.map((n) => n.exited));
    await db?.drop();
  });

  it('every node is ready, and any node answers for what another wrote', async () => {
    for (const n of nodes) expect((await call(n, 'GET', '/readyz')).body).toMatchObject({ status: 'ready', checks: { store: 'ok', migrations: 'ok', redis: 'ok' } });
    const created = await call(nodes[1], 'POST', '/v1/api-keys', { project_id: projectId, name: 'anywhere' });
    expect(created.status).toBe(201);
    expect((await call(nodes[2], 'GET', `/v1/api-keys/${created.body.id}`)).body.name).toBe('anywhere');
    expect((await call(nodes[0], 'POST', '/v1/keys/verify', { key: created.body.key })).body.code).toBe('VALID');
  });

  it('a key revoked on node 1 fails on nodes 2 and 3 within 1 s', async () => {
    const created = await call(nodes[0], 'POST', '/v1/api-keys', { project_id: projectId, name: 'to-revoke' });
    const key = created.body.key;
    // Nodes 2 and 3 have it cached as valid.
    for (const n of [nodes[1], nodes[2]]) {
      expect((await call(n, 'POST', '/v1/keys/verify', { key })).body.code).toBe('VALID');
      expect((await call(n, 'POST', '/v1/keys/verify', { key })).body.code).toBe('VALID');
    }
    expect((await call(nodes[0], 'DELETE', `/v1/api-keys/${created.body.id}`)).status).toBe(204);
    const revokedAt = Date.now();
    const seen = await Promise.all(
      [nodes[1], nodes[2]].map(async (n) => {
        for (;;) {
          const code = (await call(n, 'POST', '/v1/keys/verify', { key })).body.code;
          if (code === 'REVOKED') return Date.now() - revokedAt;
          if (Date.now() - revokedAt > 10_000) return Infinity;
          await new Promise((r) => setTimeout(r, 10));
        }
      }),
    );
    console.log(`[cluster] revocation seen on nodes 2 and 3 after ${seen.join(' and ')} ms`);
    expect(Math.max(...seen)).toBeLessThan(1_000);
  });

  it('a key limited to 100 per minute admits at most 102 verifications (and at least 100) spread across the three nodes', async () => {
    const created = await call(nodes[0], 'POST', '/v1/api-keys', { project_id: projectId, name: 'limited', ratelimit: { limit: 100, duration_ms: 60_000 } });
    expect(created.status).toBe(201);
    const codes: string[] = [];
    const perNode = new Map<string, number>();
    const total = 180;
    let sent = 0;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        while (sent < total) {
          sent++;
          const n = next();
          const res = await call(n, 'POST', '/v1/keys/verify', { key: created.body.key });
          codes.push(res.body.code);
          if (res.body.code === 'VALID') perNode.set(n.url, (perNode.get(n.url) ?? 0) + 1);
        }
      }),
    );
    const valid = codes.filter((c) => c === 'VALID').length;
    expect(codes).toHaveLength(total);
    expect(valid).toBeGreaterThanOrEqual(100);
    expect(valid).toBeLessThanOrEqual(102);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(total - valid);
    expect(perNode.size).toBe(3);
  });

  it('an address that fails to authenticate 10 times is locked out on every node, for bad credentials only', async () => {
    const from = { 'x-forwarded-for': '198.51.100.77' };
    for (let i = 0; i < 10; i++) {
      const res = await call(next(), 'GET', '/v1/projects', undefined, { ...from, authorization: `Bearer ${mintKey('km').plaintext}` });
      expect(res.status).toBe(401);
    }
    // Another made-up key from that address is refused on every node before any store lookup...
    const guess = () => ({ ...from, authorization: `Bearer ${mintKey('km').plaintext}` });
    for (const n of nodes) {
      await until(async () => (await call(n, 'GET', '/v1/projects', undefined, guess())).status === 429, 5_000, `${n.url} to lock the address`);
    }
    const locked = await call(nodes[0], 'GET', '/v1/projects', undefined, guess());
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // ...while a good credential from the same address still passes (issue 11: a neighbour cannot lock it out).
    expect((await call(nodes[1], 'GET', '/v1/projects', undefined, from)).status).toBe(200);
    // Everyone else goes on.
    expect((await call(nodes[0], 'GET', '/v1/projects', undefined, { 'x-forwarded-for': '198.51.100.78' })).status).toBe(200);
  });

  it('a node stopped with SIGKILL loses no write it had answered', async () => {
    const victim = nodes[2];
    const answered: { id: string; key: string }[] = [];
    let stop = false;
    await Promise.all(
      Array.from({ length: 4 }, async (_, w) => {
        for (let i = 0; !stop; i++) {
          try {
            const res = await call(victim, 'POST', '/v1/api-keys', { project_id: projectId, name: `sigkill-${w}-${i}` });
            if (res.status === 201) answered.push({ id: res.body.id, key: res.body.key });
          } catch {
            stop = true; // the node is gone: this request was never answered
          }
          if (answered.length >= 12 && !stop) {
            stop = true;
            victim.child.kill('SIGKILL');
          }
        }
      }),
    );
    await victim.exited;
    expect(answered.length).toBeGreaterThanOrEqual(12);
    const listed = await call(nodes[0], 'GET', `/v1/api-keys?project_id=${projectId}&limit=1000`);
    const ids = new Set(listed.body.map((k: { id: string }) => k.id));
    for (const a of answered) {
      expect(ids.has(a.id)).toBe(true);
      expect((await call(nodes[1], 'POST', '/v1/keys/verify', { key: a.key })).body.code).toBe('VALID');
    }
    // Nor did any node ever log a key.
    for (const n of nodes) {
      expect(n.output()).not.toContain(rootKey);
      for (const a of answered) expect(n.output()).not.toContain(a.key);
    }
  });
});
