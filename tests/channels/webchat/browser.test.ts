// The web chat in a real headless Chromium (Debian's), driven by playwright-core.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../src/main.ts';
import { content } from '../../helpers/service.ts';
import { startTestServer } from '../../helpers/server.ts';

const lo = (key: string) => content().t('lo', key);
let server: RunningServer;
let neutral: Server;
let neutralUrl: string;
let browser: Browser;

beforeAll(async () => {
  // Stands in for the everyday site quick exit opens, so the test needs no network.
  neutral = createServer((_req, res) => res.end('<!doctype html><title>Weather</title><p>Sunny</p>'));
  await new Promise<void>((r) => neutral.listen(0, '127.0.0.1', r));
  neutralUrl = `http://127.0.0.1:${(neutral.address() as AddressInfo).port}/weather`;
  server = await startTestServer({ QUICK_EXIT_URL: neutralUrl, DEFAULT_LANG: 'en' });
  browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((r) => neutral.close(r));
});

async function openChat(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 360, height: 740 }, locale: 'en-US' });
  await page.goto(server.url);
  await page.locator('.msg.bot .buttons button', { hasText: 'ລາວ' }).waitFor();
  return page;
}

/** Clicks a button of the newest bot message, then waits for the answer to arrive. */
async function choose(page: Page, label: string): Promise<void> {
  const before = await page.locator('.msg.bot').count();
  await page.locator('.msg.bot').last().locator('.buttons button', { hasText: label }).click();
  await page.waitForFunction((n) => document.querySelectorAll('.msg.bot').length > n, before);
}

describe('web chat in Chromium', () => {
  it('walks the job-offer check in Lao to a high-risk result and offers a counsellor', async () => {
    const page = await openChat();
    await choose(page, 'ລາວ');
    expect(await page.getAttribute('html', 'lang')).toBe('lo');
    expect(await page.locator('#send').textContent()).toBe(lo('webchat.send'));
    await choose(page, lo('menu.job'));
    const answers = [
      'job.source.broker',
      'job.fee.paid',
      'job.contract.none',
      'job.passport.employer',
      'job.route.boat_or_car',
      'job.pay.much_higher',
      'job.kind.online',
      'job.employer.unknown',
      'job.hours.long',
      'job.freedom.confined',
    ];
    for (const key of answers) await choose(page, lo(key));
    const result = page.locator('.msg.bot').last();
    expect(await result.textContent()).toContain(lo('job.result.high'));
    expect(await result.textContent()).toContain(lo('job.flag.documents'));
    const offer = result.locator('.buttons button', { hasText: lo('job.result.counsellor') });
    expect(await offer.isVisible()).toBe(true);
    // Lao renders with the page's Lao-first font stack.
    const font = await result.evaluate((el) => getComputedStyle(el).fontFamily);
    expect(font).toMatch(/^"?Noto Sans Lao/);
    await page.screenshot({ path: 'tests/channels/webchat/last-run.png' }).catch(() => undefined);
    await page.close();
  });

  it('sends typed text, and a reload keeps the conversation in this tab', async () => {
    const page = await openChat();
    await page.fill('#message', '3');
    await page.press('#message', 'Enter');
    await page.locator('.msg.me', { hasText: '3' }).waitFor();
    await page.locator('.msg.bot .buttons button', { hasText: '🔎' }).waitFor();
    const count = await page.locator('.msg').count();
    await page.reload();
    await page.locator('.msg.bot').first().waitFor();
    expect(await page.locator('.msg').count()).toBe(count);
    await page.close();
  });

  it('quick exit clears the chat and the browser storage and opens a neutral site the Back button cannot leave', async () => {
    const page = await openChat();
    await choose(page, 'English');
    expect(await page.evaluate(() => sessionStorage.length)).toBeGreaterThan(0);
    await page.click('#quick-exit');
    await page.waitForURL(neutralUrl);
    expect(await page.title()).toBe('Weather');
    expect(await page.evaluate(() => sessionStorage.length + localStorage.length)).toBe(0);
    // Back leads to where the person was before the chat (here: the blank start page), not to the chat.
    await page.goBack().catch(() => undefined);
    expect(page.url()).not.toBe(`${server.url}/`);
    await page.close();
  });
});
