import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { telegramWebhookRoute } from '../../../src/channels/telegram/webhook.ts';
import { ShardedInbox } from '../../../src/delivery/inbox.ts';
import { MemoryInboxStore } from '../../../src/delivery/memory-inbox.ts';
import type { InboxItem } from '../../../src/delivery/types.ts';
import { Metrics } from '../../../src/http/metrics.ts';
import { createHttpServer } from '../../../src/http/server.ts';
import { createLogger } from '../../../src/log.ts';

const SECRET = 'webhook-secret_0123456789';

let store: MemoryInboxStore;
let server: Server;
let url: string;
const logs: string[] = [];
let inboxDown = false;

beforeAll(async () => {
  const log = createLogger('debug', (line) => logs.push(line));
  // The route reads its inbox through this indirection so each test gets a fresh store.
  const inbox = {
    accept: (item: InboxItem, id: string) =>
      inboxDown ? Promise.reject(new Error('inbox unavailable')) : new ShardedInbox(store).accept(item, id),
  };
  server = createHttpServer([telegramWebhookRoute({ inbox, secret: SECRET, log, metrics: new Metrics(), now: () => 1_760_000_999_000 })], log);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/telegram`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  store = new MemoryInboxStore(1);
  inboxDown = false;
});

const update = (id: number, text = 'Is this job safe?') => ({
  update_id: id,
  message: {
    message_id: 40 + id,
    from: { id: 7012345678, is_bot: false, first_name: 'Noy', language_code: 'th' },
    chat: { id: 7012345678, first_name: 'Noy', type: 'private' },
    date: 1_760_000_000,
    text,
  },
});

/** `null` leaves a header out. */
function post(body: unknown, headers: Record<string, string | null> = {}) {
  const all = { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET, ...headers };
  return fetch(url, {
    method: 'POST',
    headers: Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== null)),
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function stored(): Promise<InboxItem[]> {
  const entries = await store.read(0, '0-0', 100, 0);
  return entries.map((e) => JSON.parse(e.item) as InboxItem);
}

describe('POST /webhooks/telegram', () => {
  it('stores a valid update once and answers 200 after it is stored', async () => {
    const res = await post(update(1));
    expect(res.status).toBe(200);
    expect(await stored()).toEqual([
      { channel: 'telegram', userId: '7012345678', text: 'Is this job safe?', langHint: 'th', at: 1_760_000_000_000 },
    ]);
  });

  it('stores a redelivered update_id only once, answering 200 both times', async () => {
    expect((await post(update(2))).status).toBe(200);
    expect((await post(update(2))).status).toBe(200);
    expect(await stored()).toHaveLength(1);
  });

  it.each([
    ['a wrong secret', { 'x-telegram-bot-api-secret-token': 'webhook-secret_0123456788' }],
    ['a secret of another length', { 'x-telegram-bot-api-secret-token': 'short' }],
    ['an empty secret', { 'x-telegram-bot-api-secret-token': '' }],
    ['no secret header', { 'x-telegram-bot-api-secret-token': null }],
  ])('refuses %s with 401 and stores nothing', async (_name, headers) => {
    const res = await post(update(3), headers);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toMatch(/secret/);
    expect(await stored()).toEqual([]);
  });

  it('answers 500 when the inbox cannot store the update, so Telegram sends it again', async () => {
    inboxDown = true;
    expect((await post(update(9))).status).toBe(500);
    inboxDown = false;
    expect((await post(update(9))).status).toBe(200);
    expect(await stored()).toHaveLength(1);
  });

  it('refuses malformed JSON with 400', async () => {
    const res = await post('{"update_id": 4, "message": ');
    expect(res.status).toBe(400);
    expect(await stored()).toEqual([]);
  });

  it('refuses JSON that is not an update with 400', async () => {
    expect((await post({ hello: 'world' })).status).toBe(400);
    expect(await stored()).toEqual([]);
  });

  it('refuses another content type with 415', async () => {
    const res = await post('update_id=5', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expect(await stored()).toEqual([]);
  });

  it('refuses a 5 MB body with 413', async () => {
    const res = await post(update(6, 'x'.repeat(5 * 1024 * 1024)));
    expect(res.status).toBe(413);
    expect(await stored()).toEqual([]);
  });

  it('answers an edited message 200 and stores nothing', async () => {
    const { message, ...rest } = update(7);
    const res = await post({ ...rest, edited_message: { ...message, edit_date: 1_760_000_100 } });
    expect(res.status).toBe(200);
    expect(await stored()).toEqual([]);
  });

  it('never logs what people wrote or their ids', async () => {
    await post(update(8, 'secret words from a person'));
    const all = logs.join('\n');
    expect(all).not.toContain('secret words');
    expect(all).not.toContain('7012345678');
  });
});
