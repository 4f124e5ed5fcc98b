// One contract for every RateLimiter (memory and Redis): a fixed window per person, one 'first-over' a window.
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryRateLimiter, RedisRateLimiter, type RateLimiter, type RateLimitOptions, type RateVerdict } from '../../src/delivery/rate-limit.ts';
import { connect, deleteKeys, testPrefix } from '../helpers/redis.ts';

const redis = connect();
const prefixes: string[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function hits(limiter: RateLimiter, person: string, n: number): Promise<RateVerdict[]> {
  const out: RateVerdict[] = [];
  for (let i = 0; i < n; i++) out.push(await limiter.hit(person, Date.now()));
  return out;
}

const oks = (n: number): RateVerdict[] => Array.from({ length: n }, () => 'ok');
const overs = (n: number): RateVerdict[] => Array.from({ length: n }, () => 'over');

// Windows run on the real clock (Redis' expiry), so the memory limiter is given Date.now() too.
function contract(name: string, make: (opts?: RateLimitOptions) => RateLimiter) {
  describe(`${name} rate limiter`, () => {
    it('allows 20 messages a minute by default, says first-over once, then over', async () => {
      const limiter = make();
      expect(await hits(limiter, 'telegram:1', 25)).toEqual([...oks(20), 'first-over', ...overs(4)]);
    });

    it('takes its limit from the constructor', async () => {
      const limiter = make({ limit: 3, windowMs: 60_000 });
      expect(await hits(limiter, 'telegram:2', 5)).toEqual([...oks(3), 'first-over', 'over']);
    });

    it('never lets one person’s flood touch another person', async () => {
      const limiter = make({ limit: 5, windowMs: 60_000 });
      const flood = await Promise.all(Array.from({ length: 200 }, () => limiter.hit('telegram:flood', Date.now())));
      expect(flood.filter((v) => v === 'ok')).toHaveLength(5);
      expect(flood.filter((v) => v === 'first-over')).toHaveLength(1);
      expect(flood.filter((v) => v === 'over')).toHaveLength(194);
      expect(await hits(limiter, 'telegram:calm', 5)).toEqual(oks(5));
      expect(await hits(limiter, 'messenger:flood', 5)).toEqual(oks(5));
      expect(await limiter.hit('telegram:calm', Date.now())).toBe('first-over');
    });

    it('starts afresh in the next window, with one more first-over there', async () => {
      const limiter = make({ limit: 2, windowMs: 300 });
      expect(await hits(limiter, 'webchat:w', 4)).toEqual(['ok', 'ok', 'first-over', 'over']);
      await sleep(400);
      expect(await hits(limiter, 'webchat:w', 4)).toEqual(['ok', 'ok', 'first-over', 'over']);
    });

    it('refuses a limit or window that is not a positive integer', () => {
      expect(() => make({ limit: 0 })).toThrow(RangeError);
      expect(() => make({ limit: 2.5 })).toThrow(RangeError);
      expect(() => make({ windowMs: 0 })).toThrow(RangeError);
    });
  });
}

contract('memory', (opts) => new MemoryRateLimiter(opts));
contract('redis', (opts) => {
  const prefix = testPrefix('rate');
  prefixes.push(prefix);
  return new RedisRateLimiter(redis, prefix, opts);
});

describe('MemoryRateLimiter', () => {
  it('follows the clock it is given', async () => {
    const limiter = new MemoryRateLimiter({ limit: 1, windowMs: 1_000 });
    expect(await limiter.hit('p', 10_000)).toBe('ok');
    expect(await limiter.hit('p', 10_999)).toBe('first-over');
    expect(await limiter.hit('p', 10_999)).toBe('over');
    expect(await limiter.hit('p', 11_000)).toBe('ok');
  });
});

describe('RedisRateLimiter keys', () => {
  it('counts under the person’s hash tag, expiring with the window', async () => {
    const prefix = testPrefix('rate-key');
    prefixes.push(prefix);
    const limiter = new RedisRateLimiter(redis, prefix, { limit: 2, windowMs: 5_000 });
    await limiter.hit('telegram:7012345678', Date.now());
    await limiter.hit('telegram:7012345678', Date.now());
    const key = `${prefix}{telegram:7012345678}:rate`;
    expect(limiter.key('telegram:7012345678')).toBe(key);
    expect(await redis.get(key)).toBe('2');
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5_000);
  });

  it('gives a counter left without an expiry one, so it cannot block a person for good', async () => {
    const prefix = testPrefix('rate-heal');
    prefixes.push(prefix);
    const limiter = new RedisRateLimiter(redis, prefix, { limit: 1, windowMs: 5_000 });
    await redis.set(limiter.key('telegram:9'), '7');
    expect(await limiter.hit('telegram:9', Date.now())).toBe('over');
    expect(await redis.pttl(limiter.key('telegram:9'))).toBeGreaterThan(0);
  });
});

afterAll(async () => {
  for (const p of prefixes) await deleteKeys(redis, p);
  await redis.quit();
});
