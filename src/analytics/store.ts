// Anonymous analytics: counters per day, never anything that identifies a person (docs/analytics.md).
//
// One Redis hash a day, `${prefix}analytics:<day>`, whose fields are `name|k=v|k=v` (labels sorted by key)
// and whose values are counts; observations (queue waits in seconds) go to one list a day,
// `${prefix}analytics:<day>:obs`, as `name|value`, at most 10,000 values a day. Both keys live 400 days.
// Names, label keys and label values are short words from fixed vocabularies (the recorder sees to that);
// the store refuses anything else, so no text or id can slip in through a label.
import type { Redis } from 'ioredis';
import { runScript } from '../store/scripts.ts';

/** How long a day's numbers are kept. */
export const RETENTION_DAYS = 400;
export const RETENTION_SECONDS = RETENTION_DAYS * 24 * 3600;
/** The most observations kept for one day (the first ones; later ones are dropped). */
export const MAX_OBSERVATIONS_PER_DAY = 10_000;

/** A counter of one day with its labels. */
export interface CounterValue {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Everything kept for one day. */
export interface DayStats {
  day: string;
  /** Sorted by name, then by field. */
  counters: CounterValue[];
  /** Observed values by name, in the order they were recorded. */
  observations: Record<string, number[]>;
}

export interface AnalyticsStore {
  /** Adds `by` (default 1) to the day's counter `name` with these labels. */
  incr(day: string, name: string, labels: Record<string, string>, by?: number): Promise<void>;
  /** Records one value (e.g. a queue wait in seconds) for the day. */
  observe(day: string, name: string, value: number): Promise<void>;
  /** The days asked for, in the same order; a day with nothing recorded comes back empty. */
  read(days: string[]): Promise<DayStats[]>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Lowercase words: flow ids, languages, channels… Never a text, a number that could be a phone, or an id. */
const WORD = /^[a-z][a-z0-9_.-]{0,39}$/;

export class AnalyticsError extends Error {}

function checkDay(day: string): void {
  if (!DAY.test(day)) throw new AnalyticsError(`day must be YYYY-MM-DD, not ${JSON.stringify(day.slice(0, 20))}`);
}

function checkWord(what: string, word: string): void {
  if (!WORD.test(word)) throw new AnalyticsError(`${what} must be a short lowercase word`);
}

/** The hash field of a counter: `name|k=v|k=v`, labels sorted by key. */
export function fieldOf(name: string, labels: Record<string, string>): string {
  checkWord('counter name', name);
  const parts = Object.keys(labels)
    .sort()
    .map((k) => {
      const v = labels[k] ?? '';
      checkWord('label name', k);
      checkWord('label value', v);
      return `${k}=${v}`;
    });
  return [name, ...parts].join('|');
}

/** The counter a hash field stands for, or undefined for a field this module did not write. */
export function parseField(field: string): { name: string; labels: Record<string, string> } | undefined {
  const [name, ...parts] = field.split('|');
  if (!name || !WORD.test(name)) return undefined;
  const labels: Record<string, string> = {};
  for (const part of parts) {
    const eq = part.indexOf('=');
    const k = part.slice(0, eq);
    const v = part.slice(eq + 1);
    if (eq < 1 || !WORD.test(k) || !WORD.test(v)) return undefined;
    labels[k] = v;
  }
  return { name, labels };
}

function checkIncrement(by: number): void {
  if (!Number.isSafeInteger(by) || by < 0) throw new AnalyticsError('a counter grows by a whole number ≥ 0');
}

function checkObservation(value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new AnalyticsError('an observation is a finite number ≥ 0');
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) of a moment (ms) in a time zone, e.g. the desk's Asia/Vientiane. */
export function dayOf(at: number, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', calendar: 'gregory', numberingSystem: 'latn' });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return `${String(parts['year']).padStart(4, '0')}-${parts['month']}-${parts['day']}`;
}

/** The `count` calendar days that end with `lastDay`, oldest first. */
export function daysEnding(lastDay: string, count: number): string[] {
  checkDay(lastDay);
  const [y, m, d] = lastDay.split('-').map(Number) as [number, number, number];
  const end = Date.UTC(y, m - 1, d);
  const days: string[] = [];
  for (let i = count - 1; i >= 0; i--) days.push(new Date(end - i * 86_400_000).toISOString().slice(0, 10));
  return days;
}

function sortCounters(counters: CounterValue[]): CounterValue[] {
  return counters.sort((a, b) => (a.name === b.name ? fieldOf(a.name, a.labels).localeCompare(fieldOf(b.name, b.labels)) : a.name.localeCompare(b.name)));
}

function parseObservation(entry: string): { name: string; value: number } | undefined {
  const bar = entry.indexOf('|');
  const name = entry.slice(0, bar);
  const value = Number(entry.slice(bar + 1));
  if (bar < 1 || !WORD.test(name) || !Number.isFinite(value)) return undefined;
  return { name, value };
}

/** Analytics in Redis, shared by every server process. */
const INCR = `
redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1`;

export class RedisAnalyticsStore implements AnalyticsStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.redis = redis;
    this.prefix = prefix;
  }

  key(day: string): string {
    return `${this.prefix}analytics:${day}`;
  }

  observationsKey(day: string): string {
    return `${this.prefix}analytics:${day}:obs`;
  }

  async incr(day: string, name: string, labels: Record<string, string>, by = 1): Promise<void> {
    checkDay(day);
    checkIncrement(by);
    const field = fieldOf(name, labels);
    const key = this.key(day);
    // One command, not a transaction: counters are written on the message path.
    await runScript(this.redis, INCR, [key], [field, by, RETENTION_SECONDS]);
  }

  async observe(day: string, name: string, value: number): Promise<void> {
    checkDay(day);
    checkWord('observation name', name);
    checkObservation(value);
    const key = this.observationsKey(day);
    // The first 10,000 of the day are kept: a later one is pushed and trimmed off in the same step.
    await this.redis
      .multi()
      .rpush(key, `${name}|${value}`)
      .ltrim(key, 0, MAX_OBSERVATIONS_PER_DAY - 1)
      .expire(key, RETENTION_SECONDS)
      .exec();
  }

  async read(days: string[]): Promise<DayStats[]> {
    days.forEach(checkDay);
    if (days.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const day of days) pipeline.hgetall(this.key(day)).lrange(this.observationsKey(day), 0, -1);
    const results = (await pipeline.exec()) ?? [];
    return days.map((day, i) => {
      const [hashError, hash] = results[2 * i] ?? [];
      const [listError, list] = results[2 * i + 1] ?? [];
      if (hashError) throw hashError;
      if (listError) throw listError;
      const counters: CounterValue[] = [];
      for (const [field, raw] of Object.entries((hash ?? {}) as Record<string, string>)) {
        const parsed = parseField(field);
        const value = Number(raw);
        if (parsed && Number.isFinite(value)) counters.push({ ...parsed, value });
      }
      const observations: Record<string, number[]> = {};
      for (const entry of (list ?? []) as string[]) {
        const o = parseObservation(entry);
        if (o) (observations[o.name] ??= []).push(o.value);
      }
      return { day, counters: sortCounters(counters), observations };
    });
  }
}

/** Analytics in this process only (memory mode): lost on restart, like everything else in memory mode. */
export class MemoryAnalyticsStore implements AnalyticsStore {
  private readonly counters = new Map<string, Map<string, number>>();
  private readonly observations = new Map<string, string[]>();
  private readonly now: () => number;

  constructor(opts: { now?: () => number } = {}) {
    this.now = opts.now ?? Date.now;
  }

  async incr(day: string, name: string, labels: Record<string, string>, by = 1): Promise<void> {
    checkDay(day);
    checkIncrement(by);
    const field = fieldOf(name, labels);
    let hash = this.counters.get(day);
    if (!hash) {
      this.forget();
      this.counters.set(day, (hash = new Map()));
    }
    hash.set(field, (hash.get(field) ?? 0) + by);
  }

  async observe(day: string, name: string, value: number): Promise<void> {
    checkDay(day);
    checkWord('observation name', name);
    checkObservation(value);
    let list = this.observations.get(day);
    if (!list) {
      this.forget();
      this.observations.set(day, (list = []));
    }
    if (list.length < MAX_OBSERVATIONS_PER_DAY) list.push(`${name}|${value}`);
  }

  async read(days: string[]): Promise<DayStats[]> {
    days.forEach(checkDay);
    return days.map((day) => {
      const counters: CounterValue[] = [];
      for (const [field, value] of this.counters.get(day) ?? []) {
        const parsed = parseField(field);
        if (parsed) counters.push({ ...parsed, value });
      }
      const observations: Record<string, number[]> = {};
      for (const entry of this.observations.get(day) ?? []) {
        const o = parseObservation(entry);
        if (o) (observations[o.name] ??= []).push(o.value);
      }
      return { day, counters: sortCounters(counters), observations };
    });
  }

  /** Drops days older than the retention (a long-running memory-mode process). */
  private forget(): void {
    const oldest = new Date(this.now() - (RETENTION_DAYS + 1) * 86_400_000).toISOString().slice(0, 10);
    for (const map of [this.counters, this.observations]) {
      for (const day of map.keys()) if (day < oldest) map.delete(day);
    }
  }
}
