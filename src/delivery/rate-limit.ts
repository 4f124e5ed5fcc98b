// A per-person rate limit, so that one person's flood (or a script's) cannot hold up everyone else's replies.
// A fixed window: the first message opens it; up to `limit` messages in it are 'ok'; the first one over is
// 'first-over' (one calm reply), every later one in the window 'over' (dropped silently).
import type { Redis } from 'ioredis';
import { runScript } from '../store/scripts.ts';

export type RateVerdict = 'ok' | 'first-over' | 'over';

export interface RateLimiter {
  /** Counts one message of `person` (the person key, "telegram:123") and says what to do with it. */
  hit(person: string, now: number): Promise<RateVerdict>;
}

export interface RateLimitOptions {
  /** Messages allowed a window (default 20). */
  limit?: number;
  /** The window's length in ms (default 60 000). */
  windowMs?: number;
}

export const DEFAULT_RATE_LIMIT = 20;
export const DEFAULT_RATE_WINDOW_MS = 60_000;

function settings(opts: RateLimitOptions): { limit: number; windowMs: number } {
  const limit = opts.limit ?? DEFAULT_RATE_LIMIT;
  const windowMs = opts.windowMs ?? DEFAULT_RATE_WINDOW_MS;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`rate limit must be a positive integer, got ${limit}`);
  if (!Number.isSafeInteger(windowMs) || windowMs < 1) throw new RangeError(`rate window must be a positive integer of ms, got ${windowMs}`);
  return { limit, windowMs };
}

function verdict(count: number, limit: number): RateVerdict {
  if (count <= limit) return 'ok';
  return count === limit + 1 ? 'first-over' : 'over';
}

// The first hit of a window starts its expiry; a counter that somehow has none gets one rather than living on.
const HIT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

/**
 * One counter a person, `${prefix}{<person>}:rate` (the person's hash tag, as their session), shared by every
 * process. The window runs on Redis' clock (the key's expiry), so `now` is not used here.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly limit: number;
  private readonly windowMs: number;

  constructor(redis: Redis, prefix: string, opts: RateLimitOptions = {}) {
    this.redis = redis;
    this.prefix = prefix;
    ({ limit: this.limit, windowMs: this.windowMs } = settings(opts));
  }

  key(person: string): string {
    return `${this.prefix}{${person}}:rate`;
  }

  async hit(person: string, _now: number): Promise<RateVerdict> {
    const count = Number(await runScript(this.redis, HIT, [this.key(person)], [this.windowMs]));
    return verdict(count, this.limit);
  }
}

const SWEEP_EVERY = 1000;

/** One process: the same windows, on the caller's clock. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; ends: number }>();
  private readonly limit: number;
  private readonly windowMs: number;
  private hits = 0;

  constructor(opts: RateLimitOptions = {}) {
    ({ limit: this.limit, windowMs: this.windowMs } = settings(opts));
  }

  async hit(person: string, now: number): Promise<RateVerdict> {
    if (++this.hits % SWEEP_EVERY === 0) this.sweep(now);
    let window = this.windows.get(person);
    if (!window || window.ends <= now) {
      window = { count: 0, ends: now + this.windowMs };
      this.windows.set(person, window);
    }
    window.count += 1;
    return verdict(window.count, this.limit);
  }

  /** Ended windows are dropped as new hits come, so people who wrote once do not pile up in memory. */
  private sweep(now: number): void {
    for (const [person, window] of this.windows) if (window.ends <= now) this.windows.delete(person);
  }
}
