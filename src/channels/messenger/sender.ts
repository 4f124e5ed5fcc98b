// Sends outbox messages to Messenger through the Send API. The 24-hour rule is checked before any call:
// a message Meta would refuse is failed at once (PermanentSendError) with a reason a person can read, so
// the worker keeps it as failed and a counsellor can be told, instead of retrying it for minutes.
import { createHash } from 'node:crypto';
import { PermanentSendError, type OutboxMessage, type Sender } from '../../delivery/types.ts';
import { layout } from './format.ts';
import { graphPost, type FetchLike } from './graph.ts';
import { messagingType } from './window.ts';

export interface MessengerSenderOptions {
  /** MESSENGER_GRAPH_URL: https://graph.facebook.com, or a fake in tests. */
  graphUrl: string;
  pageToken: string;
  now?: () => number;
  fetchImpl?: FetchLike;
}

const BLOCKED_REASON = {
  outside_24h: 'the person cannot be reached on Messenger: more than 24 hours since their last message',
  outside_7d: 'the person cannot be reached on Messenger: more than 7 days since their last message',
} as const;

/** How long a half-sent message's progress is remembered: longer than the worker retries one message. */
const PROGRESS_TTL_MS = 60 * 60_000;

export class MessengerSender implements Sender {
  readonly channel = 'messenger';
  private readonly graphUrl: string;
  private readonly pageToken: string;
  private readonly now: () => number;
  private readonly fetchImpl: FetchLike | undefined;
  /**
   * A long text goes out as several messages. When part 2 fails and the worker retries the entry, the
   * parts already delivered are skipped, so the person does not read part 1 twice (same process only).
   */
  private readonly progress = new Map<string, { sent: number; until: number }>();

  constructor(options: MessengerSenderOptions) {
    this.graphUrl = options.graphUrl;
    this.pageToken = options.pageToken;
    this.now = options.now ?? Date.now;
    this.fetchImpl = options.fetchImpl;
  }

  async send(entry: OutboxMessage): Promise<void> {
    const now = this.now();
    const type = messagingType(entry.from, entry.userAt, now);
    if ('blocked' in type) throw new PermanentSendError(BLOCKED_REASON[type.blocked]);

    const { parts, quickReplies } = layout(entry.text, entry.buttons);
    const key = progressKey(entry);
    const already = this.progressOf(key, now);
    for (let i = already; i < parts.length; i++) {
      const last = i === parts.length - 1;
      const body = {
        recipient: { id: entry.userId },
        ...type,
        message: { text: parts[i], ...(last && quickReplies.length > 0 ? { quick_replies: quickReplies } : {}) },
      };
      try {
        await graphPost(this.graphUrl, '/me/messages', this.pageToken, body, this.fetchImpl);
      } catch (error) {
        if (i > 0 && !(error instanceof PermanentSendError)) this.progress.set(key, { sent: i, until: now + PROGRESS_TTL_MS });
        else this.progress.delete(key);
        throw error;
      }
    }
    this.progress.delete(key);
  }

  private progressOf(key: string, now: number): number {
    for (const [k, p] of this.progress) if (p.until <= now) this.progress.delete(k);
    return this.progress.get(key)?.sent ?? 0;
  }
}

/** Identifies one outbox entry without keeping its text in memory as such. */
function progressKey(entry: OutboxMessage): string {
  return createHash('sha256')
    .update(JSON.stringify([entry.userId, entry.userAt, entry.from, entry.text, entry.buttons]))
    .digest('base64url');
}
