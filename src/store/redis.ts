import type { Redis } from 'ioredis';
import { OUTBOX_TTL_MS, type SessionStore } from './types.ts';

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

  key(person: string): string {
    return `${this.prefix}{${person}}:session`;
  }

  outboxKey(person: string): string {
    return `${this.prefix}{${person}}:outbox`;
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

  async commit(person: string, value: string | null, ttlMs: number, outbox: string[]): Promise<void> {
    const tx = this.redis.multi();
    if (value === null) tx.del(this.key(person));
    else tx.set(this.key(person), value, 'PX', Math.max(1, Math.round(ttlMs)));
    if (outbox.length > 0) {
      tx.rpush(this.outboxKey(person), ...outbox);
      tx.pexpire(this.outboxKey(person), OUTBOX_TTL_MS);
    }
    const results = await tx.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('redis transaction aborted');
  }

  async appendOutbox(person: string, entries: string[]): Promise<void> {
    if (entries.length === 0) return;
    await this.redis.multi().rpush(this.outboxKey(person), ...entries).pexpire(this.outboxKey(person), OUTBOX_TTL_MS).exec();
  }

  async peekOutbox(person: string): Promise<string | undefined> {
    return (await this.redis.lindex(this.outboxKey(person), 0)) ?? undefined;
  }

  async popOutbox(person: string): Promise<void> {
    await this.redis.lpop(this.outboxKey(person));
  }

  /** The connection belongs to whoever made it (main.ts shares one between stores). */
  async close(): Promise<void> {}
}
