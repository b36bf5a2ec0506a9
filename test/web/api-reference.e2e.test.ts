// /docs in a real browser: Scalar's script, served from the package's file, renders the API from /openapi.json
// under the page's CSP.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser, dashboardServer, type DashboardServer, haveChromium } from './browser.js';

describe.skipIf(!haveChromium)('API reference (chromium)', () => {
  let s: DashboardServer;
  beforeAll(async () => {
    s = await dashboardServer();
  }, 60_000);
  afterAll(async () => s?.close());

  it('/docs redirects to /docs/, which renders the OpenAPI document with no CSP or script errors', async () => {
    const b = await browser();
    const errors: string[] = [];
    b.page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    b.page.on('pageerror', (e) => errors.push(e.message));
    b.page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
    try {
      const response = await b.page.goto(`${s.url}/docs`);
      expect(b.page.url()).toBe(`${s.url}/docs/`);
      expect(response?.headers()['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      // Rendered from our OpenAPI document: its title, and an operation of the open first group.
      await b.page.getByRole('heading', { name: 'Keymint', level: 1 }).waitFor();
      await b.page.getByText('Ready for traffic: the store answers and its migrations are current').first().waitFor();
      // No CSP violation either (Scalar's default fonts come from its own site; the page asks for none).
      expect(errors).toEqual([]);
    } finally {
      await b.close();
    }
  }, 120_000);

  it('serves the script with a JavaScript type and the package file whole', async () => {
    const res = await fetch(`${s.url}/docs/js/scalar.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    const file = readFileSync(fileURLToPath(new URL('js/standalone.js', import.meta.resolve('@scalar/fastify-api-reference'))));
    expect(Buffer.from(await res.arrayBuffer()).equals(file)).toBe(true);
    expect(file.length).toBeGreaterThan(1_000_000);
  });
});
