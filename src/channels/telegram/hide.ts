// /hide: deletes a private chat's recent messages, the person's and the bot's, so that someone looking at the
// phone finds nothing about the hotline. The sender then sends a neutral-looking text in their place.
import { GrammyError, type Api } from 'grammy';
import type { Logger } from '../../log.ts';
import { TRAIL_WINDOW_MS, type TelegramTrail } from './trail.ts';

/** The outbox entry meta that asks the sender to hide the chat first (`meta.hide === '1'`). */
export const HIDE_META = 'hide';
/** deleteMessages takes 1-100 ids a call (Bot API 7.0). */
export const DELETE_BATCH = 100;

export interface HideChatOptions {
  api: Api;
  /** Where the chat's recent message ids are; without one only `extraIds` are deleted. */
  trail: TelegramTrail | undefined;
  chatId: string;
  now: number;
  /** Ids to delete besides the trail's (the person's /hide message itself), already known to be < 48 h old. */
  extraIds?: number[];
  log: Logger;
  /** The person's pseudonym, for logs. */
  person: string;
}

export function wantsHide(meta: Record<string, string> | undefined): boolean {
  return meta?.[HIDE_META] === '1';
}

/**
 * Deletes the chat's messages of the last 48 h (the trail's, plus `extraIds`) in calls of up to 100 ids, then
 * clears the trail; returns the ids it asked Telegram to delete. A 4xx other than 429 (messages already gone,
 * too old, not deletable) is logged and passed over. A 429, 5xx, network or trail error is thrown as it is,
 * before the trail is cleared, so the caller may retry the whole hide: deleting a message twice is harmless.
 */
export async function hideChat(opts: HideChatOptions): Promise<number[]> {
  const { api, trail, chatId, now, log, person } = opts;
  if (!trail) log.warn('telegram: hide without a trail, only the hide message itself is deleted', { person });
  const fromTrail = trail ? await trail.recent(chatId, now) : [];
  const ids = [...new Set([...fromTrail, ...(opts.extraIds ?? [])])];
  for (let i = 0; i < ids.length; i += DELETE_BATCH) {
    const batch = ids.slice(i, i + DELETE_BATCH);
    try {
      await api.deleteMessages(chatId, batch);
    } catch (error) {
      if (!ignorable(error)) throw error;
      log.debug('telegram: some messages not deleted', { person, count: batch.length, error: `${error.error_code} ${error.description}` });
    }
  }
  await trail?.clear(chatId);
  log.info('telegram: chat hidden', { person, deleted: ids.length });
  return ids;
}

/** Telegram's "will stay that way" answers: nothing to retry, and the rest of the hide still matters. */
function ignorable(error: unknown): error is GrammyError {
  return error instanceof GrammyError && error.error_code >= 400 && error.error_code < 500 && error.error_code !== 429;
}

/** Ids recorded at `at` are deletable at `now` while younger than 48 h. */
export function stillDeletable(at: number, now: number): boolean {
  return at > now - TRAIL_WINDOW_MS;
}
