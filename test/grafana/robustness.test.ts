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
