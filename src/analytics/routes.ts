// Supervisors' analytics over HTTP (docs/analytics.md): the report as JSON and CSV, two SVG charts, and the
// /console/dashboard page that shows them. Every route but the page's style sheet needs a supervisor. The page
// is in the supervisor's language: ?lang=lo|th|en, else Accept-Language, else English.
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { LANGS, type Translate } from '../content/locales.ts';
import { requireSession } from '../counsellor/auth-routes.ts';
import type { ConsoleAuth } from '../counsellor/auth.ts';
import { consoleStrings, defaultTranslate, requestLang } from '../counsellor/page-routes.ts';
import { HttpError, json, type Reply, type Route } from '../http/server.ts';
import { dashboardPage, messagePage, type PageLang } from './dashboard.ts';
import type { Analytics } from './recorder.ts';
import {
  conversationsChart,
  DEFAULT_DAYS,
  ENGLISH_CHART_WORDS,
  loadReport,
  MAX_DAYS,
  toCsv,
  waitsChart,
  type AnalyticsReport,
  type ChartWords,
} from './report.ts';

export interface AnalyticsRouteOptions {
  auth: ConsoleAuth;
  /** The recorder; its store is read. */
  analytics: Pick<Analytics, 'store'>;
  /** The desk's time zone: where a day starts. */
  timeZone: string;
  now?: () => number;
  /** The console's texts (locales/<lang>/console.json); the repository's locales when absent. */
  t?: Translate;
}

const BAD_DAYS = `days must be a whole number from 1 to ${MAX_DAYS}`;
const SVG = 'image/svg+xml; charset=utf-8';
const HTML = 'text/html; charset=utf-8';

/** `?days=` of the request: 30 when absent, 400 for anything but one whole number from 1 to 400. */
export function daysParam(req: IncomingMessage): number {
  const all = new URL(req.url ?? '/', 'http://localhost').searchParams.getAll('days');
  if (all.length === 0) return DEFAULT_DAYS;
  const raw = all[0] ?? '';
  if (all.length > 1 || !/^\d{1,3}$/.test(raw)) throw new HttpError(400, BAD_DAYS);
  const days = Number(raw);
  if (days < 1 || days > MAX_DAYS) throw new HttpError(400, BAD_DAYS);
  return days;
}

export function analyticsRoutes(o: AnalyticsRouteOptions): Route[] {
  const now = o.now ?? Date.now;
  /** The supervisor's report for the request's period (auth first, so a stranger learns nothing). */
  const report = async (req: IncomingMessage): Promise<{ report: AnalyticsReport; days: number }> => {
    await requireSession(o.auth, req, { csrf: false, role: 'supervisor' });
    const days = daysParam(req);
    return { report: await loadReport(o.analytics.store, { timeZone: o.timeZone, days, now: now() }), days };
  };
  const css = readFileSync(new URL('./dashboard.css', import.meta.url));
  const t = o.t ?? defaultTranslate();
  const texts = new Map(LANGS.map((lang) => [lang, consoleStrings(t, lang)]));
  const pageLang = (req: IncomingMessage): PageLang => {
    const lang = requestLang(req);
    return { lang, texts: texts.get(lang) ?? {} };
  };
  const HTML_HEADERS = { vary: 'Accept-Language' };

  return [
    {
      method: 'GET',
      path: '/console/api/analytics',
      handler: async (req) => json(200, (await report(req)).report),
    },
    {
      method: 'GET',
      path: '/console/api/analytics.csv',
      handler: async (req) => {
        const { report: r } = await report(req);
        return {
          status: 200,
          body: toCsv(r),
          type: 'text/csv; charset=utf-8; header=present',
          headers: { 'content-disposition': `attachment; filename="hotline-analytics-${r.from}-to-${r.to}.csv"` },
        };
      },
    },
    {
      method: 'GET',
      path: '/console/api/analytics/conversations.svg',
      handler: async (req) => ({ status: 200, body: conversationsChart((await report(req)).report, chartWords(pageLang(req))), type: SVG, headers: HTML_HEADERS }),
    },
    {
      method: 'GET',
      path: '/console/api/analytics/waits.svg',
      handler: async (req) => ({ status: 200, body: waitsChart((await report(req)).report, chartWords(pageLang(req))), type: SVG, headers: HTML_HEADERS }),
    },
    {
      method: 'GET',
      path: '/console/dashboard',
      handler: async (req): Promise<Reply> => {
        const v = pageLang(req);
        try {
          const { report: r, days } = await report(req);
          return { status: 200, body: dashboardPage(r, days, v), type: HTML, headers: HTML_HEADERS };
        } catch (error) {
          // A person at a browser gets a page that says what to do, not JSON.
          if (error instanceof HttpError) return { status: error.status, body: messagePage(pageMessage(error, v), v), type: HTML, headers: HTML_HEADERS };
          throw error;
        }
      },
    },
    {
      method: 'GET',
      path: '/console/dashboard.css',
      handler: () => ({ status: 200, body: css, type: 'text/css; charset=utf-8', headers: { 'cache-control': 'public, max-age=300' } }),
    },
  ];
}

/** The charts' words in the page's language (`console.dashboard.chart_*`), English where a key is missing. */
function chartWords(v: PageLang): ChartWords {
  const w = (key: string, fallback: string) => v.texts[`dashboard.${key}`] ?? fallback;
  const e = ENGLISH_CHART_WORDS;
  return {
    conversations: w('chart_conversations', e.conversations),
    conversationsByLang: w('chart_conversations_by_lang', e.conversationsByLang),
    noConversations: w('chart_no_conversations', e.noConversations),
    waits: w('chart_waits', e.waits),
    waitsFull: w('chart_waits_full', e.waitsFull),
    noWaits: w('chart_no_waits', e.noWaits),
    median: w('chart_median', e.median),
    p90: w('chart_p90', e.p90),
    p90Legend: w('p90_wait', e.p90Legend),
    minutes: w('chart_minutes', e.minutes),
    seconds: w('chart_seconds', e.seconds),
    min: w('unit_min', e.min),
    s: w('unit_s', e.s),
    to: w('chart_to', e.to),
    taken: w('chart_taken', e.taken),
    langs: Object.fromEntries(Object.entries(e.langs).map(([lang, name]) => [lang, w(`chart_lang_${lang}`, name)])),
  };
}

function pageMessage(error: HttpError, v: PageLang): string {
  const text = (key: string) => v.texts[`dashboard.${key}`] ?? key;
  if (error.status === 401) return text('login_first');
  if (error.status === 403) return text('supervisors_only');
  if (error.status === 400 && error.message === BAD_DAYS) return `${text('bad_days')} ${MAX_DAYS}`;
  return error.message;
}
