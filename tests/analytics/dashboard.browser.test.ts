// The supervisors' dashboard in a real headless Chromium (Debian's): a supervisor logs in on the console
// page, opens /console/dashboard, and both charts load as images under the server's strict CSP.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Analytics } from '../../src/analytics/recorder.ts';
import { analyticsRoutes } from '../../src/analytics/routes.ts';
import { MemoryAnalyticsStore } from '../../src/analytics/store.ts';
import { FileAccountStore } from '../../src/counsellor/accounts.ts';
import { ConsoleAuth, MemoryAuthStateStore } from '../../src/counsellor/auth.ts';
import { authRoutes } from '../../src/counsellor/auth-routes.ts';
import { consolePageRoutes } from '../../src/counsellor/page-routes.ts';
import { hashPassword } from '../../src/counsellor/password.ts';
import { createHttpServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/log.ts';
import { content } from '../helpers/service.ts';

const PASSWORD = 'correct horse battery';
const TZ = 'Asia/Vientiane';
let dir: string;
let server: Server;
let base: string;
let browser: Browser;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hotline-dashboard-'));
  const accounts = new FileAccountStore(join(dir, 'counsellors.json'));
  await accounts.put({ username: 'boss', role: 'supervisor', passwordHash: await hashPassword(PASSWORD), createdAt: 1 });
  const auth = new ConsoleAuth({ accounts, store: new MemoryAuthStateStore(), secureCookie: false });
  const log = createLogger('silent');

  // A fortnight of made-up traffic, written through the recorder on each day.
  let now = Date.now() - 13 * 86_400_000;
  const store = new MemoryAnalyticsStore();
  const analytics = new Analytics({ store, timeZone: TZ, log, now: () => now });
  for (let day = 0; day < 14; day++, now += 86_400_000) {
    for (let i = 0; i < (day * 7) % 11; i++) await analytics.conversationStarted(['lo', 'th', 'en'][i % 3] ?? 'lo', i % 2 ? 'telegram' : 'webchat');
    for (let i = 0; i < day % 4; i++) await analytics.waited(30 + i * 45 + day * 10);
    await analytics.escalated(day % 2 ? 'urgent' : 'medium', 'messenger');
  }

  server = createHttpServer(
    [...consolePageRoutes({ t: content().t, defaultLang: 'en' }), ...authRoutes(auth, log), ...analyticsRoutes({ auth, analytics, timeZone: TZ })],
    log,
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

/** A phone-sized page that records CSP violations and failed loads. */
async function phone(): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on('response', (r) => {
    if (r.url().includes('/analytics') || r.url().endsWith('.css')) {
      if (r.status() !== 200) problems.push(`${r.status()} ${r.url()}`);
    }
  });
  return { page, problems };
}

describe('analytics dashboard in Chromium', () => {
  it('a supervisor logs in on the console and sees both charts, the totals and the CSV link', async () => {
    const { page, problems } = await phone();
    await page.goto(`${base}/console`);
    await page.click('[data-testid=lang-en]');
    await page.fill('[data-testid=login-username]', 'boss');
    await page.fill('[data-testid=login-password]', PASSWORD);
    await page.click('[data-testid=login-submit]');
    await page.locator('[data-testid=logout]').waitFor();

    await page.goto(`${base}/console/dashboard?days=14`);
    const charts = ['chart-conversations', 'chart-waits'];
    for (const id of charts) {
      const img = page.locator(`[data-testid=${id}]`);
      await img.waitFor();
      await page.waitForFunction((sel) => {
        const el = document.querySelector<HTMLImageElement>(sel);
        return !!el && el.complete && el.naturalWidth > 0;
      }, `[data-testid=${id}]`);
      const { naturalWidth, width } = await img.evaluate((el: HTMLImageElement) => ({ naturalWidth: el.naturalWidth, width: el.getBoundingClientRect().width }));
      expect(naturalWidth).toBeGreaterThan(0);
      // Fills the phone's width (less the page's padding), not a fixed size.
      expect(width).toBeGreaterThan(300);
      expect(width).toBeLessThanOrEqual(390);
    }
    expect(await page.locator('[data-testid=totals]').isVisible()).toBe(true);
    expect(await page.locator('[data-testid=totals] tbody').first().textContent()).toContain('Conversations by language');
    const csv = page.locator('[data-testid=csv-link]');
    expect(await csv.getAttribute('href')).toBe('/console/api/analytics.csv?days=14');
    // The style sheets applied (no inline style is allowed).
    expect(await csv.evaluate((el) => getComputedStyle(el).display)).toBe('inline-block');
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
    await page.screenshot({ path: 'tests/analytics/last-dashboard.png', fullPage: true }).catch(() => undefined);

    // The CSV downloads with the session cookie.
    const download = await page.request.get(`${base}/console/api/analytics.csv?days=14`);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toMatch(/^text\/csv/);
  }, 60_000);

  it('without a log-in the page says to log in first', async () => {
    const { page } = await phone();
    const res = await page.goto(`${base}/console/dashboard`);
    expect(res?.status()).toBe(401);
    expect(await page.locator('[data-testid=dashboard-error]').textContent()).toBe('Log in first.');
    expect(await page.locator('img').count()).toBe(0);
  });
});
