// One contract for every SessionStore: the memory store and the Redis store must behave the same.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../src/store/memory.ts';
import { RedisSessionStore } from '../../src/store/redis.ts';
import type { SessionStore } from '../../src/store/types.ts';
import { connect, countKeys, deleteKeys, testPrefix } from '../helpers/redis.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function contract(name: string, make: () => SessionStore) {
  describe(`${name} session store`, () => {
    let store: SessionStore;
    beforeEach(() => {
      store = make();
    });

    it('gives back what was saved, per person', async () => {
      await store.save('telegram:1', '{"a":1}', 60_000);
      await store.save('telegram:2', '{"b":2}', 60_000);
      expect(await store.load('telegram:1')).toBe('{"a":1}');
      expect(await store.load('telegram:2')).toBe('{"b":2}');
      expect(await store.load('telegram:3')).toBeUndefined();
    });

    it('overwrites on save and forgets on delete', async () => {
      await store.save('webchat:x', 'one', 60_000);
      await store.save('webchat:x', 'two', 60_000);
      expect(await store.load('webchat:x')).toBe('two');
      await store.delete('webchat:x');
      expect(await store.load('webchat:x')).toBeUndefined();
      await store.delete('webchat:never-saved');
    });

    it('keeps Lao, Thai and emoji text intact', async () => {
      const value = JSON.stringify({ t: 'ສະບາຍດີ สวัสดี 🙏' });
      await store.save('console:u', value, 60_000);
      expect(await store.load('console:u')).toBe(value);
    });

    it('commits a session and its outbox together, and hands the outbox out in order', async () => {
      await store.commit('tg:9', '{"s":1}', 60_000, ['m1', 'm2']);
      await store.commit('tg:9', '{"s":2}', 60_000, ['m3']);
      expect(await store.load('tg:9')).toBe('{"s":2}');
      const seen: string[] = [];
      for (let next = await store.peekOutbox('tg:9'); next !== undefined; next = await store.peekOutbox('tg:9')) {
        seen.push(next);
        await store.popOutbox('tg:9');
      }
      expect(seen).toEqual(['m1', 'm2', 'm3']);
      await store.popOutbox('tg:9');
      expect(await store.peekOutbox('tg:9')).toBeUndefined();
    });

    it('deletes the session on a null commit but still queues the outbox (the "deleted" confirmation)', async () => {
      await store.save('tg:10', 'x', 60_000);
      await store.commit('tg:10', null, 60_000, ['bye']);
      expect(await store.load('tg:10')).toBeUndefined();
      expect(await store.peekOutbox('tg:10')).toBe('bye');
      await store.popOutbox('tg:10');
    });

    it('lets a session expire after its idle time, and a new save restarts the timer', async () => {
      await store.save('idle:1', 'short', 150);
      await store.save('idle:2', 'long', 60_000);
      await sleep(400);
      expect(await store.load('idle:1')).toBeUndefined();
      expect(await store.load('idle:2')).toBe('long');
    });
  });
}

contract('memory', () => new MemorySessionStore());

const redis = connect();
const prefix = testPrefix('sessions');
contract('redis', () => new RedisSessionStore(redis, prefix));

describe('redis session store layout', () => {
  it("keeps one person's key in one hash slot and sets a TTL", async () => {
    const store = new RedisSessionStore(redis, prefix);
    await store.save('messenger:42', 'v', 60_000);
    const key = store.key('messenger:42');
    expect(key).toBe(`${prefix}{messenger:42}:session`);
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });
});

afterAll(async () => {
  await deleteKeys(redis, prefix);
  expect(await countKeys(redis, prefix)).toBe(0);
  await redis.quit();
});
