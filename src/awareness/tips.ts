// Tips on a schedule: a person who opted in gets a tip and a quiz question daily, weekly or monthly. The
// scheduler claims what is due in any process and hands it to the person's channel like any other message.
import { TIP_SIGNAL } from '../conversation/service.ts';
import { pseudonym, type Logger } from '../log.ts';
import type { ScheduleStore } from './scheduler.ts';
import type { SubscriberStore } from './subscribers.ts';

export const FREQUENCIES: Readonly<Record<string, number>> = {
  daily: 86_400_000,
  weekly: 7 * 86_400_000,
  monthly: 30 * 86_400_000,
};

interface TipJob {
  kind?: 'tip';
  channel: string;
  userId: string;
  frequency: string;
}

/** A journey check-in, or one of its two reminders, or the "no answer" that opens a follow-up case. */
interface CheckinJob {
  kind: 'checkin';
  channel: string;
  userId: string;
  person: string;
  stage: string;
  step: 'ask' | 'r1' | 'r2' | 'missed';
}

const DAY = 86_400_000;
/** When to check in, from the departure day (09:00 in Vientiane is 02:00 UTC). */
const STAGES: readonly [string, number][] = [
  ['departure', 0],
  ['arrival', 3 * DAY],
  ['payday', 30 * DAY],
];
const NEXT_STEP: Record<CheckinJob['step'], CheckinJob['step'] | undefined> = { ask: 'r1', r1: 'r2', r2: 'missed', missed: undefined };
export const CHECKIN_SIGNALS: Record<CheckinJob['step'], string> = {
  ask: 'sys:checkin',
  r1: 'sys:checkin-reminder',
  r2: 'sys:checkin-reminder',
  missed: 'sys:checkin-missed',
};

export interface AwarenessOptions {
  schedule: ScheduleStore;
  /** Who opted in: the only people broadcasts reach. */
  subscribers?: SubscriberStore;
  /** Hands the tip signal to the person's channel (through the inbox for platforms, the outbox for web chat). */
  deliver: (who: { channel: string; userId: string }, signal: string, jobKey: string) => Promise<void>;
  log: Logger;
  /** Counted when someone opts in or out (analytics). */
  onOptIn?: (on: boolean) => void;
  now?: () => number;
}

export class Awareness {
  private readonly o: AwarenessOptions & { now: () => number };
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;

  constructor(options: AwarenessOptions) {
    this.o = { now: Date.now, ...options };
  }

  /** Opt in (daily, weekly, monthly) or out ("off"): the first tip comes one period from now. */
  async setTips(person: string, who: { channel: string; userId: string; lang?: string }, frequency: string): Promise<void> {
    const id = `tips:${person}`;
    const every = FREQUENCIES[frequency];
    if (!every) {
      await this.o.schedule.cancel(id);
      await this.o.subscribers?.remove(person);
      this.o.onOptIn?.(false);
      this.o.log.info('tips off', { person: pseudonym(person) });
      return;
    }
    const job: TipJob = { channel: who.channel, userId: who.userId, frequency };
    await this.o.schedule.put(id, this.o.now() + every, JSON.stringify(job));
    await this.o.subscribers?.put({ person, channel: who.channel, userId: who.userId, lang: who.lang ?? 'en', lastUserAt: this.o.now() });
    this.o.onOptIn?.(true);
    this.o.log.info('tips on', { person: pseudonym(person), frequency });
  }

  /** A subscriber wrote: Messenger's 24-hour window for broadcasts starts again. */
  async seen(person: string, at: number): Promise<void> {
    const s = await this.o.subscribers?.get(person);
    if (s && at > s.lastUserAt) await this.o.subscribers?.put({ ...s, lastUserAt: at });
  }

  /** Books the three check-ins of a journey (departure "YYYY-MM-DD"), or cancels them all ("off"). */
  async setJourney(person: string, who: { channel: string; userId: string }, departure: string): Promise<void> {
    const ids = STAGES.flatMap(([stage]) => (['ask', 'r1', 'r2', 'missed'] as const).map((step) => checkinId(person, stage, step)));
    if (departure === 'off') {
      for (const id of ids) await this.o.schedule.cancel(id);
      this.o.onOptIn?.(false);
      this.o.log.info('journey check-ins off', { person: pseudonym(person) });
      return;
    }
    const start = Date.parse(`${departure}T02:00:00Z`);
    for (const [stage, offset] of STAGES) {
      const job: CheckinJob = { kind: 'checkin', ...who, person, stage, step: 'ask' };
      await this.o.schedule.put(checkinId(person, stage, 'ask'), Math.max(this.o.now(), start + offset), JSON.stringify(job));
    }
    this.o.onOptIn?.(true);
    this.o.log.info('journey check-ins on', { person: pseudonym(person) });
  }

  /** Sends what is due and books the next one. */
  async tick(): Promise<number> {
    if (this.ticking) return 0;
    this.ticking = true;
    try {
      const now = this.o.now();
      const due = await this.o.schedule.claimDue(now, 200);
      for (const { id, payload } of due) {
        let job: TipJob | CheckinJob;
        try {
          job = JSON.parse(payload) as TipJob | CheckinJob;
        } catch {
          continue;
        }
        if (job.kind === 'checkin') {
          // Each check-in books its reminder a day later; the person's answer makes the rest do nothing.
          const next = NEXT_STEP[job.step];
          if (next) await this.o.schedule.put(checkinId(job.person, job.stage, next), now + DAY, JSON.stringify({ ...job, step: next }));
          await this.o.deliver({ channel: job.channel, userId: job.userId }, CHECKIN_SIGNALS[job.step], `${id}:${now}`);
          continue;
        }
        const every = FREQUENCIES[job.frequency];
        if (!every) continue;
        await this.o.schedule.put(id, now + every, payload);
        await this.o.deliver({ channel: job.channel, userId: job.userId }, TIP_SIGNAL, `${id}:${now}`);
      }
      return due.length;
    } finally {
      this.ticking = false;
    }
  }

  start(everyMs: number): void {
    this.timer = setInterval(() => {
      this.tick().catch((e: unknown) => this.o.log.error('tips tick failed', { error: String(e) }));
    }, everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

function checkinId(person: string, stage: string, step: string): string {
  return `checkin:${person}:${stage}:${step}`;
}
