// A real Keymint server on SQLite (listening on a free port) with the built dashboard, and Debian's chromium
// driven by playwright-core, for the dashboard's end-to-end tests.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import axe from 'axe-core';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config.js';
import { mintKey, ROOT_PREFIX } from '../../src/keys/material.js';
import { type RunningServer, startServer } from '../../src/server.js';

export const CHROMIUM = process.env.KEYMINT_TEST_CHROMIUM ?? '/usr/bin/chromium';
/** Without chromium the browser suites skip here; in CI (.ci/run installs it) they fail instead. */
export const haveChromium = existsSync(CHROMIUM) || !!process.env.CI;

export const ROOT = join(import.meta.dirname, '../..');
/**
 * Where screenshots go: test-results/screenshots (not committed) unless KEYMINT_SCREENSHOTS names another folder;
 * the README's are refreshed with KEYMINT_SCREENSHOTS=docs/screenshots npx vitest run test/web.
 */
export const SCREENSHOTS = resolve(ROOT, process.env.KEYMINT_SCREENSHOTS ?? 'test-results/screenshots');

/** Builds web/ into web/dist when it is missing or older than its sources. */
export function buildDashboard(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-web-if-stale.mjs')], { stdio: 'inherit', cwd: ROOT });
}

export interface DashboardServer {
  server: RunningServer;
  url: string;
  rootKey: string;
  close(): Promise<void>;
}

export async function dashboardServer(env: Record<string, string> = {}): Promise<DashboardServer> {
  const dir = mkdtempSync(join(tmpdir(), 'keymint-e2e-'));
  const rootKey = mintKey(ROOT_PREFIX).plaintext;
  const server = await startServer(
    loadConfig({
      KEYMINT_DATABASE_URL: `sqlite:${join(dir, 'keymint.db')}`,
      KEYMINT_ROOT_KEY: rootKey,
      KEYMINT_ENCRYPTION_KEY: '00'.repeat(32),
      KEYMINT_PORT: '0',
      KEYMINT_LOG_LEVEL: 'warn',
      ...env,
    }),
  );
  return {
    server,
    url: server.url.replace('[::1]', '127.0.0.1'),
    rootKey,
    async close() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh profile (no cookies, no storage) in headless chromium. */
export async function browser(options: { colorScheme?: 'light' | 'dark'; width?: number } = {}): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'keymint-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: options.width ?? 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  // Hang detectors, not speed limits: chromium on a shared 2-core machine running other suites can be slow.
  context.setDefaultTimeout(90_000);
  context.setDefaultNavigationTimeout(90_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** axe-core's serious and critical violations on the page as it is now (rule id and the first offending element). */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's CSP (script-src 'self') stays on.
  await page.evaluate(axe.source);
  const results = await page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes[0]?.target.join(' ')}`);
}

/** Secrets shown once are painted over: a screenshot is no place for a key, even a throwaway one. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false, mask: [page.locator('#secret-value')] });
}

export async function verify(url: string, rootKey: string, key: string): Promise<{ valid: boolean; code: string }> {
  const res = await fetch(`${url}/v1/keys/verify`, { method: 'POST', headers: { authorization: `Bearer ${rootKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ key }) });
  return (await res.json()) as { valid: boolean; code: string };
}
