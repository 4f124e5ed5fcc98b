import { Redis } from 'ioredis';
import { runScript } from '../store/scripts.ts';
import { DEDUPE_TTL_MS, type InboxStore } from './inbox-store.ts';

const DEAD_LETTER_KEEP = 10_000;
const DEAD_LETTER_TTL_MS = 7 * 24 * 3_600_000;

// Each script touches keys of one shard only ({inbox:N} hash tag), so it runs on Redis Cluster too.
const APPEND = `
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then
  return redis.call('XADD', KEYS[1], '*', 'item', ARGV[1])
end
return false`;

const ADVANCE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('XTRIM', KEYS[3], 'MINID', '~', ARGV[2])
return 1`;

const CLAIM = `
local owner = redis.call('GET', KEYS[1])
if owner == false or owner == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

export class RedisInboxStore implements InboxStore {
  readonly shards: number;
  private readonly redis: Redis;
  private readonly prefix: string;
  /** Blocking reads hold a connection each: one per shard this process reads. */
  private readonly readers = new Map<number, Redis>();

  constructor(redis: Redis, prefix: string, shards: number) {
    this.redis = redis;
    this.prefix = prefix;
    this.shards = shards;
  }

  private key(shard: number, part: string): string {
    return `${this.prefix}{inbox:${shard}}:${part}`;
  }

  async append(shard: number, dedupeId: string, item: string): Promise<'stored' | 'duplicate'> {
    const id = await runScript(this.redis, APPEND, [this.key(shard, 'stream'), this.key(shard, `seen:${dedupeId}`)], [item, DEDUPE_TTL_MS]);
    return id ? 'stored' : 'duplicate';
  }

  async read(shard: number, after: string, count: number, blockMs: number): Promise<{ id: string; item: string }[]> {
    let reader = this.readers.get(shard);
    if (!reader) {
      reader = this.redis.duplicate();
      this.readers.set(shard, reader);
    }
    // BLOCK 0 would wait forever in Redis; a wait of 0 here means "do not wait".
    const stream = this.key(shard, 'stream');
    const res = (await (blockMs > 0
      ? reader.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', stream, after)
      : reader.xread('COUNT', count, 'STREAMS', stream, after))) as
      | [string, [string, string[]][]][]
      | null;
    const entries = res?.[0]?.[1] ?? [];
    return entries.map(([id, fields]) => ({ id, item: fields[1] ?? '' }));
  }

  async cursor(shard: number): Promise<string> {
    return (await this.redis.get(this.key(shard, 'cursor'))) ?? '0-0';
  }

  async advance(shard: number, id: string, worker: string): Promise<boolean> {
    const keys = [this.key(shard, 'owner'), this.key(shard, 'cursor'), this.key(shard, 'stream')];
    return (await runScript(this.redis, ADVANCE, keys, [worker, id])) === 1;
  }

  async claim(shard: number, worker: string, leaseMs: number): Promise<boolean> {
    return (await runScript(this.redis, CLAIM, [this.key(shard, 'owner')], [worker, leaseMs])) === 1;
  }

  async release(shard: number, worker: string): Promise<void> {
    await runScript(this.redis, RELEASE, [this.key(shard, 'owner')], [worker]);
    const reader = this.readers.get(shard);
    this.readers.delete(shard);
    reader?.disconnect();
  }

  async heartbeat(worker: string, leaseMs: number): Promise<number> {
    const key = `${this.prefix}workers`;
    const now = Date.now();
    const [, , [, count] = []] = (await this.redis
      .multi()
      .zadd(key, now + leaseMs, worker)
      .zremrangebyscore(key, '-inf', now)
      .zcard(key)
      .exec()) ?? [];
    return Number(count ?? 1);
  }

  async leave(worker: string): Promise<void> {
    await this.redis.zrem(`${this.prefix}workers`, worker);
  }

  async deadLetter(entry: string): Promise<void> {
    const key = `${this.prefix}dead-letter`;
    await this.redis.multi().lpush(key, entry).ltrim(key, 0, DEAD_LETTER_KEEP - 1).pexpire(key, DEAD_LETTER_TTL_MS).exec();
  }

  async close(): Promise<void> {
    for (const reader of this.readers.values()) reader.disconnect();
    this.readers.clear();
  }
}
