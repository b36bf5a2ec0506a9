// Whatever a client sends under /api: a 4xx {"message"} (never 5xx, never problem+json), and no plaintext in logs.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { sqlitePath } from '../../src/store/db.js';
import { grafanaErrorHandler } from '../../src/surfaces/grafana/errors.js';
import { engines } from '../support/harness.js';
import { call, useGrafanaFixture } from './support.js';

describe.each(engines)('Grafana surface robustness on %s', (engine) => {
  const f = useGrafanaFixture(engine, { KEYMINT_API_KEY_MAX_SECONDS_TO_LIVE: '86400' });

  const expectMessage = (res: { status: number; body: any; headers: any }) => {
    expect(res.status).toBeLessThan(500);
    expect(res.headers['content-type']).toBe('application/json');
    if (res.status >= 400) expect(typeof res.body.message).toBe('string');
  };

  it('random POST bodies never cause a 5xx', async () => {
    const field = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string()), fc.object());
    const body = fc.oneof(
      fc.record({ name: field, role: fc.oneof(field, fc.constantFrom('admin', 'Viewer', '', 'EDITOR', 'None')), secondsToLive: field }, { requiredKeys: [] }),
      fc.json(),
      fc.string(),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await f.post(typeof b === 'string' ? b : JSON.stringify(b));
        expectMessage(res);
      }),
      { numRuns: 150 },
    );
  });

  it('any name is stored exactly as sent or refused with a 400, never a 5xx (NUL, control characters, lone surrogates)', async () => {
    const name = fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), fc.constantFrom('a\u0000b', '\ud800', 'x\udc00y', '\u0001\u007f', '💥'));
    let stored = 0;
    await fc.assert(
      fc.asyncProperty(name, async (n) => {
        const res = await f.post({ name: `${n}-${stored}`, role: 'Viewer', secondsToLive: 60 });
        expectMessage(res);
        if (res.status === 200) {
          stored++;
          const listed = (await f.get('/api/auth/keys')).body.map((k: { name: string }) => k.name);
          expect(listed).toContain(res.body.name);
          await f.del(res.body.id);
        } else {
          expect(res.status).toBe(400);
          expect(res.body.message).toMatch(/NUL|surrogate/);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('random ids, org headers and Authorization headers never cause a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), fc.string(), async (id, org, auth) => {
        const headers: Record<string, string> = {};
        const safe = (s: string) => s.replace(/[^\x20-\x7e]/g, '');
        if (safe(org)) headers['x-grafana-org-id'] = safe(org);
        const del = await call(f.node.app, 'DELETE', `/api/auth/keys/${encodeURIComponent(id)}`, { authorization: `Bearer ${f.admin}`, ...headers });
        expectMessage(del);
        const anon = await call(f.node.app, 'GET', '/api/auth/keys', { authorization: safe(auth) || 'x', ...headers });
        expectMessage(anon);
        expect(anon.status).not.toBe(200);
      }),
      { numRuns: 150 },
    );
  });

  it('no plaintext key reaches the logs or the database', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) keys.push((await f.post({ name: `secret-${i}`, role: 'Viewer', secondsToLive: 60 })).body.key);
    await f.get('/api/auth/keys', { authorization: `Bearer ${keys[0]}` });
    await f.post({ name: 'secret-0', role: 'Viewer', secondsToLive: 60 }, { authorization: `Basic ${Buffer.from(`api_key:${keys[1]}`).toString('base64')}` });
    const logs = f.node.logs.join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const k of [...keys, f.admin]) expect(logs).not.toContain(k);
    if (engine === 'sqlite') {
      await f.node.km.store.db.selectFrom('api_keys').select('id').execute();
      const file = readFileSync(sqlitePath(f.node.db.url)).toString('latin1');
      for (const k of keys) expect(file).not.toContain(k);
    }
  });
});
