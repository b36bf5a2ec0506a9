// The verification hot path on a real store: what reaches storage, the cache's bounds, and batched usage.
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/auth/principal.js';
import { mintKey } from '../../src/keys/material.js';
import { writeChange } from '../../src/store/journal.js';
import { KeyCache } from '../../src/verify/key-cache.js';
import type { KeyRef } from '../../src/verify/usage.js';
import { client } from '../support/client.js';
import { engines, testNode, type TestNode } from '../support/harness.js';
import { withLastUse } from '../../src/store/last-used.js';

/**
 * Counts the queries that read or write api_keys, as they run: a query compiled once (the verification lookup)
 * passes `transformQuery` once, and `transformResult` every time it runs, with the same query id.
 */
class KeyQueries implements KyselyPlugin {
  count = 0;
  private readonly touching = new WeakSet<PluginTransformQueryArgs['queryId']>();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (JSON.stringify(args.node).includes('"api_keys"')) this.touching.add(args.queryId);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.touching.has(args.queryId)) this.count++;
    return args.result;
  }
}

describe.each(engines)('verification hot path on %s', (engine) => {
  let node: TestNode;
  let queries: KeyQueries;
  let root: ReturnType<typeof client>;
  let projectId: string;

  beforeAll(async () => {
    node = await testNode(engine);
    queries = new KeyQueries();
    // Every reader goes through store.db, so this sees the cache's misses too; on SQLite the lookup of a key by
    // digest reads at once on the store's read-only connection, counted here as well.
    node.km.store.db = node.km.store.db.withPlugin(queries);
    const readNow = node.km.store.readNow;
    if (readNow) {
      node.km.store.readNow = (text, parameters) => {
        if (text.includes('"api_keys"')) queries.count++;
        return readNow(text, parameters);
      };
    }
    // The 5 s usage timer writes last_used_at to api_keys whenever it fires, which a slow machine makes land
    // inside a test's count: these tests flush by hand (the timer's own test starts it again).
    await node.km.usage.stop();
    // So does the rotation scheduler's poll (it reads api_keys for due rotations); nothing here rotates on a schedule.
    await node.km.rotation.stop();
    root = client(node.app, node.rootKey);
    projectId = (await root.post('/v1/projects', { name: 'acme' })).body.id;
  });
  afterAll(() => node.close());

  const create = async (name: string, extra: object = {}) => {
    const res = await root.post('/v1/api-keys', { project_id: projectId, name, ...extra });
    expect(res.status).toBe(201);
    return res.body as { id: string; key: string };
  };
  const verify = async (key: string, extra: object = {}) => (await root.post('/v1/keys/verify', { key, ...extra })).body;

  it('answers MALFORMED for a mistyped key without touching storage', async () => {
    const { key } = await create('typo');
    const mistyped = key.slice(0, 10) + (key[10] === 'a' ? 'b' : 'a') + key.slice(11);
    const before = queries.count;
    for (const bad of [mistyped, key.slice(0, -1), 'km_short', 'not a key at all', `${key}x`]) {
      expect(await verify(bad)).toMatchObject({ valid: false, code: 'MALFORMED', key_id: null });
    }
    expect(queries.count).toBe(before);
  });

  it('reads the store once for a cached key, then not at all', async () => {
    const { key, id } = await create('cached');
    node.km.cache.clear();
    const before = queries.count;
    expect(await verify(key)).toMatchObject({ valid: true, code: 'VALID', key_id: id });
    expect(queries.count).toBe(before + 1);
    for (let i = 0; i < 5; i++) expect((await verify(key)).code).toBe('VALID');
    expect(queries.count).toBe(before + 1);
  });

  it('remembers an unknown key briefly, and forgets it when the key is created', async () => {
    const minted = mintKey();
    const before = queries.count;
    expect((await verify(minted.plaintext)).code).toBe('NOT_FOUND');
    expect((await verify(minted.plaintext)).code).toBe('NOT_FOUND');
    expect(queries.count).toBe(before + 1);

    // Another node creates the key: the row alone is not seen (the negative answer is cached) ...
    const now = node.clock.now();
    await node.km.store.db
      .insertInto('api_keys')
      .values({ id: 'key_elsewhere', project_id: projectId, name: 'elsewhere', key_prefix: minted.displayPrefix, digest: minted.digest, role: 'None', scopes: '[]', created_at: now })
      .execute();
    expect((await verify(minted.plaintext)).code).toBe('NOT_FOUND');
    // ... its change-feed row, written beside it by every creation, clears the negative entry.
    await writeChange(node.km.store.db, now, 'key', [minted.digest]);
    await node.km.feed.catchUp();
    expect(await verify(minted.plaintext)).toMatchObject({ code: 'VALID', key_id: 'key_elsewhere' });
  });

  it('never sees a key of a transaction that has not committed', async () => {
    const minted = mintKey();
    await node.km.store.db
      .transaction()
      .execute(async (trx) => {
        await trx
          .insertInto('api_keys')
          .values({ id: 'key_uncommitted', project_id: projectId, name: 'uncommitted', key_prefix: minted.displayPrefix, digest: minted.digest, role: 'None', scopes: '[]', created_at: node.clock.now() })
          .execute();
        expect((await verify(minted.plaintext)).code).toBe('NOT_FOUND');
        throw new Error('roll back');
      })
      .catch((e: Error) => expect(e.message).toBe('roll back'));
    expect(await node.km.keys.findById('key_uncommitted')).toBeUndefined();
  });

  it('asks the store again once the negative answer is older than its TTL', async () => {
    const minted = mintKey();
    expect((await verify(minted.plaintext)).code).toBe('NOT_FOUND');
    const before = queries.count;
    node.clock.advance(node.km.cache.options.negativeTtlMs + 1);
    expect((await verify(minted.plaintext)).code).toBe('NOT_FOUND');
    expect(queries.count).toBe(before + 1);
  });

  it('keeps known keys and not-found answers within their own bounds', async () => {
    const small = new KeyCache(node.km.store, node.clock, { maxEntries: 2, maxNegativeEntries: 3, ttlMs: 60_000, negativeTtlMs: 10_000 });
    const keys = await Promise.all(['b1', 'b2', 'b3'].map((n) => create(n)));
    const digests = await Promise.all(keys.map(async (k) => (await node.km.keys.findById(k.id))!.digest));
    for (const d of digests) await small.lookup(d);
    expect([small.size, small.negativeSize]).toEqual([2, 0]);
    for (let i = 0; i < 5; i++) await small.lookup(mintKey().digest);
    expect([small.size, small.negativeSize]).toEqual([2, 3]);
  });

  it('reads a cached key from the store again once its cache lifetime has passed', async () => {
    const { id } = await create('lifetime');
    const digest = (await node.km.keys.findById(id))!.digest;
    const small = new KeyCache(node.km.store, node.clock, { maxEntries: 10, maxNegativeEntries: 5, ttlMs: 60_000, negativeTtlMs: 10_000 });
    await small.lookup(digest);
    node.clock.advance(59_999);
    expect(small.peek(digest)).toMatchObject({ id });
    node.clock.advance(1);
    expect(small.peek(digest)).toBeUndefined();
    const before = queries.count;
    expect(await small.lookup(digest)).toMatchObject({ id });
    expect(queries.count).toBe(before + 1);
    expect(small.peek(digest)).toMatchObject({ id });
  });

  it('does not let a flood of unknown keys evict a known one', async () => {
    const { id } = await create('flooded');
    const digest = (await node.km.keys.findById(id))!.digest;
    const small = new KeyCache(node.km.store, node.clock, { maxEntries: 10, maxNegativeEntries: 5, ttlMs: 60_000, negativeTtlMs: 10_000 });
    await small.lookup(digest);
    for (let i = 0; i < 50; i++) expect(await small.lookup(mintKey().digest)).toBeNull();
    // Still cached (peek never reads the store), while the not-found answers stayed within their bound.
    expect(small.peek(digest)).toMatchObject({ id });
    expect([small.size, small.negativeSize]).toEqual([1, 5]);
  });

  it('answers without a promise from memory (a cached key, a known caller) and, on SQLite, from the store', async () => {
    const { key } = await create('in-memory');
    expect(await verify(key)).toMatchObject({ code: 'VALID' }); // now cached
    const answer = node.km.verifier.verify({ key }, null);
    expect(answer).not.toBeInstanceOf(Promise);
    expect(answer).toMatchObject({ valid: true, code: 'VALID' });
    const caller = { ip: '192.0.2.1', method: 'POST', headers: { authorization: `Bearer ${node.rootKey}` }, raw: {} };
    expect(node.km.admission.admit(caller, { kinds: [node.km.credentials.bearer], management: false })).not.toBeInstanceOf(Promise);
    // Only PostgreSQL makes it wait: SQLite answers a miss at once, on its read-only connection.
    node.km.cache.clear();
    const fromStore = node.km.verifier.verify({ key }, null);
    if (engine === 'postgres') expect(fromStore).toBeInstanceOf(Promise);
    else expect(fromStore).not.toBeInstanceOf(Promise);
    expect(await fromStore).toMatchObject({ valid: true, code: 'VALID' });
  });

  it('refuses a caller key at once when it is revoked or expires, though it just authenticated', async () => {
    const admin = await create('caller', { role: 'Admin', expires_in_days: 1 });
    const { key } = await create('target');
    const asAdmin = client(node.app, admin.key);
    for (let i = 0; i < 3; i++) expect((await asAdmin.post('/v1/keys/verify', { key })).body.code).toBe('VALID');
    node.clock.advance(86_400_000 + 1);
    const expired = await asAdmin.post('/v1/keys/verify', { key });
    expect([expired.status, expired.body.detail]).toEqual([401, 'The key has expired']);

    const other = await create('caller2', { role: 'Admin' });
    const asOther = client(node.app, other.key);
    expect((await asOther.post('/v1/keys/verify', { key })).status).toBe(200);
    expect((await root.delete(`/v1/api-keys/${other.id}`)).status).toBe(204);
    const revoked = await asOther.post('/v1/keys/verify', { key });
    expect([revoked.status, revoked.body.detail]).toEqual([401, 'The key has been revoked']);
  });

  it('counts verifications in memory and writes them, with last_used_at, on flush and at shutdown', async () => {
    const { key, id } = await create('counted', { scopes: ['read'] });
    await node.km.usage.flush();
    await node.km.store.db.deleteFrom('usage_counts').execute();
    node.km.cache.clear();
    await node.km.cache.lookup((await node.km.keys.findById(id))!.digest); // cached, with no verification counted
    const before = queries.count;
    node.clock.advance(1_000);
    const usedAt = node.clock.now();
    for (let i = 0; i < 3; i++) expect((await verify(key)).code).toBe('VALID');
    expect((await verify(key, { required_scopes: ['write'] })).code).toBe('INSUFFICIENT_SCOPES');
    expect(queries.count).toBe(before); // no write per request
    expect((await root.get(`/v1/api-keys/${id}`)).body.last_used_at).toBeNull();

    await node.km.usage.flush();
    expect((await root.get(`/v1/api-keys/${id}`)).body.last_used_at).toBe(new Date(usedAt).toISOString());
    const rows = await node.km.store.db.selectFrom('usage_counts').select(['outcome', 'count']).where('key_id', '=', id).orderBy('outcome').execute();
    expect(rows.map((r) => [r.outcome, Number(r.count)])).toEqual([
      ['INSUFFICIENT_SCOPES', 1],
      ['VALID', 3],
    ]);

    // A later flush adds to the same minute; a use within a minute of the stored last_used_at is not written.
    node.clock.advance(1_000);
    await verify(key);
    await node.km.usage.flush();
    const valid = await node.km.store.db.selectFrom('usage_counts').select('count').where('key_id', '=', id).where('outcome', '=', 'VALID').executeTakeFirst();
    expect(Number(valid!.count)).toBe(4);
    expect((await root.get(`/v1/api-keys/${id}`)).body.last_used_at).toBe(new Date(usedAt).toISOString());

    // A minute after the stored one, the next use is written.
    node.clock.advance(59_000);
    const minuteLater = node.clock.now();
    await verify(key);
    await node.km.usage.flush();
    expect((await root.get(`/v1/api-keys/${id}`)).body.last_used_at).toBe(new Date(minuteLater).toISOString());
  });

  it('flushes on its own every few seconds, so last_used_at is never far behind', async () => {
    node.km.usage.start();
    const { key, id } = await create('timer');
    await verify(key);
    const deadline = Date.now() + 20_000;
    while ((await root.get(`/v1/api-keys/${id}`)).body.last_used_at === null) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 200));
    }
  });
});

describe.each(engines)('usage at shutdown on %s', (engine) => {
  it('writes what was counted when the node closes', async () => {
    const first = await testNode(engine);
    const root = client(first.app, first.rootKey);
    const projectId = (await root.post('/v1/projects', { name: 'acme' })).body.id;
    const { key, id } = (await root.post('/v1/api-keys', { project_id: projectId, name: 'k' })).body;
    await root.post('/v1/keys/verify', { key });
    await first.app.close();
    await first.km.close();
    const second = await testNode(engine, { db: first.db, clock: first.clock });
    try {
      const row = await second.km.keys.findById(id);
      expect(row!.last_used_at).toBe(first.clock.now());
    } finally {
      await second.close();
      await first.db.drop();
    }
  });
});

describe.each(engines)('usage flushed by two nodes at once on %s', (engine) => {
  it('adds both nodes\' counts for the same keys, however each met them', async () => {
    const a = await testNode(engine);
    const b = await testNode(engine, { db: a.db, clock: a.clock });
    try {
      await Promise.all([a.km.usage.stop(), b.km.usage.stop()]);
      const project = await a.km.projects.create('acme', SYSTEM);
      const keys: KeyRef[] = [];
      for (let i = 0; i < 400; i++) keys.push((await a.km.keys.create({ kind: 'root', id: 'test' }, { project_id: project.id, name: `k${i}` }, SYSTEM)).row);
      const ids = keys.map((k) => k.id);
      // Each node meets the keys in the other's reverse order. Written in that order, two flushes of overlapping
      // 100-row statements took PostgreSQL row locks in opposite orders and one was aborted as a deadlock.
      for (let round = 1; round <= 5; round++) {
        const at = a.clock.now() + round;
        for (const k of keys) a.km.usage.recordCount(k, 'VALID', 1, at);
        for (const k of [...keys].reverse()) b.km.usage.recordCount(k, 'VALID', 1, at);
        await Promise.all([a.km.usage.flush(), b.km.usage.flush()]);
      }
      const rows = await a.km.store.db.selectFrom('usage_counts').select(['key_id', 'count']).where('outcome', '=', 'VALID').execute();
      expect(rows).toHaveLength(400);
      expect(rows.every((r) => Number(r.count) === 10)).toBe(true);
      const used = await a.km.store.db.selectFrom('api_keys').select(withLastUse).where('id', 'in', ids).execute();
      expect(used.every((k) => Number(k.last_used_at) === a.clock.now() + 5)).toBe(true);
    } finally {
      await b.close();
      await a.close();
    }
  });
});
