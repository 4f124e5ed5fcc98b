// The analytics report for the last N days: numbers per day and totals, as JSON, CSV or SVG charts.
// Everything here is pure except loadReport, which reads the store.
import { LANGS } from '../content/locales.ts';
import { PRIORITIES } from '../engine/index.ts';
import { OUTCOMES } from '../escalation/types.ts';
import { CHANNELS, MEASURES, OPT_KINDS, OTHER, RISKS } from './recorder.ts';
import { dayOf, daysEnding, RETENTION_DAYS, type AnalyticsStore, type DayStats } from './store.ts';

export const DEFAULT_DAYS = 30;
export const MAX_DAYS = RETENTION_DAYS;

export interface Waits {
  /** Cases taken from the queue (at most 10,000 a day are kept for the median and p90). */
  count: number;
  /** Seconds, one decimal; null when nobody waited. */
  median: number | null;
  p90: number | null;
}

export interface Measures {
  conversations: number;
  conversationsByLang: Record<string, number>;
  conversationsByChannel: Record<string, number>;
  flowsCompleted: Record<string, number>;
  risk: Record<string, number>;
  escalations: number;
  escalationsByPriority: Record<string, number>;
  escalationsByChannel: Record<string, number>;
  waits: Waits;
  outcomes: Record<string, number>;
  optIns: Record<string, number>;
  optOuts: Record<string, number>;
}

export interface DayReport extends Measures {
  day: string;
}

export interface AnalyticsReport {
  timeZone: string;
  /** First and last day, YYYY-MM-DD in the time zone. */
  from: string;
  to: string;
  /** Oldest first, one per day, days with nothing included. */
  days: DayReport[];
  /** Sums over the days; waits over all the days' observations. */
  totals: Measures;
}

type Breakdown = 'conversationsByLang' | 'conversationsByChannel' | 'flowsCompleted' | 'risk' | 'escalationsByPriority' | 'escalationsByChannel' | 'outcomes' | 'optIns' | 'optOuts';

/** Each breakdown's counter, the label it is broken down by, and the words always shown (with 0). */
const BREAKDOWNS: Record<Breakdown, { counter: string; label: string; always: readonly string[] }> = {
  conversationsByLang: { counter: MEASURES.conversations, label: 'lang', always: LANGS },
  conversationsByChannel: { counter: MEASURES.conversations, label: 'channel', always: CHANNELS },
  flowsCompleted: { counter: MEASURES.flowCompleted, label: 'flow', always: [] },
  risk: { counter: MEASURES.risk, label: 'risk', always: RISKS },
  escalationsByPriority: { counter: MEASURES.escalations, label: 'priority', always: PRIORITIES },
  escalationsByChannel: { counter: MEASURES.escalations, label: 'channel', always: CHANNELS },
  outcomes: { counter: MEASURES.closed, label: 'outcome', always: OUTCOMES },
  optIns: { counter: MEASURES.optIn, label: 'kind', always: OPT_KINDS },
  optOuts: { counter: MEASURES.optOut, label: 'kind', always: OPT_KINDS },
};
const BREAKDOWN_NAMES = Object.keys(BREAKDOWNS) as Breakdown[];

/** The p-th quantile (0–1) of the values, linearly interpolated, to one decimal; null for none. */
export function quantile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = p * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  const value = (sorted[lo] ?? 0) + ((sorted[hi] ?? 0) - (sorted[lo] ?? 0)) * (at - lo);
  return Math.round(value * 10) / 10;
}

function waitsOf(values: readonly number[]): Waits {
  return { count: values.length, median: quantile(values, 0.5), p90: quantile(values, 0.9) };
}

const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);

/** The report of these days' numbers (pure: the days as read from the store). */
export function buildReport(stats: readonly DayStats[], timeZone: string): AnalyticsReport {
  // Each breakdown shows its fixed words, then any other word seen in the period, on every day.
  const keys = Object.fromEntries(BREAKDOWN_NAMES.map((b) => [b, new Set<string>(BREAKDOWNS[b].always)])) as Record<Breakdown, Set<string>>;
  const seen = stats.map((s) => {
    const raw = Object.fromEntries(BREAKDOWN_NAMES.map((b) => [b, {} as Record<string, number>])) as Record<Breakdown, Record<string, number>>;
    for (const c of s.counters) {
      for (const b of BREAKDOWN_NAMES) {
        const { counter, label } = BREAKDOWNS[b];
        if (c.name !== counter) continue;
        const word = c.labels[label] ?? OTHER;
        raw[b][word] = (raw[b][word] ?? 0) + c.value;
      }
    }
    return raw;
  });
  for (const raw of seen) for (const b of BREAKDOWN_NAMES) for (const word of Object.keys(raw[b])) keys[b].add(word);
  const order = (b: Breakdown): string[] => {
    const always = BREAKDOWNS[b].always;
    const extra = [...keys[b]].filter((w) => !always.includes(w) && w !== OTHER).sort();
    return [...always, ...extra, ...(keys[b].has(OTHER) && !always.includes(OTHER) ? [OTHER] : [])];
  };
  const orders = Object.fromEntries(BREAKDOWN_NAMES.map((b) => [b, order(b)])) as Record<Breakdown, string[]>;
  const fill = (b: Breakdown, raw: Record<string, number>) => Object.fromEntries(orders[b].map((w) => [w, raw[w] ?? 0]));

  const days: DayReport[] = stats.map((s, i) => {
    const raw = seen[i] as Record<Breakdown, Record<string, number>>;
    const filled = Object.fromEntries(BREAKDOWN_NAMES.map((b) => [b, fill(b, raw[b])])) as Record<Breakdown, Record<string, number>>;
    return {
      day: s.day,
      ...measures(filled, waitsOf(s.observations[MEASURES.waitSeconds] ?? [])),
    };
  });

  const totalsRaw = Object.fromEntries(
    BREAKDOWN_NAMES.map((b) => [b, Object.fromEntries(orders[b].map((w) => [w, days.reduce((n, d) => n + (d[b][w] ?? 0), 0)]))]),
  ) as Record<Breakdown, Record<string, number>>;
  const allWaits = stats.flatMap((s) => s.observations[MEASURES.waitSeconds] ?? []);
  return {
    timeZone,
    from: stats[0]?.day ?? '',
    to: stats.at(-1)?.day ?? '',
    days,
    totals: measures(totalsRaw, waitsOf(allWaits)),
  };
}

function measures(b: Record<Breakdown, Record<string, number>>, waits: Waits): Measures {
  return {
    conversations: sum(b.conversationsByLang),
    conversationsByLang: b.conversationsByLang,
    conversationsByChannel: b.conversationsByChannel,
    flowsCompleted: b.flowsCompleted,
    risk: b.risk,
    escalations: sum(b.escalationsByPriority),
    escalationsByPriority: b.escalationsByPriority,
    escalationsByChannel: b.escalationsByChannel,
    waits,
    outcomes: b.outcomes,
    optIns: b.optIns,
    optOuts: b.optOuts,
  };
}

export interface LoadOptions {
  timeZone: string;
  /** How many days, ending today (default 30, at most 400). */
  days?: number;
  now?: number;
}

/** Reads the last N days (today included) from the store and builds their report. */
export async function loadReport(store: AnalyticsStore, o: LoadOptions): Promise<AnalyticsReport> {
  const count = o.days ?? DEFAULT_DAYS;
  if (!Number.isInteger(count) || count < 1 || count > MAX_DAYS) throw new RangeError(`days must be a whole number from 1 to ${MAX_DAYS}`);
  const days = daysEnding(dayOf(o.now ?? Date.now(), o.timeZone), count);
  return buildReport(await store.read(days), o.timeZone);
}

// ---- CSV ----------------------------------------------------------------------------------------------

/** The CSV's rows for one day: [measure, label, value]; the value is '' when there is none (no waits). */
function rowsOf(d: DayReport): [string, string, string][] {
  const rows: [string, string, string][] = [];
  const each = (measure: string, record: Record<string, number>) => {
    for (const [label, value] of Object.entries(record)) rows.push([measure, label, String(value)]);
  };
  const one = (measure: string, value: number | null) => rows.push([measure, 'all', value === null ? '' : String(value)]);
  one('conversations', d.conversations);
  each('conversations_by_lang', d.conversationsByLang);
  each('conversations_by_channel', d.conversationsByChannel);
  each('flow_completed', d.flowsCompleted);
  each('risk_result', d.risk);
  one('escalations', d.escalations);
  each('escalations_by_priority', d.escalationsByPriority);
  each('escalations_by_channel', d.escalationsByChannel);
  one('waits', d.waits.count);
  one('wait_median_seconds', d.waits.median);
  one('wait_p90_seconds', d.waits.p90);
  each('outcome', d.outcomes);
  each('opt_in', d.optIns);
  each('opt_out', d.optOuts);
  return rows;
}

/** One CSV field, quoted when RFC 4180 says so (a comma, a double quote, CR or LF), quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The report as CSV (RFC 4180, CRLF line ends): a header, then one row per day and measure. */
export function toCsv(report: AnalyticsReport): string {
  const lines = [['day', 'measure', 'label', 'value']];
  for (const d of report.days) for (const row of rowsOf(d)) lines.push([d.day, ...row]);
  return lines.map((fields) => fields.map(csvField).join(',')).join('\r\n') + '\r\n';
}

// ---- SVG charts ---------------------------------------------------------------------------------------

/** Text made safe inside SVG or HTML text and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const W = 420;
const H = 280;
const M = { left: 40, right: 10, top: 50, bottom: 30 };
const FONT = 'font-family="system-ui, sans-serif"';
/** The words of the two charts; the routes give them in the supervisor's language (console.json). */
export interface ChartWords {
  conversations: string;
  conversationsByLang: string;
  noConversations: string;
  waits: string;
  waitsFull: string;
  noWaits: string;
  median: string;
  p90: string;
  p90Legend: string;
  minutes: string;
  seconds: string;
  min: string;
  s: string;
  to: string;
  taken: string;
  langs: Record<string, string>;
}

export const ENGLISH_CHART_WORDS: ChartWords = {
  conversations: 'Conversations per day',
  conversationsByLang: 'Conversations per day by language',
  noConversations: 'No conversations in this period',
  waits: 'Queue wait per day',
  waitsFull: 'Queue wait per day (median and 90th percentile)',
  noWaits: 'Nobody waited in the queue in this period',
  median: 'median',
  p90: '90th percentile',
  p90Legend: '90% waited less than',
  minutes: 'minutes',
  seconds: 'seconds',
  min: 'min',
  s: 's',
  to: 'to',
  taken: 'taken',
  langs: { lo: 'Lao', th: 'Thai', en: 'English', other: 'Other' },
};
const LANG_COLOURS: Record<string, string> = { lo: '#1f5fbf', th: '#d9480f', en: '#2b8a3e', other: '#868e96' };
const MEDIAN_COLOUR = '#1f5fbf';
const P90_COLOUR = '#c2255c';

const fmt = (n: number) => String(Math.round(n * 100) / 100);

/** A round top for the y axis and the step between its grid lines. */
function scale(max: number, wholeSteps: boolean): { top: number; step: number } {
  if (!(max > 0)) return { top: wholeSteps ? 4 : 1, step: wholeSteps ? 1 : 0.25 };
  const raw = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / magnitude;
  let step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * magnitude;
  if (wholeSteps) step = Math.max(1, Math.round(step));
  return { top: Math.ceil(max / step - 1e-9) * step, step };
}

interface Frame {
  x: (i: number) => number;
  slot: number;
  y: (v: number) => number;
  parts: string[];
}

/** The chart's frame: title, y grid with values, x labels for some days (at most 6). */
function frame(title: string, days: readonly string[], top: number, step: number): Frame {
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const n = Math.max(1, days.length);
  const slot = plotW / n;
  const x = (i: number) => M.left + i * slot;
  const y = (v: number) => M.top + plotH - (v / top) * plotH;
  const parts: string[] = [`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`];
  parts.push(`<text x="${M.left}" y="17" ${FONT} font-size="16" font-weight="700" fill="#1b1f24">${escapeXml(title)}</text>`);
  for (let v = 0; v <= top + 1e-9; v += step) {
    const yy = y(v).toFixed(1);
    parts.push(`<line x1="${M.left}" y1="${yy}" x2="${W - M.right}" y2="${yy}" stroke="${v === 0 ? '#667085' : '#e4e7ec'}" stroke-width="1"/>`);
    parts.push(`<text x="${M.left - 5}" y="${yy}" dy="5" text-anchor="end" ${FONT} font-size="14" fill="#475467">${escapeXml(fmt(v))}</text>`);
  }
  const every = Math.ceil(n / 6);
  days.forEach((day, i) => {
    if ((days.length - 1 - i) % every !== 0) return; // the last day always has its label
    const label = day.slice(5); // MM-DD
    const cx = x(i) + slot / 2;
    // A label that would stick out on the right is pulled in.
    const at = cx + 22 > W ? `x="${W - 1}" text-anchor="end"` : `x="${cx.toFixed(1)}" text-anchor="middle"`;
    parts.push(`<text ${at} y="${H - M.bottom + 20}" ${FONT} font-size="14" fill="#475467">${escapeXml(label)}</text>`);
  });
  return { x, slot, y, parts };
}

function svg(label: string, parts: string[]): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-label="${escapeXml(label)}">` +
    `<title>${escapeXml(label)}</title>${parts.join('')}</svg>\n`
  );
}

function legend(items: { name: string; colour: string; line?: boolean }[]): string {
  let x = M.left;
  return items
    .map(({ name, colour, line }) => {
      const mark = line
        ? `<line x1="${x}" y1="31" x2="${x + 14}" y2="31" stroke="${colour}" stroke-width="3"/>`
        : `<rect x="${x}" y="24" width="13" height="13" fill="${colour}"/>`;
      const text = `<text x="${x + 18}" y="36" ${FONT} font-size="14" fill="#1b1f24">${escapeXml(name)}</text>`;
      x += 28 + name.length * 8;
      return mark + text;
    })
    .join('');
}

function noData(what: string): string {
  return `<text x="${W / 2}" y="${H / 2}" text-anchor="middle" ${FONT} font-size="14" fill="#667085">${escapeXml(what)}</text>`;
}

/** Conversations per day, stacked by language. */
export function conversationsChart(report: AnalyticsReport, w: ChartWords = ENGLISH_CHART_WORDS): string {
  const LANG_NAMES = w.langs;
  const langs = Object.keys(report.totals.conversationsByLang);
  const max = Math.max(0, ...report.days.map((d) => d.conversations));
  const { top, step } = scale(max, true);
  const title = `${w.conversationsByLang}, ${report.from} ${w.to} ${report.to}`;
  const f = frame(w.conversations, report.days.map((d) => d.day), top, step);
  f.parts.push(legend(langs.map((l) => ({ name: LANG_NAMES[l] ?? l, colour: LANG_COLOURS[l] ?? LANG_COLOURS['other'] ?? '#868e96' }))));
  const barW = Math.max(0.6, f.slot * 0.72);
  report.days.forEach((d, i) => {
    let base = 0;
    for (const lang of langs) {
      const n = d.conversationsByLang[lang] ?? 0;
      if (n <= 0) continue;
      const y1 = f.y(base + n);
      const h = f.y(base) - y1;
      base += n;
      f.parts.push(
        `<rect x="${(f.x(i) + (f.slot - barW) / 2).toFixed(2)}" y="${y1.toFixed(2)}" width="${barW.toFixed(2)}" height="${h.toFixed(2)}" fill="${LANG_COLOURS[lang] ?? '#868e96'}">` +
          `<title>${escapeXml(`${d.day} ${LANG_NAMES[lang] ?? lang}: ${n}`)}</title></rect>`,
      );
    }
  });
  if (max === 0) f.parts.push(noData(w.noConversations));
  return svg(title, f.parts);
}

/** Median (bars) and 90th percentile (line) of the queue wait per day. */
export function waitsChart(report: AnalyticsReport, w: ChartWords = ENGLISH_CHART_WORDS): string {
  const max = Math.max(0, ...report.days.map((d) => d.waits.p90 ?? 0), ...report.days.map((d) => d.waits.median ?? 0));
  const minutes = max >= 120;
  const per = minutes ? 60 : 1;
  const { top, step } = scale(max / per, false);
  const title = `${w.waitsFull}, ${report.from} ${w.to} ${report.to}`;
  const f = frame(`${w.waits} (${minutes ? w.minutes : w.seconds})`, report.days.map((d) => d.day), top, step);
  f.parts.push(
    legend([
      { name: w.median.charAt(0).toUpperCase() + w.median.slice(1), colour: MEDIAN_COLOUR },
      { name: w.p90Legend, colour: P90_COLOUR, line: true },
    ]),
  );
  const barW = Math.max(0.6, f.slot * 0.6);
  const unit = minutes ? w.min : w.s;
  report.days.forEach((d, i) => {
    if (d.waits.median === null) return;
    const v = d.waits.median / per;
    const y1 = f.y(v);
    f.parts.push(
      `<rect x="${(f.x(i) + (f.slot - barW) / 2).toFixed(2)}" y="${y1.toFixed(2)}" width="${barW.toFixed(2)}" height="${(f.y(0) - y1).toFixed(2)}" fill="${MEDIAN_COLOUR}" fill-opacity="0.8">` +
        `<title>${escapeXml(`${d.day} ${w.median}: ${fmt(v)} ${unit} (${d.waits.count} ${w.taken})`)}</title></rect>`,
    );
  });
  // The p90 line, broken where a day had no waits.
  let run: string[] = [];
  const lines: string[][] = [];
  report.days.forEach((d, i) => {
    if (d.waits.p90 === null) {
      if (run.length) lines.push(run);
      run = [];
      return;
    }
    run.push(`${(f.x(i) + f.slot / 2).toFixed(2)},${f.y(d.waits.p90 / per).toFixed(2)}`);
  });
  if (run.length) lines.push(run);
  for (const points of lines) {
    if (points.length > 1) f.parts.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${P90_COLOUR}" stroke-width="2.5" stroke-linejoin="round"/>`);
    else if (report.days.length > 60) {
      // A lone day between gaps: a dot (with few days every day has one, below).
      const [cx, cy] = (points[0] ?? '0,0').split(',');
      f.parts.push(`<circle cx="${cx}" cy="${cy}" r="2" fill="${P90_COLOUR}"/>`);
    }
  }
  if (report.days.length <= 60) {
    report.days.forEach((d, i) => {
      if (d.waits.p90 === null) return;
      const v = d.waits.p90 / per;
      f.parts.push(
        `<circle cx="${(f.x(i) + f.slot / 2).toFixed(2)}" cy="${f.y(v).toFixed(2)}" r="3" fill="${P90_COLOUR}"><title>${escapeXml(`${d.day} ${w.p90}: ${fmt(v)} ${unit}`)}</title></circle>`,
      );
    });
  }
  if (max === 0 && report.days.every((d) => d.waits.count === 0)) f.parts.push(noData(w.noWaits));
  return svg(title, f.parts);
}

/** Both charts, as standalone SVG documents (no scripts, no external fonts or links). */
export function charts(report: AnalyticsReport, w: ChartWords = ENGLISH_CHART_WORDS): { conversations: string; waits: string } {
  return { conversations: conversationsChart(report, w), waits: waitsChart(report, w) };
}
