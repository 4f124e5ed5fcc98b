// The counsellor console page: one HTML page, its script and its style. The JSON API it talks to is
// docs/counsellor-api.md; every text of the page comes from locales/<lang>/console.json.
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { ROOT } from '../content/index.ts';
import { createTranslator, isLang, LANGS, loadResources, type Lang, type Translate } from '../content/locales.ts';
import type { Reply, Route } from '../http/server.ts';
import { CONSOLE_KEYS } from './console-keys.ts';

const PUBLIC = new URL('./public/', import.meta.url);
const PREFIX = 'console.';

export interface ConsolePageOptions {
  t: Translate;
  defaultLang: Lang;
}

export function consolePageRoutes(opts: ConsolePageOptions): Route[] {
  const page = renderPage(opts);
  const asset = (file: string, type: string): Reply => {
    const body = readFileSync(new URL(file, PUBLIC));
    return { status: 200, body, type, headers: { 'cache-control': 'public, max-age=300' } };
  };
  const script = asset('console.js', 'text/javascript; charset=utf-8');
  const style = asset('console.css', 'text/css; charset=utf-8');

  return [
    { method: 'GET', path: '/console', handler: () => ({ status: 200, body: page, type: 'text/html; charset=utf-8' }) },
    { method: 'GET', path: '/console/console.js', handler: () => script },
    { method: 'GET', path: '/console/console.css', handler: () => style },
  ];
}

/** The page's texts in one language, keyed without `console.`; canned replies are left to the API. */
export function consoleStrings(t: Translate, lang: Lang): Record<string, string> {
  return Object.fromEntries(
    CONSOLE_KEYS.filter((key) => !key.startsWith(`${PREFIX}canned.`)).map((key) => [key.slice(PREFIX.length), t(lang, key)]),
  );
}

function renderPage(opts: ConsolePageOptions): string {
  const strings = Object.fromEntries(LANGS.map((lang) => [lang, consoleStrings(opts.t, lang)]));
  const config = jsonForScript({ lang: opts.defaultLang, langs: LANGS, strings });
  const html = readFileSync(new URL('index.html', PUBLIC), 'utf8');
  return fillTemplate(html, 'src/counsellor/public/index.html', strings[opts.defaultLang] ?? {}, { config, lang: opts.defaultLang });
}

/**
 * Fills a page's `{{key}}`s: `raw` values as they are (HTML or JSON the caller made safe), console texts (keys
 * without `console.`) escaped. A key that is neither throws, so a typo fails at start-up rather than on screen.
 */
export function fillTemplate(html: string, file: string, texts: Record<string, string>, raw: Record<string, string> = {}): string {
  return html.replace(/\{\{([\w.]+)\}\}/g, (_, key: string) => {
    const value = raw[key];
    if (value !== undefined) return value;
    const text = texts[key];
    if (text === undefined) throw new Error(`${file} uses {{${key}}}, which is not a console text`);
    return escapeHtml(text);
  });
}

/** JSON for a `<script type="application/json">` block: no "<" may close the element early. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The language a supervisor's page is shown in: `?lang=lo|th|en` when given, else the first of lo, th and en
 * the browser asks for in Accept-Language (by q, then order), else English.
 */
export function requestLang(req: IncomingMessage): Lang {
  const asked = new URL(req.url ?? '/', 'http://localhost').searchParams.get('lang') ?? undefined;
  if (isLang(asked)) return asked;
  const ranges = (req.headers['accept-language'] ?? '')
    .split(',')
    .map((part, order) => {
      const [range = '', ...params] = part.split(';').map((p) => p.trim());
      const q = params.find((p) => /^q=/i.test(p));
      return { lang: range.toLowerCase().split('-')[0], q: q === undefined ? 1 : Number(q.slice(2)), order };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  return ranges.map((r) => r.lang).find(isLang) ?? 'en';
}

/** Three links that show the page in Lao, Thai or English; `href` makes each language's address. */
export function langLinks(current: Lang, texts: Record<string, string>, href: (lang: Lang) => string, separator = '\n'): string {
  return LANGS.map(
    (lang) =>
      `<a href="${escapeHtml(href(lang))}" lang="${lang}" hreflang="${lang}" data-testid="lang-${lang}"${lang === current ? ' aria-current="page"' : ''}>${escapeHtml(texts[`switch.${lang}`] ?? lang)}</a>`,
  ).join(separator);
}

let fallback: Translate | undefined;
/** The translator of the repository's locales/, for routes whose caller passes none. */
export function defaultTranslate(): Translate {
  fallback ??= createTranslator(loadResources(join(ROOT, 'locales')));
  return fallback;
}
