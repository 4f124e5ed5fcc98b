// Sends outbox messages to Telegram with grammY's Api. Every failure becomes RetryableSendError or
// PermanentSendError; the delivery worker decides when to retry, so no retry plugin is installed here.
import { GrammyError, HttpError, type Api } from 'grammy';
import type { InlineKeyboardButton } from 'grammy/types';
import { personKey } from '../../conversation/service.ts';
import { PermanentSendError, RetryableSendError, type OutboxMessage, type Sender } from '../../delivery/types.ts';
import { pseudonym, type Logger } from '../../log.ts';
import { hideChat, stillDeletable, wantsHide } from './hide.ts';
import { messageIdOf, type TelegramTrail } from './trail.ts';
import { TELEGRAM_CHANNEL } from './update.ts';

/** Telegram's limits: message text length, and callback_data in bytes. */
export const MAX_MESSAGE_LENGTH = 4096;
export const MAX_CALLBACK_DATA_BYTES = 64;

export interface TelegramSenderOptions {
  api: Api;
  log: Logger;
  /**
   * Where the chat's recent message ids go, for /hide: the person's (`meta.messageId`) and the bot's. Without
   * it nothing is recorded, and a hide deletes only the hide message itself.
   */
  trail?: TelegramTrail;
  /** The clock for recorded sends and for the hide's 48 h window. */
  now?: () => number;
}

export class TelegramSender implements Sender {
  readonly channel = TELEGRAM_CHANNEL;
  private readonly api: Api;
  private readonly log: Logger;
  private readonly trail: TelegramTrail | undefined;
  private readonly now: () => number;

  constructor(opts: TelegramSenderOptions) {
    this.api = opts.api;
    this.log = opts.log;
    this.trail = opts.trail;
    this.now = opts.now ?? Date.now;
  }

  async send(entry: OutboxMessage): Promise<void> {
    const person = pseudonym(personKey(entry.channel, entry.userId));
    const queryId = entry.meta?.callbackQueryId;
    if (queryId) {
      // Stops the spinner on the pressed button. A query older than a few minutes can no longer be answered;
      // that must not hold back the reply itself, so errors here are only logged.
      try {
        await this.api.answerCallbackQuery(queryId);
      } catch (error) {
        this.log.debug('telegram: callback query not answered', { person, error: describe(error) });
      }
    }

    if (wantsHide(entry.meta)) return this.hide(entry, person);

    const incoming = messageIdOf(entry.meta);
    if (incoming !== undefined) await this.record(entry.userId, incoming, entry.userAt, person);

    const keyboard = this.keyboard(entry, person);
    const chunks = splitText(entry.text);
    if (chunks.length === 0) throw new PermanentSendError('telegram: empty message text');
    for (const [i, chunk] of chunks.entries()) {
      const last = i === chunks.length - 1;
      let sentId: number;
      try {
        // No parse_mode: texts are sent as written, so a "<" or "_" in content can never break a message.
        const sent = await this.api.sendMessage(entry.userId, chunk, last && keyboard.length > 0 ? { reply_markup: { inline_keyboard: keyboard } } : {});
        sentId = sent.message_id;
      } catch (error) {
        throw toSendError(error);
      }
      await this.record(entry.userId, sentId, this.now(), person);
    }
  }

  /**
   * Deletes the chat's recent messages (the trail's and the hide message itself), then sends the entry's text
   * without buttons and without recording it: the neutral text stays through the next hide too.
   */
  private async hide(entry: OutboxMessage, person: string): Promise<void> {
    const now = this.now();
    const incoming = messageIdOf(entry.meta);
    const extraIds = incoming !== undefined && stillDeletable(entry.userAt, now) ? [incoming] : [];
    try {
      await hideChat({ api: this.api, trail: this.trail, chatId: entry.userId, now, extraIds, log: this.log, person });
    } catch (error) {
      throw toSendError(error);
    }
    for (const chunk of splitText(entry.text)) {
      try {
        await this.api.sendMessage(entry.userId, chunk, {});
      } catch (error) {
        throw toSendError(error);
      }
    }
  }

  /** A trail that cannot be written must not hold back a reply: logged, and the send goes on. */
  private async record(chatId: string, messageId: number, at: number, person: string): Promise<void> {
    if (!this.trail) return;
    try {
      await this.trail.record(chatId, messageId, at);
    } catch (error) {
      this.log.warn('telegram: message id not recorded for hide', { person, error: describe(error) });
    }
  }

  /** One button a row: labels in Lao and Thai are long, and a column is easiest to tap on a small phone. */
  private keyboard(entry: OutboxMessage, person: string): InlineKeyboardButton[][] {
    const rows: InlineKeyboardButton[][] = [];
    for (const button of entry.buttons) {
      const bytes = Buffer.byteLength(button.payload, 'utf8');
      if (bytes > MAX_CALLBACK_DATA_BYTES || bytes === 0) {
        // Telegram refuses the whole message for one bad button; the rest of the reply matters more.
        this.log.warn('telegram: button skipped, callback_data must be 1-64 bytes', { person, bytes });
        continue;
      }
      rows.push([{ text: button.label, callback_data: button.payload }]);
    }
    return rows;
  }
}

/**
 * Cuts a text into messages Telegram accepts: at the last line break that fits, else the last space, else
 * hard (never inside a surrogate pair). Lengths are UTF-16 units, which is never less than Telegram's count.
 */
export function splitText(text: string, max = MAX_MESSAGE_LENGTH): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = window.lastIndexOf('\n');
    if (cut <= 0) cut = window.lastIndexOf(' ');
    let skip = 1;
    if (cut <= 0) {
      cut = max;
      skip = 0;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    chunks.push(rest.slice(0, cut));
    rest = rest.slice(cut + skip);
  }
  chunks.push(rest);
  return chunks.filter((c) => c.trim().length > 0);
}

/** Maps grammY's errors to the worker's: 429 and 5xx and network trouble retry, other 4xx never will. */
export function toSendError(error: unknown): RetryableSendError | PermanentSendError {
  if (error instanceof GrammyError) {
    const message = `telegram ${error.method} ${error.error_code}: ${error.description}`;
    if (error.error_code === 429) {
      const after = error.parameters.retry_after;
      return new RetryableSendError(message, after === undefined ? undefined : after * 1000);
    }
    if (error.error_code >= 500) return new RetryableSendError(message);
    // 403: the person blocked the bot or deleted their account; 400: a bad request that will stay bad.
    return new PermanentSendError(message, error.error_code === 403);
  }
  if (error instanceof HttpError) return new RetryableSendError(`telegram: ${describe(error)}`);
  return new RetryableSendError(`telegram: ${describe(error)}`);
}

/**
 * An error for logs. grammY's HttpError message names only the method; the fetch error inside it would
 * quote the URL, which contains the bot token, so only its code (ECONNREFUSED, …) is added.
 */
export function describe(error: unknown): string {
  if (error instanceof HttpError) {
    const inner: unknown = error.error;
    const code = typeof inner === 'object' && inner !== null && 'code' in inner && typeof inner.code === 'string' ? inner.code : undefined;
    return code ? `${error.message} (${code})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
