// /hide against the fake Telegram server: the sender records both sides of the chat in the trail, and a hide
// entry deletes exactly those of the last 48 h, then leaves a neutral message that the next hide leaves too.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TelegramSender } from '../../../src/channels/telegram/sender.ts';
import { createTelegramApi } from '../../../src/channels/telegram/setup.ts';
import { MemoryTelegramTrail, RedisTelegramTrail, type TelegramTrail } from '../../../src/channels/telegram/trail.ts';
import { RetryableSendError, type OutboxMessage } from '../../../src/delivery/types.ts';
import { createLogger } from '../../../src/log.ts';
import { FakeTelegram } from '../../helpers/fake-telegram.ts';
import { connect, deleteKeys, testPrefix } from '../../helpers/redis.ts';

const CHAT = '7012345678';
const HOUR = 3_600_000;
const T0 = 1_760_000_000_000;
const NEUTRAL = 'Vientiane today: 31°C, light rain in the afternoon';
const redis = connect();
const prefixes: string[] = [];

const entry = (extra: Partial<OutboxMessage> = {}): OutboxMessage => ({
  kind: 'message',
  channel: 'telegram',
  userId: CHAT,
  lang: 'en',
  userAt: T0,
  from: 'bot',
  text: 'Does the employer keep your passport?',
  buttons: [],
  ...extra,
});

const hideEntry = (messageId: number, at: number, extra: Partial<OutboxMessage> = {}) =>
  entry({ userAt: at, text: NEUTRAL, buttons: [{ payload: 'go:menu', label: 'Menu' }], meta: { messageId: String(messageId), hide: '1' }, ...extra });

let fake: FakeTelegram;
let clock: number;
let logs: string[];
beforeEach(async () => {
  fake = await FakeTelegram.start(); // fresh per test: the bot's message ids start at 1
  clock = T0;
  logs = [];
});
afterEach(() => fake.close());
afterAll(async () => {
  for (const p of prefixes) await deleteKeys(redis, p);
  await redis.quit();
});

function makeSender(trail: TelegramTrail | undefined): TelegramSender {
  return new TelegramSender({
    api: createTelegramApi(fake.token, fake.apiRoot),
    log: createLogger('debug', (l) => logs.push(l)),
    ...(trail ? { trail } : {}),
    now: () => clock,
  });
}

const deleteCalls = () => fake.callsOf('deleteMessages').map((c) => c.body);

const trails: [string, () => TelegramTrail][] = [
  ['memory', () => new MemoryTelegramTrail()],
  [
    'redis',
    () => {
      const prefix = testPrefix('tg-hide');
      prefixes.push(prefix);
      return new RedisTelegramTrail(redis, prefix);
    },
  ],
];

describe.each(trails)('hiding a chat, %s trail', (_name, makeTrail) => {
  let trail: TelegramTrail;
  let sender: TelegramSender;
  beforeEach(() => {
    trail = makeTrail();
    sender = makeSender(trail);
  });

  /** Person: 501 just before T0, 601 just before T0 + 47 h, then a button. Bot: 1 at T0, 2 and 3 at T0 + 47 h. */
  async function conversation(): Promise<void> {
    await sender.send(entry({ text: 'Welcome', meta: { messageId: '501' }, userAt: T0 - 1_000 }));
    clock = T0 + 47 * HOUR;
    await sender.send(entry({ text: 'Is this job safe?', meta: { messageId: '601' }, userAt: clock - 1_000 }));
    await sender.send(entry({ text: 'Question 2', meta: { callbackQueryId: 'q-1' }, userAt: clock - 500 }));
  }

  it('records both sides of the chat, one id for every message sent', async () => {
    await sender.send(entry({ text: `${'a'.repeat(3000)}\n${'b'.repeat(3000)}`, meta: { messageId: '501' }, userAt: T0 - 1_000 }));
    expect(await trail.recent(CHAT, clock)).toEqual([501, 1, 2]);
  });

  it('deletes exactly the recorded ids of the last 48 h, both sides, then sends the neutral text without buttons', async () => {
    await conversation();
    clock = T0 + 48 * HOUR + 60_000;
    await sender.send(hideEntry(602, clock));

    // 501 and 1 are older than 48 h: Telegram would refuse them, so they are not asked for.
    expect(deleteCalls()).toEqual([{ chat_id: CHAT, message_ids: [601, 2, 3, 602] }]);
    expect(fake.calls.map((c) => c.method)).toEqual([
      'sendMessage', 'sendMessage', 'answerCallbackQuery', 'sendMessage', 'deleteMessages', 'sendMessage',
    ]);
    expect(fake.calls.at(-1)).toEqual({ method: 'sendMessage', body: { chat_id: CHAT, text: NEUTRAL } });
    expect(await trail.recent(CHAT, clock)).toEqual([]);

    // What is left of the chat within Telegram's reach: the neutral message (id 4) alone.
    const all = [501, 1, 601, 2, 3, 602, 4];
    const deleted = new Set(fake.deleted.get(CHAT));
    expect(all.filter((id) => !deleted.has(id) && ![501, 1].includes(id))).toEqual([4]);
  });

  it('leaves the neutral message through the next hide', async () => {
    await conversation();
    await sender.send(hideEntry(602, clock));
    clock += 60_000;
    await sender.send(hideEntry(603, clock));
    expect(deleteCalls()).toEqual([
      { chat_id: CHAT, message_ids: [501, 1, 601, 2, 3, 602] },
      { chat_id: CHAT, message_ids: [603] },
    ]);
    expect(fake.callsOf('sendMessage').slice(-2).map((c) => c.body.text)).toEqual([NEUTRAL, NEUTRAL]);
  });

  it('deletes in calls of at most 100 ids', async () => {
    for (let i = 0; i < 250; i++) await trail.record(CHAT, 1000 + i, T0 + i);
    clock = T0 + HOUR;
    await sender.send(hideEntry(2000, clock));
    const calls = deleteCalls().map((b) => b.message_ids as number[]);
    expect(calls.map((ids) => ids.length)).toEqual([100, 100, 51]);
    expect(calls.flat()).toEqual([...Array.from({ length: 250 }, (_, i) => 1000 + i), 2000]);
  });

  it('passes over messages Telegram will not delete, and still hides', async () => {
    await conversation();
    fake.fail('deleteMessages', { error_code: 400, description: 'Bad Request: message can\'t be deleted' });
    await sender.send(hideEntry(602, clock));
    expect(fake.calls.at(-1)?.body.text).toBe(NEUTRAL);
    expect(await trail.recent(CHAT, clock)).toEqual([]);
  });

  it('keeps the trail and sends nothing when Telegram asks to wait, so the retry deletes the same ids', async () => {
    await conversation();
    fake.fail('deleteMessages', { error_code: 429, retry_after: 3 });
    const error = await sender.send(hideEntry(602, clock)).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableSendError);
    expect((error as RetryableSendError).retryAfterMs).toBe(3000);
    expect(fake.calls.at(-1)?.method).toBe('deleteMessages');
    expect(await trail.recent(CHAT, clock)).toEqual([501, 1, 601, 2, 3]);

    await sender.send(hideEntry(602, clock));
    expect(deleteCalls().at(-1)).toEqual({ chat_id: CHAT, message_ids: [501, 1, 601, 2, 3, 602] });
    expect(fake.calls.at(-1)?.body.text).toBe(NEUTRAL);
  });

  it('answers the pressed button first when the hide came from one', async () => {
    await conversation();
    await sender.send(entry({ userAt: clock, text: NEUTRAL, meta: { callbackQueryId: 'q-hide', hide: '1' } }));
    expect(fake.calls.slice(-3).map((c) => c.method)).toEqual(['answerCallbackQuery', 'deleteMessages', 'sendMessage']);
    expect(deleteCalls()).toEqual([{ chat_id: CHAT, message_ids: [501, 1, 601, 2, 3] }]);
  });
});

describe('hiding and recording, edge cases', () => {
  it('without a trail deletes only the hide message itself, and warns', async () => {
    const sender = makeSender(undefined);
    await sender.send(entry({ meta: { messageId: '501' } }));
    await sender.send(hideEntry(502, clock));
    expect(deleteCalls()).toEqual([{ chat_id: CHAT, message_ids: [502] }]);
    expect(logs.join('\n')).toMatch(/hide without a trail/);
  });

  it('does not ask for a hide message older than 48 h, and sends nothing to delete when there is nothing', async () => {
    const sender = makeSender(new MemoryTelegramTrail());
    clock = T0 + 49 * HOUR;
    await sender.send(hideEntry(502, T0));
    expect(deleteCalls()).toEqual([]);
    expect(fake.calls.map((c) => c.method)).toEqual(['sendMessage']);
  });

  it('sends the reply when the trail cannot be written, logging without text or ids', async () => {
    const broken: TelegramTrail = {
      record: () => Promise.reject(new Error('redis down')),
      recent: () => Promise.resolve([]),
      clear: () => Promise.resolve(),
    };
    await makeSender(broken).send(entry({ meta: { messageId: '501' } }));
    expect(fake.callsOf('sendMessage')).toHaveLength(1);
    const text = logs.join('\n');
    expect(text).toMatch(/not recorded for hide/);
    expect(text).not.toContain('passport');
    expect(text).not.toContain(CHAT);
  });

  it('retries the hide when the trail cannot be read, before deleting or sending anything', async () => {
    const unreadable: TelegramTrail = {
      record: () => Promise.resolve(),
      recent: () => Promise.reject(new Error('redis down')),
      clear: () => Promise.resolve(),
    };
    const error = await makeSender(unreadable).send(hideEntry(502, clock)).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableSendError);
    expect(fake.calls).toEqual([]);
  });
});
