// The counsellor API over real HTTP, with the web chat as the person's channel: escalation, queue order,
// take next, relay both ways, notes, transfer, close, and the bad input the issue lists.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileAccountStore } from '../../src/counsellor/accounts.ts';
import { hashPassword } from '../../src/counsellor/password.ts';
import type { RunningServer } from '../../src/main.ts';
import { startTestServer } from '../helpers/server.ts';

const PASSWORD = 'correct horse battery';
let server: RunningServer;

beforeAll(async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'hotline-api-')), 'counsellors.json');
  const accounts = new FileAccountStore(file);
  for (const [username, role] of [['noy', 'counsellor'], ['kham', 'counsellor'], ['boss', 'supervisor']] as const) {
    await accounts.put({ username, role, passwordHash: await hashPassword(PASSWORD), createdAt: Date.now() });
  }
  // Always on duty, so the tests do not depend on the clock.
  server = await startTestServer({ COUNSELLORS_FILE: file, DUTY_HOURS: 'daily 00:00-24:00', DEFAULT_LANG: 'en' });
});
afterAll(() => server.close());

interface Client {
  csrf: string;
  cookie: string;
  get(path: string): Promise<Response>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
}

async function login(username: string): Promise<Client> {
  const res = await fetch(`${server.url}/console/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrf } = (await res.json()) as { csrf: string };
  return {
    csrf,
    cookie,
    get: (path) => fetch(`${server.url}/console/api${path}`, { headers: { cookie } }),
    post: (path, body = {}, headers = {}) =>
      fetch(`${server.url}/console/api${path}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrf, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
  };
}

/** A person in the web chat. */
function person(session: string) {
  const say = async (body: Record<string, unknown>) => {
    const res = await fetch(`${server.url}/webchat/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ session, lang: 'en', ...body }),
    });
    return (await res.json()) as { events: { text: string; buttons: { payload: string; label: string }[] }[] };
  };
  const updates = async () =>
    ((await (await fetch(`${server.url}/webchat/api/updates?session=${session}`)).json()) as { events: { text: string; buttons: { label: string }[] }[] }).events;
  return { say, updates };
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('counsellor API', () => {
  it('takes the most urgent case first, relays both ways while held, and hands back to the bot on close', async () => {
    const calm = person(uuid(1));
    await calm.say({ text: 'hi' });
    await calm.say({ text: 'English' });
    const talk = await calm.say({ text: '4' }); // "Talk to a counsellor": medium priority
    expect(talk.events.map((e) => e.text).join('\n')).toMatch(/You are number 1 in the queue/);

    const crisis = person(uuid(2));
    const help = await crisis.say({ text: 'help' }); // urgent, and it jumps the queue
    expect(help.events.map((e) => e.text).join('\n')).toMatch(/You are number 1 in the queue/);
    await crisis.say({ text: 'they locked me in the house' });

    const noy = await login('noy');
    const queue = (await (await noy.get('/queue')).json()) as { cases: { priority: string; reason: string }[] };
    expect(queue.cases.map((c) => [c.priority, c.reason])).toEqual([
      ['urgent', 'help_request'],
      ['medium', 'asked_for_counsellor'],
    ]);

    const taken = (await (await noy.post('/queue/take')).json()) as {
      case: { id: string; priority: string; summary: { message?: string }; transcript: { from: string; text: string }[] };
    };
    expect(taken.case.priority).toBe('urgent');
    // Written while waiting: kept in the case for the counsellor (the bot also went on with its questions).
    expect(taken.case.transcript.filter((l) => l.from === 'person').map((l) => l.text)).toContain('they locked me in the house');
    const id = taken.case.id;

    // Held: the bot is silent and the person's words go to the counsellor.
    const silent = await crisis.say({ text: 'please hurry' });
    expect(silent.events).toEqual([]);
    const read = (await (await noy.get(`/cases/${id}`)).json()) as { transcript: { from: string; text: string }[] };
    expect(read.transcript.filter((l) => l.from === 'person').map((l) => l.text)).toContain('please hurry');

    expect((await noy.post(`/cases/${id}/messages`, { text: 'I am Noy, a counsellor. Are you safe right now?' })).status).toBe(200);
    expect((await crisis.updates()).map((e) => e.text)).toEqual(['I am Noy, a counsellor. Are you safe right now?']);
    expect(await crisis.updates()).toEqual([]);

    expect((await noy.post(`/cases/${id}/notes`, { text: 'Referred to LWU shelter' })).status).toBe(200);
    const withNote = (await (await noy.get(`/cases/${id}`)).json()) as { notes: { by: string; text: string }[] };
    expect(withNote.notes).toEqual([expect.objectContaining({ by: 'noy', text: 'Referred to LWU shelter' })]);

    expect((await noy.post(`/cases/${id}/close`, { outcome: 'referred' })).status).toBe(200);
    const back = await crisis.updates();
    expect(back[0]?.text).toContain('closed this chat');
    expect(back[0]?.buttons.map((b) => b.label)).toEqual(['🏠 Menu']);
    // The bot answers again.
    const menu = await crisis.say({ text: 'hi' });
    expect(menu.events[0]?.text).toBe('What do you want to do?');
  });

  it('refuses what the issue lists, with a clear error, changing nothing', async () => {
    const noy = await login('noy');
    const kham = await login('kham');
    const p = person(uuid(3));
    await p.say({ text: 'help' });
    const { case: mine } = (await (await kham.post('/queue/take')).json()) as { case: { id: string } };

    // A forged CSRF token, no session, an expired/unknown session.
    expect((await kham.post(`/cases/${mine.id}/messages`, { text: 'x' }, { 'x-csrf-token': 'forged' })).status).toBe(403);
    expect((await fetch(`${server.url}/console/api/queue`)).status).toBe(401);
    expect((await fetch(`${server.url}/console/api/queue`, { headers: { cookie: 'hotline_console=expired' } })).status).toBe(401);
    // A case that does not exist, or belongs to someone else.
    expect(await (await noy.get('/cases/c_doesnotexist')).json()).toEqual({ error: 'no such case' });
    expect((await noy.post(`/cases/${mine.id}/messages`, { text: 'hello' })).status).toBe(404);
    // An empty or 20,000-character reply.
    expect((await kham.post(`/cases/${mine.id}/messages`, { text: '   ' })).status).toBe(400);
    const long = await kham.post(`/cases/${mine.id}/messages`, { text: 'a'.repeat(20_000) });
    expect(long.status).toBe(400);
    expect(((await long.json()) as { error: string }).error).toContain('4,000');
    // A transfer to a counsellor who is offline, or who does not exist.
    const offline = await kham.post(`/cases/${mine.id}/transfer`, { to: 'boss' });
    expect(offline.status).toBe(409);
    expect(await offline.json()).toEqual({ error: 'boss is not online' });
    expect((await kham.post(`/cases/${mine.id}/transfer`, { to: 'nobody' })).status).toBe(404);
    // A wrong password.
    const wrong = await fetch(`${server.url}/console/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'noy', password: 'not the password' }),
    });
    expect(wrong.status).toBe(401);
    // Nothing of the above reached the person or changed the case.
    expect(await p.updates()).toEqual([]);
    const still = (await (await kham.get(`/cases/${mine.id}`)).json()) as { status: string; counsellor: string };
    expect(still).toMatchObject({ status: 'held', counsellor: 'kham' });
    // A counsellor's capacity: "take next" stops at 3 open chats.
    for (let i = 0; i < 3; i++) await person(uuid(10 + i)).say({ text: 'help' });
    expect((await kham.post('/queue/take')).status).toBe(200);
    expect((await kham.post('/queue/take')).status).toBe(200);
    const full = await kham.post('/queue/take');
    expect(full.status).toBe(409);
    expect(await full.json()).toEqual({ error: 'you already hold 3 chats' });
  });

  it('shows the supervisor who is on duty, open cases and waits; counsellors may not see it', async () => {
    const noy = await login('noy');
    expect((await noy.get('/supervisor')).status).toBe(403);
    const boss = await login('boss');
    const view = (await (await boss.get('/supervisor')).json()) as { open: unknown[]; waits: { queued: number } };
    expect(view.open.length).toBeGreaterThan(0);
    expect(typeof view.waits.queued).toBe('number');
    // The counters saw all this, and nothing else: no ids, no texts.
    const report = (await (await boss.get('/analytics?days=1')).json()) as { totals: Record<string, unknown> };
    const totals = JSON.stringify(report.totals);
    expect((report.totals['escalationsByPriority'] as Record<string, number>)['urgent']).toBeGreaterThan(0);
    expect((report.totals['outcomes'] as Record<string, number>)['referred']).toBe(1);
    expect((report.totals['conversationsByChannel'] as Record<string, number>)['webchat']).toBeGreaterThan(0);
    for (const secret of ['they locked me', 'noy', '00000000-0000']) expect(totals).not.toContain(secret);
    const audit = (await (await boss.get('/audit')).json()) as { entries: { counsellor: string; action: string }[] };
    expect(audit.entries.some((e) => e.counsellor === 'noy' && e.action === 'open')).toBe(true);
    expect((await noy.get('/audit')).status).toBe(403);
    const canned = (await (await noy.get('/canned?lang=lo')).json()) as { replies: { id: string; text: string }[] };
    expect(canned.replies.length).toBeGreaterThanOrEqual(5);
  });
});
