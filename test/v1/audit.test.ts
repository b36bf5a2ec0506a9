// Every change writes one audit event (who, what, which, from where), readable at /v1/audit-events.
import { describe, expect, it } from 'vitest';
import { client } from '../support/client.js';
import { engines } from '../support/harness.js';
import { expectInvalid, expectProblem, useV1World } from './fixtures.js';

describe.each(engines)('v1 audit events on %s', (engine) => {
  const w = useV1World(engine);

  const eventsOf = async (projectId: string) => (await w.root.get(`/v1/audit-events?project_id=${projectId}&limit=1000`)).body as any[];

  it('writes one event per change with actor, target, project and ip; non-changes write none', async () => {
    const p = (await w.root.post('/v1/projects', { name: 'audited' })).body;
    const env = (await w.root.post(`/v1/projects/${p.id}/environments`, { name: 'e' })).body;
    const admin = await w.keyClient('Admin', p.id);
    const k = (await w.createKey({ project_id: p.id, name: 'by-admin' }, admin.client)).body;
    await admin.client.patch(`/v1/api-keys/${k.id}`, { scopes: ['x'] });
    await admin.client.patch(`/v1/api-keys/${k.id}`, {});
    const r = (await w.rotate(k.id, {}, admin.client)).body;
    await admin.client.delete(`/v1/api-keys/${r.new_key_id}`);
    await admin.client.delete(`/v1/api-keys/${r.new_key_id}`);
    await w.root.delete(`/v1/projects/${p.id}/environments/${env.id}`);
    // Refused changes write nothing.
    expect((await admin.client.post('/v1/api-keys', { project_id: p.id, name: 'bad', role: 'Owner' })).status).toBe(400);
    expect((await w.rotate(r.new_key_id, {}, admin.client)).status).toBe(409);
    expect((await admin.client.patch(`/v1/api-keys/${r.new_key_id}`, { name: 'z' })).status).toBe(409);
    await w.root.delete(`/v1/projects/${p.id}`);

    const root = { type: 'root_key', id: 'root_env' };
    const byAdmin = { type: 'api_key', id: admin.id };
    const events = (await eventsOf(p.id)).reverse();
    expect(events.map((e) => [e.action, e.actor, e.target])).toEqual([
      ['project.created', root, { type: 'project', id: p.id }],
      ['environment.created', root, { type: 'environment', id: env.id }],
      ['api_key.created', root, { type: 'api_key', id: admin.id }],
      ['api_key.created', byAdmin, { type: 'api_key', id: k.id }],
      ['api_key.updated', byAdmin, { type: 'api_key', id: k.id }],
      ['api_key.rotated', byAdmin, { type: 'api_key', id: k.id }],
      ['api_key.revoked', byAdmin, { type: 'api_key', id: r.new_key_id }],
      ['environment.deleted', root, { type: 'environment', id: env.id }],
      ['project.deleted', root, { type: 'project', id: p.id }],
    ]);
    for (const e of events) {
      expect(e).toEqual({ id: expect.stringMatching(/^evt_/), at: '2026-01-01T00:00:00.000Z', actor: expect.any(Object), action: e.action, target: expect.any(Object), project_id: p.id, ip: '127.0.0.1' });
    }
  });

  it('lists newest first with Link pagination; an Admin key sees only its own project', async () => {
    const p = (await w.root.post('/v1/projects', { name: 'paged-audit' })).body;
    for (let i = 0; i < 4; i++) await w.createKey({ project_id: p.id });
    const all = await eventsOf(p.id);
    expect(all).toHaveLength(5);
    const first = await w.root.get(`/v1/audit-events?project_id=${p.id}&limit=2`);
    expect(first.body.map((e: any) => e.id)).toEqual(all.slice(0, 2).map((e) => e.id));
    const next = /^<([^>]+)>; rel="next"$/.exec(first.headers.link as string)![1];
    expect((await w.root.get(next)).body.map((e: any) => e.id)).toEqual(all.slice(2, 4).map((e) => e.id));

    const admin = await w.keyClient('Admin', p.id);
    const own = await admin.client.get('/v1/audit-events');
    expect(own.status).toBe(200);
    expect(new Set(own.body.map((e: any) => e.project_id))).toEqual(new Set([p.id]));
    expectProblem(await admin.client.get(`/v1/audit-events?project_id=${w.projectId}`), 404);
    // Root without project_id sees every project's events.
    const every = (await w.root.get('/v1/audit-events?limit=1000')).body;
    expect(every.some((e: any) => e.project_id === w.projectId)).toBe(true);
    expect(every.some((e: any) => e.project_id === p.id)).toBe(true);
  });

  it('refuses bad queries and unknown projects', async () => {
    expectInvalid(await w.root.get('/v1/audit-events?limit=0'), 'querystring.limit');
    expectInvalid(await w.root.get('/v1/audit-events?cursor=%%%'), 'querystring.cursor');
    expectProblem(await w.root.get('/v1/audit-events?project_id=prj_nope'), 404);
    expectProblem(await client(w.node.app).get('/v1/audit-events'), 401);
  });
});
