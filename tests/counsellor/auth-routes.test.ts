// The log-in API over real HTTP on 127.0.0.1.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileAccountStore } from '../../src/counsellor/accounts.ts';
import { ConsoleAuth, MemoryAuthStateStore } from '../../src/counsellor/auth.ts';
import { authRoutes, requireSession } from '../../src/counsellor/auth-routes.ts';
import { hashPassword } from '../../src/counsellor/password.ts';
import { createHttpServer, json, type Route } from '../../src/http/server.ts';
import { createLogger } from '../../src/log.ts';

const PASSWORD = 'correct horse battery';
let dir: string;
let server: Server;
let base: string;
const logLines: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hotline-auth-routes-'));
  const accounts = new FileAccountStore(join(dir, 'counsellors.json'));
  await accounts.put({ username: 'noy', role: 'counsellor', passwordHash: await hashPassword(PASSWORD), createdAt: 1 });
  await accounts.put({ username: 'boss', role: 'supervisor', passwordHash: await hashPassword('supervisor password'), createdAt: 1 });
  await accounts.put({ username: 'locky', role: 'counsellor', passwordHash: await hashPassword(PASSWORD), createdAt: 1 });
  const auth = new ConsoleAuth({ accounts, store: new MemoryAuthStateStore(), secureCookie: false });
  const log = createLogger('debug', (line) => logLines.push(line));
  // A route like the other console routes will be: supervisors only, with CSRF.
  const guarded: Route = {
    method: 'POST',
    path: '/console/api/supervisor-thing',
    handler: async (req) => json(200, { by: (await requireSession(auth, req, { csrf: true, role: 'supervisor' })).username }),
  };
  server = createHttpServer([...authRoutes(auth, log), guarded], log);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const login = (body: unknown, contentType = 'application/json') =>
  fetch(`${base}/console/api/login`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const me = (cookie?: string) => fetch(`${base}/console/api/me`, { headers: cookie ? { cookie } : {} });
const logout = (cookie: string | undefined, csrf?: string) =>
  fetch(`${base}/console/api/logout`, { method: 'POST', headers: { ...(cookie ? { cookie } : {}), ...(csrf ? { 'x-csrf-token': csrf } : {}) } });
/** The cookie a browser would send back, from a Set-Cookie header. */
const cookieOf = (res: Response) => res.headers.get('set-cookie')?.split(';')[0] ?? '';

async function loggedIn(username = 'noy', password = PASSWORD) {
  const res = await login({ username, password });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { username: string; role: string; csrf: string };
  return { cookie: cookieOf(res), csrf: body.csrf, body, res };
}

describe('console auth routes', () => {
  it('logs in: 200 with name, role, CSRF token and the session cookie', async () => {
    const { res, body, cookie } = await loggedIn();
    expect(body).toMatchObject({ username: 'noy', role: 'counsellor' });
    expect(body.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.headers.get('set-cookie')).toMatch(/^hotline_console=[A-Za-z0-9_-]{43}; Path=\/console; Max-Age=43200; HttpOnly; SameSite=Strict$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const who = await me(cookie);
    expect(who.status).toBe(200);
    expect(await who.json()).toEqual(body);
  });

  it('refuses a wrong password with 401 and changes nothing', async () => {
    const { cookie } = await loggedIn();
    const before = await readFile(join(dir, 'counsellors.json'), 'utf8');
    const res = await login({ username: 'noy', password: 'not the password' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'wrong username or password' });
    expect(res.headers.get('set-cookie')).toBeNull();
    expect((await login({ username: 'nobody', password: PASSWORD })).status).toBe(401);
    expect(await readFile(join(dir, 'counsellors.json'), 'utf8')).toBe(before);
    expect((await me(cookie)).status).toBe(200);
  });

  it('refuses bad bodies with 400 and non-JSON with 415', async () => {
    expect((await login('{"username":')).status).toBe(400);
    expect((await login({ username: 'noy' })).status).toBe(400);
    expect((await login({ username: 'noy', password: PASSWORD, admin: true })).status).toBe(400);
    expect((await login({ username: 'noy', password: 'x'.repeat(2000) })).status).toBe(400);
    expect((await login(`username=noy&password=${PASSWORD}`, 'application/x-www-form-urlencoded')).status).toBe(415);
  });

  it('locks the name after 5 failures with 429, even for the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await login({ username: 'locky', password: `wrong ${i} password` })).status).toBe(401);
    const res = await login({ username: 'locky', password: PASSWORD });
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({ error: 'too many failed attempts: try again in 15 minutes' });
    expect(res.headers.get('set-cookie')).toBeNull();
    expect((await login({ username: 'noy', password: PASSWORD })).status).toBe(200);
  });

  it('answers /me with 401 without a session', async () => {
    expect((await me()).status).toBe(401);
    const res = await me(`hotline_console=${'A'.repeat(43)}`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'log in first' });
  });

  it('refuses logout with a forged CSRF token (403) and keeps the session; logs out with the right one', async () => {
    const { cookie, csrf } = await loggedIn();
    expect((await logout(undefined, csrf)).status).toBe(401);
    const forged = await logout(cookie, 'A'.repeat(43));
    expect(forged.status).toBe(403);
    expect(await forged.json()).toEqual({ error: 'bad CSRF token' });
    expect((await logout(cookie)).status).toBe(403);
    expect((await me(cookie)).status).toBe(200);

    const ok = await logout(cookie, csrf);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('set-cookie')).toBe('hotline_console=; Path=/console; Max-Age=0; HttpOnly; SameSite=Strict');
    expect((await me(cookie)).status).toBe(401);
  });

  it('requireSession: 401 without a session, 403 for a bad CSRF token or a counsellor on a supervisors-only route', async () => {
    const post = (cookie?: string, csrf?: string) =>
      fetch(`${base}/console/api/supervisor-thing`, { method: 'POST', headers: { ...(cookie ? { cookie } : {}), ...(csrf ? { 'x-csrf-token': csrf } : {}) } });
    expect(await (await post()).json()).toEqual({ error: 'log in first' });
    const counsellor = await loggedIn();
    const refused = await post(counsellor.cookie, counsellor.csrf);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: 'supervisors only' });
    const boss = await loggedIn('boss', 'supervisor password');
    expect((await post(boss.cookie, counsellor.csrf)).status).toBe(403);
    const ok = await post(boss.cookie, boss.csrf);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ by: 'boss' });
  });

  it('never logs passwords, cookies or CSRF tokens, nor a name typed at a failed log-in', async () => {
    const { cookie, csrf } = await loggedIn();
    await login({ username: 'my-password-typo', password: 'secret typed here' });
    const logs = logLines.join('');
    expect(logs).toContain('console login');
    for (const secret of [PASSWORD, 'supervisor password', 'secret typed here', 'my-password-typo', cookie.split('=')[1] ?? 'x', csrf]) {
      expect(logs).not.toContain(secret);
    }
  });
});
