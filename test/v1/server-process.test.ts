// The real `keymint serve` process: config refusal, root key bootstrap, graceful shutdown.
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, sqlitePath } from '../../src/store/db.js';
import { mintKey, ROOT_PREFIX } from '../../src/keys/material.js';
import { engines, freshDatabase, TEST_ENCRYPTION_KEY, type TestDatabase } from '../support/harness.js';
import { withLastUse } from '../../src/store/last-used.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const children = new Set<ChildProcess>();
const databases: TestDatabase[] = [];

afterEach(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children.clear();
  for (const db of databases.splice(0)) await db.drop().catch(() => {});
});

interface Served {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

function serve(env: Record<string, string>): Served {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KEYMINT_')));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], { cwd: ROOT, env: { ...clean, KEYMINT_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  return { child, out: () => out, err: () => err, exited };
}

/** Polls with a generous deadline instead of sleeping a fixed time. */
async function until<T>(what: string, f: () => T | undefined | null, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const listening = (s: Served) => until('the server to listen', () => /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(s.out())?.[1] ?? (s.child.exitCode !== null ? (() => { throw new Error(`exited: ${s.err()}${s.out()}`); })() : null));

async function call(base: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

describe('keymint serve refuses bad configuration', () => {
  it.each([
    ['KEYMINT_PORT', 'eighty', /KEYMINT_PORT="eighty" is not valid: use a whole number from 0 to 65535/],
    ['KEYMINT_DATABASE_URL', 'mysql://db', /KEYMINT_DATABASE_URL="mysql:\/\/db" is not valid/],
    ['KEYMINT_ROOT_KEY', 'hunter2', /KEYMINT_ROOT_KEY is not a Keymint key/],
    ['KEYMINT_WEBHOOK_ALLOW_PRIVATE', 'maybe', /KEYMINT_WEBHOOK_ALLOW_PRIVATE="maybe" is not valid: use true or false/],
  ])('%s=%s stops it with exit 2 and a message naming the variable', async (name, value, message) => {
    const s = serve({ [name]: value, KEYMINT_DATABASE_URL: name === 'KEYMINT_DATABASE_URL' ? value : 'sqlite:/nonexistent/never-opened.db' });
    expect(await s.exited).toBe(2);
    expect(s.err()).toMatch(message);
    expect(s.out()).toBe('');
  });

  it('names KEYMINT_DATABASE_URL when the store cannot be opened', async () => {
    const s = serve({ KEYMINT_DATABASE_URL: 'postgres://keymint:sekret@127.0.0.1:1/none', KEYMINT_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY });
    expect(await s.exited).toBe(1);
    expect(s.err()).toMatch(/KEYMINT_DATABASE_URL \(postgres:\/\/keymint:\*\*\*@127\.0\.0\.1:1\/none\)/);
    expect(s.err()).not.toContain('sekret');
  });

  it('names KEYMINT_HOST and KEYMINT_PORT when the port is taken', async () => {
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (taken.address() as net.AddressInfo).port;
      const db = await freshDatabase('sqlite');
      databases.push(db);
      const s = serve({ KEYMINT_DATABASE_URL: db.url, KEYMINT_PORT: String(port) });
      expect(await s.exited).toBe(1);
      expect(s.err()).toContain(`could not listen on 127.0.0.1:${port} (KEYMINT_HOST, KEYMINT_PORT)`);
    } finally {
      taken.close();
    }
  });

  it('names KEYMINT_REDIS_URL, not the store, when Redis does not answer', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((r) => closed.close(r)); // a port where nothing listens
    const db = await freshDatabase('sqlite');
    databases.push(db);
    const s = serve({ KEYMINT_DATABASE_URL: db.url, KEYMINT_REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(await s.exited).toBe(1);
    expect(s.err()).toContain(`keymint: cannot connect to KEYMINT_REDIS_URL (redis://127.0.0.1:${port})`);
    expect(s.err()).not.toContain('KEYMINT_DATABASE_URL');
  });
});

describe.each(engines)('keymint serve on %s', (engine) => {
  const envFor = (db: TestDatabase) => ({ KEYMINT_DATABASE_URL: db.url, ...(engine === 'postgres' ? { KEYMINT_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY } : {}) });

  /** A server on a fresh database with a root key from KEYMINT_ROOT_KEY. */
  async function serveWithRootKey() {
    const db = await freshDatabase(engine);
    databases.push(db);
    const rootKey = mintKey(ROOT_PREFIX).plaintext;
    const s = serve({ ...envFor(db), KEYMINT_ROOT_KEY: rootKey });
    return { db, rootKey, s, base: await listening(s) };
  }

  it('prints a root key on the first start with an empty store, and not on the second', { timeout: 240_000 }, async () => {
    const db = await freshDatabase(engine);
    databases.push(db);
    const first = serve(envFor(db));
    const base = await listening(first);
    const rootKey = await until('the root key', () => /^\s+(km_root_[0-9A-Za-z]{38})$/m.exec(first.out())?.[1]);
    expect(first.out().split(rootKey).length - 1).toBe(1);
    expect((await call(base, rootKey, 'POST', '/v1/projects', { name: 'boot' })).status).toBe(201);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = serve(envFor(db));
    const base2 = await listening(second);
    expect(second.out()).not.toMatch(/root key/i);
    expect(second.out()).not.toContain(rootKey);
    expect((await call(base2, rootKey, 'GET', '/v1/projects')).body.map((p: any) => p.name)).toEqual(['boot']);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    if (engine === 'sqlite') {
      const dir = dirname(sqlitePath(db.url));
      const bytes = readdirSync(dir).map((f) => readFileSync(join(dir, f)).toString('latin1')).join('');
      expect(bytes).not.toContain(rootKey);
    }
  });

  it('with KEYMINT_ROOT_KEY set prints no root key', async () => {
    const { rootKey, s, base } = await serveWithRootKey();
    expect(s.out()).not.toMatch(/km_root_/);
    expect((await call(base, rootKey, 'GET', '/v1/projects')).status).toBe(200);
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
  });

  it('on SIGTERM exits 0 after flushing the batched last_used_at to the database', async () => {
    const { db, rootKey, s, base } = await serveWithRootKey();
    const project = (await call(base, rootKey, 'POST', '/v1/projects', { name: 'p' })).body;
    const key = (await call(base, rootKey, 'POST', '/v1/api-keys', { project_id: project.id, name: 'k' })).body;
    const before = Date.now();
    const v = await call(base, rootKey, 'POST', '/v1/keys/verify', { key: key.key });
    expect(v.body.code).toBe('VALID');
    // Usage is written every 5 s: sent at once, the signal is what makes it reach the database.
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(s.out()).toContain('shutting down');
    const store = openStore(db.url);
    try {
      const row = await store.db.selectFrom('api_keys').select(withLastUse).where('id', '=', key.id).executeTakeFirstOrThrow();
      expect(row.last_used_at).not.toBeNull();
      expect(row.last_used_at!).toBeGreaterThanOrEqual(before - 1000);
      const counts = await store.db.selectFrom('usage_counts').selectAll().where('key_id', '=', key.id).execute();
      expect(counts.map((c) => [c.outcome, Number(c.count)])).toEqual([['VALID', 1]]);
    } finally {
      await store.close();
    }
  });
});
