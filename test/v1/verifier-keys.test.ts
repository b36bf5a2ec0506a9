// /v1/verifier-keys: root-only management; a verifier key verifies (its project's keys only), reads its project's key
// stream and reports its usage (what a local verifier needs), and gets 403 elsewhere.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseKey } from '../../src/keys/material.js';
import { client } from '../support/client.js';
import { engines } from '../support/harness.js';
import { expectInvalid, expectProblem, useV1World } from './fixtures.js';

describe.each(engines)('verifier keys on %s', (engine) => {
  const w = useV1World(engine);

  it('root creates one (key shown once, own prefix), lists it, and it verifies its project\'s keys only', async () => {
    const created = await w.root.post('/v1/verifier-keys', { name: 'api-gateway', project_id: w.projectId });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^vk_/), name: 'api-gateway', project_id: w.projectId, created_at: expect.any(String) });
    expect(created.body.key).toMatch(/^km_verify_/);
    expect(parseKey(created.body.key)).not.toBeNull();
    expect(created.body.key_prefix).toBe(created.body.key.slice(0, 'km_verify_'.length + 8));
    const list = await w.root.get('/v1/verifier-keys');
    expect(list.status).toBe(200);
    const listed = list.body.find((v: any) => v.id === created.body.id);
    expect(listed).toEqual({ id: created.body.id, name: 'api-gateway', project_id: w.projectId, key_prefix: created.body.key_prefix, created_at: created.body.created_at });
    expect(list.text).not.toContain(created.body.key);

    const verifier = client(w.node.app, created.body.key);
    const ours = await w.createKey({ name: 'checked', meta: { plan: 'pro' } });
    expect((await verifier.post('/v1/keys/verify', { key: ours.body.key })).body).toMatchObject({ valid: true, code: 'VALID', key_id: ours.body.id, meta: { plan: 'pro' } });
    const other = await w.root.post('/v1/projects', { name: 'other' });
    const theirs = await w.root.post('/v1/api-keys', { project_id: other.body.id, name: 'theirs' });
    expect((await verifier.post('/v1/keys/verify', { key: theirs.body.key })).body).toMatchObject({ valid: false, code: 'NOT_FOUND', key_id: null });

    const everywhere = await w.root.post('/v1/verifier-keys', { name: 'all', project_id: null });
    expect(everywhere.body.project_id).toBeNull();
    expect((await client(w.node.app, everywhere.body.key).post('/v1/keys/verify', { key: theirs.body.key })).body.code).toBe('VALID');
  });

  it('gets 403 on every other route, in each surface\'s shape, and never appears in /api/auth/keys', async () => {
    const created = await w.root.post('/v1/verifier-keys', { name: 'narrow', project_id: w.projectId });
    const verifier = client(w.node.app, created.body.key);
    for (const res of [
      await verifier.get(`/v1/api-keys?project_id=${w.projectId}`),
      await verifier.post('/v1/api-keys', { project_id: w.projectId, name: 'minted-by-verifier' }),
      await verifier.get('/v1/verifier-keys'),
      await verifier.post('/v1/verifier-keys', { name: 'x', project_id: null }),
      await verifier.get('/v1/keys/self'),
      await verifier.get(`/v1/audit-events?project_id=${w.projectId}`),
      await verifier.get('/v1/projects'),
    ]) {
      expect(expectProblem(res, 403).detail).toMatch(/verifier key may only call POST \/v1\/keys\/verify/);
    }
    for (const [method, url] of [['GET', '/api/auth/keys'], ['POST', '/api/auth/keys'], ['DELETE', '/api/auth/keys/1']] as const) {
      const res = await w.node.app.inject({ method, url, headers: { authorization: `Bearer ${created.body.key}`, 'content-type': 'application/json' }, payload: method === 'POST' ? '{"name":"x","role":"Viewer"}' : undefined });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(Object.keys(res.json())).toContain('message');
    }
    // The AWS surface takes SigV4 signatures only: a verifier key sent there is refused in its shape.
    const aws = await w.node.app.inject({ method: 'POST', url: '/workspaces/g-0123456789/apikeys', headers: { authorization: `Bearer ${created.body.key}`, 'content-type': 'application/json' }, payload: '{}' });
    expect(aws.statusCode).toBe(403);
    expect(aws.headers['x-amzn-errortype']).toBeDefined();
    const basic = await w.node.app.inject({ method: 'GET', url: '/api/auth/keys', headers: { authorization: `Basic ${Buffer.from(`api_key:${created.body.key}`).toString('base64')}` } });
    expect(basic.statusCode).toBe(403);
    const admin = await w.keyClient('Admin');
    const grafanaList = await w.node.app.inject({ method: 'GET', url: '/api/auth/keys', headers: { authorization: `Bearer ${admin.key}` } });
    expect(grafanaList.statusCode).toBe(200);
    expect(grafanaList.body).not.toContain('narrow');
    expect(grafanaList.body).not.toContain('km_verify');
  });

  it("reads its own project's key stream and reports its usage; another project's is 404, another project's key a 400", async () => {
    const created = await w.root.post('/v1/verifier-keys', { name: 'local-verifier', project_id: w.projectId });
    const verifier = client(w.node.app, created.body.key);
    const ours = await w.createKey({ name: 'streamed' });
    const other = (await w.root.post('/v1/projects', { name: 'not-its-own' })).body.id as string;
    const theirs = await w.root.post('/v1/api-keys', { project_id: other, name: 'theirs' });

    /** The stream's text up to its first `ready` event (or its whole refusal), then closed. */
    const stream = async (projectId: string) => {
      const res = await w.node.app.inject({ method: 'GET', url: `/v1/keys/stream?project_id=${projectId}`, headers: { authorization: `Bearer ${created.body.key}` }, payloadAsStream: true });
      const body = res.stream();
      let text = '';
      for await (const chunk of body) {
        text += String(chunk);
        if (res.statusCode === 200 && text.includes('event: ready')) break;
      }
      body.destroy();
      return { status: res.statusCode, type: String(res.headers['content-type']), text };
    };
    const own = await stream(w.projectId);
    expect(own.status).toBe(200);
    expect(own.type).toBe('text/event-stream');
    expect(own.text).toContain(createHash('sha256').update(ours.body.key).digest('hex'));
    expect(own.text).not.toContain(createHash('sha256').update(theirs.body.key).digest('hex'));
    const foreign = await stream(other);
    expect(foreign.status).toBe(404);
    expect(foreign.type).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(foreign.text).detail).toContain(other);

    const at = new Date(w.node.clock.now()).toISOString();
    const report = (projectId: string, keyId: string) => verifier.post('/v1/keys/usage', { project_id: projectId, entries: [{ key_id: keyId, at, outcome: 'VALID', count: 3 }] });
    expect((await report(w.projectId, ours.body.id)).body).toEqual({ accepted: 1 });
    expectInvalid(await report(w.projectId, theirs.body.id), 'body.entries.0.key_id');
    expectProblem(await report(other, theirs.body.id), 404);
    // `to` is exclusive: a range that holds `at`'s minute.
    const range = `granularity=minute&from=${at}&to=${new Date(w.node.clock.now() + 60_000).toISOString()}`;
    const usage = await w.root.get(`/v1/api-keys/${ours.body.id}/usage?${range}`);
    expect(usage.body.buckets.reduce((n: number, b: any) => n + b.counts.VALID, 0)).toBe(3);
    const theirUsage = await w.root.get(`/v1/api-keys/${theirs.body.id}/usage?${range}`);
    expect(theirUsage.body.buckets.reduce((n: number, b: any) => n + b.total, 0)).toBe(0);

    // A verifier key of every project reads any project's stream.
    const everywhere = await w.root.post('/v1/verifier-keys', { name: 'all-projects', project_id: null });
    const all = await w.node.app.inject({ method: 'GET', url: `/v1/keys/stream?project_id=${other}`, headers: { authorization: `Bearer ${everywhere.body.key}` }, payloadAsStream: true });
    expect(all.statusCode).toBe(200);
    all.stream().destroy();
  });

  it('only the root key manages them; deleting one stops it at once; bad input is a 400', async () => {
    const admin = await w.keyClient('Admin');
    expectProblem(await admin.client.post('/v1/verifier-keys', { name: 'nope', project_id: w.projectId }), 403);
    expectProblem(await admin.client.get('/v1/verifier-keys'), 403);
    expectInvalid(await w.root.post('/v1/verifier-keys', { name: 'no-project' }), 'body.project_id');
    expectInvalid(await w.root.post('/v1/verifier-keys', { name: '', project_id: null }), 'body.name');
    expectProblem(await w.root.post('/v1/verifier-keys', { name: 'ghost', project_id: 'prj_doesnotexist' }), 404);

    const created = await w.root.post('/v1/verifier-keys', { name: 'short-lived', project_id: w.projectId });
    const key = await w.createKey({ name: 'k-for-short-lived' });
    const verifier = client(w.node.app, created.body.key);
    expect((await verifier.post('/v1/keys/verify', { key: key.body.key })).body.code).toBe('VALID');
    expectProblem(await admin.client.delete(`/v1/verifier-keys/${created.body.id}`), 403);
    expect((await w.root.delete(`/v1/verifier-keys/${created.body.id}`)).status).toBe(204);
    expectProblem(await verifier.post('/v1/keys/verify', { key: key.body.key }), 401);
    expectProblem(await w.root.delete(`/v1/verifier-keys/${created.body.id}`), 404);
    expect((await w.root.get('/v1/verifier-keys')).body.map((v: any) => v.id)).not.toContain(created.body.id);
    const audit = (await w.root.get(`/v1/audit-events?project_id=${w.projectId}`)).body.filter((e: any) => e.target.id === created.body.id);
    expect(audit.map((e: any) => e.action).sort()).toEqual(['verifier_key.created', 'verifier_key.deleted']);
  });
});
