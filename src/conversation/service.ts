// The conversation service: loads a person's session, turns their message into an engine input (commands,
// help words, typed button labels), runs the engine, renders its effects in the person's language and saves.
import { createHash } from 'node:crypto';
import type { Content } from '../content/index.ts';
import { isHelpRequest } from '../content/help-words.ts';
import { factValues } from '../content/facts.ts';
import { isLang, type Lang, type Translate } from '../content/locales.ts';
import {
  currentButtons,
  FlowError,
  HELP_FLOW,
  HOME_FLOW,
  initialState,
  jumpPayload,
  step,
  type Effect,
  type Flows,
  type Input,
  type Json,
  type State,
} from '../engine/index.ts';
import type { Assessment } from '../understand/types.ts';
import { pseudonym, type Logger } from '../log.ts';
import type { SessionStore } from '../store/types.ts';
import { KeyedLock } from './keyed-lock.ts';
import { renderEffects } from './render.ts';
import { outboxEntrySchema, type OutboxEntry } from '../delivery/types.ts';
import { sessionRecordSchema, type SessionRecord } from './state-schema.ts';
import type { CounsellorDesk, Inbound, Outbound, Reply } from './types.ts';

export const START_FLOW = 'start';
export const LANGUAGE_FLOW = 'language';

/** Longer messages are cut before anything reads them: nothing a person needs to say is this long. */
export const MAX_TEXT = 4000;

const FORGET_YES = 'forget:yes';
const FORGET_NO = 'forget:no';

/**
 * Payloads channels send for what is not a message the engine can read: a photo, voice note, sticker or
 * location (answered with a hint, then the waiting question again), and a group chat (declined, nothing kept).
 */
export const UNSUPPORTED_PAYLOAD = 'sys:unsupported';
export const GROUP_PAYLOAD = 'sys:group';

/** For durable channels: where the message sits in the inbox, and what its replies must carry. */
export interface Durable {
  /** The inbox entry id ("<ms>-<n>"); entries of one person arrive in increasing order. */
  seq: string;
  /** When the person wrote (ms). */
  userAt: number;
  meta?: Record<string, string>;
}

export interface FreeTextRoute {
  flow: string;
  vars: Record<string, Json>;
  /** i18n keys of the red flags found, added to what a counsellor sees. */
  flags: string[];
}

export function personKey(channel: string, userId: string): string {
  return `${channel}:${userId}`;
}

/** Orders inbox entry ids "<ms>-<n>" numerically. */
export function compareSeq(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('-').map(Number);
  const [bm = 0, bn = 0] = b.split('-').map(Number);
  return am - bm || an - bn;
}

export interface ConversationDeps {
  flows: Flows;
  content: Content;
  sessions: SessionStore;
  sessionTtlMs: number;
  defaultLang: Lang;
  log: Logger;
  /** Called for every escalation a flow raises (for tests and metrics). */
  onEscalation?: (person: string, escalation: Extract<Outbound, { type: 'escalation' }>) => Promise<void>;
  /** The counsellors' queue and relay; without it escalations are only logged. */
  desk?: CounsellorDesk;
  /** Anonymous counters: conversations started, flows finished, job-check results (src/analytics/). */
  analytics?: {
    conversationStarted(lang: string, channel: string): Promise<void>;
    flowCompleted(flow: string): Promise<void>;
    riskResult(risk: string): Promise<void>;
  };
  /** Schedules and cancels a person's tips (src/awareness/tips.ts). */
  awareness?: {
    setTips(person: string, who: { channel: string; userId: string; lang?: string }, frequency: string): Promise<void>;
    seen?(person: string, at: number): Promise<void>;
    setJourney(person: string, who: { channel: string; userId: string }, departure: string): Promise<void>;
  };
  /** More that /forget must delete, kept by other parts (e.g. the Telegram /hide trail). */
  onForget?: (person: string, who: { channel: string; userId: string }) => Promise<void>;
  /** The clock (milliseconds): the real one unless a test or a replay gives another. */
  now?: () => number;
  /** Per-person flood control. */
  limiter?: { hit(person: string, now: number): Promise<'ok' | 'first-over' | 'over'> };
  /** Reads free text for red flags (the rules, and the optional LLM). */
  understand?: (text: string, lang: string) => Promise<Assessment>;
  /** Where free text with red flags leads (flows/index.ts decides, with the answers it already gives). */
  routeFreeText?: (assessment: Assessment) => FreeTextRoute | undefined;
}

export class ConversationService {
  private readonly deps: ConversationDeps;
  private readonly now: () => number;
  private readonly lock = new KeyedLock();
  /** Translates with the values every text may quote: the retention period and data/facts.json. */
  readonly t: Translate;

  constructor(deps: ConversationDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
    const globals = { ...factValues(deps.content.facts), hours: String(Math.round(deps.sessionTtlMs / 3_600_000)) };
    this.t = (lang, key, vars) => deps.content.t(lang, key, { ...globals, ...vars });
  }

  /**
   * Handles one message. Channels that answer in the same request (web chat, console) just use the reply.
   * Durable channels pass `durable`: the replies and escalations then go to the person's outbox in the same
   * write as the session, and an inbox entry already applied (a redelivery after a crash) is skipped.
   */
  handle(inbound: Inbound, durable?: Durable): Promise<Reply> {
    const person = personKey(inbound.channel, inbound.userId);
    return this.lock.run(person, () => this.handleLocked(person, inbound, durable));
  }

  private async handleLocked(person: string, inbound: Inbound, durable: Durable | undefined): Promise<Reply> {
    const { deps } = this;
    // Independent reads go out together (one round trip with Redis auto-pipelining).
    const limitable = !inbound.origin || inbound.origin === 'person';
    const [saved, verdict] = await Promise.all([this.load(person), limitable ? deps.limiter?.hit(person, this.now()) : undefined]);
    if (durable && saved?.seq !== undefined && compareSeq(saved.seq, durable.seq) >= 0) {
      return { lang: saved.state.lang, events: [], replayed: true };
    }
    const { state, events } = await this.limited(person, saved, inbound, durable, verdict ?? 'ok');
    // Remember that this person was ever handed to counsellors: only then does a message need the desk.
    const escalated = saved?.escalated === true || events.some((e) => e.type === 'escalation');
    // A new safe word is kept only as a hash; the word itself leaves the state at once.
    const newWord = state?.vars['safe_word_new'];
    if (state && typeof newWord === 'string') delete state.vars['safe_word_new'];
    const safeWord = typeof newWord === 'string' ? safeWordHash(person, newWord) : saved?.safeWord;
    // A safe word must outlive a quiet week: the session is then kept for SAFE_WORD_TTL after the last message.
    const ttl = safeWord ? Math.max(deps.sessionTtlMs, SAFE_WORD_TTL_MS) : deps.sessionTtlMs;
    const record =
      state && JSON.stringify({ state, ...(durable ? { seq: durable.seq } : {}), ...(escalated ? { escalated } : {}), ...(safeWord ? { safeWord } : {}) } satisfies SessionRecord);
    this.count(saved, state, inbound, events.length > 0);
    const journeyBefore = saved?.state.vars['journey'];
    const journeyAfter = state === null ? 'off' : state.vars['journey'];
    if (journeyAfter !== journeyBefore && (journeyAfter === 'on' || journeyBefore === 'on')) {
      const departure = journeyAfter === 'on' ? String(state?.vars['journey_date']) : 'off';
      await deps.awareness?.setJourney(person, { channel: inbound.channel, userId: inbound.userId }, departure);
    }
    const tipsBefore = saved?.state.vars['tips'];
    const tipsAfter = state === null ? 'off' : state.vars['tips'];
    if (tipsAfter !== tipsBefore && (typeof tipsAfter === 'string' || tipsBefore !== undefined)) {
      await deps.awareness?.setTips(person, { channel: inbound.channel, userId: inbound.userId, lang: state?.lang ?? 'en' }, typeof tipsAfter === 'string' ? tipsAfter : 'off');
    } else if (typeof tipsAfter === 'string' && tipsAfter !== 'off' && (!inbound.origin || inbound.origin === 'person')) {
      await deps.awareness?.seen?.(person, durable?.userAt ?? this.now());
    }
    const lang = state?.lang ?? saved?.state.lang ?? pickLang(inbound.langHint, deps.defaultLang);

    if (durable) {
      await deps.sessions.commit(person, record, ttl, events.map((e) => JSON.stringify(this.outboxEntry(inbound, lang, e, durable))));
      if (state === null) await deps.desk?.forget(person);
    } else {
      if (record === null) await deps.sessions.delete(person);
      else await deps.sessions.save(person, record, ttl);
      if (state === null) await deps.desk?.forget(person);
      const withNotices: Outbound[] = [];
      for (const event of events) {
        withNotices.push(event);
        if (event.type === 'escalation') withNotices.push(...(await this.escalate(person, inbound, event)));
      }
      events.splice(0, events.length, ...withNotices);
    }
    if (state === null) {
      await deps.onForget?.(person, { channel: inbound.channel, userId: inbound.userId });
      deps.log.info('forgotten', { person: pseudonym(person) });
    }
    return { lang, events };
  }

  /**
   * For channels that answer within a request (the web chat): words from the desk wait in the person's
   * outbox until the page collects them with `collect`.
   */
  async deliverLocal(inbound: Inbound): Promise<void> {
    const person = personKey(inbound.channel, inbound.userId);
    await this.lock.run(person, async () => {
      const saved = await this.load(person);
      const { state, events } = await this.respond(person, saved?.state, inbound, this.now());
      if (state && inbound.origin === 'system') await this.deps.sessions.save(person, JSON.stringify({ ...saved, state } satisfies SessionRecord), this.deps.sessionTtlMs);
      const lang = state?.lang ?? 'en';
      await this.deps.sessions.appendOutbox(person, events.map((e) => JSON.stringify(this.outboxEntry(inbound, lang, e, { seq: '0-0', userAt: this.now() }))));
    });
  }

  /** What waits in the person's outbox (web chat), taken out. */
  async collect(channel: string, userId: string): Promise<Outbound[]> {
    const person = personKey(channel, userId);
    const out: Outbound[] = [];
    for (const raw of await this.deps.sessions.outbox(person)) {
      await this.deps.sessions.popOutbox(person);
      const entry = outboxEntrySchema.safeParse(JSON.parse(raw));
      if (entry.success && entry.data.kind === 'message') out.push({ type: 'message', text: entry.data.text, buttons: entry.data.buttons });
    }
    return out;
  }

  /**
   * A flood from one person gets one calm reply and is then dropped until the minute is over; others are
   * not slowed. Words from counsellors and the desk are never limited.
   */
  private async limited(
    person: string,
    record: SessionRecord | undefined,
    inbound: Inbound,
    durable: Durable | undefined,
    verdict: 'ok' | 'first-over' | 'over',
  ): Promise<{ state: State | null; events: Outbound[] }> {
    const saved = record?.state;
    if (verdict === 'over' || verdict === 'first-over') {
      const state = saved ?? initialState(pickLang(inbound.langHint, this.deps.defaultLang));
      if (verdict === 'over') return { state, events: [] };
      this.deps.log.warn('rate limited', { person: pseudonym(person) });
      return { state, events: [{ type: 'message', text: this.t(state.lang, 'channel.slow_down'), buttons: [] }] };
    }
    return this.respond(person, saved, inbound, durable?.userAt ?? this.now(), record?.escalated === true, record?.safeWord);
  }

  /**
   * A journey check-in is due: ask (even in the middle of something: it matters more), remind while the
   * person has not answered, and after two reminders open a follow-up case with the journey's details.
   */
  private async checkin(person: string, state: State, inbound: Inbound): Promise<{ state: State | null; events: Outbound[] }> {
    if (state.vars['journey'] !== 'on') return { state, events: [] };
    const pending = state.vars['checkin_pending'] === true;
    if (inbound.text === 'sys:checkin-missed') {
      if (!pending) return { state, events: [] };
      await this.deps.desk?.escalate({
        person,
        channel: inbound.channel,
        userId: inbound.userId,
        lang: state.lang,
        priority: 'medium',
        reason: 'checkin_missed',
        summary: { flow: 'checkin', score: 0, flags: [], answers: [], vars: { journey_date: state.vars['journey_date'] ?? null, journey_place: state.vars['journey_place'] ?? null } },
      });
      return { state: { ...state, vars: { ...state.vars, checkin_pending: null } }, events: [] };
    }
    if (inbound.text === 'sys:checkin-reminder' && !pending) return { state, events: [] };
    const { next, effects } = this.run(person, state, { type: 'jump', flow: 'checkin' });
    return { state: next, events: renderEffects(effects, next.lang, this.t, this.deps.content.directory) };
  }

  /** Counters only, never who: a new conversation, a finished flow, a job-check result. */
  private count(saved: SessionRecord | undefined, state: State | null, inbound: Inbound, answered: boolean): void {
    const a = this.deps.analytics;
    if (!a || !state || (inbound.origin && inbound.origin !== 'person')) return;
    if (!saved && answered) void a.conversationStarted(state.lang, inbound.channel);
    const before = saved?.state.stack.at(-1)?.flow;
    if (before && !state.stack.some((f) => f.flow === before)) void a.flowCompleted(before);
    const risk = state.vars['job_risk'];
    if (typeof risk === 'string' && risk !== saved?.state.vars['job_risk']) void a.riskResult(risk);
  }

  /** Hands an escalation to the desk and returns what to tell the person (their place in the queue). */
  async escalate(person: string, who: { channel: string; userId: string }, event: Extract<Outbound, { type: 'escalation' }>): Promise<Outbound[]> {
    this.deps.log.info('escalation', { person: pseudonym(person), priority: event.priority, reason: event.reason });
    await this.deps.onEscalation?.(person, event);
    if (!this.deps.desk) return [];
    return this.deps.desk.escalate({
      person,
      channel: who.channel,
      userId: who.userId,
      lang: event.lang,
      priority: event.priority,
      reason: event.reason,
      summary: event.summary,
    });
  }

  /**
   * The person's message while a counsellor holds their case goes to the counsellor (the bot is silent);
   * words from the counsellor or the desk go to the person. Everything else is the bot's conversation.
   */
  private async respond(
    person: string,
    saved: State | undefined,
    inbound: Inbound,
    at: number,
    mayHaveCase = true,
    safeWord?: string,
  ): Promise<{ state: State | null; events: Outbound[] }> {
    const state = saved ?? initialState(pickLang(inbound.langHint, this.deps.defaultLang));
    if (inbound.origin === 'counsellor') {
      return { state, events: [{ type: 'message', text: inbound.text ?? '', buttons: [], human: true }] };
    }
    if (inbound.origin === 'broadcast') return { state, events: [{ type: 'message', text: inbound.text ?? '', buttons: [] }] };
    if (inbound.origin === 'system' && inbound.text?.startsWith('sys:checkin')) return this.checkin(person, state, inbound);
    if (inbound.origin === 'system' && inbound.text === TIP_SIGNAL) {
      // A tip is due. Someone in the middle of something is not interrupted: this one is skipped.
      if (saved && saved.stack.length > 0) return { state, events: [] };
      const { next, effects } = this.run(person, state, { type: 'jump', flow: TIP_FLOW });
      return { state: next, events: renderEffects(effects, next.lang, this.t, this.deps.content.directory) };
    }
    if (inbound.origin === 'system') {
      const menu = { payload: jumpPayload(HOME_FLOW), label: this.t(state.lang, 'engine.button_menu') };
      return { state: { ...state, stack: [] }, events: [{ type: 'message', text: this.t(state.lang, inbound.text ?? ''), buttons: [menu] }] };
    }
    if (safeWord && inbound.text && !inbound.payload && safeWordHash(person, inbound.text) === safeWord) {
      // Silent: top priority for the counsellors, harmless small talk on the screen, nothing else changes.
      this.deps.log.warn('safe word', { person: pseudonym(person) });
      await this.deps.desk?.escalate({
        person,
        channel: inbound.channel,
        userId: inbound.userId,
        lang: state.lang,
        priority: 'urgent',
        reason: 'safe_word',
        summary: { flow: 'safe-word', score: 0, flags: [], answers: [], vars: {} },
      });
      const n = (state.turn % SMALL_TALK) + 1;
      return { state, events: [{ type: 'message', text: this.t(state.lang, `safeword.smalltalk.s${n}`), buttons: [] }] };
    }
    const forgetting = inbound.payload === FORGET_YES || inbound.payload === FORGET_NO || parseCommand(inbound.text ?? '') === 'forget';
    if (this.deps.desk && mayHaveCase && !forgetting) {
      const said = inbound.payload ? `[${inbound.payload}]` : (inbound.text ?? '').slice(0, MAX_TEXT);
      if (await this.deps.desk.fromPerson(person, said, at)) return { state, events: [] };
    }
    const text = (inbound.text ?? '').slice(0, MAX_TEXT).trim();
    const assessment = this.deps.understand && this.wantsAssessment(saved, inbound, text) ? await this.deps.understand(text, state.lang) : undefined;
    return this.decide(person, saved, inbound, assessment);
  }

  /**
   * Free text that is not an answer (no question waits for text, it matches no button, it is no command) is
   * read for red flags: a crisis goes straight to help, a job ad to the job check.
   */
  private wantsAssessment(saved: State | undefined, inbound: Inbound, text: string): boolean {
    if (inbound.payload || text === '' || parseCommand(text) !== undefined) return false;
    if (isHelpRequest(this.deps.content.helpWords, text)) return false;
    if (!saved) return true;
    const frame = saved.stack.at(-1);
    const node = frame ? this.deps.flows[frame.flow]?.nodes[frame.node] : undefined;
    if (node?.kind === 'text' || (node?.kind === 'choice' && node.freeText)) return false;
    return this.typedButton(saved, text) === undefined;
  }

  /** What to answer and the new state; null state means "delete everything about this person". */
  private decide(person: string, saved: State | undefined, inbound: Inbound, assessment?: Assessment): { state: State | null; events: Outbound[] } {
    const state = saved ?? initialState(pickLang(inbound.langHint, this.deps.defaultLang));
    const text = (inbound.text ?? '').slice(0, MAX_TEXT).trim();
    const say = (key: string): Outbound => ({ type: 'message', text: this.t(state.lang, key), buttons: [] });

    if (inbound.payload === FORGET_YES) return { state: null, events: [say('commands.forgotten')] };
    if (inbound.payload === GROUP_PAYLOAD) return { state: null, events: [say('channel.group_only')] };
    const command = inbound.payload ? undefined : parseCommand(text);
    const notices: string[] = [];
    let input: Input;
    if (inbound.payload === FORGET_NO || (inbound.payload === UNSUPPORTED_PAYLOAD && saved)) {
      input = { type: 'resume' };
    } else if (inbound.payload === UNSUPPORTED_PAYLOAD) {
      input = { type: 'jump', flow: START_FLOW };
    } else if (command === 'forget') {
      return { state, events: [this.forgetQuestion(state.lang)] };
    } else if (command === 'hide') {
      // Telegram deletes the chat's recent messages on both sides and leaves this one harmless line.
      if (inbound.channel !== 'telegram') return { state, events: [say('channel.hide_unavailable')] };
      return { state, events: [{ type: 'message', text: this.t(state.lang, 'channel.hidden'), buttons: [], hide: true }] };
    } else if (command === 'stop' || STOP_WORDS.has(normalize(text))) {
      const vars = { ...state.vars };
      if (vars['tips'] !== undefined) vars['tips'] = 'off';
      if (vars['journey'] === 'on') Object.assign(vars, { journey: 'off', journey_date: null, journey_place: null, checkin_pending: null });
      return { state: { ...state, stack: [], vars }, events: [say('commands.stopped')] };
    } else if (command !== undefined) {
      const flow = COMMAND_FLOWS[command];
      if (!flow) return { state, events: [this.unknownCommand(state.lang)] };
      input = { type: 'jump', flow };
    } else if (inbound.payload) {
      input = { type: 'button', payload: inbound.payload };
    } else if (isHelpRequest(this.deps.content.helpWords, text)) {
      input = { type: 'jump', flow: HELP_FLOW };
    } else if (assessment?.unreadable === 'legacy_lao_encoding') {
      input = saved ? { type: 'resume' } : { type: 'jump', flow: START_FLOW };
      notices.push('channel.unreadable');
    } else {
      const route = assessment && this.deps.routeFreeText?.(assessment);
      if (route) {
        // What the message showed counts as said: the counsellor sees it, the flow skips what it answers.
        Object.assign(state.vars, route.vars, { message: text });
        for (const flag of route.flags) if (!state.flags.includes(flag)) state.flags.push(flag);
        input = { type: 'jump', flow: route.flow };
        if (!saved) notices.push('start.privacy');
      } else if (!saved) {
        input = { type: 'jump', flow: START_FLOW };
      } else {
        input = this.typedButton(state, text) ?? { type: 'text', text };
      }
    }

    // The engine reads no clock: today's date is an input, for flows that compare dates.
    state.vars['_today'] = new Date(this.now()).toISOString().slice(0, 10);
    const { next, effects } = this.run(person, state, input);
    delete next.vars['_today'];
    if (inbound.payload === FORGET_NO) notices.push('commands.kept');
    if (inbound.payload === UNSUPPORTED_PAYLOAD) notices.push('channel.unsupported');
    effects.unshift(...notices.map((key): Effect => ({ type: 'say', parts: [{ key }], buttons: [] })));
    return { state: next, events: renderEffects(effects, next.lang, this.t, this.deps.content.directory) };
  }

  private outboxEntry(inbound: Inbound, lang: string, event: Outbound, durable: Durable): OutboxEntry {
    const who = { channel: inbound.channel, userId: inbound.userId, lang };
    if (event.type === 'escalation') {
      return { kind: 'escalation', ...who, priority: event.priority, reason: event.reason, summary: event.summary };
    }
    return {
      kind: 'message',
      ...who,
      userAt: durable.userAt,
      from: event.human ? 'human' : 'bot',
      text: event.text,
      buttons: event.buttons,
      ...(durable.meta || event.hide ? { meta: { ...durable.meta, ...(event.hide ? { hide: '1' } : {}) } } : {}),
    };
  }

  private run(person: string, state: State, input: Input): { next: State; effects: Effect[] } {
    try {
      const { state: next, effects } = step(this.deps.flows, state, input);
      return { next, effects };
    } catch (error) {
      // A flow bug must not strand the person: apologise and bring them back to the menu.
      if (!(error instanceof FlowError)) throw error;
      this.deps.log.error('flow error', { person: pseudonym(person), error: error.message });
      const fresh = step(this.deps.flows, { ...initialState(state.lang), vars: state.vars }, { type: 'jump', flow: HOME_FLOW });
      return {
        next: fresh.state,
        effects: [{ type: 'say', parts: [{ key: 'engine.error' }], buttons: [] }, ...fresh.effects],
      };
    }
  }

  /** A typed number ("2", "๒", "໒") or a button's label in any language counts as pressing that button. */
  private typedButton(state: State, text: string): Input | undefined {
    const buttons = currentButtons(this.deps.flows, state);
    if (buttons.length === 0) return undefined;
    const typed = normalize(text);
    const index = /^\d+$/.test(typed) ? Number(typed) - 1 : -1;
    const byNumber = buttons[index];
    if (byNumber) return { type: 'button', payload: byNumber.payload };
    const t = this.t;
    const match = buttons.find((b) =>
      (['lo', 'th', 'en'] as const).some((lang) => normalize(t(lang, b.label.key)) === typed),
    );
    return match && { type: 'button', payload: match.payload };
  }

  private async load(person: string): Promise<SessionRecord | undefined> {
    const raw = await this.deps.sessions.load(person);
    if (raw === undefined) return undefined;
    try {
      const parsed = sessionRecordSchema.safeParse(JSON.parse(raw));
      if (parsed.success) return parsed.data;
    } catch {
      // fall through: a broken record is treated as no record
    }
    this.deps.log.warn('unreadable session replaced', { person: pseudonym(person) });
    return undefined;
  }

  private forgetQuestion(lang: string): Outbound {
    const t = this.t;
    return {
      type: 'message',
      text: t(lang, 'commands.forget_confirm'),
      buttons: [
        { payload: FORGET_YES, label: t(lang, 'commands.forget_yes') },
        { payload: FORGET_NO, label: t(lang, 'commands.forget_no') },
      ],
    };
  }

  private unknownCommand(lang: string): Outbound {
    const t = this.t;
    return {
      type: 'message',
      text: t(lang, 'commands.unknown'),
      buttons: [
        { payload: jumpPayload(HOME_FLOW), label: t(lang, 'engine.button_menu') },
        { payload: jumpPayload(HELP_FLOW), label: t(lang, 'engine.button_help') },
      ],
    };
  }
}

const COMMAND_FLOWS: Partial<Record<string, string>> = {
  start: START_FLOW,
  menu: HOME_FLOW,
  language: LANGUAGE_FLOW,
  help: HELP_FLOW,
  tips: 'tips',
  safeword: 'safe-word',
  // The help numbers alone, without calling a counsellor (tips point here).
  numbers: 'help-numbers',
  journey: 'journey',
};

/** "stop" typed alone, in each language, does what /stop does (tips included). */
const STOP_WORDS = new Set(['stop', 'ຢຸດ', 'หยุด', 'yud', 'yut']);

/** What the scheduler sends when a tip is due, and the flow it starts. */
export const TIP_SIGNAL = 'sys:tip';
const TIP_FLOW = 'tip-time';
const SMALL_TALK = 5;
const SAFE_WORD_TTL_MS = 90 * 86_400_000;

/** A safe word's hash: salted with the person, so one word gives different hashes for different people. */
export function safeWordHash(person: string, word: string): string {
  return createHash('sha256').update(`hotline-safe-word:${person}:${normalize(word)}`).digest('hex');
}

/** "/Menu@hotline_bot extra" → "menu"; undefined when the text is not a command. */
export function parseCommand(text: string): string | undefined {
  const match = /^\/([A-Za-z_]+)(?:@\w+)?(?:\s|$)/.exec(text);
  return match?.[1]?.toLowerCase();
}

function pickLang(hint: string | undefined, fallback: Lang): Lang {
  const base = hint?.toLowerCase().split(/[-_]/)[0];
  return isLang(base) ? base : fallback;
}

const LAO_DIGIT_ZERO = 0x0ed0;
const THAI_DIGIT_ZERO = 0x0e50;

/** Folds case, spacing and Lao/Thai digits so typed answers compare with button labels. */
export function normalize(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\u0ed0-\u0ed9]/g, (d) => String(d.charCodeAt(0) - LAO_DIGIT_ZERO))
    .replace(/[\u0e50-\u0e59]/g, (d) => String(d.charCodeAt(0) - THAI_DIGIT_ZERO))
    .replace(/[.)。]+$/u, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}
