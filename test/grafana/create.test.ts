// POST /api/auth/keys: the spec's check-order table, row by row, and what a created key is.
import { describe, expect, it } from 'vitest';
import { createKey } from '../../src/surfaces/grafana/api-keys.js';
import { GrafanaError } from '../../src/surfaces/grafana/errors.js';
import { engines } from '../support/harness.js';
import { bearer, call, useGrafanaFixture } from './support.js';

const BAD = { message: 'bad request data' };

describe.each(engines)('Grafana POST /api/auth/keys on %s', (engine) => {
  const f = useGrafanaFixture(engine);

  const names = async () => (await f.get('/api/auth/keys?includeExpired=true')).body.map((k: any) => k.name);

  it('success: 200 {id, name, key}; the key verifies with its role and never expires without secondsToLive', async () => {
    const res = await f.post({ name: 'made-here', role: 'Editor' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toEqual({ id: expect.any(Number), name: 'made-here', key: expect.stringMatching(/^km_/) });
    expect(Number.isInteger(res.body.id)).toBe(true);
    expect(await f.verify(res.body.key)).toMatchObject({ valid: true, code: 'VALID', role: 'Editor', expires_at: null });
    const listed = (await f.get('/api/auth/keys')).body.find((k: any) => k.name === 'made-here');
    expect(listed).toEqual({ id: res.body.id, name: 'made-here', role: 'Editor' });
  });

  it('secondsToLive positive: expires at now + seconds (whole seconds); 0 and null: never', async () => {
    f.node.clock.set(Date.parse('2026-03-01T10:00:00.400Z'));
    const res = await f.post({ name: 'ttl', role: 'Viewer', secondsToLive: 90 });
    expect(res.status).toBe(200);
    const listed = (await f.get('/api/auth/keys')).body.find((k: any) => k.name === 'ttl');
    expect(listed.expiration).toBe('2026-03-01T10:01:30Z');
    for (const [name, body] of [['ttl-0', { secondsToLive: 0 }], ['ttl-null', { secondsToLive: null }]] as const) {
      const r = await f.post({ name, role: 'Viewer', ...body });
      expect(r.status).toBe(200);
      expect((await f.get('/api/auth/keys')).body.find((k: any) => k.name === name)).not.toHaveProperty('expiration');
    }
    f.node.clock.advance(90_000); // the instant it expires
    expect((await f.verify(res.body.key)).code).toBe('EXPIRED');
    f.node.clock.advance(-90_000);
  });

  it('row 1: Content-Type not application/json, bad JSON, wrong JSON types: 400 bad request data, nothing written', async () => {
    const before = await names();
    const good = '{"name":"row1","role":"Viewer"}';
    for (const headers of [{ 'content-type': 'text/plain' }, { 'content-type': 'application/x-www-form-urlencoded' }, { 'content-type': 'application/jsonx' }]) {
      const res = await f.post(good, headers);
      expect([res.status, res.body]).toEqual([400, BAD]);
    }
    const noType = await call(f.node.app, 'POST', '/api/auth/keys', bearer(f.admin), good);
    expect([noType.status, noType.body]).toEqual([400, BAD]);
    for (const body of [
      '{"name":"row1","role":"Viewer"',
      'name=row1&role=Viewer',
      '[]',
      '"row1"',
      '{"name":"row1","role":"Viewer","secondsToLive":"10"}',
      '{"name":"row1","role":"Viewer","secondsToLive":1.5}',
      '{"name":"row1","role":"Viewer","secondsToLive":true}',
      '{"name":5,"role":"Viewer"}',
      '{"name":["row1"],"role":"Viewer"}',
      '{"name":"row1","role":3}',
    ]) {
      const res = await f.post(body);
      expect([body, res.status, res.body]).toEqual([body, 400, BAD]);
    }
    expect(await names()).toEqual(before);
  });

  it('row 1: Content-Type parameters and any case are allowed', async () => {
    for (const [i, ct] of ['application/json; charset=utf-8', 'Application/JSON', 'application/json;charset="UTF-8"'].entries()) {
      const res = await f.post({ name: `ct-${i}`, role: 'Viewer' }, { 'content-type': ct });
      expect([ct, res.status]).toEqual([ct, 200]);
    }
  });

  it('row 2: roles are title-cased ("admin" is Admin), "ADMIN" is invalid, "" means Viewer', async () => {
    const cases = [
      ['admin', 'Admin'],
      ['editor', 'Editor'],
      ['viewer', 'Viewer'],
      ['none', 'None'],
      ['None', 'None'],
      ['', 'Viewer'],
    ] as const;
    for (const [sent, stored] of cases) {
      const res = await f.post({ name: `role-${sent || 'empty'}`, role: sent });
      expect([sent, res.status]).toEqual([sent, 200]);
      expect((await f.verify(res.body.key)).role).toBe(stored);
    }
    for (const sent of ['ADMIN', 'aDMIN', 'Superuser', 'Admin ', 'GrafanaAdmin']) {
      const res = await f.post({ name: `bad-role-${sent}`, role: sent });
      expect([sent, res.status, res.body]).toEqual([sent, 400, BAD]);
    }
  });

  it('row 3: name missing or empty, or role missing (or null): 400 bad request data', async () => {
    for (const body of [{ role: 'Viewer' }, { name: '', role: 'Viewer' }, { name: null, role: 'Viewer' }, { name: 'row3' }, { name: 'row3', role: null }, {}]) {
      const res = await f.post(body);
      expect([body, res.status, res.body]).toEqual([body, 400, BAD]);
    }
    const empty = await f.post('');
    expect([empty.status, empty.body]).toEqual([400, BAD]);
    expect(await names()).not.toContain('row3');
  });

  it('row 4: a role above the caller\'s is 403 "Cannot assign a role higher than user\'s role", before the TTL rows', async () => {
    // Over HTTP only Admin callers pass the 403 gate (and Admin may grant every role), so the row is
    // driven through the handler's own path with an Editor principal, on the real store.
    const keyRow = await f.node.km.keys.findLiveByName(f.project.id, 'admin');
    const editor = { kind: 'api_key' as const, id: keyRow!.id, numId: keyRow!.num_id, projectId: f.project.id, role: 'Editor' as const };
    const org = await f.node.km.projects.get(f.project.id);
    const attempt = createKey(f.node.km, { principal: editor, org }, { name: 'row4', role: 'Admin', secondsToLive: -1 }, { principal: editor, ip: null });
    await expect(attempt).rejects.toEqual(new GrafanaError(403, "Cannot assign a role higher than user's role"));
    await expect(attempt).rejects.toMatchObject({ status: 403 });
    expect(await names()).not.toContain('row4');
    // Over HTTP the check order puts 403 of the gate first, even for a body that fails row 1.
    const viewer = await f.v1Key('row4-viewer', 'Viewer');
    const res = await f.post('not json', bearer(viewer.key));
    expect(res.status).toBe(403);
    expect(res.body.title).toBe('Access denied');
  });

  it('row 7: a name that exists is 409, even when that key has expired; a revoked key frees its name', async () => {
    const taken = await f.post({ name: 'row7', role: 'Viewer', secondsToLive: 5 });
    expect(taken.status).toBe(200);
    const dup = await f.post({ name: 'row7', role: 'Viewer' });
    expect([dup.status, dup.body]).toEqual([409, { message: 'API key, organization ID and name must be unique' }]);
    f.node.clock.advance(10_000);
    expect((await f.verify(taken.body.key)).code).toBe('EXPIRED');
    const dupExpired = await f.post({ name: 'row7', role: 'Viewer' });
    expect([dupExpired.status, dupExpired.body.message]).toEqual([409, 'API key, organization ID and name must be unique']);
    // A v1 key's name counts too: one store.
    await f.v1Key('row7-v1', 'Viewer');
    expect((await f.post({ name: 'row7-v1', role: 'Viewer' })).status).toBe(409);
    expect((await f.del(taken.body.id)).status).toBe(200);
    expect((await f.post({ name: 'row7', role: 'Viewer' })).status).toBe(200);
  });

  it('row 8: secondsToLive < 0 is 400 "negative value for SecondsToLive", after row 7', async () => {
    const res = await f.post({ name: 'row8', role: 'Viewer', secondsToLive: -5 });
    expect([res.status, res.body]).toEqual([400, { message: 'negative value for SecondsToLive' }]);
    expect(await names()).not.toContain('row8');
    const dup = await f.post({ name: 'admin', role: 'Viewer', secondsToLive: -5 });
    expect([dup.status, dup.body.message]).toEqual([409, 'API key, organization ID and name must be unique']);
  });

  it('secondsToLive beyond 100 years is 400 saying the limit (Keymint\'s own bound, after every row of the table)', async () => {
    const res = await f.post({ name: 'forever', role: 'Viewer', secondsToLive: 4e12 });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('secondsToLive must be at most 3153600000 (100 years)');
    expect((await f.post({ name: 'century', role: 'Viewer', secondsToLive: 3153600000 })).status).toBe(200);
  });

  it('rows 1 to 3 come after 401: an anonymous caller with a bad body gets 401', async () => {
    const res = await call(f.node.app, 'POST', '/api/auth/keys', { 'content-type': 'text/plain' }, 'x');
    expect([res.status, res.body]).toEqual([401, { message: 'Unauthorized', messageId: 'auth.unauthorized', statusCode: 401 }]);
  });

  it('a body over 64 KiB is a 4xx {"message"}, never 5xx', async () => {
    const res = await f.post({ name: 'big', role: 'Viewer', pad: 'x'.repeat(70_000) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ message: 'request body is larger than 64 KiB' });
  });
});

describe.each(engines)('Grafana POST with KEYMINT_API_KEY_MAX_SECONDS_TO_LIVE=3600 on %s', (engine) => {
  const f = useGrafanaFixture(engine, { KEYMINT_API_KEY_MAX_SECONDS_TO_LIVE: '3600' });

  it('row 5: secondsToLive 0, null or missing is 400 "Number of seconds before expiration should be set"', async () => {
    for (const extra of [{ secondsToLive: 0 }, { secondsToLive: null }, {}]) {
      const res = await f.post({ name: 'row5', role: 'Viewer', ...extra });
      expect([extra, res.status, res.body]).toEqual([extra, 400, { message: 'Number of seconds before expiration should be set' }]);
    }
    // Before row 7: the name "admin" exists.
    expect((await f.post({ name: 'admin', role: 'Viewer' })).body.message).toBe('Number of seconds before expiration should be set');
  });

  it('row 6: secondsToLive above the max is 400; equal to it is fine', async () => {
    const res = await f.post({ name: 'row6', role: 'Viewer', secondsToLive: 3601 });
    expect([res.status, res.body]).toEqual([400, { message: 'Number of seconds before expiration is greater than the global limit' }]);
    expect((await f.post({ name: 'admin', role: 'Viewer', secondsToLive: 3601 })).status).toBe(400); // before row 7
    const ok = await f.post({ name: 'row6', role: 'Viewer', secondsToLive: 3600 });
    expect(ok.status).toBe(200);
    const listed = (await f.get('/api/auth/keys')).body.find((k: any) => k.name === 'row6');
    expect(Date.parse(listed.expiration)).toBe(Math.floor(f.node.clock.now() / 1000) * 1000 + 3_600_000);
  });

  it('rows 7 and 8 still hold with a max TTL: a taken name is 409, then a negative value 400', async () => {
    expect((await f.post({ name: 'admin', role: 'Viewer', secondsToLive: -1 })).status).toBe(409);
    const res = await f.post({ name: 'row8', role: 'Viewer', secondsToLive: -1 });
    expect([res.status, res.body]).toEqual([400, { message: 'negative value for SecondsToLive' }]);
  });
});

describe.each(engines)('Grafana 11.3 mode on %s', (engine) => {
  const f = useGrafanaFixture(engine, { KEYMINT_GRAFANA_COMPAT: '11.3' });

  it('POST is 410 with the service-account message (after 401/403); list and delete keep working', async () => {
    const res = await f.post({ name: 'gone', role: 'Viewer' });
    expect(res.status).toBe(410);
    expect(res.body).toEqual({
      message: 'this endpoint has been removed, please use POST /api/serviceaccounts and POST /api/serviceaccounts/{id}/tokens instead',
    });
    expect((await call(f.node.app, 'POST', '/api/auth/keys', { 'content-type': 'application/json' }, '{}')).status).toBe(401);
    const victim = await f.v1Key('victim', 'Viewer');
    const listed = await f.get('/api/auth/keys');
    expect(listed.status).toBe(200);
    const id = listed.body.find((k: any) => k.name === 'victim').id;
    expect((await f.del(id)).body).toEqual({ message: 'API key deleted' });
    expect((await f.verify(victim.key)).code).toBe('REVOKED');
  });
});
