// Tips and quizzes: opt in (never by default) in each language, choose how often, get a tip and a quiz
// question when due with an instant explanation, stop with /stop, the button, or the word for stop.
import { describe, expect, it } from 'vitest';
import { MemoryScheduleStore } from '../../src/awareness/scheduler.ts';
import { Awareness, FREQUENCIES } from '../../src/awareness/tips.ts';
import type { Outbound } from '../../src/conversation/types.ts';
import { createLogger } from '../../src/log.ts';
import { content, makeService } from '../helpers/service.ts';

type Message = Extract<Outbound, { type: 'message' }>;
const texts = (events: Outbound[]) => events.filter((e): e is Message => e.type === 'message').map((e) => e.text);

function setup() {
  let now = Date.parse('2026-11-23T03:00:00Z');
  const schedule = new MemoryScheduleStore();
  const ref: { awareness?: Awareness } = {};
  const s = makeService({
    awareness: {
      setTips: (p, who, f) => ref.awareness?.setTips(p, who, f) ?? Promise.resolve(),
      setJourney: (p, who, d) => ref.awareness?.setJourney(p, who, d) ?? Promise.resolve(),
    },
  });
  const awareness = new Awareness({
    schedule,
    log: createLogger('silent'),
    now: () => now,
    deliver: (who, signal) => s.service.deliverLocal({ channel: who.channel, userId: who.userId, text: signal, origin: 'system' }),
  });
  ref.awareness = awareness;
  return { ...s, schedule, awareness, tick: (ms: number) => (now += ms) };
}

describe.each(['lo', 'th', 'en'] as const)('tips and quiz (%s)', (lang) => {
  const t = (key: string) => content().t(lang, key);

  it('asks before anything is sent, lets the person choose how often, and delivers a tip with a quiz', async () => {
    const s = setup();
    const person = { channel: 'webchat', userId: `u-${lang}`, langHint: lang };
    await s.service.handle({ ...person, text: 'hi' });
    await s.service.handle({ ...person, text: t(`language.${lang}`) });
    // Nothing is scheduled by default.
    s.tick(FREQUENCIES['weekly'] ?? 0);
    expect(await s.awareness.tick()).toBe(0);

    const ask = await s.service.handle({ ...person, text: '/tips' });
    expect(texts(ask.events)[0]).toBe(t('tips.subscribe.ask'));
    await s.service.handle({ ...person, text: t('tips.subscribe.yes') });
    const done = await s.service.handle({ ...person, text: t('tips.subscribe.weekly') });
    expect(texts(done.events)[0]).toBe(t('tips.subscribe.done'));

    s.tick((FREQUENCIES['weekly'] ?? 0) - 1000);
    expect(await s.awareness.tick()).toBe(0);
    s.tick(2000);
    expect(await s.awareness.tick()).toBe(1);
    const tip = await s.service.collect('webchat', person.userId);
    const shown = tip.map((e) => (e.type === 'message' ? e.text : '')).join('\n');
    expect(shown).toContain(t('tips.tip.header'));
    expect(shown).toContain(t('tips.tip.t01'));
    expect(shown).toContain(t('tips.quiz.q01.ask'));

    // The quiz answer gets an instant explanation.
    const right = (await import('../../locales/en/tips.json', { with: { type: 'json' } })).default.quiz.q01.right;
    const answer = await s.service.handle({ ...person, text: t(`tips.quiz.q01.${right}`) });
    expect(texts(answer.events)[0]).toContain(t('tips.quiz.right'));
    expect(texts(answer.events)[0]).toContain(t('tips.quiz.q01.why'));

    // The next one is booked a week on.
    s.tick(FREQUENCIES['weekly'] ?? 0);
    expect(await s.awareness.tick()).toBe(1);
  });

  it('stops with /stop, with the word for stop, and with the button', async () => {
    for (const stop of ['/stop', lang === 'lo' ? 'ຢຸດ' : lang === 'th' ? 'หยุด' : 'stop', 'button']) {
      const s = setup();
      const person = { channel: 'webchat', userId: `s-${lang}-${stop}`, langHint: lang };
      await s.service.handle({ ...person, text: 'hi' });
      await s.service.handle({ ...person, text: t(`language.${lang}`) });
      await s.service.handle({ ...person, text: '/tips' });
      await s.service.handle({ ...person, text: '1' });
      await s.service.handle({ ...person, text: '2' }); // daily
      if (stop === 'button') {
        await s.service.handle({ ...person, payload: 'go:tips-stop' });
      } else {
        const r = await s.service.handle({ ...person, text: stop });
        expect(texts(r.events)[0]).toBe(t('commands.stopped'));
      }
      s.tick(FREQUENCIES['daily'] ?? 0);
      expect(await s.awareness.tick(), stop).toBe(0);
    }
  });
});
