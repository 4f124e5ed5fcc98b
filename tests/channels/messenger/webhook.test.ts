import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messengerRoutes } from '../../../src/channels/messenger/webhook.ts';
import { UNSUPPORTED_PAYLOAD } from '../../../src/conversation/service.ts';
import { ShardedInbox } from '../../../src/delivery/inbox.ts';
import { MemoryInboxStore } from '../../../src/delivery/memory-inbox.ts';
import { inboxItemSchema, type Inbox, type InboxItem } from '../../../src/delivery/types.ts';
import { Metrics } from '../../../src/http/metrics.ts';
import { createHttpServer } from '../../../src/http/server.ts';
import { createLogger } from '../../../src/log.ts';

const APP_SECRET = 'app-secret-for-tests-0123456789';
const VERIFY_TOKEN = 'verify-token-for-tests';
const PAGE_ID = '104729381726354';
const USER_A = '7318462950183746';
const USER_B = '5928374610293847';
const T = 1_767_225_600_000;

let server: Server;
let url: string;
let store: MemoryInboxStore;
let metrics: Metrics;
let logLines: string[];

async function start(inbox: Inbox): Promise<void> {
  metrics = new Metrics();
  logLines = [];
  const log = createLogger('debug', (line) => logLines.push(line));
  server = createHttpServer(messengerRoutes({ inbox, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, log, metrics }), log);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/messenger`;
}

beforeEach(async () => {
  // One shard keeps every item in arrival order, so tests can compare lists.
  store = new MemoryInboxStore(1);
  await start(new ShardedInbox(store));
});

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
});

const sign = (raw: string | Uint8Array) => `sha256=${createHmac('sha256', APP_SECRET).update(raw).digest('hex')}`;

function post(raw: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(raw), ...headers },
    body: raw,
  });
}

async function stored(): Promise<InboxItem[]> {
  const entries = await store.read(0, '0-0', 1000, 0);
  return entries.map((e) => inboxItemSchema.parse(JSON.parse(e.item)));
}

const rejected = (reason: string) => metrics.get('hotline_webhook_rejected_total', { channel: 'messenger', reason });

// Events shaped like the examples in Meta's Messenger Platform webhook reference.
const textEvent = (mid: string, text: string, sender = USER_A, timestamp = T) => ({
  sender: { id: sender },
  recipient: { id: PAGE_ID },
  timestamp,
  message: { mid, text },
});
const batch = (...entries: unknown[][]) => ({
  object: 'page',
  entry: entries.map((messaging, i) => ({ id: PAGE_ID, time: T + i, messaging })),
});

describe('GET /webhooks/messenger (subscription handshake)', () => {
  const verify = (query: Record<string, string>) => fetch(`${url}?${new URLSearchParams(query)}`);

  it('answers the challenge as text when the verify token matches', async () => {
    const res = await verify({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1158201444' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toBe('1158201444');
  });

  it.each([
    ['a wrong token', { 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-token-for-testz', 'hub.challenge': '1' }],
    ['a longer token', { 'hub.mode': 'subscribe', 'hub.verify_token': `${VERIFY_TOKEN}x`, 'hub.challenge': '1' }],
    ['no token', { 'hub.mode': 'subscribe', 'hub.challenge': '1' }],
    ['another mode', { 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1' }],
  ])('refuses %s with 403', async (_name, query) => {
    const res = await verify(query);
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('1');
  });
});

describe('POST /webhooks/messenger', () => {
  const one = JSON.stringify(batch([textEvent('m_one', 'hello')]));

  it('stores a signed batch and answers EVENT_RECEIVED', async () => {
    const res = await post(one);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('EVENT_RECEIVED');
    expect(await stored()).toEqual([{ channel: 'messenger', userId: USER_A, text: 'hello', at: T }]);
  });

  it.each([
    ['no signature', { 'x-hub-signature-256': '' }],
    ['a signature made with another secret', { 'x-hub-signature-256': `sha256=${createHmac('sha256', 'other-secret').update(one).digest('hex')}` }],
    ['the old SHA1 header only', { 'x-hub-signature-256': '', 'x-hub-signature': `sha1=${createHmac('sha1', APP_SECRET).update(one).digest('hex')}` }],
    ['a truncated signature', { 'x-hub-signature-256': sign(one).slice(0, -2) }],
    ['a signature without its prefix', { 'x-hub-signature-256': sign(one).slice('sha256='.length) }],
  ])('refuses %s with 403 and stores nothing', async (_name, headers) => {
    const res = await post(one, headers);
    expect(res.status).toBe(403);
    expect(await stored()).toEqual([]);
    expect(rejected('signature')).toBe(1);
  });

  it('checks the signature on the raw bytes: the same JSON serialised differently fails', async () => {
    // Meta escapes non-ASCII text as \uXXXX; re-serialising writes the characters themselves.
    const raw = `{"object":"page","entry":[{"id":"${PAGE_ID}","time":${T},"messaging":[{"sender":{"id":"${USER_A}"},"recipient":{"id":"${PAGE_ID}"},"timestamp":${T},"message":{"mid":"m_lao","text":"\\u0eaa\\u0eb0\\u0e9a\\u0eb2\\u0e8d\\u0e94\\u0eb5"}}]}]}`;
    const reserialised = JSON.stringify(JSON.parse(raw));
    expect(reserialised).not.toBe(raw);

    const bad = await post(raw, { 'x-hub-signature-256': sign(reserialised) });
    expect(bad.status).toBe(403);
    expect(await stored()).toEqual([]);

    const good = await post(raw);
    expect(good.status).toBe(200);
    expect((await stored()).map((i) => i.text)).toEqual(['ສະບາຍດີ']);
  });

  it('refuses a body that is not JSON by its content type with 415', async () => {
    const res = await post(one, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expect(await stored()).toEqual([]);
  });

  it.each([
    ['malformed JSON', '{"object":"page","entry":['],
    ['another object type', JSON.stringify({ object: 'instagram', entry: [] })],
    ['no entry list', JSON.stringify({ object: 'page' })],
  ])('refuses %s with 400', async (_name, raw) => {
    const res = await post(raw);
    expect(res.status).toBe(400);
    expect(await stored()).toEqual([]);
  });

  it('refuses a 5 MB body with 413', async () => {
    const res = await post(new Uint8Array(5 * 1024 * 1024).fill(97));
    expect(res.status).toBe(413);
    expect(await stored()).toEqual([]);
  });

  it('stores what people said, ignores receipts and echoes, and skips an invalid event', async () => {
    const raw = JSON.stringify(
      batch(
        [
          textEvent('m_text', 'Is this job offer safe?', USER_A, T),
          // Our own reply, echoed back to the page.
          { sender: { id: PAGE_ID }, recipient: { id: USER_A }, timestamp: T + 1, message: { mid: 'm_echo', is_echo: true, app_id: 1517776481860111, text: 'bot says' } },
          { sender: { id: USER_A }, recipient: { id: PAGE_ID }, timestamp: T + 2, read: { watermark: T + 1 } },
          { sender: { id: USER_A }, recipient: { id: PAGE_ID }, timestamp: T + 3, message: { mid: 'm_qr', text: '1. 🏠 Menu', quick_reply: { payload: 'go:menu' } } },
          // Invalid: the timestamp is not a number.
          { sender: { id: USER_B }, recipient: { id: PAGE_ID }, timestamp: 'yesterday', message: { mid: 'm_bad', text: 'private words' } },
        ],
        [
          // Delivery receipts come without a timestamp.
          { sender: { id: USER_B }, recipient: { id: PAGE_ID }, delivery: { mids: ['m_echo'], watermark: T } },
          { sender: { id: USER_B }, recipient: { id: PAGE_ID }, timestamp: T + 4, postback: { title: 'Get Started', payload: 'go:start', mid: 'm_postback' } },
          {
            sender: { id: USER_B },
            recipient: { id: PAGE_ID },
            timestamp: T + 5,
            message: { mid: 'm_image', attachments: [{ type: 'image', payload: { url: 'https://scontent.xx.fbcdn.net/v/photo.jpg' } }] },
          },
          { sender: { id: USER_B }, recipient: { id: PAGE_ID }, timestamp: T + 6, message: { mid: 'm_sticker', sticker_id: 369239263222822, attachments: [{ type: 'image', payload: { url: 'https://scontent.xx.fbcdn.net/v/sticker.png', sticker_id: 369239263222822 } }] } },
        ],
      ),
    );
    const res = await post(raw);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('EVENT_RECEIVED');
    expect(await stored()).toEqual([
      { channel: 'messenger', userId: USER_A, text: 'Is this job offer safe?', at: T },
      { channel: 'messenger', userId: USER_A, payload: 'go:menu', at: T + 3 },
      { channel: 'messenger', userId: USER_B, payload: 'go:start', at: T + 4 },
      { channel: 'messenger', userId: USER_B, payload: UNSUPPORTED_PAYLOAD, at: T + 5 },
      { channel: 'messenger', userId: USER_B, payload: UNSUPPORTED_PAYLOAD, at: T + 6 },
    ]);
    expect(rejected('invalid_event')).toBe(1);
    expect(metrics.get('hotline_webhook_events_total', { channel: 'messenger', outcome: 'ignored' })).toBe(3);
    // The skip is logged, but without the person's id or words.
    const logs = logLines.join('');
    expect(logs).toContain('messenger event skipped');
    for (const secret of [USER_A, USER_B, 'private words', 'Is this job offer safe?']) expect(logs).not.toContain(secret);
  });

  it('stores a redelivered message once (by its mid), also a postback without a mid', async () => {
    const postback = { sender: { id: USER_A }, recipient: { id: PAGE_ID }, timestamp: T + 1, postback: { title: 'Menu', payload: 'go:menu' } };
    const raw = JSON.stringify(batch([textEvent('m_same', 'hello'), textEvent('m_same', 'hello'), postback]));
    expect((await post(raw)).status).toBe(200);
    expect((await post(raw)).status).toBe(200);
    expect(await stored()).toEqual([
      { channel: 'messenger', userId: USER_A, text: 'hello', at: T },
      { channel: 'messenger', userId: USER_A, payload: 'go:menu', at: T + 1 },
    ]);
    expect(metrics.get('hotline_webhook_events_total', { channel: 'messenger', outcome: 'duplicate' })).toBe(4);
  });
});

describe('POST /webhooks/messenger when the inbox cannot store', () => {
  // The one stand-in in this file: an inbox that is down (Redis unreachable). Meta must not get a 200.
  beforeEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await start({ accept: () => Promise.reject(new Error('inbox unavailable')) });
  });

  it('answers 500, so Meta delivers the batch again later', async () => {
    const res = await post(JSON.stringify(batch([textEvent('m_lost', 'hello')])));
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('EVENT_RECEIVED');
  });
});
