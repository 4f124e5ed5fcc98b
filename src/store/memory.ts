import { OUTBOX_TTL_MS, type SessionStore } from './types.ts';

const SWEEP_EVERY = 1000;

/** One process, nothing kept across restarts: the default when REDIS_URL is unset. */
export class MemorySessionStore implements SessionStore {
  private readonly items = new Map<string, { value: string; expires: number }>();
  private readonly outboxes = new Map<string, { entries: string[]; expires: number }>();
  private readonly now: () => number;
  private writes = 0;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  async load(key: string): Promise<string | undefined> {
    const item = this.items.get(key);
    if (!item) return undefined;
    if (item.expires <= this.now()) {
      this.items.delete(key);
      return undefined;
    }
    return item.value;
  }

  async save(key: string, value: string, ttlMs: number): Promise<void> {
    if (++this.writes % SWEEP_EVERY === 0) this.sweep();
    this.items.set(key, { value, expires: this.now() + ttlMs });
  }

  async delete(key: string): Promise<void> {
    this.items.delete(key);
  }

  async commit(key: string, value: string | null, ttlMs: number, outbox: string[]): Promise<void> {
    if (value === null) this.items.delete(key);
    else await this.save(key, value, ttlMs);
    if (outbox.length > 0) await this.appendOutbox(key, outbox);
  }

  async appendOutbox(key: string, entries: string[]): Promise<void> {
    const box = this.liveOutbox(key) ?? { entries: [], expires: 0 };
    box.entries.push(...entries);
    box.expires = this.now() + OUTBOX_TTL_MS;
    this.outboxes.set(key, box);
  }

  async peekOutbox(key: string): Promise<string | undefined> {
    return this.liveOutbox(key)?.entries[0];
  }

  async outbox(key: string): Promise<string[]> {
    return [...(this.liveOutbox(key)?.entries ?? [])];
  }

  async popOutbox(key: string): Promise<void> {
    const box = this.liveOutbox(key);
    box?.entries.shift();
    if (box && box.entries.length === 0) this.outboxes.delete(key);
  }

  async close(): Promise<void> {
    this.items.clear();
    this.outboxes.clear();
  }

  private liveOutbox(key: string): { entries: string[]; expires: number } | undefined {
    const box = this.outboxes.get(key);
    if (box && box.expires <= this.now()) {
      this.outboxes.delete(key);
      return undefined;
    }
    return box;
  }

  /** Expired sessions are removed as new ones are written, so idle people do not pile up in memory. */
  private sweep(): void {
    const now = this.now();
    for (const [key, item] of this.items) if (item.expires <= now) this.items.delete(key);
  }
}
