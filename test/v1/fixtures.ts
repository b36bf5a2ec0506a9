// What most v1 suites start from: a node on a fresh database, a root client, a project.
import { afterAll, beforeAll, expect } from 'vitest';
import { client, type Client, type Res } from '../support/client.js';
import { type EngineName, testNode, type TestNode } from '../support/harness.js';

export interface V1World {
  node: TestNode;
  root: Client;
  projectId: string;
  /** Every plaintext key a response handed out, for the "never stored, never logged" check. */
  plaintexts: string[];
  /** Creates a key through the API (as root unless `as` is given) and remembers its plaintext. */
  createKey(body: Record<string, unknown>, as?: Client): Promise<Res>;
  rotate(keyId: string, body?: Record<string, unknown>, as?: Client): Promise<Res>;
  /** A client authenticated with a fresh key of `role` in `projectId` (default: the world's project). */
  keyClient(role: 'None' | 'Viewer' | 'Editor' | 'Admin', projectId?: string): Promise<{ client: Client; id: string; key: string }>;
  verify(key: string, extra?: Record<string, unknown>): Promise<Res>;
  close(): Promise<void>;
}

let seq = 0;

export async function v1World(engine: EngineName, options: Parameters<typeof testNode>[1] = {}): Promise<V1World> {
  const node = await testNode(engine, options);
  const root = client(node.app, node.rootKey);
  const project = await root.post('/v1/projects', { name: 'acme' });
  expect(project.status).toBe(201);
  const plaintexts: string[] = [];
  const world: V1World = {
    node,
    root,
    projectId: project.body.id,
    plaintexts,
    async createKey(body, as = root) {
      const res = await as.post('/v1/api-keys', { project_id: world.projectId, name: `key-${++seq}`, ...body });
      if (typeof res.body?.key === 'string') plaintexts.push(res.body.key);
      return res;
    },
    async rotate(keyId, body, as = root) {
      const res = await as.post(`/v1/api-keys/${keyId}/rotate`, body ?? {});
      if (typeof res.body?.key === 'string') plaintexts.push(res.body.key);
      return res;
    },
    async keyClient(role, projectId = world.projectId) {
      const res = await world.createKey({ role, project_id: projectId });
      expect(res.status).toBe(201);
      return { client: client(node.app, res.body.key), id: res.body.id, key: res.body.key };
    },
    verify: (key, extra = {}) => root.post('/v1/keys/verify', { key, ...extra }),
    close: () => node.close(),
  };
  return world;
}

/** Asserts an RFC 9457 problem of `status`; returns its body. */
export function expectProblem(res: Res, status: number): any {
  expect(res.status, res.text).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, title: expect.any(String), type: expect.any(String), detail: expect.any(String) });
  return res.body;
}

/** A 400 whose `errors[]` names `location`. */
export function expectInvalid(res: Res, location: string): any {
  const body = expectProblem(res, 400);
  expect(body.errors, JSON.stringify(body)).toEqual(expect.arrayContaining([expect.objectContaining({ location, message: expect.any(String) })]));
  return body;
}

export const MINUTE = 60_000;
export const DAY = 86_400_000;

/** A world for the enclosing describe: built before its tests, closed after them. */
export function useV1World(engine: EngineName, options: Parameters<typeof testNode>[1] = {}): V1World {
  const world = {} as V1World;
  beforeAll(async () => {
    Object.assign(world, await v1World(engine, options));
  });
  afterAll(() => world.close());
  return world;
}
