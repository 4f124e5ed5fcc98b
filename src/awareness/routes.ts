// Supervisors compose, preview and schedule broadcasts (docs/counsellor-api.md), and follow their progress.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ConsoleAuth } from '../counsellor/auth.ts';
import { requireSession } from '../counsellor/auth-routes.ts';
import { HttpError, json, parseJsonBody, type Route } from '../http/server.ts';
import { BROADCAST_CHANNELS, BroadcastError, broadcastInputSchema, type Broadcaster } from './broadcast.ts';
import { LANGS } from '../content/locales.ts';

const PUBLIC = new URL('./public/', import.meta.url);
const issues = (e: z.ZodError) => e.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
const previewSchema = z.object({ langs: z.array(z.enum(LANGS)).min(1), channels: z.array(z.enum(BROADCAST_CHANNELS)).min(1) }).strict();

export function broadcastRoutes(opts: { auth: ConsoleAuth; broadcaster: Broadcaster }): Route[] {
  const supervisor = (req: Parameters<typeof requireSession>[1], csrf: boolean) => requireSession(opts.auth, req, { csrf, role: 'supervisor' });
  const page = readFileSync(new URL('broadcasts.html', PUBLIC));
  const script = readFileSync(new URL('broadcasts.js', PUBLIC));
  return [
    { method: 'GET', path: '/console/broadcasts', handler: () => ({ status: 200, body: page, type: 'text/html; charset=utf-8' }) },
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
