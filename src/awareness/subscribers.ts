// The people who opted in to tips: the only audience a broadcast may reach. Consent first.
import type { Redis } from 'ioredis';
import { z } from 'zod';

export const subscriberSchema = z.object({
  person: z.string(),
  channel: z.string(),
  userId: z.string(),
  lang: z.string(),
  /** The person's last message (Messenger allows automated messages only within 24 hours of it). */
  lastUserAt: z.number(),
});
export type Subscriber = z.infer<typeof subscriberSchema>;

export interface SubscriberStore {
  put(s: Subscriber): Promise<void>;
  remove(person: string): Promise<void>;
  get(person: string): Promise<Subscriber | undefined>;
  list(): Promise<Subscriber[]>;
}

export class RedisSubscriberStore implements SubscriberStore {
  private readonly redis: Redis;
  private readonly key: string;

  constructor(redis: Redis, prefix: string) {
    this.redis = redis;
    this.key = `${prefix}{subs}:all`;
  }

  async put(s: Subscriber): Promise<void> {
    await this.redis.hset(this.key, s.person, JSON.stringify(s));
  }

  async remove(person: string): Promise<void> {
    await this.redis.hdel(this.key, person);
  }

  async get(person: string): Promise<Subscriber | undefined> {
    return parse(await this.redis.hget(this.key, person));
  }

  async list(): Promise<Subscriber[]> {
    return Object.values(await this.redis.hgetall(this.key)).flatMap((raw) => parse(raw) ?? []);
  }
}

export class MemorySubscriberStore implements SubscriberStore {
  private readonly all = new Map<string, Subscriber>();

  async put(s: Subscriber): Promise<void> {
    this.all.set(s.person, s);
  }

  async remove(person: string): Promise<void> {
    this.all.delete(person);
  }

  async get(person: string): Promise<Subscriber | undefined> {
    return this.all.get(person);
  }

  async list(): Promise<Subscriber[]> {
    return [...this.all.values()];
  }
}

function parse(raw: string | null | undefined): Subscriber | undefined {
  if (!raw) return undefined;
  try {
    const parsed = subscriberSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
