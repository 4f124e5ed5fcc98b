// The counsellors' desk: where escalations become cases, where a held case relays the person's messages to
// the counsellor and back, and what the console's API calls. Channels and the console reach cases only
// through here.
import { randomUUID } from 'node:crypto';
import type { Translate } from '../content/locales.ts';
import type { CounsellorDesk, OutButton, Outbound } from '../conversation/types.ts';
import type { EscalationSummary, Priority } from '../engine/index.ts';
import { pseudonym, type Logger } from '../log.ts';
import { lineSchema, type Bus, type Line } from './bus.ts';
import type { Duty } from './duty.ts';
import type { Sealer } from './sealer.ts';
import type { Case, CaseStore, Outcome } from './types.ts';

/** How the desk reaches a person: a counsellor's words, or a bot notice (an i18n key and its buttons). */
export type Delivery =
  | { kind: 'human'; text: string; id: string }
  | { kind: 'bot'; key: string; vars?: Record<string, string>; buttons?: OutButton[]; id: string };

export interface DeskOptions {
  cases: CaseStore;
  sealer: Sealer;
  bus: Bus;
  duty: Duty;
  t: Translate;
  log: Logger;
  deliver: (c: Case, message: Delivery) => Promise<void>;
  leaseMs: number;
  capacity: number;
  retentionMs: number;
  averageChatMinutes: number;
  now?: () => number;
  /** Anonymous counters (escalations, waits, outcomes). */
  analytics?: DeskAnalytics;
}

export interface DeskAnalytics {
  escalated(priority: string, channel: string): Promise<void>;
  waited(seconds: number): Promise<void>;
  closed(outcome: string): Promise<void>;
}

export class DeskError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface QueueItem {
  id: string;
  priority: Priority;
  reason: string;
  lang: string;
  channel: string;
  waitingSeconds: number;
  position: number;
  status: Case['status'];
  counsellor?: string;
}

export class Desk {
  private readonly o: Required<Omit<DeskOptions, 'analytics'>> & Pick<DeskOptions, 'analytics'>;
  private reaper: NodeJS.Timeout | undefined;

  constructor(options: DeskOptions) {
    this.o = { now: Date.now, ...options };
  }

  get capacity(): number {
    return this.o.capacity;
  }

  // ─── the person's side ───────────────────────────────────────────────────────────────────────────────

  /**
   * Opens or updates the person's case and returns what to tell them: their place and a rough wait, or,
   * outside duty hours, when someone will answer.
   */
  async escalate(input: Parameters<CounsellorDesk['escalate']>[0]): Promise<Outbound[]> {
    const now = this.o.now();
    const { case: c, position, created } = await this.o.cases.escalate({
      person: input.person,
      channel: input.channel,
      userId: input.userId,
      lang: input.lang,
      priority: input.priority,
      reason: input.reason,
      sealedSummary: this.o.sealer.seal(JSON.stringify(input.summary)),
      at: now,
    });
    if (created) {
      await this.line(c, { at: now, from: 'system', text: `escalated: ${input.priority}, ${input.reason}` });
      await this.o.analytics?.escalated(input.priority, input.channel);
    }
    await this.o.bus.publish({ type: 'queue' });
    if (c.status === 'held') return [];
    const t = (key: string, vars?: Record<string, string>) => this.o.t(input.lang, key, vars);
    if (!this.o.duty.isOpen(now)) {
      const next = this.o.duty.nextOpening(now);
      const when = next === undefined ? '' : this.o.duty.describe(next, input.lang);
      return [{ type: 'message', text: t(when ? 'relay.closed_hours' : 'relay.closed_hours_unknown', { when }), buttons: [] }];
    }
    const online = (await this.o.cases.online(now)).length;
    const minutes = String(Math.max(1, Math.round((position * this.o.averageChatMinutes) / Math.max(1, online))));
    return [{ type: 'message', text: t(online > 0 ? 'relay.queued' : 'relay.queued_no_one', { position: String(position), minutes }), buttons: [] }];
  }

  /**
   * A message from the person. While a counsellor holds their case it goes to the counsellor and the bot
   * stays silent (true); while the case waits it is kept for the counsellor and the bot answers (false).
   */
  async fromPerson(person: string, text: string, at: number): Promise<boolean> {
    const c = await this.o.cases.openCaseOf(person);
    if (!c) return false;
    await this.o.cases.touch(c.id, at);
    await this.line(c, { at, from: 'person', text });
    return c.status === 'held';
  }

  /** The person's /forget: every case and transcript goes; a counsellor holding one is told. */
  async forget(person: string): Promise<void> {
    const open = await this.o.cases.openCaseOf(person);
    const ids = await this.o.cases.forget(person);
    if (open?.counsellor) await this.o.bus.publish({ type: 'closed', caseId: open.id, counsellor: open.counsellor });
    if (ids.length > 0) {
      this.o.log.info('cases forgotten', { person: pseudonym(person), cases: ids.length });
      await this.o.bus.publish({ type: 'queue' });
    }
  }

  /** A platform refused a counsellor's message for good (e.g. Messenger's 7-day limit): tell the counsellor. */
  async undeliverable(person: string, reason: string): Promise<void> {
    const c = await this.o.cases.openCaseOf(person);
    if (c?.counsellor) await this.o.bus.publish({ type: 'undeliverable', caseId: c.id, counsellor: c.counsellor, reason });
  }

  // ─── the console's side ──────────────────────────────────────────────────────────────────────────────

  async queue(): Promise<QueueItem[]> {
    const now = this.o.now();
    return (await this.o.cases.queued()).map((c, i) => this.item(c, now, i + 1));
  }

  async holding(counsellor: string): Promise<QueueItem[]> {
    const now = this.o.now();
    return (await this.o.cases.held(counsellor)).map((c) => this.item(c, now, 0));
  }

  async allHeld(): Promise<QueueItem[]> {
    const now = this.o.now();
    return (await this.o.cases.held()).map((c) => this.item(c, now, 0));
  }

  async online(): Promise<string[]> {
    return this.o.cases.online(this.o.now());
  }

  async take(counsellor: string): Promise<Case> {
    const now = this.o.now();
    const r = await this.o.cases.takeNext(counsellor, this.o.capacity, this.o.leaseMs, now);
    if ('full' in r) throw new DeskError(409, `you already hold ${this.o.capacity} chats`);
    if ('empty' in r) throw new DeskError(404, 'the queue is empty');
    await this.o.cases.audit({ at: now, counsellor, action: 'take', caseId: r.taken.id });
    await this.o.analytics?.waited(Math.max(0, (now - r.taken.createdAt) / 1000));
    await this.line(r.taken, { at: now, from: 'system', text: `taken by ${counsellor}` });
    await this.o.bus.publish({ type: 'queue' });
    return r.taken;
  }

  /** A case as its holder (or a supervisor) reads it: summary and transcript decrypted. Audited. */
  async read(id: string, reader: { username: string; role: string }, lang: string) {
    const c = await this.mine(id, reader, true);
    const now = this.o.now();
    await this.o.cases.audit({ at: now, counsellor: reader.username, action: 'open', caseId: id });
    const lines = (await this.o.cases.transcript(id)).flatMap((sealed) => this.unseal(sealed));
    return {
      ...this.item(c, now, 0),
      summary: this.summaryFor(c, lang),
      transcript: lines.filter((l) => l.from !== 'note'),
      notes: lines.filter((l) => l.from === 'note').map((l) => ({ at: l.at, by: l.by ?? '', text: l.text })),
    };
  }

  async send(id: string, counsellor: { username: string; role: string }, text: string): Promise<void> {
    const c = await this.mine(id, counsellor, false);
    await this.o.deliver(c, { kind: 'human', text, id: randomUUID() });
    await this.line(c, { at: this.o.now(), from: 'counsellor', text, by: counsellor.username });
  }

  async note(id: string, counsellor: { username: string; role: string }, text: string): Promise<void> {
    const c = await this.mine(id, counsellor, true);
    await this.o.cases.append(c.id, this.o.sealer.seal(JSON.stringify({ at: this.o.now(), from: 'note', text, by: counsellor.username } satisfies Line)));
  }

  async transfer(id: string, from: { username: string; role: string }, to: string | null): Promise<void> {
    await this.mine(id, from, false);
    const now = this.o.now();
    if (to !== null && !(await this.o.cases.online(now)).includes(to)) throw new DeskError(409, `${to} is not online`);
    if (to !== null && (await this.o.cases.held(to)).length >= this.o.capacity) throw new DeskError(409, `${to} already holds ${this.o.capacity} chats`);
    const moved = await this.o.cases.transfer(id, to ?? undefined, this.o.leaseMs, now);
    await this.o.cases.audit({ at: now, counsellor: from.username, action: to ? `transfer:${to}` : 'return', caseId: id });
    await this.line(moved, { at: now, from: 'system', text: to ? `transferred to ${to}` : 'back to the queue' });
    if (to) await this.o.bus.publish({ type: 'assigned', caseId: id, counsellor: to });
    await this.o.bus.publish({ type: 'queue' });
  }

  async close(id: string, counsellor: { username: string; role: string }, outcome: Outcome): Promise<void> {
    const c = await this.mine(id, counsellor, false);
    const now = this.o.now();
    await this.line(c, { at: now, from: 'system', text: `closed: ${outcome}` });
    await this.o.cases.close(id, outcome, now, this.o.retentionMs);
    await this.o.cases.audit({ at: now, counsellor: counsellor.username, action: `close:${outcome}`, caseId: id });
    await this.o.analytics?.closed(outcome);
    // The bot is back: a short message with the way to the menu.
    await this.o.deliver(c, {
      kind: 'bot',
      key: 'relay.ended',
      buttons: [{ payload: 'go:menu', label: this.o.t(c.lang, 'engine.button_menu') }],
      id: randomUUID(),
    });
    await this.o.bus.publish({ type: 'closed', caseId: id, counsellor: counsellor.username });
    await this.o.bus.publish({ type: 'queue' });
  }

  /** What happened to the counsellor's cases while their console was away, once. */
  async notices(counsellor: string): Promise<{ type: string; caseId: string }[]> {
    return (await this.o.cases.takeNotices(counsellor)).flatMap((raw) => {
      try {
        return [JSON.parse(raw) as { type: string; caseId: string }];
      } catch {
        return [];
      }
    });
  }

  async audit(limit: number) {
    return this.o.cases.auditLog(limit);
  }

  /** The console is open: the counsellor is on duty and keeps their cases. */
  async heartbeat(counsellor: string): Promise<void> {
    const now = this.o.now();
    await this.o.cases.present(counsellor, now + this.o.leaseMs);
    await this.o.cases.renew(counsellor, this.o.leaseMs, now);
  }

  /** Puts cases of vanished counsellors back in the queue, and tells them. Runs in every process. */
  async reap(): Promise<number> {
    const expired = await this.o.cases.expire(this.o.now());
    for (const c of expired) {
      if (c.counsellor) {
        // Told now if their console is still connected somewhere, and kept for when it comes back.
        await this.o.bus.publish({ type: 'returned', caseId: c.id, counsellor: c.counsellor });
        await this.o.cases.notify(c.counsellor, JSON.stringify({ type: 'returned', caseId: c.id }));
      }
      await this.line({ ...c, status: 'queued' }, { at: this.o.now(), from: 'system', text: 'back to the queue: the console was away' });
    }
    if (expired.length > 0) await this.o.bus.publish({ type: 'queue' });
    return expired.length;
  }

  startReaper(everyMs: number): void {
    this.reaper = setInterval(() => {
      this.reap().catch((e: unknown) => this.o.log.error('reaper failed', { error: String(e) }));
    }, everyMs);
  }

  stop(): void {
    clearInterval(this.reaper);
  }

  // ─── helpers ─────────────────────────────────────────────────────────────────────────────────────────

  /** The case, if `who` may act on it: its holder, or (for reading) a supervisor. Otherwise "no such case". */
  private async mine(id: string, who: { username: string; role: string }, supervisorMay: boolean): Promise<Case> {
    const c = /^c_[A-Za-z0-9_-]{6,32}$/.test(id) ? await this.o.cases.get(id) : undefined;
    const allowed = c && c.status === 'held' && (c.counsellor === who.username || (supervisorMay && who.role === 'supervisor'));
    if (!c || !allowed) throw new DeskError(404, 'no such case');
    return c;
  }

  private async line(c: Case, line: Line): Promise<void> {
    await this.o.cases.append(c.id, this.o.sealer.seal(JSON.stringify(line)));
    await this.o.bus.publish({ type: 'message', caseId: c.id, ...(c.counsellor ? { counsellor: c.counsellor } : {}), line });
  }

  private unseal(sealed: string): Line[] {
    try {
      const parsed = lineSchema.safeParse(JSON.parse(this.o.sealer.open(sealed)));
      return parsed.success ? [parsed.data] : [];
    } catch {
      this.o.log.error('a transcript line could not be decrypted (wrong TRANSCRIPT_KEY?)');
      return [];
    }
  }

  private summaryFor(c: Case, lang: string) {
    let summary: EscalationSummary | undefined;
    try {
      summary = JSON.parse(this.o.sealer.open(c.sealedSummary)) as EscalationSummary;
    } catch {
      summary = undefined;
    }
    const t = (key: string) => this.o.t(lang, key);
    const message = summary?.vars['message'];
    return {
      flags: (summary?.flags ?? []).map((f) => t(f).replace(/^•\s*/, '')),
      answers: (summary?.answers ?? []).map((a) => ({ question: t(a.question).replace(/^\d+\/\d+\s*/, ''), answer: t(a.answer) })),
      ...(typeof message === 'string' ? { message } : {}),
    };
  }

  private item(c: Case, now: number, position: number): QueueItem {
    return {
      id: c.id,
      priority: c.priority,
      reason: c.reason,
      lang: c.lang,
      channel: c.channel,
      waitingSeconds: Math.max(0, Math.round((now - c.createdAt) / 1000)),
      position,
      status: c.status,
      ...(c.counsellor ? { counsellor: c.counsellor } : {}),
    };
  }
}
