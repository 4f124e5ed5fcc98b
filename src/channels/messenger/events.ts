// Reads one Messenger webhook event (an element of entry[].messaging) into an inbox item. Shapes follow
// Meta's documented webhook JSON; fields we do not use are let through (`loose`), because Meta adds
// fields over time and an unknown field must not turn a person's message into an error.
import { z } from 'zod';
import { UNSUPPORTED_PAYLOAD } from '../../conversation/service.ts';
import type { InboxItem } from '../../delivery/types.ts';

export const CHANNEL = 'messenger';

const party = z.object({ id: z.string().min(1).max(128) }).loose();
const mid = z.string().min(1).max(512);
/** Payloads are ours (buttons, quick replies, the menu): short, and the inbox keeps at most 256. */
const payload = z.string().min(1).max(256);

export const messagingEventSchema = z
  .object({
    sender: party,
    recipient: party,
    /** Milliseconds since the epoch, by Meta's clock. Delivery receipts come without one. */
    timestamp: z.number().int().nonnegative().optional(),
    message: z
      .object({
        mid,
        text: z.string().max(20_000).optional(),
        quick_reply: z.object({ payload }).loose().optional(),
        attachments: z.array(z.object({ type: z.string() }).loose()).optional(),
        is_echo: z.boolean().optional(),
      })
      .loose()
      .optional(),
    postback: z.object({ mid: mid.optional(), title: z.string().optional(), payload }).loose().optional(),
    read: z.object({ watermark: z.number() }).loose().optional(),
    delivery: z.object({ watermark: z.number().optional(), mids: z.array(z.string()).optional() }).loose().optional(),
  })
  .loose();

/** One `entry` of a batch: only `messaging` matters here (`standby`, `changes` belong to other features). */
export const entrySchema = z.object({ messaging: z.array(z.unknown()).optional() }).loose();

/** The envelope Meta posts: anything else is not a Page webhook. */
export const batchSchema = z.object({ object: z.literal('page'), entry: z.array(z.unknown()) });

export type ParsedEvent =
  | { kind: 'item'; item: InboxItem; dedupeId: string }
  | { kind: 'ignored'; reason: 'echo' | 'read' | 'delivery' | 'other' }
  | { kind: 'invalid'; issues: string; sender?: string };

export function parseEvent(raw: unknown): ParsedEvent {
  const parsed = messagingEventSchema.safeParse(raw);
  if (!parsed.success) {
    // Paths and codes only: an issue's message or input could quote what the person wrote.
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}:${i.code}`).join(', ');
    const sender = senderOf(raw);
    return { kind: 'invalid', issues, ...(sender ? { sender } : {}) };
  }
  const event = parsed.data;
  // Our own messages come back as echoes; reads and deliveries are receipts. None is a person speaking.
  if (event.message?.is_echo) return { kind: 'ignored', reason: 'echo' };
  if (event.read) return { kind: 'ignored', reason: 'read' };
  if (event.delivery) return { kind: 'ignored', reason: 'delivery' };

  // Anything else (reactions, referrals, opt-ins…) belongs to fields we do not subscribe to.
  const { postback, message } = event;
  if (!postback && !message) return { kind: 'ignored', reason: 'other' };
  if (event.timestamp === undefined) return { kind: 'invalid', issues: 'timestamp:missing', sender: event.sender.id };

  const base = { channel: CHANNEL, userId: event.sender.id, at: event.timestamp };
  if (postback) {
    // Postbacks (Get Started, the persistent menu, buttons) carry a mid today; older ones did not.
    const dedupeId = postback.mid ?? `${event.sender.id}:${event.timestamp}:postback`;
    return { kind: 'item', item: { ...base, payload: postback.payload }, dedupeId };
  }
  if (!message) return { kind: 'ignored', reason: 'other' };
  if (message.quick_reply) return { kind: 'item', item: { ...base, payload: message.quick_reply.payload }, dedupeId: message.mid };
  if (message.text !== undefined && message.text.length > 0) {
    return { kind: 'item', item: { ...base, text: message.text }, dedupeId: message.mid };
  }
  // A photo, voice note, sticker, location or file without text: the bot says it reads text only.
  return { kind: 'item', item: { ...base, payload: UNSUPPORTED_PAYLOAD }, dedupeId: message.mid };
}

function senderOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || !('sender' in raw)) return undefined;
  const sender: unknown = raw.sender;
  if (typeof sender !== 'object' || sender === null || !('id' in sender)) return undefined;
  return typeof sender.id === 'string' ? sender.id : undefined;
}
