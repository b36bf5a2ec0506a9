// Graceful stop in-process: a request already in flight when the stop begins still gets its answer.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { mintKey, ROOT_PREFIX } from '../../src/keys/material.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { engines, freshDatabase, TEST_ENCRYPTION_KEY, type TestDatabase } from '../support/harness.js';

describe.each(engines)('graceful stop on %s', (engine) => {
  let db: TestDatabase | null = null;
  let server: RunningServer | null = null;
  afterEach(async () => {
    await server?.stop().catch(() => {});
    await db?.drop();
    server = null;
    db = null;
  });

  it('finishes an in-flight request, refuses new connections, then closes the store', async () => {
    db = await freshDatabase(engine);
    const rootKey = mintKey(ROOT_PREFIX).plaintext;
    server = await startServer(
      loadConfig({ KEYMINT_DATABASE_URL: db.url, KEYMINT_PORT: '0', KEYMINT_ROOT_KEY: rootKey, KEYMINT_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, KEYMINT_LOG_LEVEL: 'silent' }),
    );
    const { port } = new URL(server.url);
    const body = JSON.stringify({ name: 'in-flight' });
    // Headers and half the body now: the request is in flight until the rest arrives.
    const received = new Promise<void>((r) => server!.app.server.once('request', () => r()));
    const socket = net.connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => (answer += d));
    const ended = new Promise<void>((r) => socket.once('close', () => r()));
    socket.write(`POST /v1/projects HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${rootKey}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 5)}`);
    // The server has the request (headers parsed, body pending): begin the stop now.
    await received;
    let stopped = false;
    const stopping = server.stop().then(() => (stopped = true));
    // Wait for the stop to be under way (the port closed), not for a fixed time: it must still be waiting for the request.
    while (server.app.server.listening) await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    socket.write(body.slice(5));
    await ended;
    await stopping;
    expect(answer).toMatch(/^HTTP\/1\.1 201/);
    expect(answer).toContain('"name":"in-flight"');
    // Stopped: the port no longer accepts, and the store is closed.
    await expect(fetch(`${server.url}/v1/projects`)).rejects.toThrow();
    await expect(server.km.store.db.selectFrom('projects').selectAll().execute()).rejects.toThrow();
  });
});
