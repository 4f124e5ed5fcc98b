// The broadcaster on a virtual clock: the pace stays under Telegram's limits, deterministically.
import { describe, expect, it } from 'vitest';
import { Broadcaster, MemoryBroadcastStore } from '../../src/awareness/broadcast.ts';
import { MemorySubscriberStore } from '../../src/awareness/subscribers.ts';
import type { InboxItem } from '../../src/delivery/types.ts';
import { createLogger } from '../../src/log.ts';

describe('broadcaster', () => {
  it('never sends more than 25 messages in any second of its own clock, one per person', async () => {
    let now = 1_800_000_000_000;
    const subscribers = new MemorySubscriberStore();
    for (let i = 0; i < 100; i++) await subscribers.put({ person: `telegram:${i}`, channel: 'telegram', userId: String(i), lang: 'en', lastUserAt: now });
    const sent: { at: number; item: InboxItem; id: string }[] = [];
    const b = new Broadcaster({
      store: new MemoryBroadcastStore(),
      subscribers,
      log: createLogger('silent'),
      perSecond: 25,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
      deliver: async (item, id) => {
        sent.push({ at: now, item, id });
        now += 2; // the inbox write takes a little time
      },
    });
    await b.create({ texts: { en: 'hello' }, langs: ['en'], channels: ['telegram'], at: new Date(now).toISOString() }, 'boss');
    await b.tick();
    expect(sent).toHaveLength(100);
    expect(new Set(sent.map((s) => s.item.userId)).size).toBe(100);
    for (const s of sent) {
      const inWindow = sent.filter((o) => o.at >= s.at && o.at < s.at + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(25);
    }
    // A second tick finds it done: nobody twice.
    await b.tick();
    expect(sent).toHaveLength(100);
    expect((await b.list())[0]).toMatchObject({ status: 'done', total: 100, queued: 100 });
  });
});
