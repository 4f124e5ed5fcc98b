import { Redis } from 'ioredis';
import type { SessionStore } from './types.ts';

/**
 * Sessions in Redis, shared by every server process. Keys put the person in a hash tag ({…}) so that all
 * keys of one person land in one slot on Redis Cluster.
 */
export class RedisSessionStore implements SessionStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.redis = redis;
    this.prefix = prefix;
  }

  static connect(url: string, prefix: string): RedisSessionStore {
    return new RedisSessionStore(new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 }), prefix);
  }

  key(person: string): string {
    return `${this.prefix}{${person}}:session`;
  }

  async load(person: string): Promise<string | undefined> {
    return (await this.redis.get(this.key(person))) ?? undefined;
  }

  async save(person: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.key(person), value, 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async delete(person: string): Promise<void> {
    await this.redis.del(this.key(person));
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
