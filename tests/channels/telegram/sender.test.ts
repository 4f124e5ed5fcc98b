import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TelegramSender, splitText } from '../../../src/channels/telegram/sender.ts';
import { createTelegramApi, registerWebhook } from '../../../src/channels/telegram/setup.ts';
import { PermanentSendError, RetryableSendError, type OutboxMessage } from '../../../src/delivery/types.ts';
import { createLogger } from '../../../src/log.ts';
import { FakeTelegram } from '../../helpers/fake-telegram.ts';

let fake: FakeTelegram;
let sender: TelegramSender;
const logs: string[] = [];

beforeAll(async () => {
  fake = await FakeTelegram.start();
  sender = new TelegramSender({ api: createTelegramApi(fake.token, fake.apiRoot), log: createLogger('debug', (l) => logs.push(l)) });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.calls.length = 0;
  logs.length = 0;
});

const entry = (extra: Partial<OutboxMessage> = {}): OutboxMessage => ({
  kind: 'message',
  channel: 'telegram',
  userId: '7012345678',
  lang: 'en',
  userAt: 1_760_000_000_000,
  from: 'bot',
  text: 'Does the employer keep your passport?',
  buttons: [],
  ...extra,
});

async function sendError(e: OutboxMessage): Promise<unknown> {
  try {
    await sender.send(e);
  } catch (error) {
    return error;
  }
  throw new Error('send did not fail');
}

describe('TelegramSender', () => {
  it('sends the text to the chat with one button a row as an inline keyboard', async () => {
    await sender.send(entry({ buttons: [{ payload: '4.yes', label: 'Yes' }, { payload: '4.no', label: 'No' }, { payload: 'go:help', label: '🆘 Get help now' }] }));
    expect(fake.calls).toEqual([
      {
        method: 'sendMessage',
        body: {
          chat_id: '7012345678',
          text: 'Does the employer keep your passport?',
          reply_markup: {
            inline_keyboard: [
              [{ text: 'Yes', callback_data: '4.yes' }],
              [{ text: 'No', callback_data: '4.no' }],
              [{ text: '🆘 Get help now', callback_data: 'go:help' }],
            ],
          },
        },
      },
    ]);
  });

  it('skips a button whose payload is over 64 bytes, logging it without the payload', async () => {
    const long = `4.${'ຍ'.repeat(30)}`; // 92 bytes in UTF-8, 32 characters
    await sender.send(entry({ buttons: [{ payload: long, label: 'Long' }, { payload: '4.ok', label: 'OK' }] }));
    expect(fake.calls[0]?.body.reply_markup).toEqual({ inline_keyboard: [[{ text: 'OK', callback_data: '4.ok' }]] });
    expect(logs.join('\n')).toMatch(/button skipped/);
    expect(logs.join('\n')).not.toContain('ຍ');
  });

  it('answers the callback query before the reply', async () => {
    await sender.send(entry({ meta: { callbackQueryId: 'q-77' } }));
    expect(fake.calls.map((c) => c.method)).toEqual(['answerCallbackQuery', 'sendMessage']);
    expect(fake.calls[0]?.body).toEqual({ callback_query_id: 'q-77' });
  });

  it('still sends the reply when the callback query is too old to answer', async () => {
    fake.fail('answerCallbackQuery', { error_code: 400, description: 'Bad Request: query is too old and response timeout expired or query ID is invalid' });
    await sender.send(entry({ meta: { callbackQueryId: 'q-old' } }));
    expect(fake.calls.map((c) => c.method)).toEqual(['answerCallbackQuery', 'sendMessage']);
  });

  it('splits a long text at line breaks into messages of at most 4096 characters, buttons on the last', async () => {
    const paragraph = `${'a'.repeat(1500)}\n`;
    const text = paragraph.repeat(5).trimEnd(); // 7504 characters
    await sender.send(entry({ text, buttons: [{ payload: '1.ok', label: 'OK' }] }));
    const sent = fake.callsOf('sendMessage');
    expect(sent).toHaveLength(3);
    const texts = sent.map((c) => String(c.body.text));
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(4096);
    expect(texts.join('\n')).toBe(text);
    expect(texts[0]).toBe(`${'a'.repeat(1500)}\n${'a'.repeat(1500)}`);
    expect(sent.slice(0, -1).every((c) => c.body.reply_markup === undefined)).toBe(true);
    expect(sent.at(-1)?.body.reply_markup).toEqual({ inline_keyboard: [[{ text: 'OK', callback_data: '1.ok' }]] });
  });

  it('splits a text without line breaks hard, never inside an emoji', () => {
    const chunks = splitText(`${'b'.repeat(4095)}😀${'c'.repeat(10)}`);
    expect(chunks).toEqual(['b'.repeat(4095), `😀${'c'.repeat(10)}`]);
  });

  it('maps 429 to a retryable error with Telegram’s retry_after', async () => {
    fake.fail('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 }, 2);
    for (let i = 0; i < 2; i++) {
      const error = await sendError(entry());
      expect(error).toBeInstanceOf(RetryableSendError);
      expect((error as RetryableSendError).retryAfterMs).toBe(1000);
    }
    await sender.send(entry());
    expect(fake.callsOf('sendMessage')).toHaveLength(3);
  });

  it('maps 500 to a retryable error', async () => {
    fake.fail('sendMessage', { error_code: 500 });
    const error = await sendError(entry());
    expect(error).toBeInstanceOf(RetryableSendError);
    expect((error as RetryableSendError).retryAfterMs).toBeUndefined();
  });

  it.each([
    [403, 'Forbidden: bot was blocked by the user'],
    [403, 'Forbidden: user is deactivated'],
    [400, 'Bad Request: chat not found'],
  ])('maps %i (%s) to a permanent error', async (code, description) => {
    fake.fail('sendMessage', { error_code: code, description });
    const error = await sendError(entry());
    expect(error).toBeInstanceOf(PermanentSendError);
    expect((error as Error).message).toContain(description);
  });

  it('maps a network failure to a retryable error that does not show the token', async () => {
    const down = await FakeTelegram.start();
    const root = down.apiRoot;
    await down.close();
    const offline = new TelegramSender({ api: createTelegramApi(down.token, root), log: createLogger('silent') });
    const error = await offline.send(entry()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RetryableSendError);
    expect((error as Error).message).not.toContain(down.token);
  });

  it('registers the webhook with the secret and the update kinds the bot reads', async () => {
    await registerWebhook(createTelegramApi(fake.token, `${fake.apiRoot}/`), 'https://bot.example.org/webhooks/telegram', 'secret_0123456789abcdef');
    expect(fake.calls).toEqual([
      {
        method: 'setWebhook',
        body: {
          url: 'https://bot.example.org/webhooks/telegram',
          secret_token: 'secret_0123456789abcdef',
          allowed_updates: ['message', 'callback_query'],
          drop_pending_updates: false,
        },
      },
    ]);
  });
});
