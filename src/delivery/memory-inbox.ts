import { EventEmitter } from 'node:events';
import { DEDUPE_TTL_MS, type InboxStore } from './inbox-store.ts';
import { compareSeq } from '../conversation/service.ts';

/**
 * The inbox in one process (memory mode): the same contract as Redis, so the same worker code runs.
 * Nothing survives a restart, as memory mode says at start-up.
 */
export class MemoryInboxStore implements InboxStore {
  readonly shards: number;
  private readonly logs: { id: string; item: string }[][];
  private readonly cursors: string[];
  private readonly owners = new Map<number, { worker: string; until: number }>();
  private readonly seen = new Map<string, number>();
  private readonly workers = new Map<string, number>();
  private readonly dead: string[] = [];
  private readonly appended = new EventEmitter();
  private lastMs = 0;
  private lastSeq = 0;
  private readonly now: () => number;

  constructor(shards: number, now: () => number = Date.now) {
    this.shards = shards;
    this.now = now;
    this.logs = Array.from({ length: shards }, () => []);
    this.cursors = Array.from({ length: shards }, () => '0-0');
    this.appended.setMaxListeners(0);
  }

  async append(shard: number, dedupeId: string, item: string): Promise<'stored' | 'duplicate'> {
    const key = `${shard}:${dedupeId}`;
    const now = this.now();
    if ((this.seen.get(key) ?? 0) > now) return 'duplicate';
    if (this.seen.size > 100_000) for (const [k, until] of this.seen) if (until <= now) this.seen.delete(k);
    this.seen.set(key, now + DEDUPE_TTL_MS);
    this.logs[shard]?.push({ id: this.nextId(), item });
    this.appended.emit(String(shard));
    return 'stored';
  }

  async read(shard: number, after: string, count: number, blockMs: number): Promise<{ id: string; item: string }[]> {
    const pick = () => (this.logs[shard] ?? []).filter((e) => compareSeq(e.id, after) > 0).slice(0, count);
    const ready = pick();
    if (ready.length > 0 || blockMs <= 0) return ready;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.appended.off(String(shard), done);
        resolve();
      };
      const timer = setTimeout(done, blockMs);
      this.appended.on(String(shard), done);
    });
    return pick();
  }

  async cursor(shard: number): Promise<string> {
    return this.cursors[shard] ?? '0-0';
  }

  async advance(shard: number, id: string, worker: string): Promise<boolean> {
    if (this.owners.get(shard)?.worker !== worker) return false;
    this.cursors[shard] = id;
    const log = this.logs[shard];
    if (log) this.logs[shard] = log.filter((e) => compareSeq(e.id, id) > 0);
    return true;
  }

  async claim(shard: number, worker: string, leaseMs: number): Promise<boolean> {
    const owner = this.owners.get(shard);
    if (owner && owner.worker !== worker && owner.until > this.now()) return false;
    this.owners.set(shard, { worker, until: this.now() + leaseMs });
    return true;
  }

  async release(shard: number, worker: string): Promise<void> {
    if (this.owners.get(shard)?.worker === worker) this.owners.delete(shard);
  }

  async heartbeat(worker: string, leaseMs: number): Promise<number> {
    const now = this.now();
    this.workers.set(worker, now + leaseMs);
    for (const [w, until] of this.workers) if (until <= now) this.workers.delete(w);
    return this.workers.size;
  }

  async leave(worker: string): Promise<void> {
    this.workers.delete(worker);
  }

  async deadLetter(entry: string): Promise<void> {
    this.dead.unshift(entry);
    this.dead.length = Math.min(this.dead.length, 10_000);
  }

  /** What was given up on, newest first (for tests and the operator). */
  deadLetters(): readonly string[] {
    return this.dead;
  }

  async close(): Promise<void> {
    this.appended.emit('close');
  }

  /** Ids shaped like Redis stream ids ("<ms>-<n>"), always increasing. */
  private nextId(): string {
    const ms = Math.max(this.now(), this.lastMs);
    this.lastSeq = ms === this.lastMs ? this.lastSeq + 1 : 0;
    this.lastMs = ms;
    return `${ms}-${this.lastSeq}`;
  }
}
