// A node with one organization (org 1) and an Admin key, and raw HTTP calls to the Grafana surface.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { client } from '../support/client.js';
import { type EngineName, type TestNode, testNode } from '../support/harness.js';

export interface GrafanaRes {
  status: number;
  body: any;
  text: string;
  headers: Record<string, string | string[] | number | undefined>;
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
export const basic = (key: string, user = 'api_key') => ({ authorization: `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}` });
export const JSON_CT = { 'content-type': 'application/json' };

/** One request exactly as given: headers and body text are not touched. */
export async function call(app: FastifyInstance, method: string, url: string, headers: Record<string, string> = {}, payload?: string): Promise<GrafanaRes> {
  const res = await app.inject({ method: method as any, url, headers, payload });
  let body: any;
  try {
    body = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.statusCode, body, text: res.body, headers: res.headers };
}

export interface GrafanaFixture {
  node: TestNode;
  root: ReturnType<typeof client>;
  /** The v1 project behind org 1. */
  project: { id: string; org_id: number };
  /** An Admin key of org 1. */
  admin: string;
  /** A v1 key of org 1 with this role; returns the plaintext and v1 id. */
  v1Key(name: string, role: string, extra?: Record<string, unknown>): Promise<{ key: string; id: string }>;
  get(url: string, headers?: Record<string, string>): Promise<GrafanaRes>;
  /** POST with `Content-Type: application/json` and the admin key unless headers say otherwise. */
  post(body: unknown, headers?: Record<string, string>): Promise<GrafanaRes>;
  del(id: string | number, headers?: Record<string, string>): Promise<GrafanaRes>;
  /** v1 verification outcome of a plaintext key. */
  verify(key: string): Promise<{ code: string; role: string | null; valid: boolean }>;
}

export async function grafanaFixture(engine: EngineName, env: Record<string, string> = {}): Promise<GrafanaFixture> {
  // These suites send many bad credentials from one address on purpose; lockout has its own suites (test/limits).
  const node = await testNode(engine, { env: { KEYMINT_LOCKOUT_TIERS: 'off', ...env } });
  const root = client(node.app, node.rootKey);
  const project = (await root.post('/v1/projects', { name: 'Main Org.' })).body;
  const v1Key = async (name: string, role: string, extra: Record<string, unknown> = {}) => {
    const res = await root.post('/v1/api-keys', { project_id: project.id, name, role, ...extra });
    if (res.status !== 201) throw new Error(`v1 create failed: ${res.text}`);
    return { key: res.body.key as string, id: res.body.id as string };
  };
  const admin = (await v1Key('admin', 'Admin')).key;
  const auth = (headers: Record<string, string>) => ('authorization' in headers ? {} : bearer(admin));
  return {
    node,
    root,
    project,
    admin,
    v1Key,
    get: (url, headers = {}) => call(node.app, 'GET', url, { ...auth(headers), ...headers }),
    post: (body, headers = {}) =>
      call(node.app, 'POST', '/api/auth/keys', { ...auth(headers), ...JSON_CT, ...headers }, typeof body === 'string' ? body : JSON.stringify(body)),
    del: (id, headers = {}) => call(node.app, 'DELETE', `/api/auth/keys/${id}`, { ...auth(headers), ...headers }),
    verify: async (key) => (await root.post('/v1/keys/verify', { key })).body,
  };
}

/** The fixture of the enclosing describe: filled in before its tests, closed after them. */
export function useGrafanaFixture(engine: EngineName, env: Record<string, string> = {}): GrafanaFixture {
  const fixture = {} as GrafanaFixture;
  beforeAll(async () => {
    Object.assign(fixture, await grafanaFixture(engine, env));
  });
  afterAll(() => fixture.node?.close());
  return fixture;
}
