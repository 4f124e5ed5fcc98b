// The case queue contract, on real Redis and in memory.
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryCaseStore } from '../../src/escalation/memory-cases.ts';
import { RedisCaseStore } from '../../src/escalation/redis-cases.ts';
import type { CaseStore, NewEscalation } from '../../src/escalation/types.ts';
import type { Priority } from '../../src/engine/index.ts';
import { connect, deleteKeys, testPrefix } from '../helpers/redis.ts';

const redis = connect();
const prefixes: string[] = [];
const T0 = 1_763_800_000_000;

const esc = (person: string, priority: Priority, at: number, reason = 'r'): NewEscalation => ({
  person: `telegram:${person}`,
  channel: 'telegram',
  userId: person,
  lang: 'lo',
  priority,
  reason,
  sealedSummary: `sealed-${person}`,
  at,
});

function contract(name: string, make: () => CaseStore) {
  describe(`${name} case store`, () => {
    it('orders by priority, then by waiting time, and tells each person their place', async () => {
      const s = make();
      expect((await s.escalate(esc('a', 'medium', T0))).position).toBe(1);
      expect((await s.escalate(esc('b', 'low', T0 + 1))).position).toBe(2);
      expect((await s.escalate(esc('c', 'urgent', T0 + 2))).position).toBe(1);
      await s.escalate(esc('d', 'medium', T0 + 3));
      expect((await s.queued()).map((c) => c.userId)).toEqual(['c', 'a', 'd', 'b']);
    });

    it('keeps one open case per person: a second escalation can raise the priority, never lower it', async () => {
      const s = make();
      const first = await s.escalate(esc('p', 'low', T0, 'asked_for_counsellor'));
      await s.escalate(esc('q', 'high', T0 + 1));
      const raised = await s.escalate(esc('p', 'urgent', T0 + 5, 'help_request'));
      expect(raised.created).toBe(false);
      expect(raised.case.id).toBe(first.case.id);
      expect(raised.case).toMatchObject({ priority: 'urgent', reason: 'help_request', createdAt: T0 });
      expect(raised.position).toBe(1);
      const lowered = await s.escalate(esc('p', 'low', T0 + 9, 'help_cancelled'));
      expect(lowered.case).toMatchObject({ priority: 'urgent', reason: 'help_request' });
      expect((await s.queued()).map((c) => c.userId)).toEqual(['p', 'q']);
    });

    it('gives the first case to "take next", holds it with a lease, and respects capacity', async () => {
      const s = make();
      await s.escalate(esc('a', 'low', T0));
      await s.escalate(esc('b', 'urgent', T0 + 1));
      const first = await s.takeNext('noy', 1, 60_000, T0 + 10);
      expect('taken' in first && first.taken).toMatchObject({ userId: 'b', status: 'held', counsellor: 'noy', leaseUntil: T0 + 60_010 });
      expect(await s.takeNext('noy', 1, 60_000, T0 + 11)).toEqual({ full: true });
      const second = await s.takeNext('kham', 3, 60_000, T0 + 12);
      expect('taken' in second && second.taken.userId).toBe('a');
      expect(await s.takeNext('kham', 3, 60_000, T0 + 13)).toEqual({ empty: true });
      expect((await s.held('noy')).map((c) => c.userId)).toEqual(['b']);
    });

    it('never gives one case to two of ten counsellors taking at the same moment', async () => {
      const s = make();
      for (let i = 0; i < 6; i++) await s.escalate(esc(`x${i}`, 'high', T0 + i));
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => s.takeNext(`c${i}`, 3, 60_000, T0 + 100)));
      const taken = results.flatMap((r) => ('taken' in r ? [r.taken.id] : []));
      expect(taken).toHaveLength(6);
      expect(new Set(taken).size).toBe(6);
      expect(results.filter((r) => 'empty' in r)).toHaveLength(4);
    });

    it('returns a case to its original place when the lease runs out, and says who held it', async () => {
      const s = make();
      await s.escalate(esc('first', 'high', T0));
      await s.escalate(esc('second', 'high', T0 + 1));
      const r = await s.takeNext('noy', 3, 1_000, T0 + 10);
      await s.renew('noy', 1_000, T0 + 500);
      expect(await s.expire(T0 + 1_400)).toEqual([]);
      const expired = await s.expire(T0 + 1_600);
      expect(expired.map((c) => [c.userId, c.counsellor])).toEqual([['first', 'noy']]);
      expect((await s.queued()).map((c) => c.userId)).toEqual(['first', 'second']);
      expect(await s.held('noy')).toEqual([]);
      expect('taken' in r).toBe(true);
    });

    it('transfers to another counsellor or back to the queue, and closes with an outcome', async () => {
      const s = make();
      await s.escalate(esc('a', 'medium', T0));
      const r = await s.takeNext('noy', 3, 60_000, T0 + 1);
      const id = 'taken' in r ? r.taken.id : '';
      expect(await s.transfer(id, 'kham', 60_000, T0 + 2)).toMatchObject({ counsellor: 'kham', status: 'held' });
      expect(await s.held('noy')).toEqual([]);
      expect(await s.transfer(id, undefined, 60_000, T0 + 3)).toMatchObject({ status: 'queued' });
      await expect(s.transfer(id, 'noy', 60_000, T0 + 4)).rejects.toThrow('not held');
      await s.takeNext('noy', 3, 60_000, T0 + 5);
      const closed = await s.close(id, 'referred', T0 + 6, 60_000);
      expect(closed).toMatchObject({ status: 'closed', outcome: 'referred', closedAt: T0 + 6 });
      expect(await s.openCaseOf('telegram:a')).toBeUndefined();
      await expect(s.close(id, 'other', T0 + 7, 60_000)).rejects.toThrow('not open');
      // A new escalation after the close opens a new case.
      expect((await s.escalate(esc('a', 'low', T0 + 8))).created).toBe(true);
    });

    it('keeps transcripts per case and forgets every case of a person', async () => {
      const s = make();
      const { case: c } = await s.escalate(esc('f', 'high', T0));
      await s.append(c.id, 'line-1');
      await s.append(c.id, 'line-2');
      expect(await s.transcript(c.id)).toEqual(['line-1', 'line-2']);
      await s.takeNext('noy', 3, 60_000, T0 + 1);
      await s.close(c.id, 'advice_given', T0 + 2, 60_000);
      const { case: again } = await s.escalate(esc('f', 'low', T0 + 3));
      expect((await s.forget('telegram:f')).sort()).toEqual([c.id, again.id].sort());
      expect(await s.get(c.id)).toBeUndefined();
      expect(await s.transcript(c.id)).toEqual([]);
      expect(await s.queued()).toEqual([]);
      expect(await s.held('noy')).toEqual([]);
    });

    it('keeps notices for an absent counsellor and hands them out once', async () => {
      const s = make();
      await s.notify('noy', 'one');
      await s.notify('noy', 'two');
      expect(await s.takeNotices('noy')).toEqual(['one', 'two']);
      expect(await s.takeNotices('noy')).toEqual([]);
      expect(await s.takeNotices('kham')).toEqual([]);
    });

    it('keeps an audit log of who did what to which case', async () => {
      const s = make();
      await s.audit({ at: T0, counsellor: 'noy', action: 'open', caseId: 'c_1' });
      await s.audit({ at: T0 + 1, counsellor: 'kham', action: 'close', caseId: 'c_1' });
      expect((await s.auditLog(10)).map((e) => e.action)).toEqual(['close', 'open']);
    });
  });
}

contract('memory', () => new MemoryCaseStore());
contract('redis', () => {
  const prefix = testPrefix('cases');
  prefixes.push(prefix);
  return new RedisCaseStore(redis, prefix);
});

afterAll(async () => {
  for (const p of prefixes) await deleteKeys(redis, p);
  await redis.quit();
});
