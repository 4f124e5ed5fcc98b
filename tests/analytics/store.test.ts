// The analytics store's contract, on the real Redis (own key prefix, cleaned up) and in memory.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dayOf,
  daysEnding,
  MAX_OBSERVATIONS_PER_DAY,
  MemoryAnalyticsStore,
  RedisAnalyticsStore,
  RETENTION_SECONDS,
  type AnalyticsStore,
} from '../../src/analytics/store.ts';
import { connect, countKeys, deleteKeys, testPrefix } from '../helpers/redis.ts';

let redis: Redis;
const prefix = testPrefix('analytics-store');

beforeAll(() => {
  redis = connect();
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  expect(await countKeys(redis, prefix)).toBe(0);
  redis.disconnect();
});

const stores: [string, () => AnalyticsStore][] = [
  ['memory', () => new MemoryAnalyticsStore({ now: () => Date.UTC(2025, 5, 1) })],
  ['redis', () => new RedisAnalyticsStore(redis, `${prefix}${Math.random().toString(36).slice(2, 8)}:`)],
];

describe.each(stores)('analytics store contract: %s', (_name, make) => {
  it('counts per day, name and labels; label order does not matter', async () => {
    const store = make();
    await store.incr('2025-05-30', 'conversations', { lang: 'lo', channel: 'telegram' });
    await store.incr('2025-05-30', 'conversations', { channel: 'telegram', lang: 'lo' }, 2);
    await store.incr('2025-05-30', 'conversations', { lang: 'th', channel: 'webchat' });
    await store.incr('2025-05-31', 'conversations', { lang: 'lo', channel: 'telegram' });
    await store.incr('2025-05-31', 'waits_total', {});
    const [a, b, empty] = await store.read(['2025-05-30', '2025-05-31', '2025-06-01']);
    expect(a).toEqual({
      day: '2025-05-30',
      counters: [
        { name: 'conversations', labels: { channel: 'telegram', lang: 'lo' }, value: 3 },
        { name: 'conversations', labels: { channel: 'webchat', lang: 'th' }, value: 1 },
      ],
      observations: {},
    });
    expect(b?.counters).toEqual([
      { name: 'conversations', labels: { channel: 'telegram', lang: 'lo' }, value: 1 },
      { name: 'waits_total', labels: {}, value: 1 },
    ]);
    expect(empty).toEqual({ day: '2025-06-01', counters: [], observations: {} });
    expect(await store.read([])).toEqual([]);
  });

  it('keeps observations per day in order, the first 10,000 only', async () => {
    const store = make();
    await store.observe('2025-05-30', 'wait_seconds', 12);
    await store.observe('2025-05-30', 'wait_seconds', 3.5);
    await store.observe('2025-05-31', 'wait_seconds', 0);
    const [a, b] = await store.read(['2025-05-30', '2025-05-31']);
    expect(a?.observations).toEqual({ wait_seconds: [12, 3.5] });
    expect(b?.observations).toEqual({ wait_seconds: [0] });

    for (let i = 0; i < MAX_OBSERVATIONS_PER_DAY + 5; i += 1) await store.observe('2025-04-01', 'wait_seconds', i);
    const [full] = await store.read(['2025-04-01']);
    expect(full?.observations['wait_seconds']).toHaveLength(MAX_OBSERVATIONS_PER_DAY);
    expect(full?.observations['wait_seconds']?.at(-1)).toBe(MAX_OBSERVATIONS_PER_DAY - 1);
  }, 60_000);

  it('refuses what is not a day, a word, or a count, and writes nothing then', async () => {
    const store = make();
    const refused = [
      store.incr('30/05/2025', 'conversations', {}),
      store.incr('2025-05-30', 'Conversations', {}),
      store.incr('2025-05-30', 'conversations', { lang: 'lo|x=y' }),
      store.incr('2025-05-30', 'conversations', { lang: '+8562055512345' }),
      store.incr('2025-05-30', 'conversations', { lang: 'please help me i am locked in' }),
      store.incr('2025-05-30', 'conversations', { 'a=b': 'lo' }),
      store.incr('2025-05-30', 'conversations', {}, -1),
      store.incr('2025-05-30', 'conversations', {}, 1.5),
      store.observe('2025-05-30', 'wait_seconds', Number.NaN),
      store.observe('2025-05-30', 'wait_seconds', -1),
      store.observe('2025-05-30', 'wait|x', 1),
    ];
    for (const p of refused) await expect(p).rejects.toThrow();
    expect(await store.read(['2025-05-30'])).toEqual([{ day: '2025-05-30', counters: [], observations: {} }]);
  });
});

describe('redis layout', () => {
  it('one hash a day with name|k=v fields and one list a day, both with a 400-day TTL', async () => {
    const p = `${prefix}layout:`;
    const store = new RedisAnalyticsStore(redis, p);
    await store.incr('2025-05-30', 'escalations', { priority: 'urgent', channel: 'messenger' });
    await store.observe('2025-05-30', 'wait_seconds', 42);
    expect(await redis.hgetall(`${p}analytics:2025-05-30`)).toEqual({ 'escalations|channel=messenger|priority=urgent': '1' });
    expect(await redis.lrange(`${p}analytics:2025-05-30:obs`, 0, -1)).toEqual(['wait_seconds|42']);
    for (const key of [`${p}analytics:2025-05-30`, `${p}analytics:2025-05-30:obs`]) {
      const ttl = await redis.ttl(key);
      expect(ttl).toBeGreaterThan(RETENTION_SECONDS - 60);
      expect(ttl).toBeLessThanOrEqual(RETENTION_SECONDS);
    }
    expect(RETENTION_SECONDS).toBe(400 * 86_400);
    // A field another program wrote is skipped, not misread.
    await redis.hset(`${p}analytics:2025-05-30`, 'Not A Field', '3');
    expect((await store.read(['2025-05-30']))[0]?.counters).toHaveLength(1);
  });
});

describe('days', () => {
  it('dayOf takes the day in the time zone', () => {
    // 2025-05-30 18:30 UTC is already the 31st in Vientiane (UTC+7), still the 30th in UTC.
    const at = Date.UTC(2025, 4, 30, 18, 30);
    expect(dayOf(at, 'Asia/Vientiane')).toBe('2025-05-31');
    expect(dayOf(at, 'UTC')).toBe('2025-05-30');
    expect(dayOf(Date.UTC(2025, 0, 1, 0, 0), 'America/New_York')).toBe('2024-12-31');
  });

  it('daysEnding counts back calendar days, across months and leap days', () => {
    expect(daysEnding('2024-03-02', 3)).toEqual(['2024-02-29', '2024-03-01', '2024-03-02']);
    expect(daysEnding('2025-01-01', 2)).toEqual(['2024-12-31', '2025-01-01']);
    expect(daysEnding('2025-05-30', 400)).toHaveLength(400);
  });

  it('memory forgets days older than 400 days when a new day starts', async () => {
    let now = Date.UTC(2024, 0, 1);
    const store = new MemoryAnalyticsStore({ now: () => now });
    await store.incr('2024-01-01', 'conversations', { lang: 'lo' });
    now = Date.UTC(2025, 3, 1);
    await store.incr('2025-04-01', 'conversations', { lang: 'lo' });
    expect((await store.read(['2024-01-01']))[0]?.counters).toEqual([]);
  });
});
