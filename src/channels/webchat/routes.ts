// The web chat channel: a page and one JSON endpoint on the conversation service.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LANGS, type Lang, type Translate } from '../../content/locales.ts';
import type { ConversationService } from '../../conversation/service.ts';
import { MAX_TEXT } from '../../conversation/service.ts';
import { HttpError, json, parseJsonBody, type Route } from '../../http/server.ts';

const PUBLIC = new URL('./public/', import.meta.url);

export const webchatMessageSchema = z
  .object({
    /** A random id the page makes for itself: the person stays anonymous to us. */
    session: z.uuid(),
    text: z.string().max(MAX_TEXT * 3).optional(),
    payload: z.string().min(1).max(64).optional(),
    lang: z.string().max(35).optional(),
  })
  .strict();

export interface WebchatOptions {
  service: ConversationService;
  t: Translate;
  defaultLang: Lang;
  quickExitUrl: string;
}

export function webchatRoutes(opts: WebchatOptions): Route[] {
  const page = renderPage(opts);
  const asset = (file: string, type: string) => {
    const body = readFileSync(new URL(file, PUBLIC));
    return { status: 200, body, type, headers: { 'cache-control': 'public, max-age=300' } };
  };
  const appJs = asset('app.js', 'text/javascript; charset=utf-8');
  const styleCss = asset('style.css', 'text/css; charset=utf-8');

  return [
    { method: 'GET', path: '/', handler: () => ({ status: 200, body: page, type: 'text/html; charset=utf-8' }) },
    { method: 'GET', path: '/webchat/app.js', handler: () => appJs },
    { method: 'GET', path: '/webchat/style.css', handler: () => styleCss },
    {
      // The page asks every few seconds for what a counsellor (or the desk) wrote since.
      method: 'GET',
      path: '/webchat/api/updates',
      handler: async (req) => {
        const session = z.uuid().safeParse(new URL(req.url ?? '/', 'http://localhost').searchParams.get('session'));
        if (!session.success) throw new HttpError(400, 'session must be the chat id (a UUID)');
        return json(200, { events: await opts.service.collect('webchat', session.data) });
      },
    },
    {
      method: 'POST',
      path: '/webchat/api/messages',
      maxBody: 64 * 1024,
      handler: async (req, body) => {
        const message = parseJsonBody(req, body, webchatMessageSchema);
        const { events, lang } = await opts.service.handle({
          channel: 'webchat',
          userId: message.session,
          ...(message.payload ? { payload: message.payload } : { text: message.text ?? '' }),
          ...(message.lang ? { langHint: message.lang } : {}),
        });
        return json(200, { events: events.filter((e) => e.type === 'message'), lang });
      },
    },
  ];
}

function renderPage(opts: WebchatOptions): string {
  const strings = Object.fromEntries(
    LANGS.map((l) => [
      l,
      Object.fromEntries(['title', 'exit', 'send', 'placeholder', 'offline'].map((k) => [k, opts.t(l, `webchat.${k}`)])),
    ]),
  );
  const config = JSON.stringify({ lang: opts.defaultLang, exitUrl: opts.quickExitUrl, strings }).replace(/</g, '\\u003c');
  const s = strings[opts.defaultLang] ?? {};
  const html = readFileSync(new URL('index.html', PUBLIC), 'utf8');
  const fill: Record<string, string> = { lang: opts.defaultLang, config, ...s };
  return html.replace(/\{\{(\w+)\}\}/g, (_, k: string) => (k === 'config' ? config : escapeHtml(fill[k] ?? '')));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
