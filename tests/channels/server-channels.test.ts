// Telegram and Messenger through the whole server as main.ts wires it: webhook → inbox → worker →
// platform, with the platforms faked at their HTTP boundary and Redis real.
import { createHmac } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.ts';
import { FAKE_TOKEN, FakeTelegram } from '../helpers/fake-telegram.ts';
import { startFakeGraph } from '../helpers/fake-graph.ts';
import { connect, countKeys, deleteKeys, REDIS_URL, testPrefix } from '../helpers/redis.ts';
import { content } from '../helpers/service.ts';

const redis = connect();
const prefixes: string[] = [];
const t = (lang: string, key: string) => content().t(lang, key);

async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function prefix(name: string): string {
  const p = testPrefix(name);
  prefixes.push(p);
  return p;
}

describe('Telegram through the server', () => {
  it('with only a token and TELEGRAM_API_ROOT, long-polls and answers /start in the person’s language', async () => {
    const fake = await FakeTelegram.start();
    const server = await startTestServer({ TELEGRAM_BOT_TOKEN: FAKE_TOKEN, TELEGRAM_API_ROOT: fake.apiRoot, REDIS_URL, REDIS_PREFIX: prefix('tg-poll') });
    fake.pushUpdates({
      update_id: 1,
      message: { message_id: 1, date: 1_763_800_000, chat: { id: 42, type: 'private' }, from: { id: 42, is_bot: false, first_name: 'N', language_code: 'th' }, text: '/start' },
    });
    const sent = await fake.waitForCall('sendMessage');
    expect(String(sent.body['chat_id'])).toBe('42');
    expect(String(sent.body['text'])).toContain(t('th', 'start.welcome'));
    const keyboard = sent.body['reply_markup'] as { inline_keyboard: { text: string; callback_data: string }[][] };
    expect(keyboard.inline_keyboard.map((row) => row[0]?.text)).toEqual(['ລາວ', 'ไทย', 'English']);
    expect(fake.callsOf('deleteWebhook')).toHaveLength(1);

    // Pressing a button: the callback query is answered and the flow goes on in the chosen language.
    fake.pushUpdates({
      update_id: 2,
      callback_query: {
        id: 'cq-1',
        from: { id: 42, is_bot: false, first_name: 'N', language_code: 'th' },
        chat_instance: '1',
        data: keyboard.inline_keyboard[0]?.[0]?.callback_data,
        message: { message_id: 9, date: 1_763_800_000, chat: { id: 42, type: 'private' } },
      },
    });
    const next = await fake.waitForCall('sendMessage', (c) => String(c.body['text']).includes(t('lo', 'menu.ask')));
    expect(String(next.body['chat_id'])).toBe('42');
    expect(fake.callsOf('answerCallbackQuery')[0]?.body['callback_query_id']).toBe('cq-1');
    await server.close();
    await fake.close();
  });

  it('in webhook mode registers the webhook with its secret, and a wrong secret changes nothing', async () => {
    const fake = await FakeTelegram.start();
    const p = prefix('tg-hook');
    const secret = 'webhook-secret-0123456789';
    const server = await startTestServer({
      TELEGRAM_BOT_TOKEN: FAKE_TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_WEBHOOK_URL: 'https://hotline.example.org/webhooks/telegram',
      TELEGRAM_WEBHOOK_SECRET: secret,
      REDIS_URL,
      REDIS_PREFIX: p,
    });
    expect(fake.callsOf('setWebhook')[0]?.body).toMatchObject({ url: 'https://hotline.example.org/webhooks/telegram', secret_token: secret });
    const before = await countKeys(redis, p);
    const update = { update_id: 7, message: { message_id: 7, date: 1, chat: { id: 9, type: 'private' }, text: 'hi' } };
    const wrong = await fetch(`${server.url}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'nope' },
      body: JSON.stringify(update),
    });
    expect(wrong.status).toBe(401);
    expect(await countKeys(redis, p)).toBe(before);
    // Telegram is flooded: the first send answers 429 with retry_after 1; the worker waits and sends once.
    fake.fail('sendMessage', { error_code: 429, retry_after: 1 });
    const right = await fetch(`${server.url}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: JSON.stringify(update),
    });
    expect(right.status).toBe(200);
    await until(() => (fake.delivered.some((c) => c.method === 'sendMessage') ? true : undefined), 'the retried send');
    expect(fake.callsOf('sendMessage')).toHaveLength(2);
    expect(fake.delivered.filter((c) => c.method === 'sendMessage')).toHaveLength(1);
    expect(server.metrics.get('hotline_outbound_retries_total', { channel: 'telegram' })).toBe(1);
    await server.close();
    await fake.close();
  });
});

describe('Telegram safety through the server', () => {
  it('sets the neutral bot name, and /hide deletes the chat on both sides leaving one harmless line', async () => {
    const fake = await FakeTelegram.start();
    const hidePrefix = prefix('tg-hide');
    const server = await startTestServer({
      TELEGRAM_BOT_TOKEN: FAKE_TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_NEUTRAL_NAME: 'Weather Tips',
      REDIS_URL,
      REDIS_PREFIX: hidePrefix,
    });
    expect(fake.callsOf('setMyName')[0]?.body['name']).toBe('Weather Tips');
    let id = 0;
    const write = (text: string) =>
      fake.pushUpdates({
        update_id: ++id,
        message: { message_id: 100 + id, date: Math.floor(Date.now() / 1000), chat: { id: 77, type: 'private' }, from: { id: 77, is_bot: false, first_name: 'P', language_code: 'en' }, text },
      });
    write('hi');
    await fake.waitForCall('sendMessage', (c) => String(c.body['text']).includes('Hello!'));
    write('English');
    await fake.waitForCall('sendMessage', (c) => String(c.body['text']).includes('What do you want to do?'));
    write('/hide');
    const deleted = await fake.waitForCall('deleteMessages');
    const ids = (deleted.body['message_ids'] as number[]).slice().sort((a, b) => a - b);
    // The person's three messages (101–103) and the bot's replies are gone.
    expect(ids).toEqual(expect.arrayContaining([101, 102, 103]));
    expect(ids.length).toBeGreaterThanOrEqual(5);
    const last = await fake.waitForCall('sendMessage', (c) => String(c.body['text']) === 'OK, thank you 🙂');
    expect(last.body['reply_markup']).toBeUndefined();
    // /forget deletes the trail of message ids too.
    write('hello again');
    await fake.waitForCall('sendMessage', (c) => String(c.body['text']).includes('What do you want to do?') && fake.callsOf('sendMessage').indexOf(c) > fake.callsOf('sendMessage').indexOf(last));
    const trailKey = `${hidePrefix}{telegram:77}:trail`;
    expect(await redis.exists(trailKey)).toBe(1);
    fake.pushUpdates({
      update_id: ++id,
      callback_query: { id: 'cq-forget', from: { id: 77, is_bot: false, first_name: 'P' }, chat_instance: '1', data: 'forget:yes', message: { message_id: 1, date: 1, chat: { id: 77, type: 'private' } } },
    });
    await fake.waitForCall('sendMessage', (c) => String(c.body['text']).startsWith('Done. Everything we kept about you is deleted.'));
    expect(await redis.exists(trailKey)).toBe(0);
    await server.close();
    await fake.close();
  });
});

describe('Messenger through the server', () => {
  it('verifies the webhook, takes a signed message and answers through the Send API within the window', async () => {
    const graph = await startFakeGraph();
    const appSecret = 'app-secret-0123456789';
    const server = await startTestServer({
      MESSENGER_PAGE_TOKEN: 'page-token-0123456789',
      MESSENGER_APP_SECRET: appSecret,
      MESSENGER_VERIFY_TOKEN: 'verify-token-0123',
      MESSENGER_GRAPH_URL: graph.url,
      REDIS_URL,
      REDIS_PREFIX: prefix('fb'),
    });
    const challenge = await fetch(`${server.url}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=verify-token-0123&hub.challenge=31337`);
    expect(challenge.status).toBe(200);
    expect(await challenge.text()).toBe('31337');
    expect((await fetch(`${server.url}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`)).status).toBe(403);

    const body = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: 'PAGE',
          time: Date.now(),
          messaging: [
            { sender: { id: 'PSID-1' }, recipient: { id: 'PAGE' }, timestamp: Date.now(), message: { mid: 'm_1', text: 'ช่วยด้วย' } },
          ],
        },
      ],
    });
    const unsigned = await fetch(`${server.url}/webhooks/messenger`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(unsigned.status).toBe(403);
    const signature = `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
    const signed = await fetch(`${server.url}/webhooks/messenger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      body,
    });
    expect(signed.status).toBe(200);
    const call = await until(() => graph.calls.find((c) => c.path.endsWith('/me/messages')), 'a Send API call');
    expect(call.body).toMatchObject({ recipient: { id: 'PSID-1' }, messaging_type: 'RESPONSE' });
    expect(JSON.stringify(call.body)).toContain('1300');
    await server.close();
    await graph.close();
  });
});

afterAll(async () => {
  for (const p of prefixes) await deleteKeys(redis, p);
  await redis.quit();
});
