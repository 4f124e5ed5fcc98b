// The supervisors' analytics page: plain HTML made on the server, no script and no inline style (the
// server's CSP allows neither), the charts as <img> of the SVG routes, the period's totals as a table.
import { escapeXml as esc, type AnalyticsReport, type Measures } from './report.ts';

export const PERIODS = [7, 30, 90, 365] as const;

const LANG_NAMES: Record<string, string> = { lo: 'Lao', th: 'Thai', en: 'English', other: 'Other' };
const HUMAN: Record<string, string> = {
  webchat: 'Web chat',
  telegram: 'Telegram',
  messenger: 'Messenger',
  console: 'Console',
  advice_given: 'advice given',
  no_contact: 'no contact',
  checkins: 'check-ins',
};

/** 75 → "1 min 15 s". */
export function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

function page(title: string, main: string): string {
  return `<!doctype html>
<html lang="en">
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
${main}
  </main>
</body>
</html>
`;
}

/** The page shown instead of the dashboard: not logged in, not a supervisor, a bad period. */
export function messagePage(message: string): string {
  return page(
    'Hotline analytics',
    `    <section class="panel">
      <p class="error" data-testid="dashboard-error">${esc(message)}</p>
      <p><a href="/console">Open the console</a> and log in as a supervisor, then come back to <a href="/console/dashboard">/console/dashboard</a>.</p>
    </section>`,
  );
}

function rows(record: Record<string, number>, name: (key: string) => string = (k) => HUMAN[k] ?? k): string {
  return Object.entries(record)
    .map(([k, v]) => `<tr><th scope="row">${esc(name(k))}</th><td>${v}</td></tr>`)
    .join('\n');
}

function group(title: string, total: string | number | undefined, body: string): string {
  const head = `<tr><th scope="colgroup">${esc(title)}</th><td>${total === undefined ? '' : esc(String(total))}</td></tr>`;
  return `<tbody>\n${head}\n${body}\n</tbody>`;
}

function totalsTable(t: Measures): string {
  const waits = [
    `<tr><th scope="row">cases taken</th><td>${t.waits.count}</td></tr>`,
    `<tr><th scope="row">median wait</th><td>${esc(duration(t.waits.median))}</td></tr>`,
    `<tr><th scope="row">90% waited less than</th><td>${esc(duration(t.waits.p90))}</td></tr>`,
  ].join('\n');
  return `<table class="totals" data-testid="totals">
<caption class="visually-hidden">Totals for the period</caption>
<thead><tr><th scope="col">What</th><th scope="col">Count</th></tr></thead>
${group('Conversations by language', t.conversations, rows(t.conversationsByLang, (k) => LANG_NAMES[k] ?? k))}
${group('Conversations by channel', undefined, rows(t.conversationsByChannel))}
${group('Flows completed', undefined, rows(t.flowsCompleted) || '<tr><th scope="row">none</th><td>0</td></tr>')}
${group('Job-offer check results (risk)', undefined, rows(t.risk))}
${group('Escalations by priority', t.escalations, rows(t.escalationsByPriority))}
${group('Escalations by channel', undefined, rows(t.escalationsByChannel))}
${group('Queue waits', undefined, waits)}
${group('Closed cases by outcome', undefined, rows(t.outcomes))}
${group('Opt-ins', undefined, rows(t.optIns))}
${group('Opt-outs', undefined, rows(t.optOuts))}
</table>`;
}

/** The dashboard for a report of `days` days. */
export function dashboardPage(report: AnalyticsReport, days: number): string {
  const q = `?days=${days}`;
  const periods = PERIODS.map((n) => `<a href="/console/dashboard?days=${n}"${n === days ? ' aria-current="page"' : ''}>${n} days</a>`).join('\n      ');
  return page(
    'Hotline analytics',
    `    <p class="hint">${days === 1 ? 'Today' : `The last ${days} days`}: ${esc(report.from)} to ${esc(report.to)} (days in ${esc(report.timeZone)}).
      Counts only: no names, messages, phone numbers or ids are kept.</p>
    <nav class="periods" aria-label="Period">
      ${periods}
    </nav>
    <section class="panel">
      <h2>Conversations</h2>
      <img class="chart" data-testid="chart-conversations" src="/console/api/analytics/conversations.svg${q}" width="420" height="280"
        alt="Conversations per day by language: ${report.totals.conversations} in the period">
    </section>
    <section class="panel">
      <h2>Queue wait</h2>
      <img class="chart" data-testid="chart-waits" src="/console/api/analytics/waits.svg${q}" width="420" height="280"
        alt="Median and 90th percentile of the queue wait per day: median ${esc(duration(report.totals.waits.median))} over the period">
    </section>
    <section class="panel">
      <h2>Totals</h2>
      ${totalsTable(report.totals)}
    </section>
    <p><a class="download" data-testid="csv-link" href="/console/api/analytics.csv${q}" download>Download CSV</a></p>
    <p><a href="/console">Back to the console</a></p>`,
  );
}
