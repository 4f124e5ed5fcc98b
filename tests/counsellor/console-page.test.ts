// The counsellor console page over real HTTP: its texts, CSP-safe markup, and its script and style.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flatten, LANGS } from '../../src/content/locales.ts';
import { CANNED_REPLY_IDS, CONSOLE_KEYS } from '../../src/counsellor/console-keys.ts';
import { consolePageRoutes } from '../../src/counsellor/page-routes.ts';
import { createHttpServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/log.ts';
import { content } from '../helpers/service.ts';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createHttpServer(consolePageRoutes({ t: content().t, defaultLang: 'lo' }), createLogger('silent'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

interface PageConfig {
  lang: string;
  langs: string[];
  strings: Record<string, Record<string, string>>;
}

async function page(): Promise<{ res: Response; html: string; config: PageConfig }> {
  const res = await fetch(`${base}/console`);
  const html = await res.text();
  const match = /<script type="application\/json" id="console-config">([\s\S]*?)<\/script>/.exec(html);
  if (!match?.[1]) throw new Error('no config block');
  return { res, html, config: JSON.parse(match[1]) as PageConfig };
}

describe('the console page', () => {
  it('serves the page in the default language with every UI text for lo, th and en', async () => {
    const { res, html, config } = await page();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(html).toContain('<html lang="lo">');
    expect(html).toContain(`<title>${content().t('lo', 'console.title')}</title>`);
    expect(html).toContain(content().t('lo', 'console.queue.take_next'));
    expect(config.lang).toBe('lo');
    expect(config.langs).toEqual([...LANGS]);
    const uiKeys = CONSOLE_KEYS.filter((k) => !k.startsWith('console.canned.'));
    for (const lang of LANGS) {
      expect(Object.keys(config.strings[lang] ?? {}).sort()).toEqual(uiKeys.map((k) => k.slice('console.'.length)).sort());
      expect(config.strings[lang]?.['login.submit']).toBe(content().t(lang, 'console.login.submit'));
      expect(config.strings[lang]?.['notice.returned']).toBe(content().t(lang, 'console.notice.returned'));
    }
    // Canned replies come from the API, in the person's language.
    expect(html).not.toContain(content().t('en', 'console.canned.greeting'));
  });

  it('has CSP-safe markup: no inline script but the JSON config, no inline style or handlers, nothing unfilled', async () => {
    const { html } = await page();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(2);
    for (const [, attrs = '', body = ''] of scripts) {
      if (attrs.includes('src=')) {
        expect(attrs).toContain('src="/console/console.js"');
        expect(body.trim()).toBe('');
      } else {
        expect(attrs).toBe(' type="application/json" id="console-config"');
        expect(body).not.toMatch(/<\//);
      }
    }
    expect(html).not.toMatch(/\sstyle\s*=/i);
    expect(html).not.toMatch(/<style/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/javascript:/i);
    expect(html).not.toMatch(/\{\{\s*[\w.]+\s*\}\}/);
    expect(html.replace(/<script type="application\/json"[\s\S]*?<\/script>/, '')).not.toMatch(/\{\{|\}\}/);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain('<link rel="stylesheet" href="/console/console.css">');
  });

  it('has the ids a browser test drives', async () => {
    const { html } = await page();
    for (const id of [
      'login-username', 'login-password', 'login-submit', 'login-error', 'take-next', 'queue-list', 'my-cases',
      'case-transcript', 'reply-box', 'send-reply', 'canned-list', 'note-box', 'add-note', 'transfer-to', 'transfer',
      'return-to-queue', 'close-outcome', 'close-case', 'notices', 'logout', 'connection',
    ]) {
      expect(html, id).toContain(`data-testid="${id}"`);
    }
    for (const outcome of ['referred', 'advice_given', 'no_contact', 'other']) expect(html).toContain(`<option value="${outcome}"`);
  });

  it('serves the script and the style with their content types', async () => {
    const js = await fetch(`${base}/console/console.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const code = await js.text();
    expect(code).toContain("new EventSource(`${API}/events`)");
    expect(code).not.toMatch(/\.(innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write|\beval\(/);

    const css = await fetch(`${base}/console/console.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const style = await css.text();
    expect(style).toContain('Noto Sans Lao');
    expect(style).not.toMatch(/@import|url\(/);
  });

  it('uses only texts that exist: every key the page and script name is a console text', async () => {
    const { html, config } = await page();
    const known = new Set(Object.keys(config.strings['en'] ?? {}));
    const script = readFileSync(new URL('../../src/counsellor/public/console.js', import.meta.url), 'utf8');
    const named = [
      ...[...html.matchAll(/data-i18n(?:-placeholder|-aria-label)?="([\w.]+)"/g)].map((m) => m[1]),
      ...[...script.matchAll(/\bs\('([\w.]+)'\)/g)].map((m) => m[1]),
    ];
    expect(named.length).toBeGreaterThan(50);
    for (const key of named) expect(known, key).toContain(key);
    for (const [, group] of script.matchAll(/\blabel\('(\w+)'/g)) {
      expect([...known].some((k) => k.startsWith(`${group}.`)), group).toBe(true);
    }
  });
});

describe('console texts', () => {
  const flat = Object.fromEntries(
    LANGS.map((lang) => [lang, flatten({ console: content().resources[lang]['console'] ?? {} })]),
  ) as Record<string, Map<string, string>>;

  it('has exactly the keys of CONSOLE_KEYS in lo, th and en, none empty, no placeholders', () => {
    for (const lang of LANGS) {
      const texts = flat[lang] ?? new Map<string, string>();
      expect([...texts.keys()].sort(), lang).toEqual([...CONSOLE_KEYS].sort());
      for (const [key, text] of texts) {
        expect(text.trim(), `${lang} ${key}`).not.toBe('');
        // `hotline check` only knows the facts' placeholders; the console composes its texts in code instead.
        expect(text, `${lang} ${key}`).not.toMatch(/\{\{/);
      }
    }
  });

  it('writes Lao in Lao script and Thai in Thai script', () => {
    for (const key of ['console.title', 'console.queue.take_next', 'console.notice.returned', 'console.canned.greeting']) {
      expect(flat['lo']?.get(key), key).toMatch(/[\u0E80-\u0EFF]/);
      expect(flat['lo']?.get(key), key).not.toMatch(/[\u0E00-\u0E7F]/);
      expect(flat['th']?.get(key), key).toMatch(/[\u0E00-\u0E7F]/);
      expect(flat['th']?.get(key), key).not.toMatch(/[\u0E80-\u0EFF]/);
    }
  });

  it('keeps canned replies short and free of numbers (help numbers and fees come from data/)', () => {
    for (const lang of LANGS) {
      for (const id of CANNED_REPLY_IDS) {
        const text = flat[lang]?.get(`console.canned.${id}`) ?? '';
        expect(text.length, `${lang} ${id}`).toBeGreaterThan(10);
        expect(text.length, `${lang} ${id}`).toBeLessThan(200);
        expect(text, `${lang} ${id}`).not.toMatch(/[0-9\u0ED0-\u0ED9\u0E50-\u0E59]/);
      }
      expect(flat[lang]?.get('console.canned.forget')).toContain('/forget');
    }
  });
});
