// "Who is calling" of the Grafana spec: 401 bodies, Bearer and Basic, the org header, the 403 body.
import { describe, expect, it } from 'vitest';
import { mintKey } from '../../src/keys/material.js';
import { engines } from '../support/harness.js';
import { basic, bearer, call, useGrafanaFixture } from './support.js';

const ROUTES = [
  { method: 'GET', url: '/api/auth/keys', action: 'apikeys:read' },
  { method: 'POST', url: '/api/auth/keys', action: 'apikeys:create' },
  { method: 'DELETE', url: '/api/auth/keys/1', action: 'apikeys:delete' },
] as const;

describe.each(engines)('Grafana surface, who is calling, on %s', (engine) => {
  const f = useGrafanaFixture(engine);

  const send = (route: (typeof ROUTES)[number], headers: Record<string, string>) =>
    call(f.node.app, route.method, route.url, { 'content-type': 'application/json', ...headers }, route.method === 'POST' ? '{"name":"x","role":"Viewer"}' : undefined);

  describe.each(ROUTES)('$method $url', (route) => {
    it('401 Unauthorized without a credential', async () => {
      const res = await send(route, {});
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: 'Unauthorized', messageId: 'auth.unauthorized', statusCode: 401 });
      expect(res.headers['content-type']).toBe('application/json');
    });

    it('401 Invalid API key for a malformed key, by Bearer and by Basic', async () => {
      for (const h of [bearer('eyJrIjoiT0tTcG1pUlY2RnVKZTFVaDFsNFZXdE9ZWmNrMkZYbk'), basic('not-a-key'), { authorization: 'Bearer' }, basic(f.admin, 'admin')]) {
        const res = await send(route, h);
        expect(res.status).toBe(401);
        expect(res.body.message).toBe('Invalid API key');
      }
    });

    it('401 Unauthorized for a well-formed key that does not exist', async () => {
      const res = await send(route, bearer(mintKey().plaintext));
      expect(res.status).toBe(401);
      expect(res.body.message).toBe('Unauthorized');
    });

    it('403 with accessErrorId ACE + 10 digits for None, Viewer and Editor keys, naming the action', async () => {
      for (const role of ['None', 'Viewer', 'Editor']) {
        const { key } = await f.v1Key(`${role}-${route.method}`, role);
        for (const h of [bearer(key), basic(key)]) {
          const res = await send(route, h);
          expect(res.status).toBe(403);
          expect(res.body).toEqual({
            accessErrorId: expect.stringMatching(/^ACE\d{10}$/),
            message: `You'll need additional permissions to perform this action. Permissions needed: ${route.action}`,
            title: 'Access denied',
          });
        }
      }
    });
  });

  it('401 Expired API key, Revoked API key, and (documented choice) Expired API key for a rotated-out key', async () => {
    const expiring = await f.v1Key('expiring', 'Admin', { expires_at: new Date(f.node.clock.now() + 60_000).toISOString() });
    const revoked = await f.v1Key('revoked', 'Admin');
    await f.root.delete(`/v1/api-keys/${revoked.id}`);
    const rotated = await f.v1Key('rotated', 'Admin');
    expect((await f.root.post(`/v1/api-keys/${rotated.id}/rotate`, { grace_period_minutes: 0 })).status).toBe(200);
    expect((await f.get('/api/auth/keys', bearer(expiring.key))).status).toBe(200);
    f.node.clock.advance(60_000); // expires_at <= now
    try {
      for (const [key, message] of [
        [expiring.key, 'Expired API key'],
        [revoked.key, 'Revoked API key'],
        [rotated.key, 'Expired API key'],
      ]) {
        for (const h of [bearer(key), basic(key)]) {
          const res = await f.get('/api/auth/keys', h);
          expect(res.status).toBe(401);
          expect(res.body.message).toBe(message);
        }
      }
    } finally {
      f.node.clock.advance(-60_000);
    }
  });

  it('Bearer and Basic api_key:<key> both act with the key in its own organization', async () => {
    for (const h of [bearer(f.admin), basic(f.admin)]) {
      const res = await f.get('/api/auth/keys', h);
      expect(res.status).toBe(200);
      expect(res.body.map((k: any) => k.name)).toContain('admin');
    }
  });

  it('X-Grafana-Org-Id naming the key\'s own organization is accepted; another is 401, checked before 403', async () => {
    expect((await f.get('/api/auth/keys', { ...bearer(f.admin), 'x-grafana-org-id': String(f.project.org_id) })).status).toBe(200);
    const other = (await f.root.post('/v1/projects', { name: 'other' })).body;
    const viewer = await f.v1Key('viewer-org', 'Viewer');
    for (const key of [f.admin, viewer.key]) {
      for (const route of ROUTES) {
        const res = await send(route, { ...bearer(key), 'x-grafana-org-id': String(other.org_id) });
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ message: 'API key does not belong to the requested organization', messageId: 'api-key.organization-mismatch', statusCode: 401 });
      }
      // An organization that does not exist is "another" organization too.
      expect((await f.get('/api/auth/keys', { ...bearer(key), 'x-grafana-org-id': '999' })).status).toBe(401);
    }
  });

  it('an X-Grafana-Org-Id that is not a number is 400, saying what to send', async () => {
    const res = await f.get('/api/auth/keys', { ...bearer(f.admin), 'x-grafana-org-id': 'main' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/X-Grafana-Org-Id "main" is not an organization id/);
  });

  it('a root key acts as Admin in the organization the header names', async () => {
    const other = (await f.root.post('/v1/projects', { name: 'root-acts-here' })).body;
    const rootIn = { ...bearer(f.node.rootKey), 'x-grafana-org-id': String(other.org_id) };
    expect((await f.get('/api/auth/keys', rootIn)).body).toEqual([]);
    const created = await f.post({ name: 'made-by-root', role: 'Admin' }, rootIn);
    expect(created.status).toBe(200);
    const listed = await f.get('/api/auth/keys', rootIn);
    expect(listed.body).toEqual([{ id: created.body.id, name: 'made-by-root', role: 'Admin' }]);
    // ... and only there: org 1 does not see it.
    expect((await f.get('/api/auth/keys')).body.map((k: any) => k.name)).not.toContain('made-by-root');
    const v1 = await f.root.get(`/v1/api-keys?project_id=${other.id}`);
    expect(v1.body.map((k: any) => k.name)).toEqual(['made-by-root']);
    // Basic works for root too.
    expect((await f.get('/api/auth/keys', { ...basic(f.node.rootKey), 'x-grafana-org-id': String(other.org_id) })).status).toBe(200);
  });

  it('a root key without X-Grafana-Org-Id is 400 naming the header; with an unknown organization 404', async () => {
    const none = await f.get('/api/auth/keys', bearer(f.node.rootKey));
    expect(none.status).toBe(400);
    expect(none.body.message).toContain('X-Grafana-Org-Id');
    const unknown = await f.get('/api/auth/keys', { ...bearer(f.node.rootKey), 'x-grafana-org-id': '4242' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ message: 'Organization 4242 not found' });
  });

  it('an unknown /api route is 401 before sign-in and {"message":"Not found"} after, never problem+json', async () => {
    const anon = await call(f.node.app, 'GET', '/api/dashboards/home');
    expect(anon.status).toBe(401);
    expect(anon.body).toEqual({ message: 'Unauthorized', messageId: 'auth.unauthorized', statusCode: 401 });
    for (const [method, url] of [['GET', '/api/dashboards/home'], ['PUT', '/api/auth/keys'], ['GET', '/api/auth/keys/1']]) {
      const res = await call(f.node.app, method, url, bearer(f.admin));
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ message: 'Not found' });
      expect(res.headers['content-type']).toBe('application/json');
    }
  });
});
