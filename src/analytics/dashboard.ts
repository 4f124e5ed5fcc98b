// The supervisors' analytics page: plain HTML made on the server, no script and no inline style (the
// server's CSP allows neither), the charts as <img> of the SVG routes, the period's totals as a table. Every
// word comes from locales/<lang>/console.json (`console.dashboard.*` and the console's shared names).
import type { Lang } from '../content/locales.ts';
import { langLinks } from '../counsellor/page-routes.ts';
import { escapeXml as esc, type AnalyticsReport, type Measures } from './report.ts';

export const PERIODS = [7, 30, 90, 365] as const;

/** The page's language and the console's texts in it, keyed without `console.` (`dashboard.title`). */
export interface PageLang {
  lang: Lang;
  texts: Record<string, string>;
}

export interface DurationUnits {
  s: string;
  min: string;
  h: string;
}

const ENGLISH_UNITS: DurationUnits = { s: 's', min: 'min', h: 'h' };

/** 75 → "1 min 15 s". */
export function duration(seconds: number | null, units: DurationUnits = ENGLISH_UNITS): string {
  if (seconds === null) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} ${units.s}`;
  if (s < 3600) return `${Math.floor(s / 60)} ${units.min}${s % 60 ? ` ${s % 60} ${units.s}` : ''}`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} ${units.h}${m % 60 ? ` ${m % 60} ${units.min}` : ''}`;
}

/** A text of the page by its key without `console.`. */
function text(v: PageLang, key: string): string {
  return v.texts[key] ?? key;
}

function unitsOf(v: PageLang): DurationUnits {
  return { s: text(v, 'dashboard.unit_s'), min: text(v, 'dashboard.unit_min'), h: text(v, 'dashboard.unit_h') };
}

function page(v: PageLang, main: string, here: (lang: Lang) => string): string {
  const title = text(v, 'dashboard.title');
  return `<!doctype html>
<html lang="${v.lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
  <meta name="referrer" content="no-referrer">
  <meta name="robots" content="noindex">
  <title>${esc(title)}</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/console/console.css">
  <link rel="stylesheet" href="/console/dashboard.css">
</head>
<body>
  <header class="bar"><h1>${esc(title)}</h1></header>
  <main>
    <nav class="periods" aria-label="${esc(text(v, 'switch.label'))}" data-testid="lang-switch">
      ${langLinks(v.lang, v.texts, here, '\n      ')}
    </nav>
${main}
  </main>
</body>
</html>
`;
}

/** The page shown instead of the dashboard: not logged in, not a supervisor, a bad period. */
export function messagePage(message: string, v: PageLang): string {
  return page(
    v,
    `    <section class="panel">
      <p class="error" data-testid="dashboard-error">${esc(message)}</p>
      <p>${esc(text(v, 'dashboard.how_to'))} <a href="/console/dashboard?lang=${v.lang}">/console/dashboard</a></p>
      <p><a href="/console">${esc(text(v, 'dashboard.open_console'))}</a></p>
    </section>`,
    (lang) => `/console/dashboard?lang=${lang}`,
  );
}

/** A row's name: the console's text under `prefix` (e.g. `channel.` + `telegram`), else "other", else the key. */
function namer(v: PageLang, prefix: string): (key: string) => string {
  return (key) => v.texts[`${prefix}${key}`] ?? (key === 'other' ? text(v, 'dashboard.other') : key);
}

function rows(record: Record<string, number>, name: (key: string) => string): string {
  return Object.entries(record)
    .map(([k, n]) => `<tr><th scope="row">${esc(name(k))}</th><td>${n}</td></tr>`)
    .join('\n');
}

function group(title: string, total: string | number | undefined, body: string): string {
  const head = `<tr><th scope="colgroup">${esc(title)}</th><td>${total === undefined ? '' : esc(String(total))}</td></tr>`;
  return `<tbody>\n${head}\n${body}\n</tbody>`;
}

function totalsTable(t: Measures, v: PageLang): string {
  const d = (key: string) => text(v, `dashboard.${key}`);
  const units = unitsOf(v);
  const waits = [
    `<tr><th scope="row">${esc(d('cases_taken'))}</th><td>${t.waits.count}</td></tr>`,
    `<tr><th scope="row">${esc(d('median_wait'))}</th><td>${esc(duration(t.waits.median, units))}</td></tr>`,
    `<tr><th scope="row">${esc(d('p90_wait'))}</th><td>${esc(duration(t.waits.p90, units))}</td></tr>`,
  ].join('\n');
  const none = `<tr><th scope="row">${esc(d('none'))}</th><td>0</td></tr>`;
  const channel = namer(v, 'channel.');
  const kind = namer(v, 'dashboard.kind_');
  return `<table class="totals" data-testid="totals">
<caption class="visually-hidden">${esc(d('totals_caption'))}</caption>
<thead><tr><th scope="col">${esc(d('what'))}</th><th scope="col">${esc(d('count'))}</th></tr></thead>
${group(d('by_lang'), t.conversations, rows(t.conversationsByLang, namer(v, 'lang.')))}
${group(d('by_channel'), undefined, rows(t.conversationsByChannel, channel))}
${group(d('flows'), undefined, rows(t.flowsCompleted, (k) => k) || none)}
${group(d('risk'), undefined, rows(t.risk, namer(v, 'dashboard.risk_')))}
${group(d('escalations_by_priority'), t.escalations, rows(t.escalationsByPriority, namer(v, 'priority.')))}
${group(d('escalations_by_channel'), undefined, rows(t.escalationsByChannel, channel))}
${group(d('queue_waits'), undefined, waits)}
${group(d('outcomes'), undefined, rows(t.outcomes, namer(v, 'outcome.')))}
${group(d('opt_ins'), undefined, rows(t.optIns, kind))}
${group(d('opt_outs'), undefined, rows(t.optOuts, kind))}
</table>`;
}

/** The dashboard for a report of `days` days, in the page's language. */
export function dashboardPage(report: AnalyticsReport, days: number, v: PageLang): string {
  const d = (key: string) => text(v, `dashboard.${key}`);
  const q = `?days=${days}`;
  // The charts in the page's language, whatever the browser's Accept-Language says.
  const chartQ = `${q}&amp;lang=${v.lang}`;
  const periods = PERIODS.map(
    (n) => `<a href="/console/dashboard?days=${n}&amp;lang=${v.lang}"${n === days ? ' aria-current="page"' : ''}>${n} ${esc(d('days'))}</a>`,
  ).join('\n      ');
  const span = days === 1 ? d('today') : `${days} ${d('days')}`;
  return page(
    v,
    `    <p class="hint">${esc(d('period'))}: ${esc(report.from)} – ${esc(report.to)} (${esc(span)}, ${esc(d('time_zone'))} ${esc(report.timeZone)}).
      ${esc(d('privacy'))}</p>
    <nav class="periods" aria-label="${esc(d('period'))}">
      ${periods}
    </nav>
    <section class="panel">
      <h2>${esc(d('conversations'))}</h2>
      <img class="chart" data-testid="chart-conversations" src="/console/api/analytics/conversations.svg${chartQ}" width="420" height="280"
        alt="${esc(d('conversations_alt'))} ${report.totals.conversations}">
    </section>
    <section class="panel">
      <h2>${esc(d('waits'))}</h2>
      <img class="chart" data-testid="chart-waits" src="/console/api/analytics/waits.svg${chartQ}" width="420" height="280"
        alt="${esc(d('waits_alt'))} ${esc(duration(report.totals.waits.median, unitsOf(v)))}">
    </section>
    <section class="panel">
      <h2>${esc(d('totals'))}</h2>
      ${totalsTable(report.totals, v)}
    </section>
    <p><a class="download" data-testid="csv-link" href="/console/api/analytics.csv${q}" download>${esc(d('csv'))}</a></p>
    <p><a href="/console">${esc(d('back'))}</a></p>`,
    (lang) => `/console/dashboard?days=${days}&lang=${lang}`,
  );
}
