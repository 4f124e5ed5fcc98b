// Free text in the conversation: a crisis goes to help at once, a pasted job ad to the job check with only
// the questions it leaves open; a flood gets one calm reply; /hide on Telegram.
import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../../src/delivery/rate-limit.ts';
import type { Outbound } from '../../src/conversation/types.ts';
import { content, makeService } from '../helpers/service.ts';

const t = (key: string, lang = 'en') => content().t(lang, key, { hours: '24' });
type Message = Extract<Outbound, { type: 'message' }>;
const texts = (events: Outbound[]) => events.filter((e): e is Message => e.type === 'message').map((e) => e.text);

async function atMenu(limiter?: MemoryRateLimiter) {
  const s = makeService(limiter ? { limiter } : {});
  const person = { channel: 'telegram', userId: '77', langHint: 'en' };
  await s.service.handle({ ...person, text: 'hi' });
  await s.service.handle({ ...person, text: 'English' });
  return { ...s, person };
}

describe('free text in the conversation', () => {
  it('sends a crisis written in words to get-help at once, escalating with the text as evidence', async () => {
    const { service, person, escalations } = await atMenu();
    const { events } = await service.handle({ ...person, text: 'they locked me in the room and took my phone' });
    expect(texts(events)[0]).toContain(t('help.now'));
    expect(escalations[0]?.event).toMatchObject({ priority: 'urgent', reason: 'help_request' });
    expect(escalations[0]?.event.summary.vars['message']).toBe('they locked me in the room and took my phone');
    expect(escalations[0]?.event.summary.flags).toContain('assess.flag.confinement');
  });

  it('reads a pasted job ad: shows its warning signs, then asks only what it does not answer', async () => {
    const { service, person } = await atMenu();
    const ad = 'URGENT hiring!! online admin in Cambodia, 30,000 baht per month, no experience, ticket paid, agent fee 5000 baht';
    const { events } = await service.handle({ ...person, text: ad });
    const said = texts(events).join('\n');
    expect(said).toContain(t('job.ad_found'));
    expect(said).toContain(t('assess.flag.scam_job'));
    expect(said).toContain(t('assess.flag.high_pay'));
    // The ad answered source? no; fee yes; kind yes; pay yes; route (all arranged) yes: the first open one is "who offered it".
    expect(said).toContain(t('job.source.ask'));
    const asked: string[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await service.handle({ ...person, text: '1' });
      asked.push(...texts(r.events));
      if (asked.some((x) => x.includes(t('job.result.high')) || x.includes(t('job.result.medium')) || x.includes(t('job.result.low')))) break;
    }
    const all = asked.join('\n');
    for (const skipped of ['job.fee.ask', 'job.pay.ask', 'job.kind.ask', 'job.route.ask']) expect(all).not.toContain(t(skipped));
    for (const askedKey of ['job.contract.ask', 'job.passport.ask', 'job.employer.ask', 'job.hours.ask', 'job.freedom.ask']) expect(all).toContain(t(askedKey));
    expect(all).toContain(t('job.result.high'));
  });

  it('as the very first message, a pasted ad still says what the service is, then checks it', async () => {
    const { service } = makeService();
    const { events } = await service.handle({ channel: 'telegram', userId: 'new', langHint: 'lo', text: 'ວຽກແອັດມິນ ເງິນເດືອນ 30,000 ບາດ ຢູ່ບໍ່ແກ້ວ ພິມງານ' });
    const said = texts(events).join('\n');
    expect(said).toContain(t('start.privacy', 'lo'));
    expect(said).toContain(t('job.ad_found', 'lo'));
  });

  it('keeps ordinary chatter at a question as it was (asks again, no escalation)', async () => {
    const { service, person, escalations } = await atMenu();
    const { events } = await service.handle({ ...person, text: 'my passport expires soon, where do I renew it?' });
    expect(texts(events)[0]).toContain(t('engine.invalid_choice'));
    expect(escalations).toHaveLength(0);
  });

  it('answers text in an old Lao font encoding with a clear "could not read"', async () => {
    const { service, person } = await atMenu();
    const { events } = await service.handle({ ...person, text: 'ÊÐºÒ¬´Õ ¢éÍÂµéͧ¡Ò¹' });
    expect(texts(events)[0]).toContain(t('channel.unreadable'));
  });

  it('gives a flood one calm reply, drops the rest, and does not slow anyone else', async () => {
    const limiter = new MemoryRateLimiter({ limit: 5, windowMs: 60_000 });
    const { service, person } = await atMenu(limiter);
    const replies: string[][] = [];
    for (let i = 0; i < 10; i++) replies.push(texts((await service.handle({ ...person, text: 'spam' })).events));
    expect(replies.filter((r) => r.includes(t('channel.slow_down')))).toHaveLength(1);
    expect(replies.slice(-3).every((r) => r.length === 0)).toBe(true);
    const other = await service.handle({ channel: 'telegram', userId: 'someone-else', text: 'hi' });
    expect(texts(other.events)[0]).toContain(t('start.welcome'));
  });

  it('/hide on Telegram leaves one neutral line marked for deletion of the rest; elsewhere it says what to use', async () => {
    const { service, person, sessions } = await atMenu();
    await service.handle({ ...person, text: '/hide' }, { seq: '999-0', userAt: 1, meta: { messageId: '5' } });
    const entry = JSON.parse((await sessions.peekOutbox('telegram:77')) ?? '{}') as { text: string; meta: Record<string, string> };
    expect(entry).toMatchObject({ text: t('channel.hidden'), meta: { hide: '1', messageId: '5' } });
    const web = makeService();
    const { events } = await web.service.handle({ channel: 'webchat', userId: 'w', text: '/hide' });
    expect(texts(events)[0]).toBe(t('channel.hide_unavailable'));
  });
});
