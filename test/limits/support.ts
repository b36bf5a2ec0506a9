// Shared by the limits suites: a project with a key, Redis settings per test, polling with a deadline.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import type { Client } from '../support/client.js';
import { type EngineName, redisPrefix, testNode, type TestNode } from '../support/harness.js';

export const redisUrl = inject('redisUrl');

/** Redis settings with a prefix of their own, so parallel suites never share counters. */
export function redisEnv(): Record<string, string> {
  return { KEYMINT_REDIS_URL: redisUrl!, KEYMINT_REDIS_PREFIX: redisPrefix() };
}

export async function projectWithKey(root: Client, key: Record<string, unknown> = {}) {
  const project = await root.post('/v1/projects', { name: `p-${randomBytes(4).toString('hex')}` });
  if (project.status !== 201) throw new Error(`project: ${project.status} ${project.text}`);
  const created = await root.post('/v1/api-keys', { project_id: project.body.id, name: 'svc', ...key });
  if (created.status !== 201) throw new Error(`key: ${created.status} ${created.text}`);
  return { projectId: project.body.id as string, key: created.body.key as string, keyId: created.body.id as string, created: created.body };
}

/** Calls `probe` until it returns true, or fails after `ms`. */
export async function until(probe: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Runs `attempt` until one run of it keeps its timed part (from its call of `start` to its end) inside `windowMs`.
 * Limits count in real time, so on a starved machine an attempt that outlasted the window proves nothing either way;
 * a failure inside the window is a real one and is thrown at once. Each attempt must set up fresh state (a new key).
 */
export async function inOneWindow<T>(windowMs: number, attempt: (start: () => void) => Promise<T>, tries = 5): Promise<T> {
  for (let i = 1; ; i++) {
    let started = Date.now();
    try {
      return await attempt(() => (started = Date.now()));
    } catch (e) {
      if (Date.now() - started <= windowMs || i >= tries) throw e;
    }
  }
}

/** Two nodes on one database and one Redis prefix, for the surrounding describe block. */
export function twoNodesWithRedis(engine: EngineName, env: Record<string, string> = {}): { a: TestNode; b: TestNode } {
  const nodes = {} as { a: TestNode; b: TestNode };
  beforeAll(async () => {
    const shared = { ...redisEnv(), ...env };
    nodes.a = await testNode(engine, { env: shared });
    nodes.b = await testNode(engine, { env: shared, db: nodes.a.db, rootKey: nodes.a.rootKey });
  });
  afterAll(async () => {
    await nodes.b?.close();
    await nodes.a?.close();
  });
  return nodes;
}
