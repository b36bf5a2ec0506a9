// Local verification against real servers on both engines: the replica's answers match POST /v1/keys/verify,
// a revocation made on another node reaches a verifier in another process within a second, the stream resumes
// after a disconnect, and what the replica cannot answer goes over HTTP.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, testNode, type TestNode } from '../../../test/support/harness.js';
import { Keymint, KeymintError } from '../src/index.js';
import type { LocalVerifier } from '../src/local/local-verifier.js';
import { type SdkWorld, sdkWorld, until } from './support.js';

const WATCHER = fileURLToPath(new URL('./fixtures/watch-key.ts', import.meta.url));

/** The events of one stream connection until `stop` says enough. */
async function readStream(url: string, token: string, headers: Record<string, string>, stop: (events: { event: string; id: string | null; data: any }[]) => boolean) {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, ...headers }, signal: abort.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  const events: { event: string; id: string | null; data: any }[] = [];
  let buffer = '';
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const get = (f: string) => block.split('\n').find((l) => l.startsWith(`${f}: `))?.slice(f.length + 2) ?? null;
      events.push({ event: get('event')!, id: get('id'), data: JSON.parse(get('data')!) });
    }
    if (stop(events)) break;
  }
  abort.abort();
  return events;
}

describe.each(engines)('local verification (%s)', (engine) => {
  let w: SdkWorld;
  let other: TestNode;
  let otherUrl: string;
  let local: LocalVerifier;
  beforeAll(async () => {
    w = await sdkWorld(engine);
    // A second node on the same database: revocations made there must reach verifiers fed by the first.
    other = await testNode(engine, { db: w.node.db, rootKey: w.node.rootKey, clock: w.node.clock });
    otherUrl = await other.app.listen({ port: 0, host: '127.0.0.1' });
    local = await w.keymint.localVerifier({ projectId: w.projectId, now: () => w.node.clock.now() });
  });
  afterAll(async () => {
    await local?.close();
    await other?.close();
    await w?.close();
  });

  it('answers like POST /v1/keys/verify, from memory', async () => {
    const k = await w.keymint.keys.create({ project_id: w.projectId, name: 'same', scopes: ['read'], expires_in_days: 3 });
    await until(() => local.verifyLocally(k.key) !== null, 2_000, 'the new key in the replica');
    for (const options of [{}, { requiredScopes: ['read'] }, { requiredScopes: ['write'] }, { environmentId: 'env_other' }]) {
      expect(local.verifyLocally(k.key, options)).toEqual(await w.keymint.keys.verify(k.key, options));
    }
    expect(local.verifyLocally('km_notakey')).toEqual(await w.keymint.keys.verify('km_notakey'));
    w.node.clock.advance(4 * 86_400_000);
    expect(local.verifyLocally(k.key)).toEqual(await w.keymint.keys.verify(k.key));
    expect(local.verifyLocally(k.key)!.code).toBe('EXPIRED');
  });

  it('answers from its hot cache only while the key is unchanged, and the same with the cache off', async () => {
    const k = await w.keymint.keys.create({ project_id: w.projectId, name: 'hot', scopes: ['read'] });
    await until(() => local.verifyLocally(k.key) !== null, 2_000, 'the new key in the replica');
    for (let i = 0; i < 3; i++) expect(local.verifyLocally(k.key, { requiredScopes: ['write'] })!.code).toBe('INSUFFICIENT_SCOPES');
    await w.keymint.keys.update(k.id, { scopes: ['write'] });
    await until(() => local.verifyLocally(k.key, { requiredScopes: ['write'] })?.code === 'VALID', 2_000, 'the new scopes');
    expect(local.verifyLocally(k.key)!.scopes).toEqual(['write']);
    const cold = await w.keymint.localVerifier({ projectId: w.projectId, now: () => w.node.clock.now(), hotKeys: 0 });
    try {
      expect(cold.verifyLocally(k.key)).toEqual(local.verifyLocally(k.key));
      expect((cold as unknown as { hot: Map<string, unknown> }).hot.size).toBe(0);
    } finally {
      await cold.close();
    }
  });

  it('sees a rotation and its grace period', async () => {
    const k = await w.keymint.keys.create({ project_id: w.projectId, name: 'rot' });
    const r = await w.keymint.keys.rotate(k.id, { grace_period_minutes: 5 });
    await until(() => local.verifyLocally(r.key)?.code === 'VALID' && local.verifyLocally(k.key)?.grace_expires_at !== null, 2_000, 'the rotation');
    expect(local.verifyLocally(k.key)).toEqual(await w.keymint.keys.verify(k.key));
    w.node.clock.advance(6 * 60_000);
    expect(local.verifyLocally(k.key)!.code).toBe('ROTATED');
  });

  it('goes over HTTP for rate-limited keys and keys it does not know, and stays in its project', async () => {
    const limited = await w.keymint.keys.create({ project_id: w.projectId, name: 'limited', ratelimit: { limit: 2, duration_ms: 60_000 } });
    await until(async () => (await local.verify(limited.key)).code === 'VALID', 2_000, 'the limited key');
    expect(local.verifyLocally(limited.key)).toBeNull();
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await local.verify(limited.key)).code);
    expect(codes).toContain('RATE_LIMITED');
    const elsewhere = await w.keymint.projects.create({ name: 'elsewhere' });
    const foreign = await w.keymint.keys.create({ project_id: elsewhere.id, name: 'f' });
    const before = local.stats().remote;
    // The root token would see that key; a verifier of this project must not.
    expect((await local.verify(foreign.key)).code).toBe('NOT_FOUND');
    expect(local.stats().remote).toBe(before + 1);
  });

  it("answers a key of an identity over HTTP: its identity, and DISABLED while the identity is disabled", async () => {
    const root = { authorization: `Bearer ${w.node.rootKey}`, 'content-type': 'application/json' };
    const identity = (await (await fetch(`${w.url}/v1/identities`, { method: 'POST', headers: root, body: JSON.stringify({ project_id: w.projectId, name: 'acme', external_id: 'acme-1' }) })).json()) as { id: string };
    const owned = await w.keymint.keys.create({ project_id: w.projectId, name: 'owned', identity_id: identity.id });
    const plain = await w.keymint.keys.create({ project_id: w.projectId, name: 'plain' });
    await until(() => local.verifyLocally(plain.key) !== null, 2_000, 'the plain key in the replica');
    // The stream does not carry the identity's state: the key is in the replica, marked for the server.
    expect(local.verifyLocally(owned.key)).toBeNull();
    expect(local.verifyLocally(plain.key)!.identity).toBeNull();
    const answer = await local.verify(owned.key);
    expect(answer).toEqual(await w.keymint.keys.verify(owned.key));
    expect(answer.identity).toMatchObject({ id: identity.id, external_id: 'acme-1' });
    const patched = await fetch(`${w.url}/v1/identities/${identity.id}`, { method: 'PATCH', headers: root, body: JSON.stringify({ is_disabled: true }) });
    expect(patched.status).toBe(200);
    await until(async () => (await local.verify(owned.key)).code === 'DISABLED', 2_000, 'DISABLED through the verifier');
    expect(local.verifyLocally(owned.key)).toBeNull();
  });

  it('reports the verifications it answered, in a batch', async () => {
    const k = await w.keymint.keys.create({ project_id: w.projectId, name: 'counted' });
    await until(() => local.verifyLocally(k.key) !== null, 2_000, 'the key');
    for (let i = 0; i < 4; i++) local.verifyLocally(k.key);
    await local.flushUsage();
    const usage = await w.keymint.keys.usage(k.id, { granularity: 'minute' });
    expect(usage.buckets.reduce((n, b) => n + b.counts.VALID, 0)).toBe(5);
    expect((await w.keymint.keys.get(k.id)).last_used_at).not.toBeNull();
  });

  it('a revocation on another node reaches a verifier in another process within 1 s', async () => {
    const k = await w.keymint.keys.create({ project_id: w.projectId, name: `watched` });
    const child = spawn(process.execPath, ['--import', 'tsx', WATCHER, w.url, w.node.rootKey, w.projectId, k.key], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines: { code: string; at: number }[] = [];
    child.stdout.on('data', (d) => String(d).trim().split('\n').forEach((l) => lines.push(JSON.parse(l))));
    try {
      await until(() => lines.some((l) => l.code === 'VALID'), 20_000, 'VALID in the other process');
      const revokedAt = Date.now();
      await new Keymint({ baseUrl: otherUrl, token: w.node.rootKey }).keys.revoke(k.id);
      await until(() => lines.some((l) => l.code === 'REVOKED'), 3_000, 'REVOKED in the other process');
      const seen = lines.find((l) => l.code === 'REVOKED')!.at - revokedAt;
      console.log(`[${engine}] revocation reached the other process's local verifier in ${seen} ms`);
      expect(seen).toBeLessThanOrEqual(1_000);
    } finally {
      child.stdin.end();
      child.kill();
    }
  });

  it('resumes with Last-Event-ID: only the changes since, then ready', async () => {
    const url = `${w.url}/v1/keys/stream?project_id=${w.projectId}`;
    const first = await readStream(url, w.node.rootKey, {}, (e) => e.some((x) => x.event === 'ready'));
    expect(first[0].event).toBe('reset');
    const snapshot = first.filter((e) => e.event === 'keys').flatMap((e) => e.data);
    expect(snapshot.length).toBeGreaterThan(0);
    expect(JSON.stringify(snapshot)).not.toMatch(/km_[A-Za-z0-9]{38}/);
    const lastId = first.find((e) => e.event === 'ready')!.id!;
    const k = await w.keymint.keys.create({ project_id: w.projectId, name: 'while-away' });
    await w.keymint.keys.revoke(k.id);
    const resumed = await readStream(url, w.node.rootKey, { 'last-event-id': lastId }, (e) => e.some((x) => x.event === 'ready'));
    expect(resumed.map((e) => e.event)).not.toContain('reset');
    const mine = resumed.filter((e) => e.event === 'key' && e.data.id === k.id);
    expect(mine.at(-1)!.data.revoked_at).not.toBeNull();
    // An id the server no longer knows starts again from a snapshot.
    const restarted = await readStream(url, w.node.rootKey, { 'last-event-id': '999999999' }, (e) => e.some((x) => x.event === 'ready'));
    expect(restarted[0].event).toBe('reset');
  });

  it('syncs a project of several snapshot pages', async () => {
    const project = await w.keymint.projects.create({ name: 'big' });
    const now = w.node.clock.now();
    // More than two pages of 5000 rows, and more keys than the replica's first table holds (it grows).
    const rows = Array.from({ length: 11_000 }, (_, i) => ({
      id: `key_big${i}`, project_id: project.id, environment_id: null, name: `big${i}`, key_prefix: 'km_big', digest: createHash('sha256').update(`big-${i}`).digest('hex'),
      role: 'None', scopes: '[]', expires_at: null, created_at: now, revoked_at: null, replaced_by_key_id: null, grace_expires_at: null, rotation_interval_days: null,
      next_rotation_at: null, rotation_webhook_url: null, rotation_grace_minutes: null, webhook_secret_enc: null, ratelimit_limit: null, ratelimit_duration_ms: null,
    }));
    for (let i = 0; i < rows.length; i += 500) await w.node.km.store.db.insertInto('api_keys').values(rows.slice(i, i + 500)).execute();
    const big = await w.keymint.localVerifier({ projectId: project.id });
    try {
      expect(big.stats().keys).toBe(11_000);
      const found = (big as unknown as { replica: { findHex(d: string): number; id(slot: number): string } }).replica;
      for (const i of [0, 4_999, 5_000, 10_999]) expect(found.id(found.findHex(createHash('sha256').update(`big-${i}`).digest('hex')))).toBe(`key_big${i}`);
    } finally {
      await big.close();
    }
  });

  it("runs on a verify-only credential: a verifier key of the project streams, verifies and reports usage, and no other project's", async () => {
    const vk = await w.keymint.verifierKeys.create({ name: 'service', project_id: w.projectId });
    const service = new Keymint({ baseUrl: w.url, token: vk.key });
    const k = await w.keymint.keys.create({ project_id: w.projectId, name: 'vk-checked' });
    const verifier = await service.localVerifier({ projectId: w.projectId, now: () => w.node.clock.now() });
    try {
      expect(verifier.verifyLocally(k.key)).toEqual(await w.keymint.keys.verify(k.key));
      await w.keymint.keys.revoke(k.id);
      await until(() => verifier.verifyLocally(k.key)?.code === 'REVOKED', 2_000, 'REVOKED through a verifier key');
      const elsewhere = await w.keymint.projects.create({ name: 'vk-elsewhere' });
      const foreign = await w.keymint.keys.create({ project_id: elsewhere.id, name: 'f' });
      expect((await verifier.verify(foreign.key)).code).toBe('NOT_FOUND');
      await verifier.flushUsage();
      const counts = (await w.keymint.keys.usage(k.id, { granularity: 'minute' })).buckets.reduce((n, b) => ({ VALID: n.VALID + b.counts.VALID, REVOKED: n.REVOKED + b.counts.REVOKED }), { VALID: 0, REVOKED: 0 });
      expect(counts.VALID).toBeGreaterThanOrEqual(2);
      expect(counts.REVOKED).toBeGreaterThanOrEqual(1);
      const refused = await service.localVerifier({ projectId: elsewhere.id }).catch((e) => e);
      expect(refused).toBeInstanceOf(KeymintError);
      expect(refused.status).toBe(404);
    } finally {
      await verifier.close();
    }
  });

  it('lets only the root key, the project\'s Admin keys and its verifier keys stream', async () => {
    const admin = await w.keymint.keys.create({ project_id: w.projectId, name: 'admin', role: 'Admin' });
    const viewer = await w.keymint.keys.create({ project_id: w.projectId, name: 'viewer', role: 'Viewer' });
    const adminVerifier = await new Keymint({ baseUrl: w.url, token: admin.key }).localVerifier({ projectId: w.projectId });
    expect(adminVerifier.stats().keys).toBeGreaterThan(0);
    await adminVerifier.close();
    const refused = await new Keymint({ baseUrl: w.url, token: viewer.key }).localVerifier({ projectId: w.projectId }).catch((e) => e);
    expect(refused).toBeInstanceOf(KeymintError);
    expect(refused.status).toBe(403);
    const elsewhere = await w.keymint.projects.create({ name: 'not-yours' });
    const hidden = await new Keymint({ baseUrl: w.url, token: admin.key }).localVerifier({ projectId: elsewhere.id }).catch((e) => e);
    expect(hidden.status).toBe(404);
  });
});
