// One contract for every TelegramTrail (memory and Redis), and the message ids the webhook and the poller
// put in the inbox for it.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startPolling } from '../../../src/channels/telegram/polling.ts';
import { createTelegramApi } from '../../../src/channels/telegram/setup.ts';
import {
  addMessageId,
  MemoryTelegramTrail,
  messageIdOf,
  RedisTelegramTrail,
  TRAIL_MAX_IDS,
  TRAIL_WINDOW_MS,
  type TelegramTrail,
} from '../../../src/channels/telegram/trail.ts';
import { telegramUpdateSchema, updateToItem } from '../../../src/channels/telegram/update.ts';
import { telegramWebhookRoute } from '../../../src/channels/telegram/webhook.ts';
import { ShardedInbox } from '../../../src/delivery/inbox.ts';
import { MemoryInboxStore } from '../../../src/delivery/memory-inbox.ts';
import { inboxItemSchema, type InboxItem } from '../../../src/delivery/types.ts';
import { Metrics } from '../../../src/http/metrics.ts';
import { createHttpServer } from '../../../src/http/server.ts';
import { createLogger } from '../../../src/log.ts';
import { FakeTelegram } from '../../helpers/fake-telegram.ts';
import { connect, countKeys, deleteKeys, testPrefix } from '../../helpers/redis.ts';

const HOUR = 3_600_000;
const T0 = 1_760_000_000_000;
const redis = connect();
const prefixes: string[] = [];

function contract(name: string, make: () => TelegramTrail) {
  describe(`${name} Telegram trail`, () => {
    let trail: TelegramTrail;
    beforeEach(() => {
      trail = make();
    });

    it('gives back a chat’s ids oldest first, per chat', async () => {
      await trail.record('7012345678', 31, T0);
      await trail.record('7012345678', 1, T0 + 1_000);
      await trail.record('7012345678', 32, T0 + 2_000);
      await trail.record('7099999999', 77, T0 + 1_500);
      expect(await trail.recent('7012345678', T0 + 3_000)).toEqual([31, 1, 32]);
      expect(await trail.recent('7099999999', T0 + 3_000)).toEqual([77]);
      expect(await trail.recent('7000000000', T0 + 3_000)).toEqual([]);
    });

    it('keeps an id recorded twice once, at its latest time', async () => {
      await trail.record('1', 5, T0);
      await trail.record('1', 6, T0 + 10);
      await trail.record('1', 5, T0 + 20);
      expect(await trail.recent('1', T0 + 30)).toEqual([6, 5]);
    });

    it('gives nothing sent 48 h or more before now: Telegram would not delete it', async () => {
      await trail.record('2', 10, T0);
      await trail.record('2', 11, T0 + HOUR);
      expect(await trail.recent('2', T0 + TRAIL_WINDOW_MS - 1)).toEqual([10, 11]);
      expect(await trail.recent('2', T0 + TRAIL_WINDOW_MS)).toEqual([11]);
      expect(await trail.recent('2', T0 + HOUR + TRAIL_WINDOW_MS)).toEqual([]);
    });

    it('keeps nothing older than 48 h before the newest record', async () => {
      await trail.record('3', 20, T0);
      await trail.record('3', 21, T0 + 49 * HOUR);
      // Asked with an earlier clock, the old id would still be in the window: it must be gone, not filtered.
      expect(await trail.recent('3', T0 + 1)).toEqual([21]);
    });

    it(`keeps the newest ${TRAIL_MAX_IDS} ids of a chat`, async () => {
      const total = TRAIL_MAX_IDS + 20;
      for (let i = 1; i <= total; i++) await trail.record('4', i, T0 + i);
      const ids = await trail.recent('4', T0 + total + 1);
      expect(ids).toHaveLength(TRAIL_MAX_IDS);
      expect(ids[0]).toBe(21);
      expect(ids.at(-1)).toBe(total);
    });

    it('forgets a chat on clear, and only that chat', async () => {
      await trail.record('5', 1, T0);
      await trail.record('6', 2, T0);
      await trail.clear('5');
      await trail.clear('never-recorded');
      expect(await trail.recent('5', T0 + 1)).toEqual([]);
      expect(await trail.recent('6', T0 + 1)).toEqual([2]);
      await trail.record('5', 3, T0 + 2);
      expect(await trail.recent('5', T0 + 3)).toEqual([3]);
    });
  });
}

contract('memory', () => new MemoryTelegramTrail());
contract('redis', () => {
  const prefix = testPrefix('tg-trail');
  prefixes.push(prefix);
  return new RedisTelegramTrail(redis, prefix);
});

describe('RedisTelegramTrail keys', () => {
  it('keeps a sorted set per chat under the person’s hash tag, expiring 48 h after the last record', async () => {
    const prefix = testPrefix('tg-trail-key');
    prefixes.push(prefix);
    const trail = new RedisTelegramTrail(redis, prefix);
    await trail.record('7012345678', 31, Date.now());
    const key = `${prefix}{telegram:7012345678}:trail`;
    expect(trail.key('7012345678')).toBe(key);
    expect(await redis.type(key)).toBe('zset');
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(TRAIL_WINDOW_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(TRAIL_WINDOW_MS);
    await trail.clear('7012345678');
    expect(await countKeys(redis, prefix)).toBe(0);
  });
});

// Shaped like the Bot API's documented JSON.
const from = { id: 7012345678, is_bot: false, first_name: 'Noy', language_code: 'lo' };
const privateChat = { id: 7012345678, first_name: 'Noy', type: 'private' };
const textUpdate = (updateId: number, messageId: number, chat: Record<string, unknown> = privateChat) => ({
  update_id: updateId,
  message: { message_id: messageId, from, chat, date: 1_760_000_000, text: 'hello' },
});
const callbackUpdate = (updateId: number) => ({
  update_id: updateId,
  callback_query: { id: 'q1', from, chat_instance: '1', message: { message_id: 9, date: 1, chat: privateChat }, data: '2.yes' },
});

function mapped(raw: unknown) {
  const update = telegramUpdateSchema.parse(raw);
  return addMessageId(update, updateToItem(update, () => T0));
}

describe('addMessageId', () => {
  it('adds the message id of a private message to the item’s meta, as a valid inbox item', () => {
    const result = mapped(textUpdate(1, 31));
    if (result.kind !== 'item') throw new Error('expected an item');
    expect(result.item.meta).toEqual({ messageId: '31' });
    expect(inboxItemSchema.parse(result.item)).toEqual(result.item);
    expect(messageIdOf(result.item.meta)).toBe(31);
  });

  it('leaves a button press (the message is the bot’s), a group message and an ignored update as they were', () => {
    const press = mapped(callbackUpdate(3));
    expect(press.kind === 'item' && press.item.meta).toEqual({ callbackQueryId: 'q1' });
    const group = mapped(textUpdate(2, 40, { id: -100123, title: 'Jobs', type: 'supergroup' }));
    expect(group.kind === 'item' && group.item.meta).toBeUndefined();
    expect(mapped({ update_id: 4, edited_message: { message_id: 5 } })).toEqual({ kind: 'ignored' });
  });

  it('reads only plausible ids back', () => {
    expect(messageIdOf(undefined)).toBeUndefined();
    expect(messageIdOf({ messageId: 'x1' })).toBeUndefined();
    expect(messageIdOf({ messageId: '0' })).toBeUndefined();
    expect(messageIdOf({ messageId: '-3' })).toBeUndefined();
    expect(messageIdOf({ messageId: '12' })).toBe(12);
  });
});

describe('webhook and poller with recordMessageIds', () => {
  it('the webhook stores the message id in meta', async () => {
    const store = new MemoryInboxStore(1);
    const log = createLogger('silent');
    const secret = 'webhook-secret_0123456789';
    const route = telegramWebhookRoute({ inbox: new ShardedInbox(store), secret, log, metrics: new Metrics(), recordMessageIds: true });
    const server: Server = createHttpServer([route], log);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/telegram`;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
        body: JSON.stringify(textUpdate(11, 41)),
      });
      expect(res.status).toBe(200);
      const items = (await store.read(0, '0-0', 10, 0)).map((e) => JSON.parse(e.item) as InboxItem);
      expect(items).toEqual([expect.objectContaining({ text: 'hello', meta: { messageId: '41' } })]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('the poller stores the message id in meta', async () => {
    const fake = await FakeTelegram.start();
    const store = new MemoryInboxStore(1);
    const polling = startPolling({
      api: createTelegramApi(fake.token, fake.apiRoot),
      inbox: new ShardedInbox(store),
      log: createLogger('silent'),
      now: () => T0,
      recordMessageIds: true,
    });
    try {
      fake.pushUpdates(textUpdate(21, 51), callbackUpdate(22));
      await fake.waitForCall('getUpdates', (c) => c.body.offset === 23);
      const items = (await store.read(0, '0-0', 10, 0)).map((e) => JSON.parse(e.item) as InboxItem);
      expect(items.map((i) => i.meta)).toEqual([{ messageId: '51' }, { callbackQueryId: 'q1' }]);
    } finally {
      await polling.stop();
      await fake.close();
    }
  });
});

afterAll(async () => {
  for (const p of prefixes) await deleteKeys(redis, p);
  await redis.quit();
});
