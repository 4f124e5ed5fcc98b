// The ids of a Telegram chat's recent messages, both the person's and the bot's, so that /hide can delete
// them. Telegram lets a bot delete messages of a private chat for 48 hours only, so nothing older is kept:
// the trail holds message ids and times, never text.
import type { Redis } from 'ioredis';
import { runScript } from '../../store/scripts.ts';
import type { TelegramUpdate, UpdateResult } from './update.ts';

/** How long Telegram lets a bot delete a message of a private chat, and so how long the trail keeps one. */
export const TRAIL_WINDOW_MS = 48 * 3_600_000;
/** At most this many ids a chat (the newest). */
export const TRAIL_MAX_IDS = 500;
/** The inbox item's (and so the outbox entry's) meta key for the id of the person's incoming message. */
export const MESSAGE_ID_META = 'messageId';

export interface TelegramTrail {
  /** Remembers one message of the chat, sent (by either side) at `at` (ms). */
  record(chatId: string, messageId: number, at: number): Promise<void>;
  /** The ids still deletable at `now`: sent less than 48 h before it, oldest first. */
  recent(chatId: string, now: number): Promise<number[]>;
  clear(chatId: string): Promise<void>;
}

/**
 * Adds the person's message id to the item's meta (`meta.messageId`), for private chats only: the sender
 * records it in the trail. Used by the webhook and the poller on the result of `updateToItem`.
 */
export function addMessageId(update: TelegramUpdate, result: UpdateResult): UpdateResult {
  const message = update.message;
  if (result.kind !== 'item' || !message || message.chat.type !== 'private') return result;
  return { ...result, item: { ...result.item, meta: { ...result.item.meta, [MESSAGE_ID_META]: String(message.message_id) } } };
}

/** The incoming message id an outbox entry carries, if any. */
export function messageIdOf(meta: Record<string, string> | undefined): number | undefined {
  const raw = meta?.[MESSAGE_ID_META];
  if (raw === undefined || !/^\d{1,15}$/.test(raw)) return undefined;
  const id = Number(raw);
  return id > 0 ? id : undefined;
}

/**
 * One sorted set a chat, `${prefix}{telegram:<chatId>}:trail` (the person's hash tag, as their session), score =
 * time. Every record trims it to the 48 h before that record and to the newest 500, and (re)sets a 48 h TTL.
 */
// One command instead of a four-command transaction: the trail is written twice per message.
const RECORD = `
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

export class RedisTelegramTrail implements TelegramTrail {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.redis = redis;
    this.prefix = prefix;
  }

  key(chatId: string): string {
    return `${this.prefix}{telegram:${chatId}}:trail`;
  }

  async record(chatId: string, messageId: number, at: number): Promise<void> {
    await runScript(this.redis, RECORD, [this.key(chatId)], [at, String(messageId), at - TRAIL_WINDOW_MS, -(TRAIL_MAX_IDS + 1), TRAIL_WINDOW_MS]);
  }

  async recent(chatId: string, now: number): Promise<number[]> {
    const flat = await this.redis.zrangebyscore(this.key(chatId), `(${now - TRAIL_WINDOW_MS}`, '+inf', 'WITHSCORES');
    const entries: { id: number; at: number }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const id = Number(flat[i]);
      if (Number.isSafeInteger(id) && id > 0) entries.push({ id, at: Number(flat[i + 1]) });
    }
    return ordered(entries);
  }

  async clear(chatId: string): Promise<void> {
    await this.redis.del(this.key(chatId));
  }
}

const SWEEP_EVERY = 1000;

/** One process, nothing kept across restarts: the same rules as the Redis trail. */
export class MemoryTelegramTrail implements TelegramTrail {
  /** chat → message id → time. */
  private readonly chats = new Map<string, Map<number, number>>();
  private records = 0;

  async record(chatId: string, messageId: number, at: number): Promise<void> {
    if (++this.records % SWEEP_EVERY === 0) this.sweep(at);
    const chat = this.chats.get(chatId) ?? new Map<number, number>();
    chat.set(messageId, at);
    for (const [id, time] of chat) if (time <= at - TRAIL_WINDOW_MS) chat.delete(id);
    if (chat.size > TRAIL_MAX_IDS) {
      const newest = ordered([...chat].map(([id, time]) => ({ id, at: time }))).slice(-TRAIL_MAX_IDS);
      const keep = new Set(newest);
      for (const id of chat.keys()) if (!keep.has(id)) chat.delete(id);
    }
    this.chats.set(chatId, chat);
  }

  async recent(chatId: string, now: number): Promise<number[]> {
    const chat = this.chats.get(chatId);
    if (!chat) return [];
    return ordered([...chat].filter(([, time]) => time > now - TRAIL_WINDOW_MS).map(([id, time]) => ({ id, at: time })));
  }

  async clear(chatId: string): Promise<void> {
    this.chats.delete(chatId);
  }

  /** Chats whose newest message can no longer be deleted are dropped, so quiet chats do not pile up. */
  private sweep(now: number): void {
    for (const [chatId, chat] of this.chats) {
      if (![...chat.values()].some((time) => time > now - TRAIL_WINDOW_MS)) this.chats.delete(chatId);
    }
  }
}

/** Oldest first; equal times in Redis' order for equal scores (the member, as a string). */
function ordered(entries: { id: number; at: number }[]): number[] {
  return entries
    .sort((a, b) => a.at - b.at || (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0))
    .map((e) => e.id);
}
