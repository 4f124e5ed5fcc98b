// The counsellor console page: one HTML page, its script and its style. The JSON API it talks to is
// docs/counsellor-api.md; every text of the page comes from locales/<lang>/console.json.
import { readFileSync } from 'node:fs';
import { LANGS, type Lang, type Translate } from '../content/locales.ts';
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
  // Inside <script type="application/json">: no "<" may close the element early.
  const config = JSON.stringify({ lang: opts.defaultLang, langs: LANGS, strings }).replace(/</g, '\\u003c');
  const own = strings[opts.defaultLang] ?? {};
  const html = readFileSync(new URL('index.html', PUBLIC), 'utf8');
  return html.replace(/\{\{([\w.]+)\}\}/g, (_, key: string) => {
    if (key === 'config') return config;
    if (key === 'lang') return opts.defaultLang;
    const text = own[key];
    if (text === undefined) throw new Error(`src/counsellor/public/index.html uses {{${key}}}, which is not a console text`);
    return escapeHtml(text);
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
