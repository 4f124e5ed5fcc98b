import type { SessionStore } from './types.ts';

const SWEEP_EVERY = 1000;

/** One process, nothing kept across restarts: the default when REDIS_URL is unset. */
export class MemorySessionStore implements SessionStore {
  private readonly items = new Map<string, { value: string; expires: number }>();
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

  async close(): Promise<void> {
    this.items.clear();
  }

  /** Expired sessions are removed as new ones are written, so idle people do not pile up in memory. */
  private sweep(): void {
    const now = this.now();
    for (const [key, item] of this.items) if (item.expires <= now) this.items.delete(key);
  }
}
