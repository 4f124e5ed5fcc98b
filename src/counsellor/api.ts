// The counsellor API (docs/counsellor-api.md): queue, take next, cases, messages, notes, transfer, close,
// canned replies, the supervisor view, and a Server-Sent Events stream that also keeps leases alive.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { flatten, isLang, LANGS, type Resources } from '../content/locales.ts';
import type { Bus, DeskEvent } from '../escalation/bus.ts';
import { DeskError, type Desk } from '../escalation/desk.ts';
import { OUTCOMES } from '../escalation/types.ts';
import { HttpError, json, parseJsonBody, type Reply, type Route } from '../http/server.ts';
import type { Logger } from '../log.ts';
import type { ConsoleAuth } from './auth.ts';
import { requireSession } from './auth-routes.ts';
import { usernameSchema, type AccountStore, type ConsoleSession } from './types.ts';

export interface ApiOptions {
  auth: ConsoleAuth;
  desk: Desk;
  bus: Bus;
  accounts: AccountStore;
  resources: Resources;
  log: Logger;
  /** How often the event stream renews leases and sends a keep-alive. */
  heartbeatMs?: number;
}

const textSchema = z.object({ text: z.string().trim().min(1, 'write something first').max(4000, 'at most 4,000 characters') }).strict();
const transferSchema = z.object({ to: usernameSchema.nullable() }).strict();
const closeSchema = z.object({ outcome: z.enum(OUTCOMES) }).strict();
/** Short errors for the console to show as they are. */
const issues = (e: z.ZodError) => e.issues.map((i) => i.message).join('; ');

export function counsellorApiRoutes(o: ApiOptions): Route[] {
  const session = (req: IncomingMessage, csrf: boolean, role?: 'supervisor') => requireSession(o.auth, req, { csrf, ...(role ? { role } : {}) });
  const guard = async (work: () => Promise<Reply>): Promise<Reply> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DeskError) throw new HttpError(error.status, error.message);
      throw error;
    }
  };
  const canned = cannedReplies(o.resources);

  return [
    {
      method: 'GET',
      path: '/console/api/me',
      handler: async (req) => {
        const s = await session(req, false);
        return json(200, { username: s.username, role: s.role, csrf: s.csrf, capacity: o.desk.capacity, holding: (await o.desk.holding(s.username)).length });
      },
    },
    {
      method: 'GET',
      path: '/console/api/queue',
      handler: async (req) => {
        await session(req, false);
        return json(200, { cases: await o.desk.queue(), onDuty: (await o.desk.online()).length });
      },
    },
    {
      method: 'POST',
      path: '/console/api/queue/take',
      handler: async (req) => {
        const s = await session(req, true);
        return guard(async () => {
          const taken = await o.desk.take(s.username);
          return json(200, { case: await o.desk.read(taken.id, s, langOf(req)) });
        });
      },
    },
    {
      method: 'GET',
      path: '/console/api/cases',
      handler: async (req) => {
        const s = await session(req, false);
        return json(200, { cases: await o.desk.holding(s.username) });
      },
    },
    {
      method: 'GET',
      path: '/console/api/cases/:id',
      handler: async (req, _body, params) => {
        const s = await session(req, false);
        return guard(async () => json(200, await o.desk.read(params['id'] ?? '', s, langOf(req))));
      },
    },
    {
      method: 'POST',
      path: '/console/api/cases/:id/messages',
      // Room for an over-long text, so it gets the schema's clear answer rather than "body too large".
      maxBody: 256 * 1024,
      handler: async (req, body, params) => {
        const s = await session(req, true);
        const { text } = parseJsonBody(req, body, textSchema, issues);
        return guard(async () => {
          await o.desk.send(params['id'] ?? '', s, text);
          return json(200, { ok: true });
        });
      },
    },
    {
      method: 'POST',
      path: '/console/api/cases/:id/notes',
      maxBody: 256 * 1024,
      handler: async (req, body, params) => {
        const s = await session(req, true);
        const { text } = parseJsonBody(req, body, textSchema, issues);
        return guard(async () => {
          await o.desk.note(params['id'] ?? '', s, text);
          return json(200, { ok: true });
        });
      },
    },
    {
      method: 'POST',
      path: '/console/api/cases/:id/transfer',
      handler: async (req, body, params) => {
        const s = await session(req, true);
        const { to } = parseJsonBody(req, body, transferSchema, issues);
        if (to !== null && !(await o.accounts.get(to))) throw new HttpError(404, `no counsellor named ${to}`);
        if (to === s.username) throw new HttpError(400, 'you already hold this chat');
        return guard(async () => {
          await o.desk.transfer(params['id'] ?? '', s, to);
          return json(200, { ok: true });
        });
      },
    },
    {
      method: 'POST',
      path: '/console/api/cases/:id/close',
      handler: async (req, body, params) => {
        const s = await session(req, true);
        const { outcome } = parseJsonBody(req, body, closeSchema, issues);
        return guard(async () => {
          await o.desk.close(params['id'] ?? '', s, outcome);
          return json(200, { ok: true });
        });
      },
    },
    {
      method: 'GET',
      path: '/console/api/canned',
      handler: async (req) => {
        await session(req, false);
        const lang = new URL(req.url ?? '/', 'http://localhost').searchParams.get('lang') ?? 'en';
        if (!isLang(lang)) throw new HttpError(400, 'lang must be lo, th or en');
        return json(200, { replies: canned[lang] });
      },
    },
    {
      method: 'GET',
      path: '/console/api/supervisor',
      handler: async (req) => {
        await session(req, false, 'supervisor');
        const [online, queue, held, accounts] = await Promise.all([o.desk.online(), o.desk.queue(), o.desk.allHeld(), o.accounts.list()]);
        return json(200, {
          onDuty: online.map((username) => ({
            username,
            role: accounts.find((a) => a.username === username)?.role ?? 'counsellor',
            holding: held.filter((c) => c.counsellor === username).length,
          })),
          open: [...held, ...queue],
          waits: { queued: queue.length, longestSeconds: Math.max(0, ...queue.map((c) => c.waitingSeconds)) },
        });
      },
    },
    {
      method: 'GET',
      path: '/console/api/audit',
      handler: async (req) => {
        await session(req, false, 'supervisor');
        return json(200, { entries: await o.desk.audit(500) });
      },
    },
    {
      method: 'GET',
      path: '/console/api/events',
      handler: async (req) => {
        const s = await session(req, false);
        return { status: 200, body: '', type: 'text/event-stream; charset=utf-8', stream: (res) => streamEvents(o, s, req, res) };
      },
    },
  ];
}

/** One console's live stream: queue changes for all, case events for their holder (and supervisors). */
function streamEvents(o: ApiOptions, s: ConsoleSession, req: IncomingMessage, res: ServerResponse): void {
  const write = (type: string, data: unknown) => res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  const forMe = (e: DeskEvent) => 'counsellor' in e && (e.counsellor === s.username || s.role === 'supervisor');
  let queueTimer: NodeJS.Timeout | undefined;
  const sendQueue = () => {
    // Many changes at once become one update.
    queueTimer ??= setTimeout(() => {
      queueTimer = undefined;
      void o.desk.queue().then((cases) => write('queue', { cases })).catch(() => undefined);
    }, 5);
  };
  const unsubscribe = o.bus.subscribe((e) => {
    if (e.type === 'queue') sendQueue();
    else if (e.type === 'message' && forMe(e)) write('message', { caseId: e.caseId, line: e.line });
    else if (e.type !== 'message' && forMe(e)) write(e.type, e.type === 'undeliverable' ? { caseId: e.caseId, reason: e.reason } : { caseId: e.caseId });
  });
  const beat = async () => {
    // An open console keeps its counsellor on duty and renews the leases of their cases.
    await o.desk.heartbeat(s.username).catch((e: unknown) => o.log.error('heartbeat failed', { error: String(e) }));
    res.write(': keep-alive\n\n');
  };
  void beat();
  sendQueue();
  // What happened while the console was away (a case returned to the queue) is said on reconnect.
  void o.desk.notices(s.username).then((kept) => {
    for (const n of kept) write(n.type, { caseId: n.caseId });
  });
  const timer = setInterval(() => void beat(), o.heartbeatMs ?? 10_000);
  req.on('close', () => {
    clearInterval(timer);
    clearTimeout(queueTimer);
    unsubscribe();
  });
}

/** The counsellor's language for summaries: ?lang= or the console's Accept-Language, English otherwise. */
function langOf(req: IncomingMessage): string {
  const asked = new URL(req.url ?? '/', 'http://localhost').searchParams.get('lang') ?? req.headers['accept-language']?.slice(0, 2);
  return isLang(asked ?? undefined) ? (asked as string) : 'en';
}

function cannedReplies(resources: Resources): Record<string, { id: string; text: string }[]> {
  return Object.fromEntries(
    LANGS.map((lang) => {
      const all = flatten(resources[lang]);
      const replies = [...all].filter(([k]) => k.startsWith('console.canned.')).map(([k, text]) => ({ id: k.slice('console.canned.'.length), text }));
      return [lang, replies];
    }),
  );
}
