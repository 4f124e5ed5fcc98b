// Long polling, for a laptop or a server without a public HTTPS address (no TELEGRAM_WEBHOOK_URL).
// Telegram keeps an update until a getUpdates call with a higher offset confirms it, so the offset moves past
// an update only after the inbox has stored it: a crash in between means Telegram sends it again, and the
// inbox's deduplication drops the copy.
import { setTimeout as sleep } from 'node:timers/promises';
import { GrammyError, type Api } from 'grammy';
import { personKey } from '../../conversation/service.ts';
import type { Inbox } from '../../delivery/types.ts';
import type { Metrics } from '../../http/metrics.ts';
import { pseudonym, type Logger } from '../../log.ts';
import { describe } from './sender.ts';
import { addMessageId } from './trail.ts';
import { ALLOWED_UPDATES, telegramUpdateSchema, updateToItem } from './update.ts';

export interface PollingOptions {
  api: Api;
  inbox: Inbox;
  log: Logger;
  metrics?: Metrics;
  now?: () => number;
  /** Puts the person's message id in the item's `meta.messageId`, for the sender's /hide trail. */
  recordMessageIds?: boolean;
}

export interface Polling {
  /** Ends the loop: an open getUpdates is cancelled, an update being stored is finished first. */
  stop(): Promise<void>;
}

/** Seconds Telegram holds a getUpdates open when there is nothing new. */
const LONG_POLL_SECONDS = 25;
const BACKOFF_START_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

/**
 * grammY types its signals with the `abort-controller` polyfill's class; at run time it accepts Node's own
 * AbortSignal (it checks for addEventListener, and node-fetch for the class name), so only the type differs.
 */
type GrammySignal = Parameters<Api['getUpdates']>[1];

export function startPolling(opts: PollingOptions): Polling {
  const { api, inbox, log, metrics, now = Date.now } = opts;
  const controller = new AbortController();
  const { signal } = controller;
  const apiSignal = signal as unknown as GrammySignal;

  const loop = async () => {
    let webhookDeleted = false;
    let offset: number | undefined;
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (!webhookDeleted) {
          // getUpdates is refused while a webhook is set. Pending updates are kept: they are people's messages.
          await api.deleteWebhook({ drop_pending_updates: false }, apiSignal);
          webhookDeleted = true;
          log.info('telegram: long polling started');
        }
        const updates = await api.getUpdates({ offset, timeout: LONG_POLL_SECONDS, allowed_updates: [...ALLOWED_UPDATES] }, apiSignal);
        for (const raw of updates) {
          const parsed = telegramUpdateSchema.safeParse(raw);
          if (!parsed.success) {
            // It would come back forever if not confirmed; it cannot be read, so it is dropped, and said so.
            log.warn('telegram: update not understood, skipped', { update: raw.update_id });
            metrics?.inc('hotline_telegram_updates_total', 'Telegram updates by outcome', { outcome: 'invalid' });
          } else {
            const mapped = updateToItem(parsed.data, now);
            const result = opts.recordMessageIds ? addMessageId(parsed.data, mapped) : mapped;
            if (result.kind === 'item') {
              const outcome = await inbox.accept(result.item, result.dedupeId);
              log.debug('telegram update accepted', { person: pseudonym(personKey(result.item.channel, result.item.userId)), outcome });
              metrics?.inc('hotline_telegram_updates_total', 'Telegram updates by outcome', { outcome });
            } else {
              metrics?.inc('hotline_telegram_updates_total', 'Telegram updates by outcome', { outcome: 'ignored' });
            }
          }
          // Only now: the next getUpdates with this offset tells Telegram it may forget the update.
          offset = raw.update_id + 1;
        }
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        failures += 1;
        const wait = retryAfterMs(error) ?? Math.min(BACKOFF_START_MS * 2 ** (failures - 1), BACKOFF_MAX_MS);
        log.warn('telegram: polling failed, waiting', { error: describe(error), waitMs: wait });
        try {
          await sleep(wait, undefined, { signal });
        } catch {
          break; // stopped while waiting
        }
      }
    }
  };

  const running = loop();
  return {
    async stop() {
      controller.abort();
      await running;
      log.info('telegram: long polling stopped');
    },
  };
}

function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof GrammyError) || error.error_code !== 429) return undefined;
  const after = error.parameters.retry_after;
  return after === undefined ? undefined : after * 1000;
}
