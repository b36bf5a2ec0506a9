// The seed page's example requests, as written there (only host and key differ), and their documented
// response shapes: in process, and against a real listening server with fetch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { mintKey, ROOT_PREFIX } from '../../src/keys/material.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { client } from '../support/client.js';
import { engines, freshDatabase, TEST_ENCRYPTION_KEY, type TestDatabase, testNode } from '../support/harness.js';
import { call } from './support.js';

/** The seed's token; a script for Grafana carries its own key here. */
const SEED_TOKEN = 'eyJrIjoiT0tTcG1pUlY2RnVKZTFVaDFsNFZXdE9ZWmNrMkZYbk';

// Copied from the seed page (grafana-auth-api-newer.txt), byte for byte.
const LIST = `GET /api/auth/keys HTTP/1.1
Accept: application/json
Content-Type: application/json
Authorization: Bearer eyJrIjoiT0tTcG1pUlY2RnVKZTFVaDFsNFZXdE9ZWmNrMkZYbk`;

const CREATE = `POST /api/auth/keys HTTP/1.1
Accept: application/json
Content-Type: application/json
Authorization: Bearer eyJrIjoiT0tTcG1pUlY2RnVKZTFVaDFsNFZXdE9ZWmNrMkZYbk
{
"name": "mykey",
"role": "Admin",
"secondsToLive": 86400
}`;

const DELETE = `DELETE /api/auth/keys/3 HTTP/1.1
Accept: application/json
Content-Type: application/json
Authorization: Bearer eyJrIjoiT0tTcG1pUlY2RnVKZTFVaDFsNFZXdE9ZWmNrMkZYbk`;

interface SeedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Request line, header lines, then the JSON body (the page has no blank line before it). */
function parseSeed(text: string, key: string): SeedRequest {
  const lines = text.replaceAll(SEED_TOKEN, key).split('\n');
  const [method, path] = lines[0].split(' ');
  const headers: Record<string, string> = {};
  let i = 1;
  for (; i < lines.length && !lines[i].startsWith('{'); i++) {
    const colon = lines[i].indexOf(':');
    headers[lines[i].slice(0, colon)] = lines[i].slice(colon + 1).trim();
  }
  const body = i < lines.length ? lines.slice(i).join('\n') : undefined;
  return { method, path, headers, body };
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/;

/**
 * The documented state: keys "TestAdmin" (id 1, with an expiration), the caller's Admin key (id 2)
 * and "API" (id 3) in org 1. Returns the caller's key.
 */
async function seedState(root: ReturnType<typeof client>): Promise<string> {
  const project = (await root.post('/v1/projects', { name: 'Main Org.' })).body;
  expect(project.org_id).toBe(1);
  const mk = async (name: string, extra: object = {}) => (await root.post('/v1/api-keys', { project_id: project.id, name, role: 'Admin', ...extra })).body.key;
  await mk('TestAdmin', { expires_in_days: 30 });
  const caller = await mk('script');
  await mk('API');
  return caller;
}

type Exchange = (req: SeedRequest) => Promise<{ status: number; contentType: string; text: string }>;

/** Runs the three examples in the page's order and checks each response against the page. */
async function runSeedExamples(exchange: Exchange, key: string) {
  const list = await exchange(parseSeed(LIST, key));
  expect(list.status).toBe(200);
  expect(list.contentType).toMatch(/^application\/json/);
  const items = JSON.parse(list.text);
  expect(items.slice(0, 2)).toEqual([
    { id: 3, name: 'API', role: 'Admin' },
    { id: 1, name: 'TestAdmin', role: 'Admin', expiration: expect.stringMatching(RFC3339) },
  ]);

  const created = await exchange(parseSeed(CREATE, key));
  expect(created.status).toBe(200);
  expect(created.contentType).toMatch(/^application\/json/);
  const body = JSON.parse(created.text);
  expect(body).toEqual({ name: 'mykey', key: expect.any(String), id: 4 });

  const deleted = await exchange(parseSeed(DELETE, key));
  expect(deleted.status).toBe(200);
  expect(deleted.contentType).toMatch(/^application\/json/);
  expect(deleted.text).toBe('{"message":"API key deleted"}');

  const after = JSON.parse((await exchange(parseSeed(LIST, key))).text);
  expect(after.map((k: any) => k.name)).toEqual(['TestAdmin', 'mykey', 'script']);
  expect(after[1]).toEqual({ id: 4, name: 'mykey', role: 'Admin', expiration: expect.stringMatching(RFC3339) });
  return body.key as string;
}

describe.each(engines)('the seed page examples on %s', (engine) => {
  it('run as written in process (inject), with the responses the page documents', async () => {
    const node = await testNode(engine);
    try {
      const key = await seedState(client(node.app, node.rootKey));
      const made = await runSeedExamples(async (req) => {
        const res = await call(node.app, req.method, req.path, req.headers, req.body);
        return { status: res.status, contentType: String(res.headers['content-type']), text: res.text };
      }, key);
      // The created key is a working Admin key: it runs the same script.
      expect((await call(node.app, 'GET', '/api/auth/keys', parseSeed(LIST, made).headers)).status).toBe(200);
      // 86400 seconds from the node's clock.
      const mykey = (await call(node.app, 'GET', '/api/auth/keys', parseSeed(LIST, made).headers)).body.find((k: any) => k.name === 'mykey');
      expect(Date.parse(mykey.expiration)).toBe(Math.floor(node.clock.now() / 1000) * 1000 + 86_400_000);
    } finally {
      await node.close();
    }
  });

  describe('against a real listening server with fetch', () => {
    let db: TestDatabase;
    let server: RunningServer;
    const rootKey = mintKey(ROOT_PREFIX).plaintext;
    beforeAll(async () => {
      db = await freshDatabase(engine);
      server = await startServer(
        loadConfig({
          KEYMINT_PORT: '0',
          KEYMINT_DATABASE_URL: db.url,
          KEYMINT_ROOT_KEY: rootKey,
          KEYMINT_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
          KEYMINT_LOG_LEVEL: 'silent',
        }),
      );
    });
    afterAll(async () => {
      await server?.stop();
      await db?.drop();
    });

    it('the Bearer script runs unchanged but for host and key; so does the same script with Basic api_key:<key>', async () => {
      const fetchExchange: Exchange = async (req) => {
        const res = await fetch(new URL(req.path, server.url), { method: req.method, headers: req.headers, body: req.body });
        return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
      };
      const key = await seedState(client(server.app, rootKey));
      await runSeedExamples(fetchExchange, key);

      const basicAuth = (req: SeedRequest) => ({
        ...req,
        headers: { ...req.headers, Authorization: `Basic ${Buffer.from(`api_key:${key}`).toString('base64')}` },
      });
      const listed = await fetchExchange(basicAuth(parseSeed(LIST, key)));
      expect(listed.status).toBe(200);
      expect(JSON.parse(listed.text).map((k: any) => k.name)).toEqual(['TestAdmin', 'mykey', 'script']);
      const again = await fetchExchange(basicAuth(parseSeed(CREATE, key)));
      expect([again.status, JSON.parse(again.text)]).toEqual([409, { message: 'API key, organization ID and name must be unique' }]);
      const gone = await fetchExchange(basicAuth(parseSeed(DELETE, key)));
      expect([gone.status, JSON.parse(gone.text)]).toEqual([404, { message: 'Failed to delete API key' }]);
      const anonymous = await fetch(new URL('/api/auth/keys', server.url));
      expect([anonymous.status, await anonymous.json()]).toEqual([401, { message: 'Unauthorized', messageId: 'auth.unauthorized', statusCode: 401 }]);
    });
  });
});
