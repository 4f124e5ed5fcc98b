import { describe, expect, it } from 'vitest';
import { flows } from '../../flows/index.ts';
import { normalize, parseCommand } from '../../src/conversation/service.ts';
import type { Outbound } from '../../src/conversation/types.ts';
import { defineFlow, type Flows } from '../../src/engine/index.ts';
import { content, makeService } from '../helpers/service.ts';

const t = (key: string, lang = 'en') => content().t(lang, key, { hours: '24' });
type Message = Extract<Outbound, { type: 'message' }>;
const messages = (events: Outbound[]) => events.filter((e): e is Message => e.type === 'message');
const lastButtons = (events: Outbound[]) => messages(events).at(-1)?.buttons ?? [];

async function atMenu(lang = 'en') {
  const s = makeService();
  const person = { channel: 'test', userId: 'u1' };
  await s.service.handle({ ...person, text: 'hello', langHint: lang });
  const reply = await s.service.handle({ ...person, text: t(`language.${lang}`) });
  return { ...s, person, reply };
}

describe('conversation service', () => {
  it('greets a new person in the language of their platform and offers the three languages', async () => {
    const { service } = makeService();
    const { events, lang } = await service.handle({ channel: 'test', userId: 'new', text: 'hi', langHint: 'th-TH' });
    expect(lang).toBe('th');
    expect(messages(events)[0]?.text).toContain(t('start.welcome', 'th'));
    expect(lastButtons(events).map((b) => b.label)).toEqual(['ລາວ', 'ไทย', 'English']);
  });

  it('falls back to the default language for an unknown hint', async () => {
    const { service } = makeService({ defaultLang: 'lo' });
    const { lang } = await service.handle({ channel: 'test', userId: 'x', text: 'hi', langHint: 'de' });
    expect(lang).toBe('lo');
  });

  it('says it is automated, what it keeps and for how long, right after the language', async () => {
    const { reply } = await atMenu();
    expect(messages(reply.events)[0]?.text).toContain(t('start.privacy'));
    expect(t('start.privacy')).toContain('24 hours');
    expect(t('start.privacy')).toContain('/forget');
  });

  it.each([
    ['help', 'en'],
    ['please HELP!', 'en'],
    ['ຊ່ວຍແດ່', 'lo'],
    ['ຊ່ວຍຂ້ອຍແດ່ ເຂົາບໍ່ໃຫ້ອອກ', 'lo'],
    ['ช่วยด้วย', 'th'],
    ['suay dae', 'lo'],
    ['Xuay noy', 'lo'],
  ])('opens get-help from a typed help word %j at any moment, with numbers first and an urgent escalation', async (text, lang) => {
    const { service, person, escalations } = await atMenu(lang);
    await service.handle({ ...person, text: t('menu.job', lang) });
    const { events } = await service.handle({ ...person, text });
    expect(messages(events)[0]?.text).toContain(t('help.now', lang));
    expect(messages(events)[0]?.text).toContain('1362');
    expect(events.find((e) => e.type === 'escalation')).toMatchObject({ priority: 'urgent', reason: 'help_request' });
    expect(escalations).toHaveLength(1);
  });

  it('does not take words that merely contain a help word for a cry for help', async () => {
    const { service, person } = await atMenu();
    const { events } = await service.handle({ ...person, text: 'helpful tips' });
    expect(events.some((e) => e.type === 'escalation')).toBe(false);
    expect(messages(events)[0]?.text).toBe(t('engine.invalid_choice') + '\n\n' + t('menu.ask'));
  });

  it('maps a typed number, a Lao or Thai digit, or a label in any language to the button', async () => {
    for (const typed of ['1', '໑', '๑', t('menu.job'), t('menu.job', 'lo'), t('menu.job', 'th').toUpperCase()]) {
      const { service, person } = await atMenu();
      const { events } = await service.handle({ ...person, text: typed });
      expect(messages(events)[0]?.text, typed).toContain(t('job.intro'));
    }
  });

  it('runs the commands /menu /language /help /start at any time', async () => {
    const { service, person } = await atMenu();
    await service.handle({ ...person, text: '1' });
    expect(lastButtons((await service.handle({ ...person, text: '/menu' })).events)[0]?.label).toBe(t('menu.job'));
    expect(messages((await service.handle({ ...person, text: '/language@hotline_bot' })).events)[0]?.text).toBe(t('language.ask'));
    const help = await service.handle({ ...person, text: '/HELP' });
    expect(help.events.some((e) => e.type === 'escalation')).toBe(true);
    expect(messages((await service.handle({ ...person, text: '/start' })).events)[0]?.text).toContain(t('start.welcome'));
  });

  it('answers an unknown command with the commands it knows, and changes nothing', async () => {
    const { service, person, sessions } = await atMenu();
    const before = await sessions.load('test:u1');
    const { events } = await service.handle({ ...person, text: '/hack' });
    expect(messages(events)[0]?.text).toBe(t('commands.unknown'));
    expect(lastButtons(events).map((b) => b.label)).toEqual([t('engine.button_menu'), t('engine.button_help')]);
    expect(await sessions.load('test:u1')).toBe(before);
  });

  it('asks before /forget deletes, keeps everything on "no", and deletes every trace on "yes"', async () => {
    const { service, person, sessions } = await atMenu();
    await service.handle({ ...person, text: '1' });
    const ask = await service.handle({ ...person, text: '/forget' });
    expect(messages(ask.events)[0]?.text).toBe(t('commands.forget_confirm'));
    const [yes, no] = lastButtons(ask.events);
    const kept = await service.handle({ ...person, payload: no?.payload ?? '' });
    expect(messages(kept.events).at(-1)?.text).toBe(`${t('commands.kept')}\n\n${t('job.source.ask')}`);
    expect(await sessions.load('test:u1')).toBeDefined();
    const done = await service.handle({ ...person, payload: yes?.payload ?? '' });
    expect(messages(done.events)[0]?.text).toBe(t('commands.forgotten'));
    expect(await sessions.load('test:u1')).toBeUndefined();
  });

  it('stops on /stop and comes back to the menu on the next message', async () => {
    const { service, person } = await atMenu();
    await service.handle({ ...person, text: '1' });
    expect(messages((await service.handle({ ...person, text: '/stop' })).events)[0]?.text).toBe(t('commands.stopped'));
    expect(messages((await service.handle({ ...person, text: 'back' })).events)[0]?.text).toBe(t('menu.ask'));
  });

  it.each([
    ['an empty message', ''],
    ['emoji only', '🙏🙏🙏'],
    ['10,000 characters', 'a'.repeat(10_000)],
    ['a payload-looking text', '99.job'],
  ])('answers %s at a question with a helpful reply and keeps the session', async (_name, text) => {
    const { service, person, sessions } = await atMenu();
    const before = JSON.parse((await sessions.load('test:u1')) ?? '{}') as { state: { stack: unknown } };
    const { events } = await service.handle({ ...person, text });
    expect(messages(events)[0]?.text).toContain(t('engine.invalid_choice'));
    const after = JSON.parse((await sessions.load('test:u1')) ?? '{}') as { state: { stack: unknown } };
    expect(after.state.stack).toEqual(before.state.stack);
    expect(await sessions.load('test:u1')).not.toContain('aaaaaaaaaa');
  });

  it('treats a button from an old menu, and the same button pressed twice, as stale', async () => {
    const { service, person, reply } = await atMenu();
    const job = lastButtons(reply.events)[0];
    const first = await service.handle({ ...person, payload: job?.payload ?? '' });
    expect(messages(first.events)[0]?.text).toContain(t('job.intro'));
    const second = await service.handle({ ...person, payload: job?.payload ?? '' });
    expect(messages(second.events)[0]?.text).toBe(`${t('engine.stale_button')}\n\n${t('job.source.ask')}`);
    const forged = await service.handle({ ...person, payload: 'go:../../etc' });
    expect(messages(forged.events)[0]?.text).toContain(t('engine.stale_button'));
  });

  it('replaces an unreadable saved session with a fresh start instead of failing', async () => {
    const { service, sessions, logs } = makeService();
    await sessions.save('test:broken', '{"v":1,"stack":"nonsense"', 60_000);
    const { events } = await service.handle({ channel: 'test', userId: 'broken', text: 'hi' });
    expect(messages(events)[0]?.text).toContain(t('start.welcome'));
    expect(logs.some((l) => l.includes('unreadable session replaced'))).toBe(true);
  });

  it('apologises and shows the menu when a flow has a bug, instead of crashing', async () => {
    const broken = defineFlow({
      id: 'menu',
      version: 1,
      title: 'menu.title',
      start: 'main',
      nodes: {
        main: { kind: 'choice', text: 'menu.ask', choices: [{ id: 'bad', label: 'menu.job', next: 'spin' }, { id: 'ok', label: 'menu.help', flow: 'get-help' }] },
        spin: { kind: 'set', vars: () => ({}), next: 'spin2' },
        spin2: { kind: 'set', vars: () => ({}), next: 'spin' },
      },
    });
    const { service } = makeService({ flows: { ...flows, menu: broken } as Flows });
    const person = { channel: 'test', userId: 'bug' };
    await service.handle({ ...person, text: 'hi' });
    await service.handle({ ...person, text: 'English' });
    const { events } = await service.handle({ ...person, text: '1' });
    expect(messages(events)[0]?.text).toContain(t('engine.error'));
  });

  it('never writes message text, ids or phone numbers to the log', async () => {
    const { service, logs } = makeService();
    const person = { channel: 'telegram', userId: '987654321' };
    await service.handle({ ...person, text: 'hi' });
    await service.handle({ ...person, text: 'English' });
    await service.handle({ ...person, text: 'help my boss took my passport call me 020 5555 1234' });
    await service.handle({ ...person, text: 'they lock the door' });
    expect(logs.length).toBeGreaterThan(0);
    const all = logs.join('\n');
    for (const secret of ['987654321', 'passport', '5555', 'lock the door', 'English']) expect(all).not.toContain(secret);
  });

  it('keeps each person apart and in order when messages arrive at once', async () => {
    const { service, sessions } = makeService();
    await Promise.all(['a', 'b', 'c'].map((u) => service.handle({ channel: 'test', userId: u, text: 'hi' })));
    await Promise.all(['a', 'b', 'c'].map((u) => service.handle({ channel: 'test', userId: u, text: 'English' })));
    const replies = await Promise.all([1, 2].map(() => service.handle({ channel: 'test', userId: 'a', text: '1' })));
    expect(messages(replies[0]?.events ?? [])[0]?.text).toContain(t('job.intro'));
    // The second "1" was read after the first had moved on: it answers the job check's first question.
    expect(messages(replies[1]?.events ?? [])[0]?.text).toBe(t('job.fee.ask'));
    for (const u of ['b', 'c']) expect(JSON.parse((await sessions.load(`test:${u}`)) ?? '{}')).toMatchObject({ state: { lang: 'en' } });
  });
});

describe('helpers', () => {
  it('parses commands with a bot name and ignores plain text', () => {
    expect(parseCommand('/Menu@hotline_bot now')).toBe('menu');
    expect(parseCommand('menu')).toBeUndefined();
    expect(parseCommand('/ menu')).toBeUndefined();
  });

  it('folds Lao and Thai digits, case and spacing', () => {
    expect(normalize(' ໑໒ ')).toBe('12');
    expect(normalize('๓.')).toBe('3');
    expect(normalize('Yes,  BOTH')).toBe('yes, both');
  });
});

describe('conversation service for durable channels', () => {
  it('writes replies and escalations to the outbox with the session, and skips an entry it already applied', async () => {
    const { service, sessions, escalations } = makeService();
    const person = { channel: 'telegram', userId: '77' };
    const first = await service.handle({ ...person, text: 'help' }, { seq: '100-0', userAt: 1 });
    expect(first.events.some((e) => e.type === 'escalation')).toBe(true);
    // Durable: the escalation waits in the outbox for the worker, it is not passed on here.
    expect(escalations).toHaveLength(0);
    const outbox: string[] = [];
    for (let e = await sessions.peekOutbox('telegram:77'); e !== undefined; e = await sessions.peekOutbox('telegram:77')) {
      outbox.push(e);
      await sessions.popOutbox('telegram:77');
    }
    expect(outbox.map((e) => (JSON.parse(e) as { kind: string }).kind)).toEqual(['message', 'escalation', 'message']);
    const again = await service.handle({ ...person, text: 'help' }, { seq: '100-0', userAt: 1 });
    expect(again).toMatchObject({ replayed: true, events: [] });
    expect(await sessions.peekOutbox('telegram:77')).toBeUndefined();
    const older = await service.handle({ ...person, text: 'help' }, { seq: '99-5', userAt: 1 });
    expect(older.replayed).toBe(true);
  });

  it('answers photos and stickers with a hint and the waiting question, and declines group chats keeping nothing', async () => {
    const { service, sessions } = await atMenu();
    const person = { channel: 'test', userId: 'u1' };
    const media = await service.handle({ ...person, payload: 'sys:unsupported' });
    expect(messages(media.events)[0]?.text).toBe(`${t('channel.unsupported')}\n\n${t('menu.ask')}`);
    const group = await service.handle({ channel: 'test', userId: '-100123', payload: 'sys:group' });
    expect(messages(group.events)[0]?.text).toBe(t('channel.group_only'));
    expect(await sessions.load('test:-100123')).toBeUndefined();
  });
});
