// OpenTelemetry traces: off by default (nothing loaded, no hook added), and with OTEL_EXPORTER_OTLP_ENDPOINT
// set, the real `keymint serve` process sends spans of its requests to an OTLP/HTTP receiver.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mintKey, ROOT_PREFIX } from '../../src/keys/material.js';
import { startTracing, tracingEnabled } from '../../src/observability/tracing.js';
import { until } from '../limits/support.js';
import { testNode } from '../support/harness.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('tracing off (the default)', () => {
  it('is off without an OTLP endpoint, and the app gets no OpenTelemetry plugin', async () => {
    expect(tracingEnabled({})).toBe(false);
    expect(await startTracing({})).toBeNull();
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' })).toBe(false);
    const node = await testNode('sqlite');
    try {
      expect(node.app.hasPlugin('@fastify/otel')).toBe(false);
    } finally {
      await node.close();
    }
  });
});

describe('tracing on', () => {
  let receiver: Server;
  let child: ChildProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'keymint-otel-'));
  const posts: { path: string; body: any }[] = [];
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends a span for each request, named by its route, to OTEL_EXPORTER_OTLP_ENDPOINT', { timeout: 120_000 }, async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        posts.push({ path: req.url!, body: JSON.parse(body) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
    const rootKey = mintKey(ROOT_PREFIX).plaintext;
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KEYMINT_') && !k.startsWith('OTEL_')));
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
      cwd: ROOT,
      env: {
        ...clean,
        KEYMINT_PORT: '0',
        KEYMINT_DATABASE_URL: `sqlite:${join(dir, 'k.db')}`,
        KEYMINT_ROOT_KEY: rootKey,
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_SERVICE_NAME: 'keymint-test',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    const listening = () => /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    await until(async () => listening() !== undefined, 60_000, 'the server to listen');
    const base = listening()!;
    const res = await fetch(`${base}/v1/keys/verify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${rootKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key: mintKey().plaintext }),
    });
    expect((await res.json()).code).toBe('NOT_FOUND');

    const spans = () =>
      posts.flatMap((p) =>
        (p.body.resourceSpans ?? []).flatMap((rs: any) =>
          rs.scopeSpans.flatMap((ss: any) => ss.spans.map((s: any) => ({ path: p.path, service: rs.resource.attributes, ...s }))),
        ),
      );
    const verifySpan = () => spans().find((s) => s.attributes.some((a: any) => a.key === 'http.route' && a.value.stringValue === '/v1/keys/verify'));
    await until(async () => verifySpan() !== undefined, 60_000, 'a span of the verify request');
    const span = verifySpan();
    expect(span.path).toBe('/v1/traces');
    expect(span.service).toContainEqual({ key: 'service.name', value: { stringValue: 'keymint-test' } });
    // No credential in any span.
    expect(JSON.stringify(posts)).not.toContain(rootKey);
  });
});
