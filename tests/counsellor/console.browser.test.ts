// The console in a real headless Chromium: two counsellors log in, a person on Telegram (fake Bot API)
// reports a crisis, it shows at the top of the queue, a counsellor takes it, they write to each other, the
// counsellor closes it and the bot resumes.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileAccountStore } from '../../src/counsellor/accounts.ts';
import { hashPassword } from '../../src/counsellor/password.ts';
import type { RunningServer } from '../../src/main.ts';
import { FAKE_TOKEN, FakeTelegram } from '../helpers/fake-telegram.ts';
import { startTestServer } from '../helpers/server.ts';

const PASSWORD = 'correct horse battery';
let server: RunningServer;
let fake: FakeTelegram;
let browser: Browser;

beforeAll(async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'hotline-console-')), 'counsellors.json');
  const accounts = new FileAccountStore(file);
  for (const username of ['noy', 'kham']) {
    await accounts.put({ username, role: 'counsellor', passwordHash: await hashPassword(PASSWORD), createdAt: Date.now() });
  }
  fake = await FakeTelegram.start();
  server = await startTestServer({
    COUNSELLORS_FILE: file,
    DUTY_HOURS: 'daily 00:00-24:00',
    TELEGRAM_BOT_TOKEN: FAKE_TOKEN,
    TELEGRAM_API_ROOT: fake.apiRoot,
    DEFAULT_LANG: 'en',
  });
  browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fake?.close();
});

async function logIn(username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${server.url}/console`);
  await page.click('[data-testid=lang-en]');
  await page.fill('[data-testid=login-username]', username);
  await page.fill('[data-testid=login-password]', PASSWORD);
  await page.click('[data-testid=login-submit]');
  await page.locator('[data-testid=take-next]').waitFor();
  return page;
}

let updateId = 500;
function telegram(text: string): void {
  updateId += 1;
  fake.pushUpdates({
    update_id: updateId,
    message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: { id: 4242, type: 'private' }, from: { id: 4242, is_bot: false, first_name: 'P', language_code: 'en' }, text },
  });
}
const sentToPerson = () => fake.delivered.filter((c) => c.method === 'sendMessage' && String(c.body['chat_id']) === '4242').map((c) => String(c.body['text']));

describe('counsellor console in Chromium', () => {
  it('two counsellors, a Telegram crisis at the top of the queue, a conversation both ways, close, the bot resumes', async () => {
    const noy = await logIn('noy');
    const kham = await logIn('kham');

    // Someone already waits with a lower priority (web chat: "talk to a counsellor").
    const session = '00000000-0000-4000-8000-00000000beef';
    const say = (body: object) =>
      fetch(`${server.url}/webchat/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session, lang: 'en', ...body }) });
    await say({ text: 'hi' });
    await say({ text: 'English' });
    await say({ text: '4' });
    await noy.locator('[data-testid=queue-item]').first().waitFor();

    // The crisis on Telegram goes to the top of both counsellors' queues.
    telegram('help they took my passport and locked the door');
    for (const page of [noy, kham]) {
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=queue-item]').length === 2);
      expect(await page.locator('[data-testid=queue-item]').first().getAttribute('class')).toContain('card-urgent');
    }

    await noy.click('[data-testid=take-next]');
    const transcript = noy.locator('[data-testid=case-transcript]');
    await transcript.waitFor();
    await kham.waitForFunction(() => document.querySelectorAll('[data-testid=queue-item]').length === 1);

    // The person writes; it appears live in the case.
    telegram('I am in a house near the river');
    await noy.locator('[data-testid=transcript-line][data-from=person]', { hasText: 'near the river' }).waitFor();

    // The counsellor writes back; it reaches the person's Telegram.
    await noy.fill('[data-testid=reply-box]', 'I am Noy, a counsellor. Are you safe to write now?');
    await noy.click('[data-testid=send-reply]');
    await waitFor(() => sentToPerson().includes('I am Noy, a counsellor. Are you safe to write now?'), 'the reply on Telegram');
    const botBefore = sentToPerson().length;

    // Close with an outcome: the bot comes back.
    await noy.selectOption('[data-testid=close-outcome]', 'referred');
    await noy.click('[data-testid=close-case]');
    await waitFor(() => sentToPerson().some((t) => t.includes('closed this chat')), 'the bot’s return');
    telegram('hello');
    await waitFor(() => sentToPerson().slice(botBefore).some((t) => t === 'What do you want to do?'), 'the bot answering again');
    await noy.screenshot({ path: 'tests/counsellor/last-console.png' }).catch(() => undefined);
  }, 60_000);
});

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
