// Duty hours: when counsellors answer. Outside them a person is told when someone will, and the case waits.
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export interface DutyWindow {
  /** Days of the week, 0 = Sunday. */
  days: number[];
  /** Minutes after local midnight. */
  from: number;
  to: number;
}

/** "mon-fri 08:00-17:00, sat 09:00-12:00" → windows; undefined when it cannot be read. */
export function parseDutyHours(text: string): DutyWindow[] | undefined {
  const windows: DutyWindow[] = [];
  for (const part of text.toLowerCase().split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(daily|[a-z]{3}(?:-[a-z]{3})?)\s+(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(part);
    if (!m) return undefined;
    const [, dayText = '', h1, m1, h2, m2] = m;
    const from = Number(h1) * 60 + Number(m1);
    const to = Number(h2) * 60 + Number(m2);
    if (from >= to || to > 24 * 60) return undefined;
    const days = dayRange(dayText);
    if (!days) return undefined;
    windows.push({ days, from, to });
  }
  return windows.length > 0 ? windows : undefined;
}

function dayRange(text: string): number[] | undefined {
  if (text === 'daily') return [0, 1, 2, 3, 4, 5, 6];
  const [a, b = a] = text.split('-');
  const start = DAYS.indexOf(a as (typeof DAYS)[number]);
  const end = DAYS.indexOf(b as (typeof DAYS)[number]);
  if (start < 0 || end < 0) return undefined;
  const days: number[] = [];
  for (let d = start; ; d = (d + 1) % 7) {
    days.push(d);
    if (d === end) break;
  }
  return days;
}

export class Duty {
  private readonly windows: DutyWindow[];
  readonly timeZone: string;

  constructor(windows: DutyWindow[], timeZone: string) {
    this.windows = windows;
    this.timeZone = timeZone;
  }

  isOpen(at: number): boolean {
    const { day, minute } = this.local(at);
    return this.windows.some((w) => w.days.includes(day) && minute >= w.from && minute < w.to);
  }

  /** The next moment the desk opens after `at` (to the minute), within the coming week. */
  nextOpening(at: number): number | undefined {
    const start = Math.ceil(at / 60_000) * 60_000;
    for (let t = start; t < at + 8 * 86_400_000; t += 60_000) {
      if (this.isOpen(t)) return t;
      // Jump ahead by whole hours when far from any window edge, to keep this cheap.
      const { minute } = this.local(t);
      if (!this.windows.some((w) => Math.abs(w.from - minute) < 61)) t += 59 * 60_000;
    }
    return undefined;
  }

  /** "Monday 08:00" in the person's language and the desk's time zone. */
  describe(at: number, lang: string): string {
    return new Intl.DateTimeFormat(lang, { weekday: 'long', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: this.timeZone }).format(at);
  }

  private local(at: number): { day: number; minute: number } {
    const parts = new Intl.DateTimeFormat('en-US', { weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: this.timeZone }).formatToParts(at);
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    const day = DAYS.indexOf(get('weekday').toLowerCase().slice(0, 3) as (typeof DAYS)[number]);
    return { day, minute: (Number(get('hour')) % 24) * 60 + Number(get('minute')) };
  }
}
