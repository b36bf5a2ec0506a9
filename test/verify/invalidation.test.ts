// Two real server processes on one database: a change made through one reaches the other's cache within 1 s.
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintKey, ROOT_PREFIX } from '../../src/keys/material.js';
import { engines, freshDatabase, TEST_ENCRYPTION_KEY, type TestDatabase } from '../support/harness.js';

interface Server {
  url: string;
  child: ChildProcess;
}

async function serve(databaseUrl: string, rootKey: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    env: {
      ...process.env,
      KEYMINT_PORT: '0',
      KEYMINT_DATABASE_URL: databaseUrl,
      KEYMINT_ROOT_KEY: rootKey,
      KEYMINT_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      KEYMINT_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = out.match(/listening at (http:\/\/[0-9.:]+)/i);
      if (m) resolve(m[1]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  return { url, child };
}

async function stop(s: Server | undefined): Promise<void> {
  if (!s || s.child.exitCode !== null) return;
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function api(server: Server, token: string) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

/** Polls `check` every 50 ms until it holds; returns the ms it took from `since` (throws after 10 s). */
async function msUntil(since: number, check: () => Promise<boolean>): Promise<number> {
  for (;;) {
    if (await check()) return Date.now() - since;
    if (Date.now() - since > 10_000) throw new Error('the change never reached the other node');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(engines)('invalidation across two server processes on %s', (engine) => {
  const rootKey = mintKey(ROOT_PREFIX).plaintext;
  let db: TestDatabase;
  let a: Server | undefined;
  let b: Server | undefined;
  let onA: ReturnType<typeof api>;
  let onB: ReturnType<typeof api>;
  let projectId: string;

  beforeAll(async () => {
    db = await freshDatabase(engine);
    // Migrate through the first, so the second does not race it (both would be safe, this is just quicker).
    a = await serve(db.url, rootKey);
    b = await serve(db.url, rootKey);
    onA = api(a, rootKey);
    onB = api(b, rootKey);
    const project = await onA('POST', '/v1/projects', { name: 'acme' });
    expect(project.status).toBe(201);
    projectId = project.body.id;
  }, 240_000); // two `tsx` server starts, one after the other, on a possibly starved machine

  afterAll(async () => {
    await Promise.all([stop(a), stop(b)]);
    await db?.drop();
  });

  const newKey = async (name: string, scopes: string[] = []) => {
    const created = await onA('POST', '/v1/api-keys', { project_id: projectId, name, scopes });
    expect(created.status).toBe(201);
    return created.body as { id: string; key: string };
  };
  const codeOnB = async (key: string, required_scopes?: string[]) => (await onB('POST', '/v1/keys/verify', { key, required_scopes })).body.code;

  it('a key revoked on A fails on B within 1 s', async () => {
    const key = await newKey('revoked');
    expect(await codeOnB(key.key)).toBe('VALID'); // now cached on B
    expect(await codeOnB(key.key)).toBe('VALID');
    expect((await onA('DELETE', `/v1/api-keys/${key.id}`)).status).toBe(204);
    const ms = await msUntil(Date.now(), async () => (await codeOnB(key.key)) === 'REVOKED');
    expect(ms).toBeLessThan(1_000);
  });

  it('a key rotated on A with no grace fails on B within 1 s, and its successor verifies there', async () => {
    const key = await newKey('rotated');
    expect(await codeOnB(key.key)).toBe('VALID');
    const rotated = await onA('POST', `/v1/api-keys/${key.id}/rotate`, { grace_period_minutes: 0 });
    expect(rotated.status).toBe(200);
    const ms = await msUntil(Date.now(), async () => (await codeOnB(key.key)) === 'ROTATED');
    expect(ms).toBeLessThan(1_000);
    expect(await codeOnB(rotated.body.key)).toBe('VALID');
  });

  it('scopes changed on A apply on B within 1 s', async () => {
    const key = await newKey('patched', ['read', 'write']);
    expect(await codeOnB(key.key, ['write'])).toBe('VALID');
    expect((await onA('PATCH', `/v1/api-keys/${key.id}`, { scopes: ['read'] })).status).toBe(200);
    const ms = await msUntil(Date.now(), async () => (await codeOnB(key.key, ['write'])) === 'INSUFFICIENT_SCOPES');
    expect(ms).toBeLessThan(1_000);
  });

  it("a project deleted on A stops its keys on B within 1 s", async () => {
    const other = await onA('POST', '/v1/projects', { name: 'doomed' });
    const created = await onA('POST', '/v1/api-keys', { project_id: other.body.id, name: 'k' });
    expect(await codeOnB(created.body.key)).toBe('VALID');
    expect((await onA('DELETE', `/v1/projects/${other.body.id}`)).status).toBe(204);
    const ms = await msUntil(Date.now(), async () => (await codeOnB(created.body.key)) !== 'VALID');
    expect(ms).toBeLessThan(1_000);
    expect(await codeOnB(created.body.key)).toBe('REVOKED');
  });
});
