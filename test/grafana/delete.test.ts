// DELETE /api/auth/keys/:id: id parsing, 404 for unknown and other organizations, revocation at once.
import { describe, expect, it } from 'vitest';
import { engines } from '../support/harness.js';
import { basic, bearer, useGrafanaFixture } from './support.js';

describe.each(engines)('Grafana DELETE /api/auth/keys/:id on %s', (engine) => {
  const f = useGrafanaFixture(engine);

  const idOf = async (name: string) => (await f.get('/api/auth/keys?includeExpired=true')).body.find((k: any) => k.name === name)?.id as number | undefined;

  it('200 {"message":"API key deleted"}; the key stops authenticating and verifying on the very next request', async () => {
    const victim = await f.post({ name: 'victim', role: 'Admin' });
    expect((await f.get('/api/auth/keys', bearer(victim.body.key))).status).toBe(200);
    const res = await f.del(victim.body.id);
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"message":"API key deleted"}');
    expect(res.headers['content-type']).toBe('application/json');
    expect((await f.verify(victim.body.key)).code).toBe('REVOKED');
    const again = await f.get('/api/auth/keys', bearer(victim.body.key));
    expect([again.status, again.body]).toEqual([401, { message: 'Revoked API key', messageId: 'api-key.revoked', statusCode: 401 }]);
    expect(await idOf('victim')).toBeUndefined();
  });

  it('`:id` that is not a base-10 integer is 400 "id is invalid"', async () => {
    for (const id of ['abc', '1.5', '1e3', '0x10', '99999999999999999999', '%20', '']) {
      const res = await f.del(id);
      expect([id, res.status, res.body]).toEqual([id, 400, { message: 'id is invalid' }]);
    }
  });

  it('unknown ids, ids already deleted and keys of another organization are 404 "Failed to delete API key"', async () => {
    const nf = { message: 'Failed to delete API key' };
    for (const id of ['999999', '0', '-1', '9223372036854775807']) {
      const res = await f.del(id);
      expect([id, res.status, res.body]).toEqual([id, 404, nf]);
    }
    const once = await f.post({ name: 'once', role: 'Viewer' });
    expect((await f.del(once.body.id)).status).toBe(200);
    expect([(await f.del(once.body.id)).status, (await f.del(once.body.id)).body]).toEqual([404, nf]);

    const other = (await f.root.post('/v1/projects', { name: 'other' })).body;
    const theirs = (await f.root.post('/v1/api-keys', { project_id: other.id, name: 'theirs', role: 'Admin' })).body;
    const theirId = (await f.get('/api/auth/keys', { ...bearer(f.node.rootKey), 'x-grafana-org-id': String(other.org_id) })).body[0].id;
    expect([(await f.del(theirId)).status, (await f.del(theirId)).body]).toEqual([404, nf]);
    expect((await f.verify(theirs.key)).code).toBe('VALID');
    // Root acting in the wrong organization cannot reach it either; in the right one it can.
    expect((await f.del(theirId, { ...bearer(f.node.rootKey), 'x-grafana-org-id': String(f.project.org_id) })).status).toBe(404);
    expect((await f.del(theirId, { ...basic(f.node.rootKey), 'x-grafana-org-id': String(other.org_id) })).status).toBe(200);
    expect((await f.verify(theirs.key)).code).toBe('REVOKED');
  });

  it('a rotated-out key is gone (404); a key in grace and an expired key can be deleted', async () => {
    const rotated = await f.v1Key('rot', 'Viewer');
    const rotatedId = await idOf('rot');
    await f.root.post(`/v1/api-keys/${rotated.id}/rotate`, { grace_period_minutes: 0 });
    expect((await f.del(rotatedId!)).status).toBe(404);

    const grace = await f.v1Key('grace', 'Viewer');
    const graceId = await idOf('grace');
    await f.root.post(`/v1/api-keys/${grace.id}/rotate`, { grace_period_minutes: 30 });
    expect((await f.verify(grace.key)).code).toBe('VALID');
    expect((await f.del(graceId!)).status).toBe(200);
    expect((await f.verify(grace.key)).code).toBe('REVOKED');

    const expired = await f.post({ name: 'expired', role: 'Viewer', secondsToLive: 1 });
    f.node.clock.advance(2000);
    expect((await f.del(expired.body.id)).status).toBe(200);
    expect(await idOf('expired')).toBeUndefined();
  });

  it('`+N` and `00N` name key N, as Go\'s ParseInt reads them', async () => {
    const a = await f.post({ name: 'plus', role: 'Viewer' });
    expect((await f.del(`+${a.body.id}`)).status).toBe(200);
    const b = await f.post({ name: 'zeros', role: 'Viewer' });
    expect((await f.del(`00${b.body.id}`)).status).toBe(200);
    expect((await f.verify(b.body.key)).code).toBe('REVOKED');
  });

  it('a non-Admin key is 403 apikeys:delete and the target survives', async () => {
    const target = await f.post({ name: 'target', role: 'Viewer' });
    const editor = await f.v1Key('editor', 'Editor');
    const res = await f.del(target.body.id, bearer(editor.key));
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/apikeys:delete$/);
    expect((await f.verify(target.body.key)).code).toBe('VALID');
  });
});
