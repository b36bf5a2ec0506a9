// GET /api/auth/keys: includeExpired, order by name, the cap of 100, the item shape.
import { describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/auth/principal.js';
import { engines } from '../support/harness.js';
import { bearer, useGrafanaFixture } from './support.js';

const RFC3339_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe.each(engines)('Grafana GET /api/auth/keys on %s', (engine) => {
  const f = useGrafanaFixture(engine);

  it('an organization without keys lists [] (an array, never null)', async () => {
    const empty = (await f.root.post('/v1/projects', { name: 'empty' })).body;
    const res = await f.get('/api/auth/keys', { ...bearer(f.node.rootKey), 'x-grafana-org-id': String(empty.org_id) });
    expect([res.status, res.text]).toEqual([200, '[]']);
  });

  it('items are {id, name, role} plus expiration (whole-second RFC 3339) when set and lastUsedAt when used', async () => {
    const now = f.node.clock.now();
    const expiring = await f.post({ name: 'expiring', role: 'Editor', secondsToLive: 3600 });
    const used = await f.v1Key('used', 'Viewer');
    expect((await f.verify(used.key)).valid).toBe(true);
    await f.node.km.usage.flush();
    const items = (await f.get('/api/auth/keys')).body;
    expect(items.find((k: any) => k.name === 'expiring')).toEqual({ id: expiring.body.id, name: 'expiring', role: 'Editor', expiration: expect.stringMatching(RFC3339_SECONDS) });
    expect(Date.parse(items.find((k: any) => k.name === 'expiring').expiration)).toBe(Math.floor(now / 1000) * 1000 + 3_600_000);
    const usedItem = items.find((k: any) => k.name === 'used');
    expect(Object.keys(usedItem).sort()).toEqual(['id', 'lastUsedAt', 'name', 'role']);
    expect(usedItem.lastUsedAt).toMatch(RFC3339_SECONDS);
    expect(Math.abs(Date.parse(usedItem.lastUsedAt) - now)).toBeLessThan(1000);
    // The admin key made these requests: authenticating is a use too.
    expect(items.find((k: any) => k.name === 'admin')).toEqual({ id: expect.any(Number), name: 'admin', role: 'Admin', lastUsedAt: expect.stringMatching(RFC3339_SECONDS) });
    const idle = await f.v1Key('idle', 'Viewer');
    await f.node.km.usage.flush();
    expect((await f.get('/api/auth/keys')).body.find((k: any) => k.name === 'idle')).toEqual({ id: expect.any(Number), name: 'idle', role: 'Viewer' });
    expect(idle.key).toBeTruthy();
  });

  it('sorted by name ascending in byte order, the same on every engine', async () => {
    for (const name of ['b', 'B', 'a', '_x', 'Z10', 'Z9', 'é', '10']) await f.post({ name: `sort-${name}`, role: 'Viewer' });
    const names: string[] = (await f.get('/api/auth/keys')).body.map((k: any) => k.name);
    expect(names).toEqual([...names].sort());
    expect(names.filter((n) => n.startsWith('sort-'))).toEqual(['sort-10', 'sort-B', 'sort-Z10', 'sort-Z9', 'sort-_x', 'sort-a', 'sort-b', 'sort-é']);
  });

  it('expired keys only with includeExpired in 1 t T TRUE true True; anything else is false', async () => {
    const org = (await f.root.post('/v1/projects', { name: 'expiry' })).body;
    const rootIn = { ...bearer(f.node.rootKey), 'x-grafana-org-id': String(org.org_id) };
    const post = (name: string, secondsToLive?: number) => f.post({ name, role: 'Viewer', secondsToLive }, rootIn);
    await post('lives');
    await post('dies', 60);
    f.node.clock.advance(60_000); // expires == now: expired
    const list = async (qs: string) => (await f.get(`/api/auth/keys${qs}`, rootIn)).body.map((k: any) => k.name);
    expect(await list('')).toEqual(['lives']);
    for (const v of ['1', 't', 'T', 'TRUE', 'true', 'True']) expect([v, await list(`?includeExpired=${v}`)]).toEqual([v, ['dies', 'lives']]);
    for (const v of ['0', 'false', 'yes', 'on', 'TRue', '', '2', 'y']) expect([v, await list(`?includeExpired=${v}`)]).toEqual([v, ['lives']]);
    // A repeated parameter: the first one counts, as in Grafana.
    expect(await list('?includeExpired=true&includeExpired=false')).toEqual(['dies', 'lives']);
    f.node.clock.advance(-60_000);
    expect(await list('')).toEqual(['dies', 'lives']); // one millisecond before is not expired
  });

  it('revoked and rotated-out keys are never listed, even with includeExpired; a key in grace is', async () => {
    const org = (await f.root.post('/v1/projects', { name: 'lifecycle' })).body;
    const rootIn = { ...bearer(f.node.rootKey), 'x-grafana-org-id': String(org.org_id) };
    const mk = async (name: string) => (await f.root.post('/v1/api-keys', { project_id: org.id, name, role: 'Viewer' })).body;
    const revoked = await mk('revoked');
    await f.root.delete(`/v1/api-keys/${revoked.id}`);
    const gone = await mk('rotated-out');
    await f.root.post(`/v1/api-keys/${gone.id}/rotate`, { grace_period_minutes: 0 });
    const grace = await mk('in-grace');
    await f.root.post(`/v1/api-keys/${grace.id}/rotate`, { grace_period_minutes: 10 });
    const listed = (await f.get('/api/auth/keys?includeExpired=true', rootIn)).body;
    expect(listed.map((k: any) => k.name)).toEqual(['in-grace', 'in-grace', 'rotated-out']);
    expect(new Set(listed.map((k: any) => k.id)).size).toBe(3);
    f.node.clock.advance(10 * 60_000);
    expect((await f.get('/api/auth/keys?includeExpired=true', rootIn)).body.map((k: any) => k.name)).toEqual(['in-grace', 'rotated-out']);
    f.node.clock.advance(-10 * 60_000);
  });

  it('at most 100 keys: the first 100 by name', async () => {
    const org = (await f.root.post('/v1/projects', { name: 'many' })).body;
    const names = Array.from({ length: 105 }, (_, i) => `k${String(i).padStart(3, '0')}`);
    for (const name of [...names].reverse()) {
      await f.node.km.keys.create({ kind: 'root', id: 'test' }, { project_id: org.id, name, role: 'Viewer' }, SYSTEM);
    }
    const res = await f.get('/api/auth/keys', { ...bearer(f.node.rootKey), 'x-grafana-org-id': String(org.org_id) });
    expect(res.body.map((k: any) => k.name)).toEqual(names.slice(0, 100));
  });

  it('keys of other organizations are not listed', async () => {
    const other = (await f.root.post('/v1/projects', { name: 'elsewhere' })).body;
    await f.root.post('/v1/api-keys', { project_id: other.id, name: 'not-yours', role: 'Admin' });
    expect((await f.get('/api/auth/keys?includeExpired=1')).body.map((k: any) => k.name)).not.toContain('not-yours');
  });
});
