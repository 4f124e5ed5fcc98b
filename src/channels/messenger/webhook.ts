// The Messenger webhook. GET answers Meta's subscription handshake; POST receives batches of events.
// A POST is trusted only when its X-Hub-Signature-256 (HMAC-SHA256 of the exact bytes received, keyed
// with the app secret) matches, and that is checked before the body is even parsed. Events are written
// to the inbox, one by one and in order, and only then is Meta answered 200: durable before acknowledged.
// Meta waits up to 20 s and retries anything else, so a failure to store gives a 500 and a redelivery.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { personKey } from '../../conversation/service.ts';
import type { Inbox } from '../../delivery/types.ts';
import type { Metrics } from '../../http/metrics.ts';
import { HttpError, type Reply, type Route } from '../../http/server.ts';
import { pseudonym, type Logger } from '../../log.ts';
import { batchSchema, CHANNEL, entrySchema, parseEvent } from './events.ts';

export const WEBHOOK_PATH = '/webhooks/messenger';
/** Meta's batches are small (a few KB); 1 MiB leaves room without inviting abuse. */
export const MAX_WEBHOOK_BODY = 1024 * 1024;

export interface MessengerWebhookOptions {
  inbox: Inbox;
  /** MESSENGER_APP_SECRET: the key of the payload signature. */
  appSecret: string;
  /** MESSENGER_VERIFY_TOKEN: what we typed into the app dashboard when subscribing the webhook. */
  verifyToken: string;
  log: Logger;
  metrics: Metrics;
}

const REJECTED = 'hotline_webhook_rejected_total';
const REJECTED_HELP = 'Webhook requests or events refused (bad signature, bad body, invalid event)';
const EVENTS = 'hotline_webhook_events_total';
const EVENTS_HELP = 'Webhook events by outcome (stored, duplicate, ignored)';

export function messengerRoutes(opts: MessengerWebhookOptions): Route[] {
  const { inbox, log, metrics } = opts;
  const reject = (reason: string) => metrics.inc(REJECTED, REJECTED_HELP, { channel: CHANNEL, reason });
  const outcome = (what: string) => metrics.inc(EVENTS, EVENTS_HELP, { channel: CHANNEL, outcome: what });

  const verify = (req: IncomingMessage): Reply => {
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    if (query.get('hub.mode') === 'subscribe' && sameSecret(query.get('hub.verify_token') ?? '', opts.verifyToken)) {
      log.info('messenger webhook verified');
      return { status: 200, body: query.get('hub.challenge') ?? '', type: 'text/plain; charset=utf-8' };
    }
    reject('verify_token');
    log.warn('messenger webhook verification refused');
    return { status: 403, body: 'forbidden', type: 'text/plain; charset=utf-8' };
  };

  const receive = async (req: IncomingMessage, body: Buffer): Promise<Reply> => {
    if (!validSignature(req.headers['x-hub-signature-256'], body, opts.appSecret)) {
      reject('signature');
      log.warn('messenger webhook with a missing or wrong signature refused');
      throw new HttpError(403, 'missing or wrong X-Hub-Signature-256');
    }
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      reject('content_type');
      throw new HttpError(415, 'send application/json');
    }
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch {
      reject('json');
      throw new HttpError(400, 'body is not valid JSON');
    }
    const batch = batchSchema.safeParse(value);
    if (!batch.success) {
      reject('shape');
      throw new HttpError(400, 'expected { object: "page", entry: [...] }');
    }

    // One at a time, in batch order: one person's messages must reach their inbox shard in order.
    for (const rawEntry of batch.data.entry) {
      const entry = entrySchema.safeParse(rawEntry);
      if (!entry.success) {
        reject('invalid_event');
        log.warn('messenger entry skipped', { issues: entry.error.issues.map((i) => `${i.path.join('.')}:${i.code}`).join(', ') });
        continue;
      }
      for (const raw of entry.data.messaging ?? []) {
        const event = parseEvent(raw);
        if (event.kind === 'invalid') {
          // Skipped, not refused: a 4xx would make Meta redeliver the good events with it, again and again.
          reject('invalid_event');
          log.warn('messenger event skipped', {
            issues: event.issues,
            ...(event.sender ? { person: pseudonym(personKey(CHANNEL, event.sender)) } : {}),
          });
        } else if (event.kind === 'ignored') {
          outcome('ignored');
        } else {
          outcome(await inbox.accept(event.item, event.dedupeId));
        }
      }
    }
    return { status: 200, body: 'EVENT_RECEIVED', type: 'text/plain; charset=utf-8' };
  };

  return [
    { method: 'GET', path: WEBHOOK_PATH, handler: verify },
    { method: 'POST', path: WEBHOOK_PATH, handler: receive, maxBody: MAX_WEBHOOK_BODY },
  ];
}

/** `sha256=<hex>` over the raw bytes; compared in constant time on equal-length buffers. */
export function validSignature(header: string | string[] | undefined, body: Buffer, appSecret: string): boolean {
  if (typeof header !== 'string') return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1], 'hex');
  const expected = createHmac('sha256', appSecret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Compares two secrets in constant time: hashing first gives equal lengths without leaking the length. */
function sameSecret(given: string, expected: string): boolean {
  if (given.length === 0 || expected.length === 0) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
