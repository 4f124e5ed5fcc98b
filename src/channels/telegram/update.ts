// Telegram Bot API updates (https://core.telegram.org/bots/api#update), reduced to the fields the bot reads,
// and their mapping to inbox items. Both the webhook and long polling go through `updateToItem`, so the two
// modes cannot drift apart.
import { z } from 'zod';
import { GROUP_PAYLOAD, UNSUPPORTED_PAYLOAD } from '../../conversation/service.ts';
import type { InboxItem } from '../../delivery/types.ts';

export const TELEGRAM_CHANNEL = 'telegram';

/** The only update kinds the bot asks Telegram for (setWebhook / getUpdates `allowed_updates`). */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

// z.object drops unknown keys instead of failing: Telegram adds fields in every Bot API version, and an
// update we cannot fully describe must still be readable (or ignorable), never a 400 that Telegram retries.
const userSchema = z.object({
  id: z.number().int(),
  language_code: z.string().optional(),
});

const chatSchema = z.object({
  id: z.number().int(),
  /** "private", "group", "supergroup" or "channel". */
  type: z.string(),
});

const fileSchema = z.object({ file_id: z.string() });

const messageSchema = z.object({
  message_id: z.number().int(),
  /** Unix time in seconds. */
  date: z.number().int().nonnegative(),
  chat: chatSchema,
  /** Absent for messages sent on behalf of a chat (anonymous group admins, channels). */
  from: userSchema.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  /** Set on forwarded messages (MessageOrigin: user, hidden_user, chat or channel). */
  forward_origin: z.object({ type: z.string() }).optional(),
  photo: z.array(fileSchema).optional(),
  voice: fileSchema.optional(),
  sticker: fileSchema.optional(),
  location: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
  document: fileSchema.optional(),
  video: fileSchema.optional(),
  audio: fileSchema.optional(),
  // Other things a person can send that the bot cannot read either. Only their presence matters; a contact
  // carries a phone number, which is why it is never copied anywhere.
  video_note: z.unknown().optional(),
  animation: z.unknown().optional(),
  contact: z.unknown().optional(),
  venue: z.unknown().optional(),
  poll: z.unknown().optional(),
  dice: z.unknown().optional(),
  story: z.unknown().optional(),
});

const callbackQuerySchema = z.object({
  id: z.string().min(1),
  from: userSchema,
  /** The bot's message that carried the button; absent for inline-mode messages, which the bot never sends. */
  message: z.object({ chat: z.object({ id: z.number().int(), type: z.string().optional() }) }).optional(),
  /** Absent for game buttons, which the bot never sends. */
  data: z.string().optional(),
});

export const telegramUpdateSchema = z.object({
  update_id: z.number().int().nonnegative(),
  message: messageSchema.optional(),
  callback_query: callbackQuerySchema.optional(),
});
export type TelegramUpdate = z.infer<typeof telegramUpdateSchema>;
type TelegramMessage = z.infer<typeof messageSchema>;

export type UpdateResult = { kind: 'item'; item: InboxItem; dedupeId: string } | { kind: 'ignored' };

/** The inbox schema's limits; Telegram's own (4096 text, 1024 caption) are lower, this is a safety net. */
const MAX_ITEM_TEXT = 20_000;
const MAX_LANG = 35;

const UNREADABLE: readonly (keyof TelegramMessage)[] = [
  'photo', 'voice', 'sticker', 'location', 'document', 'video', 'audio',
  'video_note', 'animation', 'contact', 'venue', 'poll', 'dice', 'story',
];

/**
 * Maps one update to what goes in the inbox. `now` dates callback queries, which carry no time of their own.
 * Update kinds the bot does not handle (edited messages, channel posts, membership changes…) are ignored.
 */
export function updateToItem(update: TelegramUpdate, now: () => number = Date.now): UpdateResult {
  const dedupeId = String(update.update_id);
  const { message, callback_query: query } = update;

  if (message) {
    const base = {
      channel: TELEGRAM_CHANNEL,
      // Replies go to the chat; in a private chat its id is the person's id.
      userId: String(message.chat.id),
      at: message.date * 1000,
      ...langHint(message.from?.language_code),
    };
    // In a group the bot would read other people's messages: the service declines and keeps nothing.
    if (message.chat.type !== 'private') return { kind: 'item', dedupeId, item: { ...base, payload: GROUP_PAYLOAD } };
    // A caption counts as text: a forwarded job ad is often a photo with its text underneath.
    const text = message.text ?? message.caption;
    if (text !== undefined && text.length > 0) {
      return { kind: 'item', dedupeId, item: { ...base, text: text.slice(0, MAX_ITEM_TEXT) } };
    }
    if (UNREADABLE.some((key) => message[key] !== undefined)) {
      return { kind: 'item', dedupeId, item: { ...base, payload: UNSUPPORTED_PAYLOAD } };
    }
    // Service messages (a pin, an auto-delete timer change…): nothing the person said.
    return { kind: 'ignored' };
  }

  if (query?.message && query.data !== undefined && query.data.length > 0) {
    const chat = query.message.chat;
    const isGroup = chat.type !== undefined && chat.type !== 'private';
    return {
      kind: 'item',
      dedupeId,
      item: {
        channel: TELEGRAM_CHANNEL,
        userId: String(chat.id),
        payload: isGroup ? GROUP_PAYLOAD : query.data,
        at: now(),
        ...langHint(query.from.language_code),
        // The sender answers the query, which stops the spinner on the person's button.
        meta: { callbackQueryId: query.id },
      },
    };
  }

  return { kind: 'ignored' };
}

function langHint(code: string | undefined): { langHint?: string } {
  return code && code.length <= MAX_LANG ? { langHint: code } : {};
}
