// Each framework's middleware in a real app of that framework, in front of a real Keymint: the key from
// Authorization: Bearer or a configured header, the verification attached to the request, per-route scopes,
// and 401/403/429 answered as problem details, each code as a user expects.
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../../test/support/harness.js';
import type { LocalVerifier } from '../src/local/local-verifier.js';
import { keymintExpress } from '../src/middleware/express.js';
import { keymintFastify } from '../src/middleware/fastify.js';
import { type KeymintEnv, keymintHono } from '../src/middleware/hono.js';
import type { KeyVerifier } from '../src/middleware/core.js';
import { type SdkWorld, sdkWorld, until } from './support.js';

type AppUnderTest = { url: string; close(): Promise<void> };

/** The same three routes in each framework: /public, /read (scope read), /write (scope write); a header option. */
const frameworks: Record<string, (verifier: KeyVerifier, header?: string) => Promise<AppUnderTest>> = {
  async fastify(verifier, header) {
    const app = Fastify();
    await app.register(keymintFastify, { verifier, header });
    app.get('/public', { config: { keymint: false } }, async () => ({ public: true }));
    app.get('/read', { config: { keymint: { requiredScopes: ['read'] } } }, async (req) => ({ key_id: req.keymint!.key_id }));
    app.get('/write', { config: { keymint: { requiredScopes: ['write'] } } }, async (req) => ({ key_id: req.keymint!.key_id }));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url, close: () => app.close() };
  },
  async express(verifier, header) {
    const app = express();
    app.get('/public', (_req, res) => void res.json({ public: true }));
    app.get('/read', keymintExpress({ verifier, header, requiredScopes: ['read'] }), (req, res) => void res.json({ key_id: req.keymint!.key_id }));
    app.get('/write', keymintExpress({ verifier, header, requiredScopes: ['write'] }), (req, res) => void res.json({ key_id: req.keymint!.key_id }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
  },
  async hono(verifier, header) {
    const app = new Hono<KeymintEnv>();
    app.get('/public', (c) => c.json({ public: true }));
    app.get('/read', keymintHono({ verifier, header, requiredScopes: ['read'] }), (c) => c.json({ key_id: c.get('keymint').key_id }));
    app.get('/write', keymintHono({ verifier, header, requiredScopes: ['write'] }), (c) => c.json({ key_id: c.get('keymint').key_id }));
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
  },
};

describe.each(engines)('middleware (%s)', (engine) => {
  let w: SdkWorld;
  let local: LocalVerifier;
  let reader: { id: string; key: string };
  beforeAll(async () => {
    w = await sdkWorld(engine);
    reader = await w.keymint.keys.create({ project_id: w.projectId, name: 'reader', scopes: ['read'] });
    local = await w.keymint.localVerifier({ projectId: w.projectId });
  });
  afterAll(async () => {
    await local?.close();
    await w?.close();
  });

  for (const [name, start] of Object.entries(frameworks)) {
    for (const mode of ['http', 'local'] as const) {
      it(`${name} (${mode} verification)`, async () => {
        const limited = await w.keymint.keys.create({ project_id: w.projectId, name: `limited-${name}-${mode}`, scopes: ['read'], ratelimit: { limit: 1, duration_ms: 60_000 } });
        const app = await start(mode === 'http' ? w.keymint.keys : local);
        const get = async (path: string, key?: string, headers: Record<string, string> = {}) => {
          const res = await fetch(app.url + path, { headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers } });
          return { status: res.status, type: res.headers.get('content-type'), headers: res.headers, body: await res.json() };
        };
        try {
          expect((await get('/public')).body).toEqual({ public: true });
          const none = await get('/read');
          expect(none.status).toBe(401);
          expect(none.type).toMatch(/^application\/problem\+json/);
          expect(none.headers.get('www-authenticate')).toBe('Bearer');
          expect(none.body).toMatchObject({ status: 401, title: 'Unauthorized' });
          expect((await get('/read', 'km_garbage')).status).toBe(401);
          expect(await get('/read', reader.key)).toMatchObject({ status: 200, body: { key_id: reader.id } });
          const forbidden = await get('/write', reader.key);
          expect(forbidden.status).toBe(403);
          expect(forbidden.body.detail).toContain('write');
          await until(async () => (await get('/read', limited.key)).status === 200, 2_000, 'the limited key');
          const limitedOut = await get('/read', limited.key);
          expect(limitedOut.status).toBe(429);
          expect(Number(limitedOut.headers.get('retry-after'))).toBeGreaterThan(0);
        } finally {
          await app.close();
        }
        if (mode === 'local') expect(local.stats().local).toBeGreaterThan(0);
      });
    }

    it(`${name} answers each code as a user expects: spent credits 429, a foreign address or a disabled identity 403`, async () => {
      const root = { authorization: `Bearer ${w.node.rootKey}`, 'content-type': 'application/json' };
      const identity = (await (await fetch(`${w.url}/v1/identities`, { method: 'POST', headers: root, body: JSON.stringify({ project_id: w.projectId, name: `disabled-${name}` }) })).json()) as { id: string };
      const create = (input: Record<string, unknown>) => w.keymint.keys.create({ project_id: w.projectId, scopes: ['read'], ...input } as never);
      const credits = await create({ name: `credits-${name}`, credits: { remaining: 1, refill: null } });
      const here = await create({ name: `here-${name}`, ip_allowlist: ['127.0.0.1/32'] });
      const away = await create({ name: `away-${name}`, ip_allowlist: ['192.0.2.0/24'] });
      const owned = await create({ name: `owned-${name}`, identity_id: identity.id });
      const disabled = await fetch(`${w.url}/v1/identities/${identity.id}`, { method: 'PATCH', headers: root, body: JSON.stringify({ is_disabled: true }) });
      expect(disabled.status).toBe(200);
      const app = await start(local);
      const get = async (key: string) => {
        const res = await fetch(`${app.url}/read`, { headers: { authorization: `Bearer ${key}` } });
        return { status: res.status, type: res.headers.get('content-type'), headers: res.headers, body: await res.json() };
      };
      try {
        expect((await get(credits.key)).status).toBe(200);
        const spent = await get(credits.key);
        expect(spent).toMatchObject({ status: 429, body: { status: 429, title: 'Too Many Requests' } });
        expect(spent.body.detail).toMatch(/credits are spent/);
        expect(spent.type).toMatch(/^application\/problem\+json/);
        // The answer does not say when credits come back: no Retry-After that would promise it.
        expect(spent.headers.get('retry-after')).toBeNull();
        // The middleware sends the request's address: a key allowed from loopback passes, one allowed elsewhere is 403.
        expect(await get(here.key)).toMatchObject({ status: 200, body: { key_id: here.id } });
        const foreign = await get(away.key);
        expect(foreign).toMatchObject({ status: 403, body: { status: 403, title: 'Forbidden' } });
        expect(foreign.body.detail).toMatch(/address/);
        expect(foreign.headers.get('www-authenticate')).toBeNull();
        const off = await get(owned.key);
        expect(off).toMatchObject({ status: 403, body: { title: 'Forbidden' } });
        expect(off.body.detail).toMatch(/identity is disabled/);
      } finally {
        await app.close();
      }
    });

    it(`${name} reads a configured header and refuses a revoked key`, async () => {
      const k = await w.keymint.keys.create({ project_id: w.projectId, name: `hdr-${name}`, scopes: ['read'] });
      const app = await start(local, 'x-api-key');
      try {
        await until(async () => (await fetch(`${app.url}/read`, { headers: { 'x-api-key': k.key } })).status === 200, 2_000, 'the new key');
        expect((await fetch(`${app.url}/read`, { headers: { authorization: `Bearer ${k.key}` } })).status).toBe(401);
        await w.keymint.keys.revoke(k.id);
        await until(async () => (await fetch(`${app.url}/read`, { headers: { 'x-api-key': k.key } })).status === 401, 1_000, 'the revocation');
        const body = await (await fetch(`${app.url}/read`, { headers: { 'x-api-key': k.key } })).json();
        expect(body.detail).toMatch(/revoked/);
      } finally {
        await app.close();
      }
    });
  }
});
