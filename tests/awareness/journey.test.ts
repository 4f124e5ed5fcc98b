// Journey check-ins: opt in with a date and a place (nothing more), check-ins on the departure day, after
// arrival and around payday, a follow-up case after two unanswered reminders, and ending deletes the data.
import { describe, expect, it } from 'vitest';
import { MemoryScheduleStore } from '../../src/awareness/scheduler.ts';
import { Awareness } from '../../src/awareness/tips.ts';
import type { CounsellorDesk, Outbound } from '../../src/conversation/types.ts';
import { createLogger } from '../../src/log.ts';
import { content, makeService } from '../helpers/service.ts';

type Message = Extract<Outbound, { type: 'message' }>;
const texts = (events: Outbound[]) => events.filter((e): e is Message => e.type === 'message').map((e) => e.text);
const t = (key: string, vars?: Record<string, string>) => content().t('en', key, vars);

function setup() {
  let now = Date.parse('2026-11-25T03:00:00Z');
  const schedule = new MemoryScheduleStore();
  const desk: { calls: Parameters<CounsellorDesk['escalate']>[0][] } & CounsellorDesk = {
    calls: [],
    async escalate(input) {
      desk.calls.push(input);
      return [];
    },
    async fromPerson() {
      return false;
    },
    async forget() {},
  };
  const ref: { a?: Awareness } = {};
  // One clock for the conversation ("that date has already passed") and the schedule.
  const s = makeService({
    now: () => now,
    desk,
    awareness: {
      setTips: (p, who, f) => ref.a?.setTips(p, who, f) ?? Promise.resolve(),
      setJourney: (p, who, d) => ref.a?.setJourney(p, who, d) ?? Promise.resolve(),
    },
  });
  const person = { channel: 'webchat', userId: 'traveller', langHint: 'en' };
  ref.a = new Awareness({
    schedule,
    log: createLogger('silent'),
    now: () => now,
    deliver: (who, signal) => s.service.deliverLocal({ channel: who.channel, userId: who.userId, text: signal, origin: 'system' }),
  });
  const collect = async () => texts(await s.service.collect('webchat', person.userId));
  const at = async (iso: string) => {
    now = Date.parse(iso);
    await ref.a?.tick();
    return collect();
  };
  return { ...s, schedule, desk, person, at, collect };
}

/** The payload of a button of the check-in now waiting, as the web chat would send it. */
async function payloadOf(s: ReturnType<typeof setup>, label: string): Promise<string> {
  const raw = JSON.parse((await s.sessions.load('webchat:traveller')) ?? '{}') as { state: { turn: number } };
  return `${raw.state.turn}.${label === t('journey.need_help') ? 'help' : 'ok'}`;
}

async function optIn(s: ReturnType<typeof setup>) {
  await s.service.handle({ ...s.person, text: 'hi' });
  await s.service.handle({ ...s.person, text: 'English' });
  const ask = await s.service.handle({ ...s.person, text: '/journey' });
  expect(texts(ask.events).join('\n')).toContain(t('journey.ask_date'));
  expect(texts((await s.service.handle({ ...s.person, text: 'next tuesday' })).events)[0]).toContain(t('journey.invalid_date'));
  expect(texts((await s.service.handle({ ...s.person, text: '31/02/2027' })).events)[0]).toContain(t('journey.invalid_date'));
  expect(texts((await s.service.handle({ ...s.person, text: '2020-01-01' })).events).join('\n')).toContain(t('journey.past'));
  expect(texts((await s.service.handle({ ...s.person, text: '1/12/2026' })).events)[0]).toBe(t('journey.ask_place'));
  expect(texts((await s.service.handle({ ...s.person, text: 'Bangkok, soi 12' })).events)[0]).toContain(t('journey.invalid_place'));
  const done = await s.service.handle({ ...s.person, text: 'Bangkok' });
  expect(texts(done.events)[0]).toBe(t('journey.done', { date: '2026-12-01', place: 'Bangkok' }));
}

describe('journey check-ins', () => {
  it('checks in on the departure day; an answer stops the reminders', async () => {
    const s = setup();
    await optIn(s);
    expect(await s.at('2026-11-30T03:00:00Z')).toEqual([]);
    const asked = await s.at('2026-12-01T02:00:00Z');
    expect(asked[0]).toBe(t('journey.ok_ask'));
    expect(texts((await s.service.handle({ ...s.person, text: t('journey.ok') })).events)[0]).toContain(t('journey.glad'));
    expect(await s.at('2026-12-02T02:01:00Z')).toEqual([]);
    expect(await s.at('2026-12-03T02:02:00Z')).toEqual([]);
    expect(s.desk.calls).toEqual([]);
    // A few days after arrival, the next check-in.
    expect((await s.at('2026-12-04T02:00:00Z'))[0]).toBe(t('journey.ok_ask'));
  });

  it('reminds twice, then opens a follow-up case with the journey details', async () => {
    const s = setup();
    await optIn(s);
    expect((await s.at('2026-12-01T02:00:00Z'))[0]).toBe(t('journey.ok_ask'));
    expect((await s.at('2026-12-02T02:00:00Z'))[0]).toBe(t('journey.ok_ask'));
    expect((await s.at('2026-12-03T02:00:00Z'))[0]).toBe(t('journey.ok_ask'));
    expect(await s.at('2026-12-04T01:59:00Z')).toEqual([]);
    await s.at('2026-12-04T02:00:00Z');
    expect(s.desk.calls).toContainEqual(
      expect.objectContaining({ priority: 'medium', reason: 'checkin_missed', summary: expect.objectContaining({ vars: { journey_date: '2026-12-01', journey_place: 'Bangkok' } }) }),
    );
  });

  it('"I need help" at a check-in is an escalation', async () => {
    const s = setup();
    await optIn(s);
    await s.at('2026-12-01T02:00:00Z');
    // Tapped, not typed: typed, "help" is a help word and opens get-help, which escalates too.
    const r = await s.service.handle({ ...s.person, payload: await payloadOf(s, t('journey.need_help')) });
    expect(texts(r.events).join('\n')).toContain(t('journey.help_coming'));
    expect(s.desk.calls).toContainEqual(expect.objectContaining({ priority: 'high', reason: 'checkin_help' }));
  });

  it('ending the check-ins cancels them and deletes the date and the place', async () => {
    const s = setup();
    await optIn(s);
    await s.service.handle({ ...s.person, text: '/stop' });
    const raw = (await s.sessions.load('webchat:traveller')) ?? '';
    expect(raw).not.toContain('Bangkok');
    expect(raw).not.toContain('2026-12-01');
    expect(await s.schedule.claimDue(Date.parse('2027-12-31T00:00:00Z'), 100)).toEqual([]);
  });
});
