// Real server processes (`hotline start`) on one real Redis, a fake Telegram Bot API at the HTTP boundary:
// per-person order across two processes, and a process killed with SIGKILL in the middle of its work.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FAKE_TOKEN, FakeTelegram, type FakeCall } from '../helpers/fake-telegram.ts';
import { connect, deleteKeys, REDIS_URL, testPrefix } from '../helpers/redis.ts';
import { TEST_TRANSCRIPT_KEY } from '../helpers/server.ts';
import { RedisCaseStore } from '../../src/escalation/redis-cases.ts';

const root = join(import.meta.dirname, '..', '..');
const SECRET = 'process-test-secret-0123456789';
const redis = connect();
const prefixes: string[] = [];
const children: ChildProcess[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** Starts `hotline start` as its own process and resolves with its URL once it listens. */
async function startProcess(fake: FakeTelegram, prefix: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'bin', 'hotline.js'), 'start'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL,
      REDIS_PREFIX: prefix,
      TELEGRAM_BOT_TOKEN: FAKE_TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_WEBHOOK_URL: 'https://hotline.example.org/webhooks/telegram',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      INBOX_SHARDS: '8',
      INBOX_LEASE_MS: '1500',
      DUTY_HOURS: 'daily 00:00-24:00',
      TRANSCRIPT_KEY: TEST_TRANSCRIPT_KEY,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('"msg":"listening"')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${seen}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

let updateId = 1_000;
function textUpdate(chatId: number, text: string) {
  updateId += 1;
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: 1_763_800_000,
      chat: { id: chatId, type: 'private', first_name: 'A' },
      from: { id: chatId, is_bot: false, first_name: 'A', language_code: 'en' },
      text,
    },
  };
}

async function post(url: string, update: unknown): Promise<number> {
  const res = await fetch(`${url}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify(update),
  });
  return res.status;
}

const firstLine = (c: FakeCall) => String(c.body['text']).split('\n')[0] ?? '';
function repliesTo(calls: FakeCall[], chatId: number): string[] {
  return calls.filter((c) => c.method === 'sendMessage' && Number(c.body['chat_id']) === chatId).map(firstLine);
}

async function until(condition: () => boolean, what: string, tries = 600): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// "hi" → welcome, "English" → privacy + menu, "1" → job check intro, then questions 2/10, 3/10, 4/10.
const SCRIPT = ['hi', 'English', '1', '1', '1', '1'];
const EXPECTED = [
  'Hello! This is a free hotline about safe work abroad and human trafficking.',
  'This is an automated service (a bot), not a person. We keep your answers for 24 hours after your last message, then delete them. A counsellor sees them only if you ask for one. Type /forget to delete everything now.',
  "Let's check the job offer: 10 quick questions. Tap the answer that fits best.",
  '2/10 Did anyone ask you to pay a fee to get this job?',
  '3/10 Do you have a written contract?',
  '4/10 Who will keep your passport at work?',
];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

describe('two server processes on one Redis', { timeout: 60_000 }, () => {
  it("answer every person exactly once and in order, whichever process got each webhook", async () => {
    const fake = await FakeTelegram.start();
    const prefix = testPrefix('procs');
    prefixes.push(prefix);
    const a = await startProcess(fake, prefix);
    const b = await startProcess(fake, prefix);
    const chats = Array.from({ length: 10 }, (_, i) => 5_000 + i);
    let turn = 0;
    for (const text of SCRIPT) {
      // Each message goes to one of the two processes, alternating, all people interleaved.
      await Promise.all(chats.map((chat) => post((turn++ % 2 === 0 ? a : b).url, textUpdate(chat, text))));
    }
    // Telegram re-sends an update to both processes: acknowledged twice, handled once.
    const again = textUpdate(chats[0] ?? 0, 'hi');
    expect(await post(a.url, again)).toBe(200);
    expect(await post(b.url, again)).toBe(200);
    const want = (c: number) => SCRIPT.length + (c === chats[0] ? 1 : 0);
    await until(() => chats.every((c) => repliesTo(fake.calls, c).length >= want(c)), 'all replies');
    // Give a wrongly doubled answer the time to show up before counting.
    await new Promise((r) => setTimeout(r, 500));
    for (const chat of chats.slice(1)) expect(repliesTo(fake.calls, chat), `chat ${chat}`).toEqual(EXPECTED);
    expect(repliesTo(fake.calls, chats[0] ?? 0).slice(0, SCRIPT.length)).toEqual(EXPECTED);
    expect(repliesTo(fake.calls, chats[0] ?? 0)).toHaveLength(SCRIPT.length + 1);
    await fake.close();
  });

  it('lose nothing and answer nothing twice when one is killed with SIGKILL in the middle of its work', async () => {
    const fake = await FakeTelegram.start();
    // Slow answers keep the first process busy, so the kill lands while it holds work.
    fake.slow('sendMessage', 300);
    const prefix = testPrefix('kill');
    prefixes.push(prefix);
    const a = await startProcess(fake, prefix);
    const chats = Array.from({ length: 6 }, (_, i) => 7_000 + i);
    // Everything goes to A first, acknowledged with 200: from here on it must not be lost.
    for (const text of SCRIPT) {
      for (const chat of chats) expect(await post(a.url, textUpdate(chat, text))).toBe(200);
    }
    // Wait until A is in the middle of a send, then kill it without warning.
    await until(() => fake.calls.filter((c) => c.method === 'sendMessage').length > fake.delivered.length, 'a send in flight');
    a.child.kill('SIGKILL');
    await new Promise((r) => a.child.once('exit', r));
    // A send the fake answered just before the kill, which the process never got to record, goes again:
    // exactly once to the platform cannot be promised across a kill. Only sends started by then may repeat.
    const startedBeforeKill = new Set(fake.calls.filter((c) => c.method === 'sendMessage').map((c) => `${String(c.body['chat_id'])}:${firstLine(c)}`));
    fake.slow('sendMessage', 0);
    await startProcess(fake, prefix);
    await until(
      () => chats.every((c) => repliesTo(fake.delivered, c).length >= SCRIPT.length),
      'every reply after the takeover',
    );
    let repeats = 0;
    for (const chat of chats) {
      const replies = repliesTo(fake.delivered, chat).filter((text, i, all) => {
        const again = i > 0 && all[i - 1] === text && startedBeforeKill.has(`${chat}:${text}`);
        if (again) repeats++;
        return !again;
      });
      expect(replies, `chat ${chat}`).toEqual(EXPECTED);
    }
    // The worker sends a few people at once: at most that many were on the wire at the kill.
    expect(repeats).toBeLessThanOrEqual(chats.length);
    // The send A had on the wire never got its answer, so the new owner sent that message again.
    expect(fake.callsOf('sendMessage').length).toBeGreaterThan(fake.delivered.filter((c) => c.method === 'sendMessage').length);
    await fake.close();
  });
});

describe('escalations across a killed process', { timeout: 60_000 }, () => {
  it('a crisis acknowledged by a process killed right after is still in the queue, once', async () => {
    const fake = await FakeTelegram.start();
    fake.slow('sendMessage', 300);
    const prefix = testPrefix('kill-esc');
    prefixes.push(prefix);
    const a = await startProcess(fake, prefix);
    const chats = [9_001, 9_002, 9_003];
    for (const chat of chats) expect(await post(a.url, textUpdate(chat, 'help'))).toBe(200);
    await until(() => fake.calls.some((c) => c.method === 'sendMessage'), 'work under way');
    a.child.kill('SIGKILL');
    await new Promise((r) => a.child.once('exit', r));
    fake.slow('sendMessage', 0);
    await startProcess(fake, prefix);
    const cases = new RedisCaseStore(redis, prefix);
    await until(() => chats.every((c) => repliesTo(fake.delivered, c).some((t) => t.startsWith('You are number'))), 'every place in the queue told');
    const queued = await cases.queued();
    expect(queued.map((c) => c.userId).sort()).toEqual(chats.map(String));
    expect(queued.every((c) => c.priority === 'urgent')).toBe(true);
    await fake.close();
  });
});

afterAll(async () => {
  for (const p of prefixes) await deleteKeys(redis, p);
  await redis.quit();
});
