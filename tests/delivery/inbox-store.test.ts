// One contract for the inbox: Redis (production) and memory (one process) behave the same.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { shardOf, type InboxStore } from '../../src/delivery/inbox-store.ts';
import { MemoryInboxStore } from '../../src/delivery/memory-inbox.ts';
import { RedisInboxStore } from '../../src/delivery/redis-inbox.ts';
import { connect, deleteKeys, testPrefix } from '../helpers/redis.ts';

const redis = connect();
const prefixes: string[] = [];

function contract(name: string, make: () => InboxStore) {
  describe(`${name} inbox store`, () => {
    let store: InboxStore;
    beforeEach(() => {
      store = make();
    });

    it('appends once per dedupe id and reads back in order after a cursor', async () => {
      expect(await store.append(1, 'tg:1', 'a')).toBe('stored');
      expect(await store.append(1, 'tg:2', 'b')).toBe('stored');
      expect(await store.append(1, 'tg:1', 'a again')).toBe('duplicate');
      const all = await store.read(1, '0-0', 10, 0);
      expect(all.map((e) => e.item)).toEqual(['a', 'b']);
      const after = await store.read(1, all[0]?.id ?? '', 10, 0);
      expect(after.map((e) => e.item)).toEqual(['b']);
      expect(await store.read(2, '0-0', 10, 0)).toEqual([]);
    });

    it('waits for the next entry when asked to block', async () => {
      const waiting = store.read(3, '0-0', 10, 5_000);
      await store.append(3, 'x', 'late');
      expect((await waiting).map((e) => e.item)).toEqual(['late']);
    });

    it('gives a shard to one worker at a time, and moves the cursor only for its owner', async () => {
      expect(await store.claim(4, 'w1', 60_000)).toBe(true);
      expect(await store.claim(4, 'w2', 60_000)).toBe(false);
      expect(await store.claim(4, 'w1', 60_000)).toBe(true);
      await store.append(4, 'm', 'one');
      const [entry] = await store.read(4, await store.cursor(4), 10, 0);
      expect(await store.advance(4, entry?.id ?? '', 'w2')).toBe(false);
      expect(await store.cursor(4)).toBe('0-0');
      expect(await store.advance(4, entry?.id ?? '', 'w1')).toBe(true);
      expect(await store.cursor(4)).toBe(entry?.id);
      await store.release(4, 'w1');
      expect(await store.claim(4, 'w2', 60_000)).toBe(true);
    });

    it('hands a shard over when its lease runs out', async () => {
      expect(await store.claim(5, 'dead', 100)).toBe(true);
      await new Promise((r) => setTimeout(r, 250));
      expect(await store.claim(5, 'alive', 60_000)).toBe(true);
    });

    it('counts live workers', async () => {
      expect(await store.heartbeat('a', 60_000)).toBeGreaterThanOrEqual(1);
      const two = await store.heartbeat('b', 60_000);
      await store.leave('b');
      expect(await store.heartbeat('a', 60_000)).toBe(two - 1);
    });
  });
}

contract('memory', () => new MemoryInboxStore(8));
contract('redis', () => {
  const prefix = testPrefix('inbox');
  prefixes.push(prefix);
  return new RedisInboxStore(redis, prefix, 8);
});

describe('shardOf', () => {
  it('puts one person always in the same shard and spreads people over all shards', () => {
    expect(shardOf('telegram:42', 16)).toBe(shardOf('telegram:42', 16));
    const used = new Set(Array.from({ length: 400 }, (_, i) => shardOf(`telegram:${i}`, 16)));
    expect(used.size).toBe(16);
  });
});

afterAll(async () => {
  for (const p of prefixes) await deleteKeys(redis, p);
  await redis.quit();
});
