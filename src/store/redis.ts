import type { Redis } from 'ioredis';
import { runScript } from './scripts.ts';
import { OUTBOX_TTL_MS, type SessionStore } from './types.ts';

const COMMIT = `
if ARGV[2] == '0' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
if #ARGV > 3 then
  redis.call('RPUSH', KEYS[2], unpack(ARGV, 4))
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
end
return 1`;

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
    // One script: both keys share the person's hash tag, and a script runs whole or not at all.
    await runScript(this.redis, COMMIT, [this.key(person), this.outboxKey(person)], [value ?? '', value === null ? 0 : Math.max(1, Math.round(ttlMs)), OUTBOX_TTL_MS, ...outbox]);
  }

  async appendOutbox(person: string, entries: string[]): Promise<void> {
    if (entries.length === 0) return;
    await this.redis.multi().rpush(this.outboxKey(person), ...entries).pexpire(this.outboxKey(person), OUTBOX_TTL_MS).exec();
  }

  async peekOutbox(person: string): Promise<string | undefined> {
    return (await this.redis.lindex(this.outboxKey(person), 0)) ?? undefined;
  }

  async outbox(person: string): Promise<string[]> {
    return this.redis.lrange(this.outboxKey(person), 0, -1);
  }

  async popOutbox(person: string): Promise<void> {
    await this.redis.lpop(this.outboxKey(person));
  }

  /** The connection belongs to whoever made it (main.ts shares one between stores). */
  async close(): Promise<void> {}
}
