// Supervisors compose, preview and schedule broadcasts (docs/counsellor-api.md), and follow their progress.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ConsoleAuth } from '../counsellor/auth.ts';
import { requireSession } from '../counsellor/auth-routes.ts';
import { consoleStrings, defaultTranslate, fillTemplate, jsonForScript, langLinks, requestLang } from '../counsellor/page-routes.ts';
import { HttpError, json, parseJsonBody, type Route } from '../http/server.ts';
import { BROADCAST_CHANNELS, BroadcastError, broadcastInputSchema, type Broadcaster } from './broadcast.ts';
import { LANGS, type Lang, type Translate } from '../content/locales.ts';

const PUBLIC = new URL('./public/', import.meta.url);
const issues = (e: z.ZodError) => e.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
const previewSchema = z.object({ langs: z.array(z.enum(LANGS)).min(1), channels: z.array(z.enum(BROADCAST_CHANNELS)).min(1) }).strict();

export interface BroadcastRouteOptions {
  auth: ConsoleAuth;
  broadcaster: Broadcaster;
  /** The console's texts (locales/<lang>/console.json); the repository's locales when absent. */
  t?: Translate;
}

export function broadcastRoutes(opts: BroadcastRouteOptions): Route[] {
  const supervisor = (req: Parameters<typeof requireSession>[1], csrf: boolean) => requireSession(opts.auth, req, { csrf, role: 'supervisor' });
  const template = readFileSync(new URL('broadcasts.html', PUBLIC), 'utf8');
  const t = opts.t ?? defaultTranslate();
  const pages = new Map(LANGS.map((lang) => [lang, renderPage(template, t, lang)]));
  const script = readFileSync(new URL('broadcasts.js', PUBLIC));
  return [
    {
      // The page in the supervisor's language: ?lang=, else Accept-Language, else English.
      method: 'GET',
      path: '/console/broadcasts',
      handler: (req) => ({ status: 200, body: pages.get(requestLang(req)) ?? '', type: 'text/html; charset=utf-8', headers: { vary: 'Accept-Language' } }),
    },
    { method: 'GET', path: '/console/broadcasts.js', handler: () => ({ status: 200, body: script, type: 'text/javascript; charset=utf-8' }) },
    {
      method: 'GET',
      path: '/console/api/broadcasts',
      handler: async (req) => {
        await supervisor(req, false);
        return json(200, { broadcasts: await opts.broadcaster.list() });
      },
    },
    {
      method: 'POST',
      path: '/console/api/broadcasts/preview',
      handler: async (req, body) => {
        await supervisor(req, true);
        return json(200, await opts.broadcaster.preview(parseJsonBody(req, body, previewSchema, issues)));
      },
    },
    {
      method: 'POST',
      path: '/console/api/broadcasts',
      maxBody: 64 * 1024,
      handler: async (req, body) => {
        const s = await supervisor(req, true);
        const input = parseJsonBody(req, body, broadcastInputSchema, issues);
        try {
          return json(201, { broadcast: await opts.broadcaster.create(input, s.username) });
        } catch (error) {
          if (error instanceof BroadcastError) throw new HttpError(400, error.message);
          throw error;
        }
      },
    },
  ];
}

/** The composer in one language: its texts escaped into the HTML, the script's words in the config block. */
function renderPage(template: string, t: Translate, lang: Lang): string {
  const texts = consoleStrings(t, lang);
  const words = Object.fromEntries(
    Object.entries(texts)
      .filter(([key]) => key.startsWith('broadcasts.'))
      .map(([key, text]) => [key.slice('broadcasts.'.length), text]),
  );
  return fillTemplate(template, 'src/awareness/public/broadcasts.html', texts, {
    lang,
    config: jsonForScript({ lang, strings: words }),
    langLinks: langLinks(lang, texts, (l) => `/console/broadcasts?lang=${l}`, ' · '),
  });
}
