// Outgoing webhook requests: the address check happens when the socket connects, after DNS.
// DNS is injected, and every socket this suite opens goes to 127.0.0.1: no real network is used.
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ResolvedAddress, SafeWebhookClient } from '../../src/rotation/safe-request.js';
import { client } from '../support/client.js';
import { engines, testNode } from '../support/harness.js';

const port = (s: { address(): AddressInfo | string | null }) => (s.address() as AddressInfo).port;

describe('safe webhook requests', () => {
  // A TCP listener on 127.0.0.1 that only counts connections: a refused request must never reach it.
  let connections = 0;
  const tcp = createTcpServer((socket) => {
    connections++;
    socket.destroy();
  });
  const paths: string[] = [];
  const http: Server = createHttpServer((req, res) => {
    paths.push(req.url ?? '');
    if (req.url === '/redirect') {
      res.writeHead(302, { location: `http://127.0.0.1:${port(http)}/target` });
      return res.end();
    }
    if (req.url === '/big') {
      res.writeHead(200);
      // 4 MiB answer: the client reads 64 KiB and hangs up.
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let n = 0;
      const write = () => {
        while (n < 64 && res.write(chunk)) n++;
        if (n < 64) res.once('drain', write);
        else res.end();
      };
      return write();
    }
    res.writeHead(204).end();
  });

  beforeAll(async () => {
    await new Promise<void>((ok) => tcp.listen(0, '127.0.0.1', ok));
    await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok));
  });
  afterAll(async () => {
    await new Promise((ok) => tcp.close(ok));
    http.closeAllConnections();
    await new Promise((ok) => http.close(ok));
  });

  function withDns(answer: ResolvedAddress[], allowPrivate = false) {
    const asked: string[] = [];
    const c = new SafeWebhookClient({
      allowPrivate,
      timeoutMs: 5000,
      resolver: async (host) => {
        asked.push(host);
        return answer;
      },
    });
    return { c, asked };
  }

  it.each([
    ['127.0.0.1', 4, /loopback/],
    ['::ffff:127.0.0.1', 6, /loopback \(IPv4 127\.0\.0\.1 inside IPv6\)/],
    ['169.254.169.254', 4, /link-local/],
    ['10.0.0.1', 4, /private/],
  ])('refuses a hostname that resolves to %s, at connect time', async (address, family, reason) => {
    const { c, asked } = withDns([{ address, family }]);
    const before = connections;
    await expect(c.post(`https://hooks.customer.test:${port(tcp)}/keymint`, {}, '{}')).rejects.toThrow(reason);
    expect(asked).toEqual(['hooks.customer.test']);
    expect(connections).toBe(before);
    await c.close();
  });

  it('refuses when any of several resolved addresses is private', async () => {
    const { c } = withDns([
      { address: '8.8.8.8', family: 4 },
      { address: '10.0.0.1', family: 4 },
    ]);
    await expect(c.post('https://hooks.customer.test/keymint', {}, '{}')).rejects.toThrow(/10\.0\.0\.1, a private address/);
    await c.close();
  });

  it('refuses IP literals and http without asking DNS', async () => {
    const { c, asked } = withDns([]);
    await expect(c.post(`https://127.0.0.1:${port(tcp)}/`, {}, '{}')).rejects.toThrow(/loopback/);
    await expect(c.post(`https://[::ffff:127.0.0.1]:${port(tcp)}/`, {}, '{}')).rejects.toThrow(/loopback/);
    await expect(c.post(`http://hooks.customer.test/`, {}, '{}')).rejects.toThrow(/use https/);
    expect(asked).toEqual([]);
    expect(connections).toBe(0);
    await c.close();
  });

  it('with KEYMINT_WEBHOOK_ALLOW_PRIVATE, the same hostname connects (and http is allowed)', async () => {
    const { c } = withDns([{ address: '127.0.0.1', family: 4 }], true);
    expect((await c.post(`http://hooks.customer.test:${port(http)}/ok`, {}, '{}')).status).toBe(204);
    expect(paths).toContain('/ok');
    await c.close();
  });

  it('does not follow a redirect', async () => {
    const { c } = withDns([{ address: '127.0.0.1', family: 4 }], true);
    expect((await c.post(`http://hooks.customer.test:${port(http)}/redirect`, {}, '{}')).status).toBe(302);
    expect(paths).not.toContain('/target');
    await c.close();
  });

  it('reads at most 64 KiB of an answer', async () => {
    const { c } = withDns([{ address: '127.0.0.1', family: 4 }], true);
    const res = await c.post(`http://hooks.customer.test:${port(http)}/big`, {}, '{}');
    expect(res).toEqual({ status: 200, bodyBytes: 64 * 1024 });
    await c.close();
  });
});

describe.each(engines)('a scheduled rotation to a private address on %s', (engine) => {
  it('is refused, recorded as a failed attempt, and leaves the old key working', async () => {
    const node = await testNode(engine, { env: { KEYMINT_WEBHOOK_ALLOW_PRIVATE: 'false' } });
    try {
      node.km.rotation.configure({ resolver: async () => [{ address: '169.254.169.254', family: 4 }] });
      const root = client(node.app, node.rootKey);
      const project = (await root.post('/v1/projects', { name: 'acme' })).body.id;
      expect((await root.post('/v1/api-keys', { project_id: project, name: 'plain', rotation_interval_days: 1, rotation_webhook_url: 'http://metadata.customer.test/' })).status).toBe(400);
      const key = (await root.post('/v1/api-keys', { project_id: project, name: 'svc', rotation_interval_days: 1, rotation_webhook_url: 'https://metadata.customer.test/hook' })).body;
      node.clock.advance(86_400_000);
      await node.km.rotation.tick();
      const [attempt] = (await root.get(`/v1/api-keys/${key.id}/webhook-deliveries`)).body;
      expect(attempt).toMatchObject({ attempt: 1, status_code: null, outcome: 'retrying' });
      expect(attempt.error).toMatch(/metadata\.customer\.test resolves to 169\.254\.169\.254, a link-local address/);
      expect((await root.post('/v1/keys/verify', { key: key.key })).body.code).toBe('VALID');
    } finally {
      await node.close();
    }
  });
});
