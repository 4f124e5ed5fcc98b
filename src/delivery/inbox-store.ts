/**
 * The inbox: shards of an append-only log. One person always maps to one shard, and one worker owns a
 * shard at a time (a lease), so a person's messages are handled one after another, in order, even with
 * several server processes on one Redis.
 */
export interface InboxStore {
  readonly shards: number;
  /** Atomically remembers `dedupeId` (48 h) and appends the item, unless the id was seen before. */
  append(shard: number, dedupeId: string, item: string): Promise<'stored' | 'duplicate'>;
  /** Entries after `after`, waiting up to `blockMs` for the first one to arrive. */
  read(shard: number, after: string, count: number, blockMs: number): Promise<{ id: string; item: string }[]>;
  /** The id of the last entry handled in this shard ("0-0" before any). */
  cursor(shard: number): Promise<string>;
  /** Moves the cursor to `id` if `worker` still owns the shard; false if it lost the shard. */
  advance(shard: number, id: string, worker: string): Promise<boolean>;
  /** Claims a free shard, or renews the worker's own claim; true while the shard is the worker's. */
  claim(shard: number, worker: string, leaseMs: number): Promise<boolean>;
  release(shard: number, worker: string): Promise<void>;
  /** Marks the worker alive for `leaseMs`; returns how many workers are alive. */
  heartbeat(worker: string, leaseMs: number): Promise<number>;
  leave(worker: string): Promise<void>;
  /** Keeps a message that could not be delivered, for an operator to see (7 days, newest 10,000). */
  deadLetter(entry: string): Promise<void>;
  close(): Promise<void>;
}

/** How long a platform message id is remembered for deduplication: Telegram keeps updates 24 h. */
export const DEDUPE_TTL_MS = 48 * 3_600_000;

/** The shard of a person: FNV-1a of the person key. */
export function shardOf(person: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < person.length; i++) {
    hash ^= person.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}
