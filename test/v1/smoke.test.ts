// The README's quick start, in one test: project, key, verify, rotate (both verify), revoke (fails).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../support/harness.js';
import { v1World, type V1World } from './fixtures.js';

describe.each(engines)('v1 quick start on %s', (engine) => {
  let w: V1World;
  beforeAll(async () => {
    w = await v1World(engine);
  });
  afterAll(() => w.close());

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
