// The desk with a fixed clock: what a person is told on escalation, inside and outside duty hours, lease
// expiry telling the counsellor, /forget, and encryption at rest.
import { describe, expect, it } from 'vitest';
import { MemoryBus, type DeskEvent } from '../../src/escalation/bus.ts';
import { Desk, type Delivery } from '../../src/escalation/desk.ts';
import { Duty, parseDutyHours } from '../../src/escalation/duty.ts';
import { MemoryCaseStore } from '../../src/escalation/memory-cases.ts';
import { Sealer } from '../../src/escalation/sealer.ts';
import { createLogger } from '../../src/log.ts';
import { content } from '../helpers/service.ts';

// Monday 2026-11-23 10:00 in Vientiane (UTC+7).
const MONDAY_10 = Date.parse('2026-11-23T10:00:00+07:00');
const SATURDAY_10 = Date.parse('2026-11-28T10:00:00+07:00');

function makeDesk(start: number) {
  let now = start;
  const cases = new MemoryCaseStore(() => now);
  const bus = new MemoryBus();
  const events: DeskEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const delivered: Delivery[] = [];
  const sealer = Sealer.ephemeral();
  const desk = new Desk({
    cases,
    sealer,
    bus,
    duty: new Duty(parseDutyHours('mon-fri 08:00-17:00') ?? [], 'Asia/Vientiane'),
    t: content().t,
    log: createLogger('silent'),
    deliver: async (_c, m) => {
      delivered.push(m);
    },
    leaseMs: 90_000,
    capacity: 3,
    retentionMs: 30 * 86_400_000,
    averageChatMinutes: 10,
    now: () => now,
  });
  return { desk, cases, events, delivered, sealer, tick: (ms: number) => (now += ms) };
}

const summary = { flow: 'get-help', score: 0, flags: ['job.flag.documents'], answers: [{ question: 'help.ask_safe', answer: 'help.danger' }], vars: { message: 'locked in' } };
const escalation = (person: string, priority: 'urgent' | 'medium' = 'urgent') => ({
  person: `telegram:${person}`,
  channel: 'telegram',
  userId: person,
  lang: 'en',
  priority,
  reason: 'help_request',
  summary,
});

describe('desk', () => {
  it('tells the person their place and a rough wait from the counsellors online', async () => {
    const { desk } = makeDesk(MONDAY_10);
    const alone = await desk.escalate(escalation('a', 'medium'));
    expect(alone[0]?.type === 'message' && alone[0].text).toBe(
      'You are number 1 in the queue. No counsellor is online right now; the first one back will answer you here.',
    );
    await desk.heartbeat('noy');
    const second = await desk.escalate(escalation('b', 'medium'));
    expect(second[0]?.type === 'message' && second[0].text).toContain('number 2 in the queue. Rough wait: about 20 minutes');
  });

  it('outside duty hours says when someone will answer, in the person’s language', async () => {
    const { desk } = makeDesk(SATURDAY_10);
    const [notice] = await desk.escalate(escalation('c'));
    expect(notice?.type === 'message' && notice.text).toContain('from Monday 08:00 (Vientiane time)');
    const [lao] = await desk.escalate({ ...escalation('d'), lang: 'lo' });
    const laoText = lao?.type === 'message' ? lao.text : '';
    expect(laoText).toContain('08:00');
    expect(laoText).toContain('ເວລາວຽງຈັນ');
  });

  it('puts a case back when its counsellor’s console is gone, and tells them', async () => {
    const { desk, events, tick } = makeDesk(MONDAY_10);
    await desk.escalate(escalation('e'));
    const taken = await desk.take('noy');
    tick(60_000);
    await desk.heartbeat('noy');
    tick(60_000);
    expect(await desk.reap()).toBe(0);
    tick(31_000);
    expect(await desk.reap()).toBe(1);
    expect(events).toContainEqual({ type: 'returned', caseId: taken.id, counsellor: 'noy' });
    // Kept for when noy's console comes back, said once.
    expect(await desk.notices('noy')).toEqual([{ type: 'returned', caseId: taken.id }]);
    expect(await desk.notices('noy')).toEqual([]);
    expect((await desk.queue()).map((c) => c.id)).toEqual([taken.id]);
  });

  it('keeps summaries and transcripts encrypted at rest and shows them decrypted to the holder', async () => {
    const { desk, cases, sealer } = makeDesk(MONDAY_10);
    await desk.escalate(escalation('f'));
    await desk.fromPerson('telegram:f', 'they took my phone', MONDAY_10);
    const taken = await desk.take('noy');
    const stored = await cases.get(taken.id);
    expect(stored?.sealedSummary).not.toContain('locked in');
    for (const line of await cases.transcript(taken.id)) expect(line).not.toContain('phone');
    expect(() => new Sealer(Buffer.alloc(32, 9)).open(stored?.sealedSummary ?? '')).toThrow();
    const view = await desk.read(taken.id, { username: 'noy', role: 'counsellor' }, 'en');
    expect(view.summary).toEqual({
      flags: ['Someone else would keep your passport. This is a strong sign of forced labour.'],
      answers: [{ question: 'We are asking a counsellor to write to you. Are you safe right now?', answer: "I'm in danger" }],
      message: 'locked in',
    });
    expect(view.transcript.map((l) => l.text)).toContain('they took my phone');
    expect(sealer.open(sealer.seal('ສະບາຍດີ'))).toBe('ສະບາຍດີ');
  });

  it('relays only while a counsellor holds the case, and forgets everything on /forget', async () => {
    const { desk, events } = makeDesk(MONDAY_10);
    expect(await desk.fromPerson('telegram:g', 'hello', MONDAY_10)).toBe(false);
    await desk.escalate(escalation('g'));
    expect(await desk.fromPerson('telegram:g', 'waiting', MONDAY_10)).toBe(false);
    const taken = await desk.take('noy');
    expect(await desk.fromPerson('telegram:g', 'now held', MONDAY_10)).toBe(true);
    await desk.forget('telegram:g');
    expect(events).toContainEqual({ type: 'closed', caseId: taken.id, counsellor: 'noy' });
    await expect(desk.read(taken.id, { username: 'noy', role: 'counsellor' }, 'en')).rejects.toThrow('no such case');
  });
});
