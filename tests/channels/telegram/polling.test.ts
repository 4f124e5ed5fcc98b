import { afterEach, describe, expect, it } from 'vitest';
import { startPolling, type Polling } from '../../../src/channels/telegram/polling.ts';
import { createTelegramApi } from '../../../src/channels/telegram/setup.ts';
import { ShardedInbox } from '../../../src/delivery/inbox.ts';
import { MemoryInboxStore } from '../../../src/delivery/memory-inbox.ts';
import type { Inbox, InboxItem } from '../../../src/delivery/types.ts';
import { createLogger } from '../../../src/log.ts';
import { FakeTelegram, type FakeCall, type FakeUpdate } from '../../helpers/fake-telegram.ts';

const chat = { id: 7012345678, first_name: 'Noy', type: 'private' };
const from = { id: 7012345678, is_bot: false, first_name: 'Noy', language_code: 'en' };
const textUpdate = (id: number, text: string): FakeUpdate => ({
  update_id: id,
  message: { message_id: id, from, chat, date: 1_760_000_000 + id, text },
});

let fake: FakeTelegram | undefined;
let polling: Polling | undefined;
afterEach(async () => {
  await polling?.stop();
  await fake?.close();
  polling = undefined;
  fake = undefined;
});

function setup(opts: { longPollMs?: number; inbox?: (store: MemoryInboxStore) => Inbox } = {}) {
  const logs: string[] = [];
  const store = new MemoryInboxStore(1);
  const inbox = opts.inbox?.(store) ?? new ShardedInbox(store);
  const start = async () => {
    fake = await FakeTelegram.start({ longPollMs: opts.longPollMs });
    return fake;
  };
  const run = (f: FakeTelegram) => {
    polling = startPolling({ api: createTelegramApi(f.token, f.apiRoot), inbox, log: createLogger('debug', (l) => logs.push(l)), now: () => 42 });
    return polling;
  };
  const stored = async () => (await store.read(0, '0-0', 100, 0)).map((e) => JSON.parse(e.item) as InboxItem);
  return { store, logs, start, run, stored };
}

const offsetIs = (offset: number) => (c: FakeCall) => c.body.offset === offset;

describe('startPolling', () => {
  it('deletes the webhook once, keeping pending updates, then stores updates in order', async () => {
    const t = setup();
    const f = await t.start();
    f.pushUpdates(
      textUpdate(100, 'first'),
      { update_id: 101, edited_message: { message_id: 100, from, chat, date: 1, edit_date: 2, text: 'edited' } },
      textUpdate(102, 'second'),
      { update_id: 103, callback_query: { id: 'q1', from, chat_instance: '1', message: { message_id: 9, date: 1, chat }, data: '2.yes' } },
    );
    t.run(f);
    await f.waitForCall('getUpdates', offsetIs(104));

    expect(f.calls[0]).toEqual({ method: 'deleteWebhook', body: { drop_pending_updates: false } });
    expect(f.callsOf('deleteWebhook')).toHaveLength(1);
    expect(f.callsOf('getUpdates')[0]?.body).toEqual({ timeout: 25, allowed_updates: ['message', 'callback_query'] });
    expect((await t.stored()).map((i) => i.text ?? i.payload)).toEqual(['first', 'second', '2.yes']);
    expect((await t.stored())[2]).toMatchObject({ at: 42, meta: { callbackQueryId: 'q1' } });
    expect(f.pendingUpdateIds()).toEqual([]);
  });

  it('moves the offset past an update only after the inbox has stored it', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached: () => void = () => {};
    const atGate = new Promise<void>((resolve) => (reached = resolve));
    const t = setup({
      inbox: (store) => {
        const real = new ShardedInbox(store);
        return {
          async accept(item, id) {
            if (id === '2') {
              reached();
              await gate;
            }
            return real.accept(item, id);
          },
        };
      },
    });
    const f = await t.start();
    f.pushUpdates(textUpdate(1, 'one'), textUpdate(2, 'two'), textUpdate(3, 'three'));
    t.run(f);

    await atGate;
    // Update 2 is being stored: Telegram has confirmed nothing, and no later getUpdates has been asked.
    expect(f.pendingUpdateIds()).toEqual([1, 2, 3]);
    expect(f.callsOf('getUpdates').map((c) => c.body.offset)).toEqual([undefined]);
    expect((await t.stored()).map((i) => i.text)).toEqual(['one']);

    release();
    await f.waitForCall('getUpdates', offsetIs(4));
    expect((await t.stored()).map((i) => i.text)).toEqual(['one', 'two', 'three']);
    expect(f.pendingUpdateIds()).toEqual([]);
  });

  it('asks again from an update the inbox failed to store, and stores it once', async () => {
    let failed = false;
    const t = setup({
      inbox: (store) => {
        const real = new ShardedInbox(store);
        return {
          accept(item, id) {
            if (id === '12' && !failed) {
              failed = true;
              return Promise.reject(new Error('inbox unavailable'));
            }
            return real.accept(item, id);
          },
        };
      },
    });
    const f = await t.start();
    f.pushUpdates(textUpdate(11, 'one'), textUpdate(12, 'two'), textUpdate(13, 'three'));
    t.run(f);

    await f.waitForCall('getUpdates', offsetIs(14));
    // After the failure, only update 11 was confirmed (offset 12): 12 and 13 came again.
    expect(f.callsOf('getUpdates').map((c) => c.body.offset)).toEqual([undefined, 12, 14]);
    expect((await t.stored()).map((i) => i.text)).toEqual(['one', 'two', 'three']);
    expect(t.logs.join('\n')).toMatch(/polling failed/);
  });

  it('waits out a 429 and goes on', async () => {
    const t = setup();
    const f = await t.start();
    f.fail('getUpdates', { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 });
    f.pushUpdates(textUpdate(21, 'after the wait'));
    t.run(f);
    await f.waitForCall('getUpdates', offsetIs(22));
    expect((await t.stored()).map((i) => i.text)).toEqual(['after the wait']);
    expect(t.logs.some((l) => l.includes('"waitMs":1000'))).toBe(true);
  });

  it('stop() ends the loop while a long poll is open', async () => {
    // The fake would hold an empty getUpdates for a minute, longer than the test may take: stop must cancel it.
    const t = setup({ longPollMs: 60_000 });
    const f = await t.start();
    const p = t.run(f);
    await f.waitForCall('getUpdates');
    await p.stop();
    polling = undefined;
    expect(t.logs.join('\n')).toMatch(/long polling stopped/);
    expect(t.logs.join('\n')).not.toMatch(/polling failed/);
  });

  it('never logs what people wrote or their ids', async () => {
    const t = setup();
    const f = await t.start();
    f.pushUpdates(textUpdate(31, 'private words'));
    t.run(f);
    await f.waitForCall('getUpdates', offsetIs(32));
    const all = t.logs.join('\n');
    expect(all).not.toContain('private words');
    expect(all).not.toContain('7012345678');
    expect(all).not.toContain(f.token);
  });
});
