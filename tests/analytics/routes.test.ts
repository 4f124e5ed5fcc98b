// The analytics routes over real HTTP on 127.0.0.1: supervisors only, JSON, CSV, SVG and the dashboard.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Analytics } from '../../src/analytics/recorder.ts';
import { analyticsRoutes } from '../../src/analytics/routes.ts';
import { MemoryAnalyticsStore } from '../../src/analytics/store.ts';
import { FileAccountStore } from '../../src/counsellor/accounts.ts';
import { ConsoleAuth, MemoryAuthStateStore } from '../../src/counsellor/auth.ts';
import { authRoutes } from '../../src/counsellor/auth-routes.ts';
import { hashPassword } from '../../src/counsellor/password.ts';
import { createHttpServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/log.ts';
import { content } from '../helpers/service.ts';

const PASSWORD = 'correct horse battery';
const TZ = 'Asia/Vientiane';
const NOW = Date.UTC(2025, 4, 30, 5, 0);
let dir: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hotline-analytics-routes-'));
  const accounts = new FileAccountStore(join(dir, 'counsellors.json'));
  await accounts.put({ username: 'noy', role: 'counsellor', passwordHash: await hashPassword(PASSWORD), createdAt: 1 });
  await accounts.put({ username: 'boss', role: 'supervisor', passwordHash: await hashPassword(PASSWORD), createdAt: 1 });
  const auth = new ConsoleAuth({ accounts, store: new MemoryAuthStateStore(), secureCookie: false });
  const log = createLogger('silent');
  const analytics = new Analytics({ store: new MemoryAnalyticsStore({ now: () => NOW }), timeZone: TZ, log, now: () => NOW });
  await analytics.conversationStarted('lo', 'telegram');
  await analytics.conversationStarted('th', 'webchat');
  await analytics.escalated('urgent', 'telegram');
  await analytics.waited(75);
  server = createHttpServer([...authRoutes(auth, log), ...analyticsRoutes({ auth, analytics, timeZone: TZ, now: () => NOW, t: content().t })], log);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

async function cookieOf(username: string): Promise<string> {
  const res = await fetch(`${base}/console/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')?.split(';')[0] ?? '';
}

const get = (path: string, cookie?: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers: { ...headers, ...(cookie ? { cookie } : {}) } });
const text = (lang: string, key: string) => content().t(lang, `console.dashboard.${key}`);
const escaped = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
const LAO = /[\u0E80-\u0EFF]/;
const THAI = /[\u0E00-\u0E7F]/;
const PATHS = ['/console/api/analytics', '/console/api/analytics.csv', '/console/api/analytics/conversations.svg', '/console/api/analytics/waits.svg', '/console/dashboard'];

describe('analytics routes', () => {
  it('401 without a log-in, 403 for a counsellor, on every route', async () => {
    const noy = await cookieOf('noy');
    for (const path of PATHS) {
      const anonymous = await get(path);
      expect(anonymous.status, path).toBe(401);
      const counsellor = await get(path, noy);
      expect(counsellor.status, path).toBe(403);
      if (path === '/console/dashboard') {
        expect(anonymous.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(await anonymous.text()).toContain('Log in first.');
        expect(await counsellor.text()).toContain('supervisors only');
      } else {
        expect(await anonymous.json()).toEqual({ error: 'log in first' });
        expect(await counsellor.json()).toEqual({ error: 'supervisors only' });
      }
    }
  });

  it('a supervisor gets the JSON report, 30 days by default', async () => {
    const boss = await cookieOf('boss');
    const res = await get('/console/api/analytics', boss);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const report = (await res.json()) as { from: string; to: string; days: { day: string }[]; totals: { conversations: number; waits: { median: number } } };
    expect(report.days).toHaveLength(30);
    expect(report.to).toBe('2025-05-30');
    expect(report.from).toBe('2025-05-01');
    expect(report.totals.conversations).toBe(2);
    expect(report.totals.waits.median).toBe(75);
    const week = (await (await get('/console/api/analytics?days=7', boss)).json()) as { days: unknown[] };
    expect(week.days).toHaveLength(7);
    expect(((await (await get('/console/api/analytics?days=400', boss)).json()) as { days: unknown[] }).days).toHaveLength(400);
  });

  it('refuses a bad ?days= with 400', async () => {
    const boss = await cookieOf('boss');
    for (const days of ['0', '401', '-1', '1.5', 'abc', '', '1e2', '0x10', '7&days=8', '%207']) {
      const res = await get(`/console/api/analytics?days=${days}`, boss);
      expect(res.status, days).toBe(400);
      expect(await res.json()).toEqual({ error: 'days must be a whole number from 1 to 400' });
    }
    expect((await get('/console/api/analytics.csv?days=999', boss)).status).toBe(400);
    expect((await get('/console/dashboard?days=0', boss)).status).toBe(400);
  });

  it('CSV as an attachment', async () => {
    const boss = await cookieOf('boss');
    const res = await get('/console/api/analytics.csv?days=2', boss);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="hotline-analytics-2025-05-29-to-2025-05-30.csv"');
    const csv = await res.text();
    expect(csv.startsWith('day,measure,label,value\r\n')).toBe(true);
    expect(csv).toContain('2025-05-30,conversations_by_lang,lo,1\r\n');
    expect(csv).toContain('2025-05-30,escalations_by_priority,urgent,1\r\n');
    expect(csv).toContain('2025-05-29,conversations,all,0\r\n');
  });

  it('SVG charts as image/svg+xml', async () => {
    const boss = await cookieOf('boss');
    for (const name of ['conversations', 'waits']) {
      const res = await get(`/console/api/analytics/${name}.svg?days=14`, boss);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
      const svg = await res.text();
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(svg).not.toContain('<script');
    }
  });

  it('the dashboard: charts as images, totals, CSV link, no inline script or style', async () => {
    const boss = await cookieOf('boss');
    const res = await get('/console/dashboard?days=7', boss);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('<img class="chart" data-testid="chart-conversations" src="/console/api/analytics/conversations.svg?days=7&amp;lang=en"');
    expect(html).toContain('src="/console/api/analytics/waits.svg?days=7&amp;lang=en"');
    expect(html).toContain('href="/console/api/analytics.csv?days=7"');
    expect(html).toContain('<link rel="stylesheet" href="/console/console.css">');
    expect(html).toMatch(/<th scope="colgroup">Conversations by language<\/th><td>2<\/td>/);
    expect(html).toContain('<th scope="row">median wait</th><td>1 min 15 s</td>');
    expect(html).not.toMatch(/<script|<style|\sstyle=|\son\w+=/i);
    const css = await get('/console/dashboard.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('the dashboard in Lao, Thai or English: ?lang=, else Accept-Language, else English', async () => {
    const boss = await cookieOf('boss');
    const lo = await (await get('/console/dashboard?days=7&lang=lo', boss)).text();
    expect(text('lo', 'totals')).toMatch(LAO);
    expect(lo).toContain('<html lang="lo">');
    for (const key of ['title', 'totals', 'by_lang', 'median_wait', 'csv', 'back', 'privacy']) expect(lo, key).toContain(escaped(text('lo', key)));
    expect(lo).toContain(`<th scope="row">${escaped(text('lo', 'median_wait'))}</th><td>1 ${text('lo', 'unit_min')} 15 ${text('lo', 'unit_s')}</td>`);
    expect(lo).toContain(`>${escaped(content().t('lo', 'console.lang.lo'))}</th><td>1</td>`);
    expect(lo).not.toContain('Hotline analytics');
    const th = await (await get('/console/dashboard?days=7&lang=th', boss)).text();
    expect(text('th', 'totals')).toMatch(THAI);
    expect(th).toContain('<html lang="th">');
    for (const key of ['title', 'totals', 'by_lang', 'csv', 'back']) expect(th, key).toContain(escaped(text('th', key)));
    for (const html of [lo, th]) {
      expect(html).not.toContain('{{');
      expect(html).not.toMatch(/<script|<style|\sstyle=|\son\w+=/i);
      // The switch: three links to the same period in each language; the period links keep the language.
      for (const lang of ['lo', 'th', 'en']) expect(html).toContain(`href="/console/dashboard?days=7&#38;lang=${lang}" lang="${lang}" hreflang="${lang}" data-testid="lang-${lang}"`);
      expect(html).toMatch(/src="\/console\/api\/analytics\/conversations\.svg\?days=7&amp;lang=(lo|th)"/);
      expect(html).toContain('href="/console/api/analytics.csv?days=7"');
    }
    expect(lo).toContain('href="/console/dashboard?days=30&amp;lang=lo"');

    const asked = async (acceptLanguage: string, url = '/console/dashboard') => (await (await get(url, boss, { 'accept-language': acceptLanguage })).text()).match(/<html lang="(\w+)">/)?.[1];
    expect(await asked('th-TH,th;q=0.9,en;q=0.8')).toBe('th');
    expect(await asked('fr-FR, lo;q=0.5, th;q=0.4')).toBe('lo');
    expect(await asked('en;q=0.3, th;q=0.7')).toBe('th');
    expect(await asked('fr, de')).toBe('en');
    expect(await asked('th', '/console/dashboard?lang=en')).toBe('en');
    expect(await asked('lo', '/console/dashboard?lang=xx')).toBe('lo');
  });

  it('the charts in the page\'s language: titles, legend, units and language names', async () => {
    const boss = await cookieOf('boss');
    const svgOf = async (name: string, lang: string) => (await get(`/console/api/analytics/${name}.svg?days=7&lang=${lang}`, boss)).text();
    const lo = await svgOf('conversations', 'lo');
    expect(lo).toContain(escaped(text('lo', 'chart_conversations')));
    expect(lo).toContain(escaped(text('lo', 'chart_lang_lo')));
    expect(lo).not.toContain('Conversations per day');
    const waitsTh = await svgOf('waits', 'th');
    expect(text('th', 'chart_waits')).toMatch(THAI);
    expect(waitsTh).toContain(escaped(text('th', 'chart_waits')));
    expect(waitsTh).toContain(escaped(text('th', 'p90_wait')));
    expect(waitsTh).not.toContain('Queue wait');
    expect(await svgOf('conversations', 'en')).toContain('Conversations per day');
  });

  it('the log-in and supervisors-only pages in the asked language', async () => {
    const anonymous = await (await get('/console/dashboard?lang=lo')).text();
    expect(anonymous).toContain(escaped(text('lo', 'login_first')));
    expect(anonymous).toContain(escaped(text('lo', 'open_console')));
    expect(anonymous).not.toContain('{{');
    const counsellor = await (await get('/console/dashboard', await cookieOf('noy'), { 'accept-language': 'th' })).text();
    expect(counsellor).toContain(escaped(text('th', 'supervisors_only')));
    expect(counsellor).toMatch(THAI);
    const bad = await get('/console/dashboard?days=0&lang=th', await cookieOf('boss'));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain(`${escaped(text('th', 'bad_days'))} 400`);
  });
});
