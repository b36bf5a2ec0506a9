// Dashboard sessions over HTTP on both engines: the cookie's attributes, CSRF rules, idle expiry, sign-out on every
// node, the key behind a session, and the lockout applied to sign-in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, type Client } from '../support/client.js';
import { engines, testNode } from '../support/harness.js';
import { expectProblem, v1World, type V1World } from './fixtures.js';

const ORIGIN = 'https://keys.example.com';
const MINUTE = 60_000;

/** A browser-like client: the session cookie, the CSRF token, same-origin headers. */
async function signIn(c: Client, key: string, origin = ORIGIN) {
  const res = await c.post('/v1/sessions', { key }, { origin, 'sec-fetch-site': 'same-origin' });
  expect(res.status, res.text).toBe(201);
  const setCookie = String(res.headers['set-cookie']);
  const cookie = setCookie.split(';')[0];
  const browser = (extra: Record<string, string> = {}) => ({ cookie, origin, 'sec-fetch-site': 'same-origin', 'x-csrf-token': res.body.csrf_token, ...extra });
  return { res, setCookie, cookie, csrf: res.body.csrf_token as string, browser };
}

describe.each(engines)('dashboard sessions on %s', (engine) => {
  let w: V1World;
  let anon: Client;
  beforeAll(async () => {
    w = await v1World(engine, { env: { KEYMINT_PUBLIC_URL: `${ORIGIN}/` } });
    anon = client(w.node.app);
  });
  afterAll(async () => w?.close());

  it('exchanges the root key for a Secure, HttpOnly, SameSite=Strict __Host- cookie holding only a session id', async () => {
    const s = await signIn(anon, w.node.rootKey);
    expect(s.setCookie).toMatch(/^__Host-keymint_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    expect(s.res.headers['cache-control']).toBe('no-store');
    expect(s.res.body).toMatchObject({ idle_minutes: 30, principal: { type: 'root_key', project_id: null, role: 'Admin' } });
    expect(s.setCookie).not.toContain(w.node.rootKey);
    // Only a digest is stored.
    const id = s.cookie.split('=')[1];
    const rows = await w.node.km.store.db.selectFrom('dashboard_sessions').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(id);

    const current = await anon.get('/v1/sessions/current', { cookie: s.cookie });
    expect(current.status).toBe(200);
    expect(current.body.csrf_token).toBe(s.csrf);
    // The cookie is a credential on v1 routes.
    expect((await anon.get('/v1/projects', { cookie: s.cookie })).status).toBe(200);
    const created = await anon.post('/v1/projects', { name: 'from-the-dashboard' }, s.browser());
    expect(created.status, created.text).toBe(201);
    // The audit log names the key the session was opened with, and the sign-in itself.
    const events = (await w.root.get('/v1/audit-events?limit=5')).body as { action: string; actor: { id: string } }[];
    expect(events.find((e) => e.action === 'project.created')?.actor.id).toBe(current.body.principal.id);
    expect(events.some((e) => e.action === 'session.created')).toBe(true);
  });

  it('refuses changes without the CSRF token, from another Origin, or marked cross-site; reads need no token', async () => {
    const s = await signIn(anon, w.node.rootKey);
    const body = { name: 'csrf-target' };
    expect(expectProblem(await anon.post('/v1/projects', body, s.browser({ 'x-csrf-token': '' })), 403).detail).toMatch(/x-csrf-token/);
    expectProblem(await anon.post('/v1/projects', body, s.browser({ 'x-csrf-token': 'A'.repeat(43) })), 403);
    expect(expectProblem(await anon.post('/v1/projects', body, s.browser({ origin: 'https://evil.example' })), 403).detail).toMatch(/cross-site/);
    expect(expectProblem(await anon.post('/v1/projects', body, s.browser({ 'sec-fetch-site': 'cross-site' })), 403).detail).toMatch(/cross-site/);
    expectProblem(await anon.delete(`/v1/projects/${w.projectId}`, s.browser({ 'sec-fetch-site': 'same-site' })), 403);
    // Another session's token is not this one's.
    const other = await signIn(anon, w.node.rootKey);
    expectProblem(await anon.post('/v1/projects', body, s.browser({ 'x-csrf-token': other.csrf })), 403);
    const list = (await w.root.get('/v1/projects')).body as { name: string }[];
    expect(list.some((p) => p.name === 'csrf-target')).toBe(false);
    // A page of another site cannot sign its visitor in either (login CSRF).
    expectProblem(await anon.post('/v1/sessions', { key: w.node.rootKey }, { origin: 'https://evil.example' }), 403);
    // Reads are safe without a token.
    expect((await anon.get(`/v1/projects/${w.projectId}`, { cookie: s.cookie })).status).toBe(200);
  });

  it('ends after the idle time, and each request moves the end', async () => {
    const s = await signIn(anon, w.node.rootKey);
    for (let i = 0; i < 3; i++) {
      w.node.clock.advance(20 * MINUTE);
      expect((await anon.get('/v1/sessions/current', { cookie: s.cookie })).status).toBe(200);
    }
    w.node.clock.advance(30 * MINUTE + 1);
    expect(expectProblem(await anon.get('/v1/projects', { cookie: s.cookie }), 401).detail).toMatch(/sign in again/);
  });

  it('signs out on every node sharing the store; a bearer key on the same request wins over a cookie', async () => {
    const other = await testNode(engine, { db: w.node.db, rootKey: w.node.rootKey, clock: w.node.clock, env: { KEYMINT_PUBLIC_URL: ORIGIN } });
    try {
      const s = await signIn(anon, w.node.rootKey);
      const there = client(other.app);
      expect((await there.get('/v1/sessions/current', { cookie: s.cookie })).status).toBe(200);
      expectProblem(await there.delete('/v1/sessions/current', s.browser({ 'x-csrf-token': '' })), 403);
      const out = await there.delete('/v1/sessions/current', s.browser());
      expect(out.status).toBe(204);
      expect(String(out.headers['set-cookie'])).toMatch(/^__Host-keymint_session=; .*Max-Age=0/);
      expectProblem(await anon.get('/v1/sessions/current', { cookie: s.cookie }), 401);
      expectProblem(await there.get('/v1/projects', { cookie: s.cookie }), 401);
      // With a key, the cookie is not looked at.
      expect((await w.root.get('/v1/projects', { cookie: s.cookie })).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('an Admin key opens a session for its own project only, ending when the key is revoked; lesser keys cannot sign in', async () => {
    const admin = await w.keyClient('Admin');
    const s = await signIn(anon, admin.key);
    expect(s.res.body.principal).toEqual({ type: 'api_key', id: admin.id, project_id: w.projectId, role: 'Admin' });
    expect((await anon.get(`/v1/api-keys?project_id=${w.projectId}`, { cookie: s.cookie })).status).toBe(200);
    expectProblem(await anon.get('/v1/projects', { cookie: s.cookie }), 403);
    const viewer = await w.keyClient('Viewer');
    expect(expectProblem(await anon.post('/v1/sessions', { key: viewer.key }), 403).errors[0].location).toBe('body.key');
    expect((await w.root.delete(`/v1/api-keys/${admin.id}`)).status).toBe(204);
    expectProblem(await anon.get(`/v1/api-keys?project_id=${w.projectId}`, { cookie: s.cookie }), 401);
  });

  it('answers a wrong key at body.key, and applies the lockout to sign-in', async () => {
    const node = await testNode(engine, { env: { KEYMINT_LOCKOUT_TIERS: '3:60' } });
    try {
      const c = client(node.app);
      const bad = expectProblem(await c.post('/v1/sessions', { key: 'km_nope' }), 401);
      expect(bad.errors).toEqual([{ location: 'body.key', message: expect.stringMatching(/not a Keymint key/) }]);
      expect(expectProblem(await c.post('/v1/sessions', { key: '' }), 400).errors[0].location).toBe('body.key');
      await c.post('/v1/sessions', { key: 'km_nope' });
      await c.post('/v1/sessions', { key: 'km_nope' });
      const locked = expectProblem(await c.post('/v1/sessions', { key: node.rootKey }), 429);
      expect(locked.detail).toMatch(/locked out/);
    } finally {
      await node.close();
    }
  });
});

describe('dashboard sessions over plain http (no KEYMINT_PUBLIC_URL)', () => {
  it('sets a cookie without Secure and takes the request\'s own Host as the origin', async () => {
    const node = await testNode('sqlite', { env: { KEYMINT_SESSION_IDLE_MINUTES: '5' } });
    try {
      const c = client(node.app);
      const res = await c.post('/v1/sessions', { key: node.rootKey }, { host: 'keymint.local:8080', origin: 'http://keymint.local:8080' });
      expect(res.status, res.text).toBe(201);
      expect(String(res.headers['set-cookie'])).toMatch(/^keymint_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
      expect(res.body.idle_minutes).toBe(5);
      const cookie = String(res.headers['set-cookie']).split(';')[0];
      const ok = await c.post('/v1/projects', { name: 'p' }, { cookie, host: 'keymint.local:8080', origin: 'http://keymint.local:8080', 'x-csrf-token': res.body.csrf_token });
      expect(ok.status, ok.text).toBe(201);
      const evil = await c.post('/v1/projects', { name: 'p2' }, { cookie, host: 'keymint.local:8080', origin: 'http://keymint.local:9999', 'x-csrf-token': res.body.csrf_token });
      expect(evil.status).toBe(403);
      node.clock.advance(5 * MINUTE);
      expect((await c.get('/v1/sessions/current', { cookie })).status).toBe(401);
    } finally {
      await node.close();
    }
  });
});
