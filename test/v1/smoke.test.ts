// The README's quick start, in one test: project, key, verify, rotate (both verify), revoke (fails).
import { describe, expect, it } from 'vitest';
import { engines } from '../support/harness.js';
import { useV1World } from './fixtures.js';

describe.each(engines)('v1 quick start on %s', (engine) => {
  const w = useV1World(engine);

  it('creates a key, verifies it, rotates it, revokes the successor', async () => {
    const created = await w.createKey({ name: 'svc', scopes: ['read'] });
    expect(created.status).toBe(201);
    expect((await w.verify(created.body.key)).body).toMatchObject({ valid: true, code: 'VALID', key_id: created.body.id });
    const rotated = await w.rotate(created.body.id, { grace_period_minutes: 5 });
    expect(rotated.status).toBe(200);
    expect((await w.verify(created.body.key)).body.code).toBe('VALID');
    expect((await w.verify(rotated.body.key)).body.code).toBe('VALID');
    expect((await w.root.delete(`/v1/api-keys/${rotated.body.new_key_id}`)).status).toBe(204);
    expect((await w.verify(rotated.body.key)).body.code).toBe('REVOKED');
  });
});

describe('v1 documentation', () => {
  const w = useV1World('sqlite');

  it('serves OpenAPI 3.1 with every v1 route, and browsable docs', async () => {
    const doc = (await w.node.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    const ops = Object.entries(doc.paths as Record<string, object>).flatMap(([p, o]) => Object.keys(o).map((m) => `${m.toUpperCase()} ${p}`));
    expect(ops).toEqual(
      expect.arrayContaining([
        'POST /v1/projects', 'GET /v1/projects', 'GET /v1/projects/{id}', 'DELETE /v1/projects/{id}', 'POST /v1/projects/{id}/environments',
        'GET /v1/projects/{id}/environments', 'DELETE /v1/projects/{id}/environments/{envId}', 'GET /v1/api-keys', 'POST /v1/api-keys',
        'GET /v1/api-keys/{keyID}', 'PATCH /v1/api-keys/{keyID}', 'DELETE /v1/api-keys/{keyID}', 'POST /v1/api-keys/{keyID}/rotate',
        'POST /v1/keys/verify', 'GET /v1/keys/self', 'GET /v1/audit-events',
      ]),
    );
    expect(doc.paths['/v1/api-keys/{keyID}/rotate'].post.description).toMatch(/409/);
    const docs = await w.node.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
  });
});
