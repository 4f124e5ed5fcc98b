// POST /webhooks/telegram: Telegram's webhook. An update is answered 200 only once it is in the inbox, so an
// update Telegram considers delivered is never lost; anything else gets a 4xx/5xx and Telegram sends it again.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { personKey } from '../../conversation/service.ts';
import type { Inbox } from '../../delivery/types.ts';
import type { Metrics } from '../../http/metrics.ts';
import { HttpError, json, type Route } from '../../http/server.ts';
import { pseudonym, type Logger } from '../../log.ts';
import { addMessageId } from './trail.ts';
import { telegramUpdateSchema, updateToItem, type TelegramUpdate } from './update.ts';

export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export interface TelegramWebhookOptions {
  inbox: Inbox;
  /** TELEGRAM_WEBHOOK_SECRET, also given to setWebhook as `secret_token`. */
  secret: string;
  log: Logger;
  metrics: Metrics;
  now?: () => number;
  /** Puts the person's message id in the item's `meta.messageId`, for the sender's /hide trail. */
  recordMessageIds?: boolean;
}

const METRIC = 'hotline_telegram_updates_total';
const METRIC_HELP = 'Telegram webhook requests by outcome';

export function telegramWebhookRoute(opts: TelegramWebhookOptions): Route {
  const { inbox, log, metrics, now = Date.now } = opts;
  const expected = digest(opts.secret);
  const count = (outcome: string) => metrics.inc(METRIC, METRIC_HELP, { outcome });

  return {
    method: 'POST',
    path: TELEGRAM_WEBHOOK_PATH,
    // Telegram's updates are small; 1 MiB leaves room for long texts with entities without inviting abuse.
    maxBody: 1024 * 1024,
    handler: async (req, body) => {
      // The secret comes first: whoever does not have it learns nothing about what else we check.
      if (!secretMatches(req, expected)) {
        count('unauthorized');
        log.warn('telegram webhook: wrong or missing secret token');
        throw new HttpError(401, 'wrong or missing secret token');
      }
      const update = parseUpdate(req, body);
      const mapped = updateToItem(update, now);
      const result = opts.recordMessageIds ? addMessageId(update, mapped) : mapped;
      if (result.kind === 'ignored') {
        count('ignored');
        return json(200, { ok: true });
      }
      // Durable before acknowledged: if this throws, the server answers 500 and Telegram retries.
      const outcome = await inbox.accept(result.item, result.dedupeId);
      count(outcome);
      log.debug('telegram update accepted', { person: pseudonym(personKey(result.item.channel, result.item.userId)), outcome });
      return json(200, { ok: true });
    },
  };
}

/** Both sides hashed to 32 bytes: timingSafeEqual needs equal lengths, and the length itself stays secret. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function secretMatches(req: IncomingMessage, expected: Buffer): boolean {
  const given = req.headers[SECRET_HEADER];
  if (typeof given !== 'string' || given.length === 0) return false;
  return timingSafeEqual(digest(given), expected);
}

function parseUpdate(req: IncomingMessage, body: Buffer): TelegramUpdate {
  const type = req.headers['content-type']?.toLowerCase() ?? '';
  if (!type.startsWith('application/json')) throw new HttpError(415, 'send application/json');
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
  const parsed = telegramUpdateSchema.safeParse(value);
  // The zod message names fields and expected types, never the values (which may be a person's text).
  if (!parsed.success) throw new HttpError(400, `not a Telegram update: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
