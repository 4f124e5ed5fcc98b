// Durable delivery for platform channels (Telegram, Messenger): a webhook is verified, deduplicated and
// written to the inbox before it is answered 200; workers turn inbox items into replies through a
// per-person outbox, so nothing acknowledged is lost and nothing is answered twice.
import { z } from 'zod';

/** What a channel adapter puts in the inbox: one person's message, plus what its sender needs later. */
export const inboxItemSchema = z.object({
  channel: z.string().min(1).max(32),
  userId: z.string().min(1).max(128),
  text: z.string().max(20_000).optional(),
  payload: z.string().max(256).optional(),
  langHint: z.string().max(35).optional(),
  /** When the person wrote, by the platform's clock (ms): Messenger's 24-hour window counts from it. */
  at: z.number().int().nonnegative(),
  /** Channel-specific details the sender needs (Telegram: the callback query to answer). */
  meta: z.record(z.string(), z.string()).optional(),
  /** Who speaks (see Inbound.origin): the desk puts counsellors' words in the inbox to keep their order. */
  origin: z.enum(['person', 'counsellor', 'system', 'broadcast']).optional(),
});
export type InboxItem = z.infer<typeof inboxItemSchema>;

const escalationSummarySchema = z.object({
  flow: z.string(),
  score: z.number(),
  flags: z.array(z.string()),
  answers: z.array(z.object({ question: z.string(), answer: z.string() })),
  vars: z.record(z.string(), z.json()),
});

/** What waits in a person's outbox: a message for their platform, or an escalation for the counsellors. */
export const outboxEntrySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('message'),
    channel: z.string(),
    userId: z.string(),
    lang: z.string(),
    /** The person's last message time (ms), for platform windows. */
    userAt: z.number(),
    /** Who speaks: the bot (automated) or a counsellor (human). */
    from: z.enum(['bot', 'human']),
    text: z.string(),
    buttons: z.array(z.object({ payload: z.string(), label: z.string() })),
    meta: z.record(z.string(), z.string()).optional(),
  }),
  z.object({
    kind: z.literal('escalation'),
    channel: z.string(),
    userId: z.string(),
    lang: z.string(),
    priority: z.enum(['urgent', 'high', 'medium', 'low']),
    reason: z.string(),
    summary: escalationSummarySchema,
  }),
]);
export type OutboxEntry = z.infer<typeof outboxEntrySchema>;

/** A platform call failed in a way worth retrying (429, 5xx, network); `retryAfterMs` when the platform says. */
export class RetryableSendError extends Error {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs?: number) {
    super(message);
    this.retryAfterMs = retryAfterMs;
  }
}

/** A platform call that will never succeed as it is (blocked by the person, outside a window, bad request). */
export class PermanentSendError extends Error {
  /** The person blocked the bot (Telegram 403): they leave broadcast audiences. */
  readonly blocked: boolean;
  constructor(message: string, blocked = false) {
    super(message);
    this.blocked = blocked;
  }
}

/** Sends outbox entries of one channel to its platform. Throws the errors above; anything else is retryable. */
export type OutboxMessage = Extract<OutboxEntry, { kind: 'message' }>;

export interface Sender {
  readonly channel: string;
  send(entry: OutboxMessage): Promise<void>;
}

/** Where webhooks put what they accept. `stored` once; `duplicate` for a redelivery of the same message. */
export interface Inbox {
  accept(item: InboxItem, dedupeId: string): Promise<'stored' | 'duplicate'>;
}
