// Broadcasts: a supervisor's message to the people who opted in to tips, by language and channel. Durable:
// the audience is fixed when sending starts, a cursor and a "sent" set live in Redis, one process at a time
// holds the broadcast (a lease), and every message goes through the inbox with a deduplication id, so a crash
// or a deploy resumes where it stopped and nobody gets the same broadcast twice.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { LANGS } from '../content/locales.ts';
import type { InboxItem } from '../delivery/types.ts';
import { pseudonym, type Logger } from '../log.ts';
import type { Subscriber, SubscriberStore } from './subscribers.ts';

export const BROADCAST_CHANNELS = ['telegram', 'messenger', 'webchat'] as const;
export const MAX_BROADCAST_TEXT = 1000;
/** Messenger: automated messages only within 24 hours of the person's last message. */
const MESSENGER_WINDOW_MS = 24 * 3_600_000;

export const broadcastInputSchema = z
  .object({
    texts: z.partialRecord(z.enum(LANGS), z.string().trim().min(1, 'a text is empty').max(MAX_BROADCAST_TEXT, `a text is longer than ${MAX_BROADCAST_TEXT} characters`)),
    langs: z.array(z.enum(LANGS)).min(1, 'choose at least one language'),
    channels: z.array(z.enum(BROADCAST_CHANNELS)).min(1, 'choose at least one channel'),
    /** ISO date and time; now or later. */
    at: z.iso.datetime({ offset: true }),
  })
  .strict()
  .superRefine((b, ctx) => {
    for (const lang of b.langs) {
      if (!b.texts[lang]) ctx.addIssue({ code: 'custom', path: ['texts', lang], message: `the ${lang} text is missing` });
    }
  });
export type BroadcastInput = z.infer<typeof broadcastInputSchema>;

export const broadcastSchema = z.object({
  id: z.string(),
  texts: z.partialRecord(z.enum(LANGS), z.string()),
  langs: z.array(z.enum(LANGS)),
  channels: z.array(z.enum(BROADCAST_CHANNELS)),
  at: z.number(),
  by: z.string(),
  status: z.enum(['scheduled', 'sending', 'done']),
  total: z.number(),
  queued: z.number(),
  failed: z.number(),
  /** Messenger subscribers outside the 24-hour window: Meta's rules forbid an automated message. */
  unreachable: z.number(),
});
export type Broadcast = z.infer<typeof broadcastSchema>;

/** Where broadcasts and their progress live. */
export interface BroadcastStore {
  save(b: Broadcast): Promise<void>;
  get(id: string): Promise<Broadcast | undefined>;
  list(): Promise<Broadcast[]>;
  /** The audience fixed when sending started (person keys), and how far the sending got. */
  audience(id: string): Promise<string[] | undefined>;
  setAudience(id: string, people: string[]): Promise<void>;
  wasSent(id: string, person: string): Promise<boolean>;
  markSent(id: string, person: string): Promise<void>;
  lease(id: string, owner: string, ms: number): Promise<boolean>;
  count(id: string, field: 'queued' | 'failed' | 'unreachable', by?: number): Promise<void>;
}

export class RedisBroadcastStore implements BroadcastStore {
  private readonly redis: Redis;
  private readonly k: string;

  constructor(redis: Redis, prefix: string) {
    this.redis = redis;
    this.k = `${prefix}{bcast}:`;
  }

  async save(b: Broadcast): Promise<void> {
    await this.redis.multi().hset(`${this.k}all`, b.id, JSON.stringify(b)).exec();
  }

  async get(id: string): Promise<Broadcast | undefined> {
    const raw = await this.redis.hget(`${this.k}all`, id);
    if (!raw) return undefined;
    const b = broadcastSchema.parse(JSON.parse(raw));
    const counts = await this.redis.hgetall(`${this.k}counts:${id}`);
    return { ...b, queued: Number(counts['queued'] ?? b.queued), failed: Number(counts['failed'] ?? b.failed), unreachable: Number(counts['unreachable'] ?? b.unreachable) };
  }

  async list(): Promise<Broadcast[]> {
    const ids = await this.redis.hkeys(`${this.k}all`);
    const all = await Promise.all(ids.map((id) => this.get(id)));
    return all.filter((b): b is Broadcast => b !== undefined).sort((a, b) => b.at - a.at);
  }

  async audience(id: string): Promise<string[] | undefined> {
    if (!(await this.redis.exists(`${this.k}audience:${id}:fixed`))) return undefined;
    return this.redis.lrange(`${this.k}audience:${id}`, 0, -1);
  }

  async setAudience(id: string, people: string[]): Promise<void> {
    const tx = this.redis.multi().del(`${this.k}audience:${id}`);
    if (people.length) tx.rpush(`${this.k}audience:${id}`, ...people);
    await tx.set(`${this.k}audience:${id}:fixed`, '1').exec();
  }

  async wasSent(id: string, person: string): Promise<boolean> {
    return (await this.redis.sismember(`${this.k}sent:${id}`, person)) === 1;
  }

  async markSent(id: string, person: string): Promise<void> {
    await this.redis.sadd(`${this.k}sent:${id}`, person);
  }

  async lease(id: string, owner: string, ms: number): Promise<boolean> {
    const key = `${this.k}lease:${id}`;
    if ((await this.redis.set(key, owner, 'PX', ms, 'NX')) === 'OK') return true;
    if ((await this.redis.get(key)) !== owner) return false;
    await this.redis.pexpire(key, ms);
    return true;
  }

  async count(id: string, field: 'queued' | 'failed' | 'unreachable', by = 1): Promise<void> {
    await this.redis.hincrby(`${this.k}counts:${id}`, field, by);
  }
}

export class MemoryBroadcastStore implements BroadcastStore {
  private readonly all = new Map<string, Broadcast>();
  private readonly audiences = new Map<string, string[]>();
  private readonly sent = new Map<string, Set<string>>();

  async save(b: Broadcast): Promise<void> {
    const old = this.all.get(b.id);
    this.all.set(b.id, old ? { ...b, queued: old.queued, failed: old.failed, unreachable: old.unreachable } : b);
  }

  async get(id: string): Promise<Broadcast | undefined> {
    return this.all.get(id);
  }

  async list(): Promise<Broadcast[]> {
    return [...this.all.values()].sort((a, b) => b.at - a.at);
  }

  async audience(id: string): Promise<string[] | undefined> {
    return this.audiences.get(id);
  }

  async setAudience(id: string, people: string[]): Promise<void> {
    this.audiences.set(id, people);
  }

  async wasSent(id: string, person: string): Promise<boolean> {
    return this.sent.get(id)?.has(person) ?? false;
  }

  async markSent(id: string, person: string): Promise<void> {
    const set = this.sent.get(id) ?? new Set<string>();
    set.add(person);
    this.sent.set(id, set);
  }

  async lease(): Promise<boolean> {
    return true;
  }

  async count(id: string, field: 'queued' | 'failed' | 'unreachable', by = 1): Promise<void> {
    const b = this.all.get(id);
    if (b) this.all.set(id, { ...b, [field]: b[field] + by });
  }
}

export interface BroadcasterOptions {
  store: BroadcastStore;
  subscribers: SubscriberStore;
  /** Puts one message on its way: the inbox for platforms (deduplicated by `dedupeId`), the outbox for web chat. */
  deliver: (item: InboxItem, dedupeId: string) => Promise<void>;
  log: Logger;
  /** Messages a second across all channels: Telegram allows about 30 a second in all. */
  perSecond?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class BroadcastError extends Error {}

export class Broadcaster {
  private readonly o: Required<BroadcasterOptions>;
  private readonly owner = `b-${randomBytes(5).toString('hex')}`;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(options: BroadcasterOptions) {
    this.o = { perSecond: 25, now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), ...options };
  }

  async create(input: BroadcastInput, by: string): Promise<Broadcast> {
    const at = Date.parse(input.at);
    if (at < this.o.now() - 60_000) throw new BroadcastError('the time is in the past');
    const b: Broadcast = {
      id: `bc_${randomBytes(6).toString('base64url')}`,
      texts: input.texts,
      langs: input.langs,
      channels: input.channels,
      at,
      by,
      status: 'scheduled',
      total: 0,
      queued: 0,
      failed: 0,
      unreachable: 0,
    };
    await this.o.store.save(b);
    this.o.log.info('broadcast scheduled', { id: b.id, by });
    return b;
  }

  /** Who a broadcast would reach now, and how many Messenger subscribers it cannot. */
  async preview(input: Pick<BroadcastInput, 'langs' | 'channels'>): Promise<{ reachable: number; unreachable: number; byChannel: Record<string, number> }> {
    const { reach, unreachable } = this.audienceOf(await this.o.subscribers.list(), input.langs, input.channels);
    const byChannel: Record<string, number> = {};
    for (const s of reach) byChannel[s.channel] = (byChannel[s.channel] ?? 0) + 1;
    return { reachable: reach.length, unreachable: unreachable.length, byChannel };
  }

  list(): Promise<Broadcast[]> {
    return this.o.store.list();
  }

  /** A message that could not be delivered for good (counted; the sender's log says why). */
  async failed(id: string): Promise<void> {
    await this.o.store.count(id, 'failed');
  }

  /** Sends what is due. Called on a timer in every process; a lease makes one of them do it. */
  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const b of await this.o.store.list()) {
        if (b.status === 'done' || b.at > this.o.now()) continue;
        if (!(await this.o.store.lease(b.id, this.owner, 10_000))) continue;
        await this.send(b);
      }
    } finally {
      this.busy = false;
    }
  }

  private async send(b: Broadcast): Promise<void> {
    let audience = await this.o.store.audience(b.id);
    let current = b;
    if (!audience) {
      // Fixed once: people who opt in later are not added halfway through.
      const { reach, unreachable } = this.audienceOf(await this.o.subscribers.list(), b.langs, b.channels);
      audience = reach.map((s) => s.person);
      await this.o.store.setAudience(b.id, audience);
      await this.o.store.count(b.id, 'unreachable', unreachable.length);
      current = { ...b, status: 'sending', total: audience.length };
      await this.o.store.save(current);
    }
    const gap = 1000 / this.o.perSecond;
    for (const person of audience) {
      const started = this.o.now();
      if (await this.o.store.wasSent(b.id, person)) continue;
      const s = await this.o.subscribers.get(person);
      if (s) {
        const text = current.texts[s.lang as (typeof LANGS)[number]] ?? '';
        // Delivered first, marked after: a crash in between re-delivers, and the inbox drops the copy.
        await this.o.deliver(
          { channel: s.channel, userId: s.userId, text, origin: 'broadcast', at: s.lastUserAt, meta: { broadcast: b.id } },
          `bcast:${b.id}:${person}`,
        );
        await this.o.store.count(b.id, 'queued');
      }
      await this.o.store.markSent(b.id, person);
      if (!(await this.o.store.lease(b.id, this.owner, 10_000))) return;
      const wait = gap - (this.o.now() - started);
      if (wait > 0) await this.o.sleep(wait);
    }
    await this.o.store.save({ ...current, status: 'done', total: audience.length });
    this.o.log.info('broadcast done', { id: b.id, people: audience.length });
  }

  private audienceOf(all: Subscriber[], langs: string[], channels: string[]): { reach: Subscriber[]; unreachable: Subscriber[] } {
    const chosen = all.filter((s) => langs.includes(s.lang) && channels.includes(s.channel));
    const outside = (s: Subscriber) => s.channel === 'messenger' && this.o.now() - s.lastUserAt > MESSENGER_WINDOW_MS;
    return { reach: chosen.filter((s) => !outside(s)), unreachable: chosen.filter(outside) };
  }

  start(everyMs: number): void {
    this.timer = setInterval(() => {
      this.tick().catch((e: unknown) => this.o.log.error('broadcast tick failed', { error: String(e) }));
    }, everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** A person who blocked the bot leaves every audience. */
  async blocked(person: string): Promise<void> {
    await this.o.subscribers.remove(person);
    this.o.log.info('subscriber removed: blocked the bot', { person: pseudonym(person) });
  }
}
