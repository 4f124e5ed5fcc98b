// Takes work from the inbox: each owned shard is read in order; an entry becomes a conversation step whose
// replies land in the person's outbox in the same write as the session; the outbox is then sent, and only
// then does the shard's cursor move on. A worker killed anywhere in between leaves the entry for the next
// owner, which skips the already-applied step and sends what is still in the outbox.
import { randomBytes } from 'node:crypto';
import { personKey, type ConversationService } from '../conversation/service.ts';
import type { Metrics } from '../http/metrics.ts';
import { pseudonym, type Logger } from '../log.ts';
import type { SessionStore } from '../store/types.ts';
import type { InboxStore } from './inbox-store.ts';
import {
  inboxItemSchema,
  outboxEntrySchema,
  PermanentSendError,
  RetryableSendError,
  type InboxItem,
  type OutboxEntry,
  type OutboxMessage,
  type Sender,
} from './types.ts';

export interface WorkerOptions {
  store: InboxStore;
  sessions: SessionStore;
  service: ConversationService;
  senders: Sender[];
  log: Logger;
  metrics: Metrics;
  /** How long a shard stays ours without renewal: a dead worker's shards move on after this. */
  leaseMs?: number;
  /** How long one message is retried (429, 5xx, network) before it is kept as failed. */
  retryForMs?: number;
  /** Waits between retries when the platform gives no retry_after: base × 2^attempt, capped. */
  backoffMs?: { base: number; max: number };
  /** How long one blocking read waits for new entries. */
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Told when a counsellor's message could not be delivered for good (the console shows it). */
  onUndeliverable?: (person: string, reason: string) => Promise<void>;
  /** Told when any message was given up on: blocked people leave audiences, broadcasts count failures. */
  onGaveUp?: (person: string, entry: OutboxMessage, blocked: boolean) => Promise<void>;
}

const BATCH = 50;

export class DeliveryWorker {
  readonly id = `w-${randomBytes(5).toString('hex')}`;
  private readonly opts: Required<Omit<WorkerOptions, 'senders' | 'onUndeliverable' | 'onGaveUp'>> &
    Pick<WorkerOptions, 'onUndeliverable' | 'onGaveUp'> & { senders: Map<string, Sender> };
  private readonly owned = new Map<number, Promise<void>>();
  /** Shards to hand back: their loop releases them between two entries, never in the middle of one. */
  private readonly releasing = new Set<number>();
  private running = false;
  private ticker: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();

  constructor(options: WorkerOptions) {
    this.opts = {
      leaseMs: 15_000,
      retryForMs: 5 * 60_000,
      backoffMs: { base: 500, max: 30_000 },
      pollMs: 1_000,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      ...options,
      senders: new Map(options.senders.map((s) => [s.channel, s])),
    };
  }

  async start(): Promise<void> {
    this.running = true;
    await this.tick();
    this.ticker = setInterval(() => {
      this.ticking = this.ticking.then(() => this.tick()).catch((e: unknown) => this.opts.log.error('worker tick failed', { error: String(e) }));
    }, Math.max(50, Math.floor(this.opts.leaseMs / 3)));
  }

  /** Stops taking work, lets the current entries finish, and hands the shards back. */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.ticker);
    await this.ticking;
    const loops = [...this.owned.values()];
    await Promise.allSettled(loops);
    await Promise.all([...this.owned.keys()].map((s) => this.opts.store.release(s, this.id)));
    this.owned.clear();
    await this.opts.store.leave(this.id);
  }

  /** Shards this worker reads now. */
  shards(): number[] {
    return [...this.owned.keys()].sort((a, b) => a - b);
  }

  /** Renews the worker's presence and its fair share of shards: ceil(shards / live workers). */
  private async tick(): Promise<void> {
    if (!this.running) return;
    const { store, leaseMs } = this.opts;
    const alive = await store.heartbeat(this.id, leaseMs);
    const fair = Math.ceil(store.shards / Math.max(1, alive));
    for (const shard of [...this.owned.keys()]) {
      if (!(await store.claim(shard, this.id, leaseMs))) this.owned.delete(shard);
    }
    for (const shard of [...this.owned.keys()].slice(fair)) this.releasing.add(shard);
    for (let shard = 0; shard < store.shards && this.owned.size - this.releasing.size < fair; shard++) {
      if (this.owned.has(shard)) continue;
      if (await store.claim(shard, this.id, leaseMs)) {
        this.owned.set(shard, this.loop(shard));
      }
    }
  }

  private async loop(shard: number): Promise<void> {
    const { store, log } = this.opts;
    try {
      let cursor = await store.cursor(shard);
      while (this.running && this.owned.has(shard) && !this.releasing.has(shard)) {
        const entries = await store.read(shard, cursor, BATCH, this.opts.pollMs);
        if (!this.running || !this.owned.has(shard) || this.releasing.has(shard)) break;
        // People in one batch are handled side by side; each person's own messages one after another.
        await Promise.all([...byPerson(entries).values()].map(async (mine) => {
          for (const entry of mine) await this.handle(entry.id, entry.item);
        }));
        const done = entries.at(-1)?.id;
        // The cursor moves once per batch: an entry handled again after a crash is skipped by its session.
        if (done !== undefined) {
          if (!(await store.advance(shard, done, this.id))) {
            this.owned.delete(shard);
            return;
          }
          cursor = done;
        }
      }
      if (this.releasing.delete(shard)) {
        this.owned.delete(shard);
        await store.release(shard, this.id);
      }
    } catch (error) {
      // Redis gone or a bug: give the shard up; the tick claims it again and the loop restarts from the cursor.
      log.error('shard loop stopped', { shard, error: error instanceof Error ? error.message : String(error) });
      this.owned.delete(shard);
      this.releasing.delete(shard);
      await store.release(shard, this.id).catch(() => undefined);
    }
  }

  private async handle(seq: string, item: InboxItem | undefined): Promise<void> {
    const { service, log, metrics } = this.opts;
    if (!item) {
      // Webhooks validate before storing, so this is a bug or a foreign writer: skip it, never loop on it.
      log.error('unreadable inbox entry skipped', { seq });
      metrics.inc('hotline_inbox_unreadable_total', 'Inbox entries that could not be read');
      return;
    }
    await service.handle(
      {
        channel: item.channel,
        userId: item.userId,
        ...(item.text !== undefined ? { text: item.text } : {}),
        ...(item.payload !== undefined ? { payload: item.payload } : {}),
        ...(item.langHint !== undefined ? { langHint: item.langHint } : {}),
        ...(item.origin !== undefined ? { origin: item.origin } : {}),
      },
      { seq, userAt: item.at, ...(item.meta ? { meta: item.meta } : {}) },
    );
    metrics.inc('hotline_inbound_total', 'Messages handled from the inbox', { channel: item.channel });
    await this.flush(personKey(item.channel, item.userId));
  }

  /** Sends everything in a person's outbox, oldest first. */
  async flush(person: string): Promise<void> {
    const { sessions, service } = this.opts;
    for (const raw of await sessions.outbox(person)) {
      const entry = parseEntry(raw);
      if (!entry) {
        this.opts.log.error('unreadable outbox entry dropped', { person: pseudonym(person) });
      } else if (entry.kind === 'escalation') {
        const notices = await service.escalate(person, entry, {
          type: 'escalation',
          priority: entry.priority,
          reason: entry.reason,
          lang: entry.lang,
          summary: entry.summary,
        });
        // The person's place in the queue: told right after the escalation (repeated only after a crash here).
        for (const notice of notices) {
          if (notice.type !== 'message') continue;
          const message: OutboxMessage = { kind: 'message', channel: entry.channel, userId: entry.userId, lang: entry.lang, userAt: Date.now(), from: 'bot', text: notice.text, buttons: notice.buttons };
          await this.send(person, message, JSON.stringify(message));
        }
      } else {
        await this.send(person, entry, raw);
      }
      await this.popSurely(person);
    }
  }

  /**
   * After a send, the entry must leave the outbox, or the next owner sends it again: if Redis is away for a
   * moment (a restart), keep trying rather than giving the shard up with the entry still in place.
   */
  private async popSurely(person: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.opts.sessions.popOutbox(person);
        return;
      } catch (error) {
        if (attempt > 600) throw error;
        this.opts.log.warn('outbox pop failed, retrying', { attempt: attempt + 1 });
        await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      }
    }
  }

  private async send(person: string, entry: OutboxMessage, raw: string): Promise<void> {
    const { log, metrics, retryForMs, backoffMs, sleep } = this.opts;
    const sender = this.opts.senders.get(entry.channel);
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        if (!sender) throw new PermanentSendError(`no sender for channel ${entry.channel}`);
        await sender.send(entry);
        metrics.inc('hotline_outbound_total', 'Messages sent to platforms', { channel: entry.channel });
        return;
      } catch (error) {
        const permanent = error instanceof PermanentSendError;
        const wait = error instanceof RetryableSendError && error.retryAfterMs !== undefined
          ? error.retryAfterMs
          : Math.min(backoffMs.max, backoffMs.base * 2 ** attempt);
        if (permanent || Date.now() - started + wait > retryForMs) {
          // Kept, never silently dropped: a log line, a metric and the dead-letter list.
          log.error('message not delivered', {
            person: pseudonym(person),
            channel: entry.channel,
            attempts: attempt + 1,
            error: error instanceof Error ? error.message : String(error),
          });
          metrics.inc('hotline_outbound_failed_total', 'Messages given up on after retries', { channel: entry.channel });
          await this.opts.store.deadLetter(raw);
          if (entry.from === 'human') await this.opts.onUndeliverable?.(person, error instanceof Error ? error.message : String(error));
          await this.opts.onGaveUp?.(person, entry, error instanceof PermanentSendError && error.blocked);
          return;
        }
        metrics.inc('hotline_outbound_retries_total', 'Retried platform calls', { channel: entry.channel });
        log.warn('send failed, retrying', { channel: entry.channel, attempt: attempt + 1, waitMs: wait });
        await sleep(wait);
      }
    }
  }
}

/** Entries read once and grouped by person, in order; an unreadable entry is its own group (handle() skips it). */
function byPerson(entries: { id: string; item: string }[]): Map<string, { id: string; item: InboxItem | undefined }[]> {
  const groups = new Map<string, { id: string; item: InboxItem | undefined }[]>();
  for (const entry of entries) {
    let item: InboxItem | undefined;
    try {
      const parsed = inboxItemSchema.safeParse(JSON.parse(entry.item));
      item = parsed.success ? parsed.data : undefined;
    } catch {
      item = undefined;
    }
    const key = item ? personKey(item.channel, item.userId) : `?${entry.id}`;
    groups.set(key, [...(groups.get(key) ?? []), { id: entry.id, item }]);
  }
  return groups;
}

function parseEntry(raw: string): OutboxEntry | undefined {
  try {
    const parsed = outboxEntrySchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
