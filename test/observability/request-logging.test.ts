// Request logging: a request's logger is built only when it writes, and writes what Fastify's did (request id,
// redaction); verifications write no access-log lines at the default level, errors always.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, REDACT } from '../../src/app.js';
import { lazyRequestLogger } from '../../src/observability/request-logger.js';
import { projectWithKey } from '../limits/support.js';
import { client } from '../support/client.js';
import { testNode, type TestNode } from '../support/harness.js';

function capture(): { lines: () => Record<string, any>[]; stream: Writable } {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      raw.push(chunk.toString());
      cb();
    },
  });
  return { stream, lines: () => raw.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
}

describe('a request logger', () => {
  it('builds no pino child until it writes, then writes with the request id and redaction', () => {
    const out = capture();
    const root = pino({ level: 'info', redact: REDACT }, out.stream);
    let children = 0;
    const child = root.child.bind(root);
    root.child = ((b: any, o: any) => (children++, child(b, o))) as typeof root.child;

    const log = lazyRequestLogger(root, { reqId: 'req-7' }, {});
    log.debug('below the level');
    expect((log as unknown as pino.Logger).isLevelEnabled('debug')).toBe(false);
    expect(children).toBe(0);
    expect(out.lines()).toEqual([]);

    log.error({ body: { key: 'km_plaintext' }, req: { headers: { authorization: 'Bearer km_root_x' } } }, 'failed');
    log.warn('again');
    expect(children).toBe(1);
    const [first, second] = out.lines();
    expect(first).toMatchObject({ level: 50, reqId: 'req-7', body: { key: '[Redacted]' }, req: { headers: { authorization: '[Redacted]' } }, msg: 'failed' });
    expect(second).toMatchObject({ level: 40, reqId: 'req-7', msg: 'again' });
  });

  it('keeps a route\'s own level and follows the parent\'s level otherwise', () => {
    const out = capture();
    const root = pino({ level: 'info' }, out.stream);
    const quiet = lazyRequestLogger(root, { reqId: 'a' }, { level: 'warn' });
    const plain = lazyRequestLogger(root, { reqId: 'b' }, {});
    quiet.info('not written');
    plain.debug('not written either');
    root.level = 'debug';
    quiet.info('still not written');
    plain.debug('written');
    expect(quiet.level).toBe('warn');
    expect(out.lines().map((l) => [l.reqId, l.msg])).toEqual([['b', 'written']]);
  });
});

describe('request logging of a node', () => {
  let node: TestNode;
  let key: string;
  beforeAll(async () => {
    node = await testNode('sqlite');
    ({ key } = await projectWithKey(client(node.app, node.rootKey)));
  });
  afterAll(() => node.close());

  async function linesOf(level: string, call: (app: Awaited<ReturnType<typeof buildApp>>) => Promise<unknown>, on = node) {
    const out = capture();
    const app = await buildApp(on.km, { logger: { level, stream: out.stream } });
    try {
      await call(app);
    } finally {
      await app.close();
    }
    return out.lines();
  }

  it('at info: a management request writes its access lines, a verification none', async () => {
    const lines = await linesOf('info', async (app) => {
      expect((await client(app, node.rootKey).get('/v1/projects')).status).toBe(200);
      expect((await client(app, node.rootKey).post('/v1/keys/verify', { key })).body.valid).toBe(true);
    });
    expect(lines.map((l) => [l.msg, l.req?.url])).toEqual([
      ['incoming request', '/v1/projects'],
      ['request completed', undefined],
    ]);
    expect(lines[0].reqId).toBe(lines[1].reqId);
  });

  it('at debug: a verification writes its access lines too', async () => {
    const lines = await linesOf('debug', async (app) => {
      expect((await client(app, node.rootKey).post('/v1/keys/verify', { key })).body.valid).toBe(true);
    });
    expect(lines.map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
    expect(lines[0].req.url).toBe('/v1/keys/verify');
  });

  it('at info: an unexpected error during a verification is logged with its request id, without credentials', async () => {
    const fresh = await testNode('sqlite');
    try {
      let requestId = '';
      const lines = await linesOf('info', async (app) => {
        await fresh.km.store.close();
        // Not cached on this node: the store is asked, and fails.
        const res = await client(app, fresh.rootKey).post('/v1/keys/verify', { key });
        expect(res.status).toBe(500);
        requestId = res.headers['x-request-id'] as string;
        expect(res.body).toMatchObject({ code: 'internal_error', request_id: requestId });
      }, fresh);
      const errors = lines.filter((l) => l.level >= 50);
      expect(errors.map((l) => l.msg)).toContain('unexpected error');
      // The id in the answer is the id of the log line: an operator finds one from the other.
      expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      for (const l of errors) expect(l.reqId).toBe(requestId);
      const text = JSON.stringify(lines);
      expect(text).not.toContain(key);
      expect(text).not.toContain(fresh.rootKey);
    } finally {
      await fresh.close().catch(() => {});
    }
  });
});
