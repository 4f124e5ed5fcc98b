// The console's log-in API. Other console routes guard themselves with requireSession.
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { HttpError, json, parseJsonBody, type Route } from '../http/server.ts';
import { pseudonym, type Logger } from '../log.ts';
import type { ConsoleAuth } from './auth.ts';
import { ROLES, type ConsoleSession, type Role } from './types.ts';

export const loginSchema = z
  .object({
    username: z.string().min(1).max(64),
    password: z.string().min(1).max(1024),
  })
  .strict();

export interface RequireOptions {
  /** Check the X-CSRF-Token header: for every request that changes something. */
  csrf: boolean;
  /** The least role the route needs (a supervisor may do what a counsellor may). */
  role?: Role;
}

/** The request's console session, or an HttpError: 401 'log in first', 403 'bad CSRF token' or 403 'supervisors only'. */
export async function requireSession(auth: ConsoleAuth, req: IncomingMessage, opts: RequireOptions): Promise<ConsoleSession> {
  const session = await auth.authenticate(req.headers.cookie);
  if (!session) throw new HttpError(401, 'log in first');
  if (opts.csrf && !auth.checkCsrf(session, req.headers['x-csrf-token'])) throw new HttpError(403, 'bad CSRF token');
  if (opts.role && ROLES.indexOf(session.role) < ROLES.indexOf(opts.role)) throw new HttpError(403, 'supervisors only');
  return session;
}

export function authRoutes(auth: ConsoleAuth, log: Logger): Route[] {
  const lockedMinutes = Math.ceil(auth.lockMs / 60_000);
  return [
    {
      method: 'POST',
      path: '/console/api/login',
      maxBody: 4 * 1024,
      handler: async (req, body) => {
        const { username, password } = parseJsonBody(req, body, loginSchema);
        const result = await auth.login(username, password);
        if (!result.ok) {
          // The typed name may be a password typed in the wrong box: logs get a pseudonym, never the name.
          if (result.reason === 'locked') {
            log.warn('console login refused: locked', { user: pseudonym(username) });
            return json(429, { error: `too many failed attempts: try again in ${lockedMinutes} minutes` });
          }
          log.info('console login failed', { user: pseudonym(username) });
          return json(401, { error: 'wrong username or password' });
        }
        const { session } = result;
        log.info('console login', { username: session.username, role: session.role });
        return { ...json(200, { username: session.username, role: session.role, csrf: session.csrf }), headers: { 'set-cookie': result.setCookie } };
      },
    },
    {
      method: 'POST',
      path: '/console/api/logout',
      handler: async (req) => {
        const session = await requireSession(auth, req, { csrf: true });
        const setCookie = await auth.logout(session);
        log.info('console logout', { username: session.username });
        return { ...json(200, { ok: true }), headers: { 'set-cookie': setCookie } };
      },
    },
    {
      method: 'GET',
      path: '/console/api/me',
      handler: async (req) => {
        const session = await requireSession(auth, req, { csrf: false });
        // A fresh Max-Age, so the browser keeps the cookie as long as the server keeps the session.
        return {
          ...json(200, { username: session.username, role: session.role, csrf: session.csrf }),
          headers: { 'set-cookie': auth.sessionCookie(session.id) },
        };
      },
    },
  ];
}
