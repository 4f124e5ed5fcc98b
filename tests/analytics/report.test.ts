// The report, its CSV and its SVG charts, from a store filled through the recorder.
import { describe, expect, it } from 'vitest';
import { Analytics } from '../../src/analytics/recorder.ts';
import { buildReport, charts, csvField, loadReport, quantile, toCsv, type AnalyticsReport } from '../../src/analytics/report.ts';
import { MemoryAnalyticsStore } from '../../src/analytics/store.ts';
import { createLogger } from '../../src/log.ts';

const TZ = 'Asia/Vientiane';
/** Noon in Vientiane on a day of May 2025. */
const may = (day: number) => Date.UTC(2025, 4, day, 5, 0);

async function filled() {
  let now = may(28);
  const store = new MemoryAnalyticsStore({ now: () => now });
  const analytics = new Analytics({ store, timeZone: TZ, log: createLogger('silent'), flows: ['job-check', 'get-help'], now: () => now });
  // 28 May: 3 Lao on Telegram, 1 Thai on the web chat, waits 10, 20, 30, 40 s.
  for (let i = 0; i < 3; i++) await analytics.conversationStarted('lo', 'telegram');
  await analytics.conversationStarted('th', 'webchat');
  await analytics.flowCompleted('job-check');
  await analytics.riskResult('high');
  await analytics.riskResult('high');
  await analytics.riskResult('low');
  await analytics.escalated('urgent', 'telegram');
  await analytics.escalated('high', 'webchat');
  for (const s of [40, 10, 30, 20]) await analytics.waited(s);
  await analytics.closed('referred');
  await analytics.optedIn('tips');
  // 29 May: nothing. 30 May: 2 English on Messenger, one unknown language, one long wait.
  now = may(30);
  await analytics.conversationStarted('en', 'messenger');
  await analytics.conversationStarted('en', 'messenger');
  await analytics.conversationStarted('xx', 'messenger');
  await analytics.waited(600);
  await analytics.closed('no_contact');
  await analytics.optedOut('tips');
  return { store, now };
}

async function report(): Promise<AnalyticsReport> {
  const { store, now } = await filled();
  return loadReport(store, { timeZone: TZ, days: 3, now });
}

/** A small well-formedness check: tags nest and close, attributes are quoted, entities are known. */
function wellFormed(xml: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let at = 0;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    const text = xml.slice(at, m.index);
    expect(text, 'no stray < or >').not.toMatch(/[<>]/);
    expect(text.replace(/&(amp|lt|gt|quot|#39);/g, ''), 'no bare &').not.toContain('&');
    expect((m[3] ?? '').replace(/&(amp|lt|gt|quot|#39);/g, ''), 'no bare & in attributes').not.toContain('&');
    at = tag.lastIndex;
    const [, close, name = '', , selfClose] = m;
    if (selfClose) continue;
    if (close) expect(stack.pop(), `</${name}> closes the open element`).toBe(name);
    else stack.push(name);
  }
  expect(xml.slice(at).trim()).toBe('');
  expect(stack).toEqual([]);
  expect(xml.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
}

describe('analytics report', () => {
  it('adds up the days: conversations by language and channel, flows, risk, escalations, waits, outcomes, opt-ins', async () => {
    const r = await report();
    expect(r.from).toBe('2025-05-28');
    expect(r.to).toBe('2025-05-30');
    expect(r.timeZone).toBe(TZ);
    expect(r.days.map((d) => d.day)).toEqual(['2025-05-28', '2025-05-29', '2025-05-30']);
    const [d28, d29, d30] = r.days;
    expect(d28).toMatchObject({
      conversations: 4,
      conversationsByLang: { lo: 3, th: 1, en: 0 },
      conversationsByChannel: { telegram: 3, messenger: 0, webchat: 1, console: 0 },
      flowsCompleted: { 'job-check': 1 },
      risk: { high: 2, medium: 0, low: 1 },
      escalations: 2,
      escalationsByPriority: { urgent: 1, high: 1, medium: 0, low: 0 },
      waits: { count: 4, median: 25, p90: 37 },
      outcomes: { referred: 1, advice_given: 0, no_contact: 0, other: 0 },
      optIns: { tips: 1, checkins: 0 },
    });
    expect(d29).toMatchObject({ conversations: 0, waits: { count: 0, median: null, p90: null }, flowsCompleted: { 'job-check': 0 } });
    // The unknown language is "other", and "other" shows on every day once seen in the period.
    expect(d30?.conversationsByLang).toEqual({ lo: 0, th: 0, en: 2, other: 1 });
    expect(d28?.conversationsByLang).toEqual({ lo: 3, th: 1, en: 0, other: 0 });
    expect(d30?.waits).toEqual({ count: 1, median: 600, p90: 600 });
    expect(r.totals).toMatchObject({
      conversations: 7,
      conversationsByLang: { lo: 3, th: 1, en: 2, other: 1 },
      conversationsByChannel: { telegram: 3, messenger: 3, webchat: 1, console: 0 },
      escalations: 2,
      outcomes: { referred: 1, no_contact: 1 },
      optOuts: { tips: 1, checkins: 0 },
      waits: { count: 5, median: 30, p90: 376 },
    });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('counts the last N days in the desk’s time zone, 30 by default, 1 to 400', async () => {
    const { store } = await filled();
    // 29 May 18:00 UTC is already 30 May in Vientiane.
    const r = await loadReport(store, { timeZone: TZ, days: 1, now: Date.UTC(2025, 4, 29, 18, 0) });
    expect(r.days.map((d) => d.day)).toEqual(['2025-05-30']);
    expect((await loadReport(store, { timeZone: TZ, now: may(30) })).days).toHaveLength(30);
    await expect(loadReport(store, { timeZone: TZ, days: 0 })).rejects.toThrow(RangeError);
    await expect(loadReport(store, { timeZone: TZ, days: 401 })).rejects.toThrow(RangeError);
  });

  it('median and p90 interpolate between the observations', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([3, 1, 2], 0.5)).toBe(2);
    expect(quantile(Array.from({ length: 11 }, (_, i) => i * 10), 0.9)).toBe(90);
  });

  it('CSV: header, one row per day and measure, CRLF, RFC 4180 quoting', async () => {
    const r = await report();
    const csv = toCsv(r);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('day,measure,label,value');
    expect(lines.at(-1)).toBe('');
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(lines).toContain('2025-05-28,conversations,all,4');
    expect(lines).toContain('2025-05-28,conversations_by_lang,lo,3');
    expect(lines).toContain('2025-05-30,conversations_by_lang,other,1');
    expect(lines).toContain('2025-05-28,risk_result,high,2');
    expect(lines).toContain('2025-05-28,escalations_by_priority,urgent,1');
    expect(lines).toContain('2025-05-28,wait_median_seconds,all,25');
    expect(lines).toContain('2025-05-28,wait_p90_seconds,all,37');
    expect(lines).toContain('2025-05-29,wait_median_seconds,all,');
    expect(lines).toContain('2025-05-28,outcome,referred,1');
    expect(lines).toContain('2025-05-28,opt_in,tips,1');
    expect(lines).toContain('2025-05-30,opt_out,tips,1');
    // Every day has the same measures and labels.
    const perDay = (day: string) => lines.filter((l) => l.startsWith(`${day},`)).map((l) => l.split(',').slice(1, 3).join(','));
    expect(perDay('2025-05-29')).toEqual(perDay('2025-05-28'));
    expect(new Set(lines.slice(1, -1).map((l) => l.split(',').slice(0, 3).join(','))).size).toBe(lines.length - 2);

    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    // A label with awkward characters in a report (not one the recorder would write) is quoted.
    const odd = structuredClone(r);
    odd.days[0]!.flowsCompleted = { 'x,"y"': 2 };
    expect(toCsv(odd).split('\r\n')).toContain('2025-05-28,flow_completed,"x,""y""",2');
  });

  it('SVG charts: well-formed, no scripts or outside links, sized by viewBox to the width, numbers drawn', async () => {
    const r = await report();
    const { conversations, waits } = charts(r);
    for (const svg of [conversations, waits]) {
      wellFormed(svg);
      expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 \d+ \d+"[^>]*width="100%"/);
      expect(svg.toLowerCase()).not.toContain('<script');
      expect(svg).not.toMatch(/\son\w+=/i);
      expect(svg).not.toMatch(/href|url\(|@import|<style|style=|<foreignObject/i);
      expect(svg).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg")/);
    }
    // One segment per language per day with conversations: 28th lo + th, 30th en + other.
    expect(conversations.match(/<rect [^>]*><title>/g)).toHaveLength(4);
    expect(conversations).toContain('<title>2025-05-28 Lao: 3</title>');
    expect(conversations).toContain('<title>2025-05-30 Other: 1</title>');
    expect(conversations).toContain('>05-30</text>');
    // Waits: 600 s is in minutes; the median bar and p90 dot of the 28th and 30th.
    expect(waits).toContain('>Queue wait per day (minutes)</text>');
    expect(waits).toContain('<title>2025-05-28 median: 0.42 min (4 taken)</title>');
    expect(waits).toContain('<title>2025-05-30 90th percentile: 10 min</title>');
    expect(waits.match(/<circle /g)).toHaveLength(2);
  });

  it('SVG charts escape text and say when there is nothing to show', () => {
    const empty = buildReport([{ day: '2025-01-01', counters: [], observations: {} }], TZ);
    const { conversations, waits } = charts(empty);
    expect(conversations).toContain('No conversations in this period');
    expect(waits).toContain('Nobody waited in the queue in this period');
    expect(waits).toContain('>Queue wait per day (seconds)</text>');
    const odd = buildReport([{ day: '2025-01-01', counters: [{ name: 'conversations', labels: { lang: 'x<y&"z"' }, value: 2 } as never], observations: {} }], TZ);
    const svg = charts(odd).conversations;
    wellFormed(svg);
    expect(svg).toContain('x&lt;y&amp;&quot;z&quot;');
    // Many days: still well-formed, labels thinned out.
    const year = buildReport(
      Array.from({ length: 400 }, (_, i) => ({
        day: new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10),
        counters: [{ name: 'conversations', labels: { lang: 'lo', channel: 'telegram' }, value: i % 7 }],
        observations: { wait_seconds: i % 5 === 0 ? [] : [i, i * 2] },
      })),
      TZ,
    );
    for (const s of Object.values(charts(year))) {
      wellFormed(s);
      expect((s.match(/<text [^>]*>\d\d-\d\d<\/text>/g) ?? []).length).toBeLessThanOrEqual(7);
    }
  });
});
