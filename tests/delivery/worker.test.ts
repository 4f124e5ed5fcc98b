// The delivery worker on real Redis: order per person, once-only answers, retries, takeover after a crash.
// Platforms are not involved here: a recording Sender stands for them (the channel tests use fake servers).
import { afterAll, describe, expect, it } from 'vitest';
import { ShardedInbox } from '../../src/delivery/inbox.ts';
import { shardOf } from '../../src/delivery/inbox-store.ts';
import { MemoryInboxStore } from '../../src/delivery/memory-inbox.ts';
import { RedisInboxStore } from '../../src/delivery/redis-inbox.ts';
import { PermanentSendError, RetryableSendError, type InboxItem, type OutboxMessage, type Sender } from '../../src/delivery/types.ts';
import { DeliveryWorker } from '../../src/delivery/worker.ts';
import { Metrics } from '../../src/http/metrics.ts';
import { createLogger } from '../../src/log.ts';
import { MemorySessionStore } from '../../src/store/memory.ts';
import { RedisSessionStore } from '../../src/store/redis.ts';
import type { SessionStore } from '../../src/store/types.ts';
import { makeService } from '../helpers/service.ts';
import { connect, deleteKeys, testPrefix } from '../helpers/redis.ts';

const redis = connect();
const prefixes: string[] = [];

class RecordingSender implements Sender {
  readonly channel = 'test';
  readonly sent: OutboxMessage[] = [];
  failures: Error[] = [];
  async send(entry: OutboxMessage): Promise<void> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push(entry);
  }
  textsFor(userId: string): string[] {
    return this.sent.filter((e) => e.userId === userId).map((e) => e.text.split('\n')[0] ?? '');
  }
}

function setup(kind: 'redis' | 'memory', shards = 8) {
  const prefix = testPrefix('worker');
  prefixes.push(prefix);
  const store = kind === 'redis' ? new RedisInboxStore(redis, prefix, shards) : new MemoryInboxStore(shards);
  const sessions: SessionStore = kind === 'redis' ? new RedisSessionStore(redis, prefix) : new MemorySessionStore();
  const test = makeService({ sessions });
  const sender = new RecordingSender();
  const metrics = new Metrics();
  const waits: number[] = [];
  const worker = (leaseMs = 60_000) =>
    new DeliveryWorker({
      store,
      sessions,
      service: test.service,
      senders: [sender],
      log: createLogger('silent'),
      metrics,
      leaseMs,
      pollMs: 50,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
  const inbox = new ShardedInbox(store);
  const item = (userId: string, text: string, extra: Partial<InboxItem> = {}): InboxItem => ({
    channel: 'test',
    userId,
    text,
    langHint: 'en',
    at: Date.now(),
    ...extra,
  });
  return { store, ...test, sender, metrics, waits, worker, inbox, item };
}

/** Waits until the condition holds (the worker runs in the background), failing after a while. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(['redis', 'memory'] as const)('delivery worker (%s)', (kind) => {
  it('answers every message once, in order, and passes escalations on', async () => {
    const s = setup(kind);
    const w = s.worker();
    await w.start();
    for (const [i, text] of ['hi', 'English', '3'].entries()) await s.inbox.accept(s.item('p1', text), `m${i}`);
    await until(() => s.escalations.length > 0 && s.sender.textsFor('p1').length >= 4, 'replies');
    await w.stop();
    const texts = s.sender.textsFor('p1');
    expect(texts[0]).toContain('Hello!');
    expect(texts[1]).toContain('This is an automated service');
    expect(texts[2]).toContain('You are not alone');
    expect(s.escalations[0]?.event).toMatchObject({ priority: 'urgent', reason: 'help_request' });
  });

  it('answers a redelivered message only once', async () => {
    const s = setup(kind);
    expect(await s.inbox.accept(s.item('p2', 'hi'), 'same')).toBe('stored');
    expect(await s.inbox.accept(s.item('p2', 'hi'), 'same')).toBe('duplicate');
    const w = s.worker();
    await w.start();
    await until(() => s.sender.sent.length >= 1, 'reply');
    await w.stop();
    expect(s.sender.textsFor('p2')).toHaveLength(1);
  });

  it('retries a 429 after retry_after and a 5xx with backoff, then sends once', async () => {
    const s = setup(kind);
    s.sender.failures = [new RetryableSendError('429', 1_000), new RetryableSendError('500')];
    const w = s.worker();
    await w.start();
    await s.inbox.accept(s.item('p3', 'hi'), 'r1');
    await until(() => s.sender.sent.length >= 1, 'reply');
    await w.stop();
    expect(s.waits).toEqual([1_000, 1_000]);
    expect(s.sender.textsFor('p3')).toHaveLength(1);
    expect(s.metrics.get('hotline_outbound_retries_total', { channel: 'test' })).toBe(2);
  });

  it('keeps a message that cannot be sent as failed (log, metric, dead letter) and goes on', async () => {
    const s = setup(kind);
    s.sender.failures = [new PermanentSendError('blocked by the person')];
    const w = s.worker();
    await w.start();
    await s.inbox.accept(s.item('p4', 'hi'), 'f1');
    await s.inbox.accept(s.item('p4', 'English'), 'f2');
    await until(() => s.sender.sent.length >= 1, 'second reply');
    await w.stop();
    expect(s.metrics.get('hotline_outbound_failed_total', { channel: 'test' })).toBe(1);
    expect(s.sender.textsFor('p4')[0]).toContain('This is an automated service');
    if (s.store instanceof MemoryInboxStore) expect(s.store.deadLetters()).toHaveLength(1);
    else expect(await redis.llen(`${prefixes.at(-1)}dead-letter`)).toBe(1);
  });

  it('tells the desk when a counsellor’s message cannot be delivered for good', async () => {
    const s = setup(kind);
    const told: { person: string; reason: string }[] = [];
    const w = new DeliveryWorker({
      store: s.store,
      sessions: s.sessions,
      service: s.service,
      senders: [s.sender],
      log: createLogger('silent'),
      metrics: s.metrics,
      pollMs: 50,
      onUndeliverable: async (person, reason) => {
        told.push({ person, reason });
      },
    });
    s.sender.failures = [new PermanentSendError('outside the 7-day window')];
    await w.start();
    await s.inbox.accept({ ...s.item('p9', 'Are you safe?'), origin: 'counsellor' }, 'h1');
    await until(() => told.length > 0, 'the desk told');
    await w.stop();
    expect(told).toEqual([{ person: 'test:p9', reason: 'outside the 7-day window' }]);
  });

  it('after a crash between saving and sending, the next worker sends what was pending exactly once', async () => {
    const s = setup(kind);
    await s.inbox.accept(s.item('p5', 'hi'), 'c1');
    // A worker that died after it applied the message (session and outbox written) but before sending:
    const [entry] = await s.store.read(shardOf('test:p5', s.store.shards), '0-0', 1, 0);
    if (!entry) throw new Error('no entry');
    const item = JSON.parse(entry.item) as InboxItem;
    await s.service.handle({ channel: item.channel, userId: item.userId, text: item.text ?? '', langHint: 'en' }, { seq: entry.id, userAt: item.at });
    expect(s.sender.sent).toHaveLength(0);
    const w = s.worker();
    await w.start();
    await until(() => s.sender.sent.length >= 1, 'pending reply');
    await s.inbox.accept(s.item('p5', 'English'), 'c2');
    await until(() => s.sender.sent.length >= 2, 'next reply');
    await w.stop();
    const texts = s.sender.textsFor('p5');
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain('Hello!');
  });

  it('shares the shards between two workers and keeps every person in order', async () => {
    const s = setup(kind);
    const a = s.worker(600);
    const b = s.worker(600);
    await a.start();
    await b.start();
    // Let both tick: each ends with its fair share.
    await until(() => a.shards().length === 4 && b.shards().length === 4, 'fair shares');
    const people = Array.from({ length: 12 }, (_, i) => `q${i}`);
    const script = ['hi', 'English', '1', '1', '1', '1'];
    for (const [n, text] of script.entries()) {
      for (const p of people) await s.inbox.accept(s.item(p, text), `${p}:${n}`);
    }
    await until(() => people.every((p) => s.sender.textsFor(p).length >= 6), 'all replies');
    await Promise.all([a.stop(), b.stop()]);
    for (const p of people) {
      const texts = s.sender.textsFor(p);
      expect(texts.slice(2), p).toEqual([
        "Let's check the job offer: 10 quick questions. Tap the answer that fits best.",
        '2/10 Did anyone ask you to pay a fee to get this job?',
        '3/10 Do you have a written contract?',
        '4/10 Who will keep your passport at work?',
      ]);
    }
    expect(new Set(s.sender.sent.map((e) => e.userId)).size).toBe(12);
  });
});

afterAll(async () => {
  for (const p of prefixes) await deleteKeys(redis, p);
  await redis.quit();
});
