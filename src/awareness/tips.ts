// Tips on a schedule: a person who opted in gets a tip and a quiz question daily, weekly or monthly. The
// scheduler claims what is due in any process and hands it to the person's channel like any other message.
import { TIP_SIGNAL } from '../conversation/service.ts';
import { pseudonym, type Logger } from '../log.ts';
import type { ScheduleStore } from './scheduler.ts';

export const FREQUENCIES: Readonly<Record<string, number>> = {
  daily: 86_400_000,
  weekly: 7 * 86_400_000,
  monthly: 30 * 86_400_000,
};

interface TipJob {
  channel: string;
  userId: string;
  frequency: string;
}

export interface AwarenessOptions {
  schedule: ScheduleStore;
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
  async setTips(person: string, who: { channel: string; userId: string }, frequency: string): Promise<void> {
    const id = `tips:${person}`;
    const every = FREQUENCIES[frequency];
    if (!every) {
      await this.o.schedule.cancel(id);
      this.o.onOptIn?.(false);
      this.o.log.info('tips off', { person: pseudonym(person) });
      return;
    }
    const job: TipJob = { ...who, frequency };
    await this.o.schedule.put(id, this.o.now() + every, JSON.stringify(job));
    this.o.onOptIn?.(true);
    this.o.log.info('tips on', { person: pseudonym(person), frequency });
  }

  /** Sends what is due and books the next one. */
  async tick(): Promise<number> {
    if (this.ticking) return 0;
    this.ticking = true;
    try {
      const now = this.o.now();
      const due = await this.o.schedule.claimDue(now, 200);
      for (const { id, payload } of due) {
        let job: TipJob;
        try {
          job = JSON.parse(payload) as TipJob;
        } catch {
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
