// Who may call what, for every v1 route in /openapi.json (a new route is checked the day it is added):
// 401 with no key, 403 for a key of a lower role, 404 for another project's Admin key, 403 verify_only for a
// verifier key outside what a local verifier needs. Requests carry a
// valid body and real ids, so the answer is about the caller, not about the request.
import { beforeAll, describe, expect, it } from 'vitest';
import { client, type Res } from '../support/client.js';
import { engines } from '../support/harness.js';
import { useV1World } from './fixtures.js';

type Operation = {
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  parameters?: { in: string; name: string; required?: boolean }[];
  responses?: Record<string, { content?: Record<string, unknown> }>;
};
type Schema = { type?: string; properties?: Record<string, Schema>; required?: string[]; minimum?: number; minItems?: number; items?: Schema; anyOf?: Schema[] };

/**
 * Routes whose answer to a caller legitimately differs from 403 (lower role) or 404 (another project),
 * with the reason. Anything not listed must answer exactly 401 / 403 / 404.
 */
const SIGN_IN = 'dashboard sign-in takes its key in the body, not in Authorization: the sample key (role None) may not open a session';
const NOT_A_SESSION = 'a dashboard session route: a request with a key, not a session cookie, is not signed in';
/** With no key at all. */
const NO_KEY: Record<string, { status: number; why: string }> = {
  'POST /v1/sessions': { status: 403, why: SIGN_IN },
};
const LOWER_ROLE: Record<string, { status: number; why: string }> = {
  'GET /v1/keys/self': { status: 200, why: 'any key may read its own object, whatever its role' },
  'POST /v1/sessions': { status: 403, why: SIGN_IN },
  'GET /v1/sessions/current': { status: 401, why: NOT_A_SESSION },
  'DELETE /v1/sessions/current': { status: 401, why: NOT_A_SESSION },
};
const ROOT_ONLY = 'root-only route: every project key, even an Admin one, is refused before any project is looked at';
const OTHER_ADMIN: Record<string, { status: number; why: string }> = {
  'GET /v1/keys/self': { status: 200, why: 'a key reads its own object' },
  'POST /v1/keys/verify': { status: 200, why: 'an Admin key may verify; a key of another project answers code NOT_FOUND in a 200' },
  'POST /v1/sessions': { status: 403, why: SIGN_IN },
  'GET /v1/sessions/current': { status: 401, why: NOT_A_SESSION },
  'DELETE /v1/sessions/current': { status: 401, why: NOT_A_SESSION },
  'POST /v1/projects': { status: 403, why: ROOT_ONLY },
  'GET /v1/projects': { status: 403, why: ROOT_ONLY },
  'GET /v1/projects/{id}': { status: 403, why: ROOT_ONLY },
  'DELETE /v1/projects/{id}': { status: 403, why: ROOT_ONLY },
  'POST /v1/projects/{id}/environments': { status: 403, why: ROOT_ONLY },
  'GET /v1/projects/{id}/environments': { status: 403, why: ROOT_ONLY },
  'DELETE /v1/projects/{id}/environments/{envId}': { status: 403, why: ROOT_ONLY },
  'POST /v1/projects/{id}/aws-credentials': { status: 403, why: ROOT_ONLY },
  'GET /v1/projects/{id}/aws-credentials': { status: 403, why: ROOT_ONLY },
  'DELETE /v1/projects/{id}/aws-credentials/{accessKeyId}': { status: 403, why: ROOT_ONLY },
  'POST /v1/verifier-keys': { status: 403, why: ROOT_ONLY },
  'GET /v1/verifier-keys': { status: 403, why: ROOT_ONLY },
  'DELETE /v1/verifier-keys/{id}': { status: 403, why: ROOT_ONLY },
};

const LOCAL_VERIFIER = 'a verifier key may verify, and read its project\'s key stream and report its usage: what a local verifier needs';
/** A verifier key of the project: 403 `verify_only` on every route but these. */
const VERIFIER: Record<string, { status: number; why: string }> = {
  'POST /v1/keys/verify': { status: 200, why: LOCAL_VERIFIER },
  'GET /v1/keys/stream': { status: 200, why: LOCAL_VERIFIER },
  'POST /v1/keys/usage': { status: 202, why: LOCAL_VERIFIER },
  'POST /v1/sessions': { status: 403, why: SIGN_IN },
};

describe.each(engines)('v1 access, route by route from /openapi.json, on %s', (engine) => {
  const w = useV1World(engine, { env: { KEYMINT_MANAGEMENT_RATE_LIMIT: '0' } });
  const ids: Record<string, string> = {};
  let sampleKey = '';
  let routes: { method: string; path: string; op: Operation }[] = [];

  beforeAll(async () => {
    const target = await w.createKey({ scopes: ['read'] });
    sampleKey = target.body.key;
    ids.keyID = target.body.id;
    ids.id = w.projectId;
    ids.envId = (await w.root.post(`/v1/projects/${w.projectId}/environments`, { name: 'prod' })).body.id;
    ids.accessKeyId = (await w.root.post(`/v1/projects/${w.projectId}/aws-credentials`, {})).body.access_key_id;
    ids.identityID = (await w.root.post('/v1/identities', { project_id: w.projectId, name: 'access-identity' })).body.id;
    const doc = (await w.root.get('/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
    routes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));
  });

  /** A value the schema accepts: ids are the world's real ones, so only the caller can be the problem. */
  function sample(name: string, s: Schema | undefined): unknown {
    if (name === 'project_id') return w.projectId;
    if (name === 'key') return sampleKey;
    if (name === 'digest') return 'ab'.repeat(32);
    const t = s?.type ?? s?.anyOf?.find((a) => a.type !== 'null')?.type;
    if (t === 'integer' || t === 'number') return s?.minimum ?? 1;
    if (t === 'boolean') return false;
    // An array that must not be empty (an import's keys) gets one item of its own schema.
    if (t === 'array') return (s?.minItems ?? 0) > 0 ? [sample('', s?.items)] : [];
    if (t === 'object' && s?.required) return Object.fromEntries(s.required.map((n) => [n, sample(n, s.properties?.[n])]));
    if (t === 'object') return {};
    return `access-${Math.random().toString(36).slice(2, 8)}`;
  }

  function request(r: { method: string; path: string; op: Operation }) {
    const url = r.path.replace(/\{(\w+)\}/g, (_, p: string) => {
      if (!(p in ids)) throw new Error(`no sample id for path parameter {${p}} of ${r.method} ${r.path}: add one to this test`);
      return ids[p];
    });
    const query = (r.op.parameters ?? []).filter((p) => p.in === 'query' && (p.required || p.name === 'project_id')).map((p) => `${p.name}=${encodeURIComponent(String(sample(p.name, undefined)))}`);
    const schema = r.op.requestBody?.content?.['application/json']?.schema;
    const body = schema ? Object.fromEntries((schema.required ?? []).map((n) => [n, sample(n, schema.properties?.[n])])) : undefined;
    return { url: query.length ? `${url}?${query.join('&')}` : url, body };
  }

  async function call(token: string | undefined, r: { method: string; path: string; op: Operation }): Promise<Res> {
    const { url, body } = request(r);
    if (r.op.responses?.['200']?.content?.['text/event-stream'] !== undefined) return callStream(token, url);
    const c = client(w.node.app, token);
    if (r.method === 'GET') return c.get(url);
    if (r.method === 'DELETE') return c.delete(url);
    if (r.method === 'PATCH') return c.patch(url, body ?? {});
    return c.post(url, body ?? {});
  }

  /**
   * An event stream (GET /v1/keys/stream) never ends once it answers 200: read it as a stream, so a refusal is read
   * whole and a 200 (a wrong answer here) is closed at once instead of holding the test forever.
   */
  async function callStream(token: string | undefined, url: string): Promise<Res> {
    const res = await w.node.app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {}, payloadAsStream: true });
    const stream = res.stream();
    if (res.statusCode === 200) {
      stream.destroy();
      return { status: 200, body: undefined, headers: res.headers, text: '(an event stream, closed by the test)' };
    }
    let text = '';
    for await (const chunk of stream) text += String(chunk);
    return { status: res.statusCode, body: JSON.parse(text), headers: res.headers, text };
  }

  it('the document lists the v1 routes (the walk below is not empty)', () => {
    expect(routes.length).toBeGreaterThanOrEqual(20);
    expect(routes.map((r) => `${r.method} ${r.path}`)).toContain('POST /v1/api-keys');
  });

  it('every v1 route answers 401 problem+json with no key', async () => {
    for (const r of routes) {
      const res = await call(undefined, r);
      expect(res.status, `${r.method} ${r.path}: ${res.text}`).toBe(NO_KEY[`${r.method} ${r.path}`]?.status ?? 401);
      expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    }
  });

  it('every v1 route answers 403 to a key below Admin (listed exceptions aside)', async () => {
    const viewer = await w.keyClient('Viewer');
    for (const r of routes) {
      const want = LOWER_ROLE[`${r.method} ${r.path}`]?.status ?? 403;
      const res = await call(viewer.key, r);
      expect(res.status, `${r.method} ${r.path}: ${res.text}`).toBe(want);
    }
  });

  it('every v1 route answers 403 verify_only to a verifier key of the project, but verify, the key stream and the usage report', async () => {
    const verifier = (await w.root.post('/v1/verifier-keys', { name: 'access-verifier', project_id: w.projectId })).body.key as string;
    for (const r of routes) {
      const allowed = VERIFIER[`${r.method} ${r.path}`];
      const res = await call(verifier, r);
      expect(res.status, `${r.method} ${r.path}: ${res.text}`).toBe(allowed?.status ?? 403);
      if (!allowed) expect(res.body.code, `${r.method} ${r.path}`).toBe('verify_only');
    }
  });

  it("every v1 route answers 404 to another project's Admin key (listed exceptions aside), and changes nothing", async () => {
    const other = (await w.root.post('/v1/projects', { name: 'elsewhere' })).body.id as string;
    const outsider = await w.keyClient('Admin', other);
    const before = (await w.root.get(`/v1/audit-events?project_id=${w.projectId}&limit=1000`)).body.length;
    for (const r of routes) {
      const want = OTHER_ADMIN[`${r.method} ${r.path}`]?.status ?? 404;
      const res = await call(outsider.key, r);
      expect(res.status, `${r.method} ${r.path}: ${res.text}`).toBe(want);
    }
    expect((await w.root.get(`/v1/audit-events?project_id=${w.projectId}&limit=1000`)).body.length).toBe(before);
    expect((await w.verify(sampleKey)).body.code).toBe('VALID');
  });
});
