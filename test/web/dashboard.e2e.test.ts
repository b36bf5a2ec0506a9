// The dashboard in a real browser against a real server: an operator's whole round (sign in, project, key, copy,
// verify, rotate, revoke, find, audit, sign out), accessibility of every page, and screenshots for the README.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browser, buildDashboard, dashboardServer, type DashboardServer, haveChromium, screenshot, seriousViolations, verify } from './browser.js';

/** Waits for a condition (a loaded machine can take seconds to render), failing with the last value seen. */
const poll = <T>(f: () => T | Promise<T>) => expect.poll(f, { timeout: 60_000, interval: 100 });

describe.skipIf(!haveChromium)('dashboard (chromium)', () => {
  let s: DashboardServer;
  beforeAll(async () => {
    buildDashboard();
    s = await dashboardServer();
  }, 180_000);
  afterAll(async () => s?.close());

  /** No serious or critical axe violations, and a screenshot for the README. */
  async function checkPage(page: Page, name: string) {
    expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
    await screenshot(page, name);
  }

  it('signs in, creates a project and a key, copies it, rotates, revokes, finds it by prefix, reads its audit trail, signs out', async () => {
    const b = await browser();
    const { page, context } = b;
    const cspErrors: string[] = [];
    page.on('console', (m) => m.text().includes('Content Security Policy') && cspErrors.push(m.text()));
    try {
      await page.goto(s.url);
      await page.getByRole('heading', { name: 'Sign in to Keymint' }).waitFor();
      await checkPage(page, 'sign-in');

      // A wrong key: the API's message next to the field.
      await page.getByLabel('Key').fill('km_notakey');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await poll(() => page.locator('.field-error').textContent()).toContain('not a Keymint key');

      await page.getByLabel('Key').fill(s.rootKey);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Projects' }).waitFor();
      // The key is exchanged, not kept: an HttpOnly, SameSite=Strict cookie holds only the session id.
      const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
      expect(storage).not.toContain(s.rootKey);
      expect(storage).not.toContain('keymint_session');
      const [cookie] = await context.cookies(s.url);
      expect(cookie).toMatchObject({ name: 'keymint_session', httpOnly: true, sameSite: 'Strict', secure: false, path: '/' });
      expect(cookie.value).not.toContain(s.rootKey);

      await page.getByLabel('New project name').fill('Payments');
      await page.getByRole('button', { name: 'Create project' }).click();
      await page.getByRole('link', { name: 'Payments' }).waitFor();
      await checkPage(page, 'projects');

      await page.getByRole('link', { name: 'Payments' }).click();
      await page.getByRole('heading', { name: 'Keys' }).waitFor();
      await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Environments' }).click();
      await page.getByLabel('Name').fill('production');
      await page.getByLabel('Key prefix (optional)').fill('km_live');
      await page.getByRole('button', { name: 'Create environment' }).click();
      await page.getByRole('link', { name: 'production' }).waitFor();
      await checkPage(page, 'environments');

      await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Keys' }).click();
      await page.getByRole('heading', { name: 'Keys' }).waitFor();
      await page.getByRole('button', { name: 'Create key' }).click();
      const create = page.getByRole('dialog', { name: 'Create a key' });
      // Bad input: the problem details shown next to the field they name.
      await create.getByLabel('Rotation webhook URL (optional)').fill('ftp://example.com/hook');
      await create.getByRole('button', { name: 'Create key' }).click();
      await poll(() => create.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
      await create.getByLabel('Rotation webhook URL (optional)').fill('');
      await create.getByLabel('Name').fill('checkout-service');
      await create.getByLabel('Scopes').fill('orders:read orders:write');
      await create.getByLabel('Role').selectOption('Editor');
      await create.getByLabel('Environment').selectOption({ label: 'production' });
      await create.getByLabel('Expires in (days, optional)').fill('90');
      await create.getByRole('button', { name: 'Create key' }).click();

      const shown = page.getByRole('dialog', { name: 'Key checkout-service created' });
      await shown.getByText('you will not see it again').waitFor();
      await checkPage(page, 'key-created');
      const key = await shown.getByLabel('The new key').inputValue();
      expect(key).toMatch(/^km_live_[A-Za-z0-9]{38,}$/);
      await shown.getByRole('button', { name: 'Copy', exact: true }).click();
      await shown.getByRole('button', { name: 'Copied', exact: true }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
      expect(await verify(s.url, s.rootKey, key)).toMatchObject({ valid: true, code: 'VALID' });
      await shown.getByRole('button', { name: 'I have copied it' }).click();

      // Its usage, by outcome, on the key page.
      for (let i = 0; i < 3; i++) await verify(s.url, s.rootKey, key);
      await page.getByRole('link', { name: 'checkout-service' }).click();
      await page.getByRole('heading', { name: /checkout-service/ }).waitFor();
      await page.getByText(/^4 verifications/).waitFor();
      await page.locator('.chart canvas').waitFor();
      await checkPage(page, 'key');

      // Rotate with a grace period: both keys verify meanwhile.
      await page.getByRole('button', { name: 'Rotate' }).click();
      const rotate = page.getByRole('dialog', { name: 'Rotate checkout-service' });
      await rotate.getByLabel(/Grace period/).fill('30');
      await rotate.getByRole('button', { name: 'Rotate' }).click();
      const rotated = page.getByRole('dialog', { name: 'Key rotated' });
      const next = await rotated.getByLabel('The new key').inputValue();
      expect(next).not.toBe(key);
      expect(await verify(s.url, s.rootKey, next)).toMatchObject({ valid: true });
      expect(await verify(s.url, s.rootKey, key)).toMatchObject({ valid: true, code: 'VALID' });
      await rotated.getByRole('link', { name: 'Open the new key' }).click();
      await page.getByRole('heading', { name: /checkout-service/ }).getByText('active').waitFor();

      // Revoke, after confirmation: it stops verifying at once.
      await page.getByRole('button', { name: 'Revoke' }).click();
      await page.getByRole('dialog', { name: 'Revoke checkout-service?' }).getByRole('button', { name: 'Revoke key' }).click();
      await page.getByRole('heading', { name: /checkout-service/ }).getByText('revoked').waitFor();
      expect(await verify(s.url, s.rootKey, next)).toMatchObject({ valid: false, code: 'REVOKED' });

      // Find it again by its prefix (revoked keys are shown when asked for).
      await page.getByRole('link', { name: /Keys of/ }).click();
      await page.getByLabel('Status').selectOption('revoked');
      await page.getByLabel(/Search keys/).fill(next.slice(0, 14));
      await page.getByRole('button', { name: 'Search' }).click();
      await poll(() => page.locator('tbody tr').count()).toBe(1);
      await poll(() => page.locator('tbody tr').first().textContent()).toContain(next.slice(0, 16));
      await page.getByText('1–1 of 1').waitFor();
      await checkPage(page, 'keys');

      // Its audit trail: the key page's history, and the audit log linking back to the key.
      await page.getByLabel('Status').selectOption('');
      await page.getByLabel(/Search keys/).fill(key.slice(0, 16));
      await page.getByRole('button', { name: 'Search' }).click();
      await poll(() => page.locator('tbody tr').count()).toBe(1);
      await page.getByRole('link', { name: 'checkout-service' }).click();
      const history = page.getByRole('region', { name: 'History' });
      await history.getByText('api_key.rotated').waitFor();
      await history.getByText('api_key.created').waitFor();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
      await page.getByLabel('Action').selectOption('api_key.revoked');
      await page.getByRole('button', { name: 'Apply' }).click();
      await poll(() => page.locator('tbody tr').count()).toBe(1);
      await checkPage(page, 'audit-log');
      await page.locator('tbody').getByRole('link', { name: /^key_/ }).click();
      await page.getByRole('heading', { name: /checkout-service/ }).getByText('revoked').waitFor();

      // AWS credentials: issue one (the secret once), revoke it.
      await page.goto(`${s.url}/#/projects`);
      await page.getByRole('link', { name: 'Payments' }).click();
      await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'AWS credentials' }).click();
      await page.getByLabel('Description (optional)').fill('terraform');
      await page.getByRole('button', { name: 'Issue access key' }).click();
      await page.getByRole('dialog', { name: 'AWS access key issued' }).getByText('you will not see it again').waitFor();
      await page.getByRole('button', { name: 'I have copied it' }).click();
      await page.getByRole('button', { name: /^Revoke KM/ }).waitFor();
      await checkPage(page, 'aws-credentials');

      // Sign out: the session ends on the server too.
      const session = (await context.cookies(s.url))[0].value;
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in to Keymint' }).waitFor();
      const after = await fetch(`${s.url}/v1/sessions/current`, { headers: { cookie: `keymint_session=${session}` } });
      expect(after.status).toBe(401);
      expect(cspErrors).toEqual([]);
    } finally {
      await b.close();
    }
  }, 480_000);

  it('works 375 px wide in dark mode, and from the keyboard alone', async () => {
    const b = await browser({ colorScheme: 'dark', width: 375 });
    const { page } = b;
    try {
      await fetch(`${s.url}/v1/projects`, { method: 'POST', headers: { authorization: `Bearer ${s.rootKey}`, 'content-type': 'application/json' }, body: '{"name":"Mobile"}' });
      await page.goto(s.url);
      await page.getByRole('heading', { name: 'Sign in to Keymint' }).waitFor();
      // Keyboard only: Tab to the key field, type, Enter.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-key');
      await page.keyboard.type(s.rootKey);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Projects' }).waitFor();
      await page.getByRole('link', { name: 'Mobile' }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Keys' }).waitFor();
      // Escape closes a dialog; focus stays inside it while open.
      await page.getByRole('button', { name: 'Create key' }).focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Create a key' });
      await dialog.waitFor();
      expect(await page.evaluate(() => !!document.activeElement?.closest('dialog'))).toBe(true);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      // Nothing wider than the screen but the tables' own scroll boxes.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(21, 24, 28)');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'keys-375px-dark');
    } finally {
      await b.close();
    }
  }, 240_000);

  it('loads at most 250 KB of JavaScript (gzip) on the first page load', async () => {
    const b = await browser();
    const { page } = b;
    try {
      const scripts: { url: string; size: Promise<number> }[] = [];
      page.on('requestfinished', (r) => r.resourceType() === 'script' && scripts.push({ url: r.url(), size: r.sizes().then((z) => z.responseBodySize) }));
      await page.goto(s.url, { waitUntil: 'networkidle' });
      await page.getByRole('heading', { name: 'Sign in to Keymint' }).waitFor();
      expect(scripts.length).toBeGreaterThan(0);
      // What the browser transferred (it asks for br), and what the same files weigh gzipped.
      const transferred = (await Promise.all(scripts.map((x) => x.size))).reduce((a, n) => a + n, 0);
      let gzipped = 0;
      for (const { url } of scripts) {
        const res = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
        expect(res.headers.get('content-encoding')).toBe('gzip');
        gzipped += Number(res.headers.get('content-length'));
        await res.arrayBuffer();
      }
      console.log(`first load JavaScript: ${scripts.length} files, ${transferred} bytes transferred, ${gzipped} bytes gzip`);
      expect(transferred).toBeGreaterThan(0);
      expect(transferred).toBeLessThanOrEqual(250 * 1024);
      expect(gzipped).toBeLessThanOrEqual(250 * 1024);
    } finally {
      await b.close();
    }
  }, 240_000);

  it('refuses a cross-site POST made by another site\'s page while the operator is signed in', async () => {
    const b = await browser();
    const { page } = b;
    // The attacker: another site (localhost is not 127.0.0.1) whose page posts to Keymint by fetch and by form.
    const target = `${s.url}/v1/projects`;
    const evil = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<!doctype html><title>evil</title><form id="f" method="POST" action="${target}" enctype="text/plain"><input name='{"name":"evil-form","x":"' value='"}'></form>
<script>fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: '{"name":"evil-fetch"}' })
  .finally(() => document.getElementById('f').submit());</script>`);
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
    try {
      await page.goto(s.url);
      await page.getByLabel('Key').fill(s.rootKey);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Projects' }).waitFor();
      const refused = page.waitForResponse((r) => r.url() === target && r.request().method() === 'POST' && r.request().resourceType() === 'document');
      await page.goto(`http://localhost:${(evil.address() as AddressInfo).port}/`);
      expect([401, 403]).toContain((await refused).status());
      const names = ((await (await fetch(target, { headers: { authorization: `Bearer ${s.rootKey}` } })).json()) as { name: string }[]).map((p) => p.name);
      expect(names.filter((n) => n.startsWith('evil'))).toEqual([]);
      // The same request from the dashboard's own page, with its CSRF token, goes through.
      const own = await b.context.newPage();
      await own.goto(s.url);
      await own.getByLabel('New project name').fill('own-page');
      await own.getByRole('button', { name: 'Create project' }).click();
      await own.getByRole('link', { name: 'own-page' }).waitFor();
    } finally {
      evil.close();
      await b.close();
    }
  }, 240_000);
});
