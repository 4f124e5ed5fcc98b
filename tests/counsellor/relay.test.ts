// The relay end to end through the fake Telegram and Graph servers, on real Redis: a person escalates on
// their platform, a counsellor takes the case in the API, they write to each other, the counsellor closes.
import { createHmac } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisAccountStore } from '../../src/counsellor/accounts.ts';
import { hashPassword } from '../../src/counsellor/password.ts';
import type { RunningServer } from '../../src/main.ts';
import { FAKE_TOKEN, FakeTelegram } from '../helpers/fake-telegram.ts';
import { startFakeGraph } from '../helpers/fake-graph.ts';
import { connect, deleteKeys, REDIS_URL, testPrefix } from '../helpers/redis.ts';
import { startTestServer } from '../helpers/server.ts';
import { content } from '../helpers/service.ts';

const redis = connect();
const prefixes: string[] = [];
const PASSWORD = 'correct horse battery';
const TRANSCRIPT_KEY = Buffer.alloc(32, 7).toString('base64');
const menuAsk = content().t('lo', 'menu.ask');

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function serverWith(env: Record<string, string>): Promise<RunningServer> {
  const prefix = testPrefix('relay');
  prefixes.push(prefix);
  await new RedisAccountStore(redis, prefix).put({ username: 'noy', role: 'counsellor', passwordHash: await hashPassword(PASSWORD), createdAt: Date.now() });
  return startTestServer({ REDIS_URL, REDIS_PREFIX: prefix, TRANSCRIPT_KEY, DUTY_HOURS: 'daily 00:00-24:00', ...env });
}

async function counsellor(server: RunningServer) {
  const res = await fetch(`${server.url}/console/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'noy', password: PASSWORD }),
  });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrf } = (await res.json()) as { csrf: string };
  const call = async (method: string, path: string, body?: unknown) =>
    (await fetch(`${server.url}/console/api${path}`, {
      method,
      headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrf },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).then((r) => r.json())) as Record<string, unknown>;
  return { call };
}

describe('relay through the platforms', () => {
  it('Telegram: a crisis goes to the counsellor, who writes back; on close the bot resumes', async () => {
    const fake = await FakeTelegram.start();
    const server = await serverWith({ TELEGRAM_BOT_TOKEN: FAKE_TOKEN, TELEGRAM_API_ROOT: fake.apiRoot });
    let id = 100;
    const write = (text: string) =>
      fake.pushUpdates({
        update_id: ++id,
        message: { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: 555, type: 'private' }, from: { id: 555, is_bot: false, first_name: 'P', language_code: 'lo' }, text },
      });
    const sentTexts = () => fake.delivered.filter((c) => c.method === 'sendMessage').map((c) => String(c.body['text']));

    write('ຊ່ວຍແດ່ ເຂົາຂັງຂ້ອຍໄວ້');
    await until(() => (sentTexts().some((t) => t.includes('ລຳດັບທີ 1')) ? true : undefined), 'the place in the queue, in Lao');
    const noy = await counsellor(server);
    const taken = (await noy.call('POST', '/queue/take')) as { case: { id: string; priority: string; lang: string } };
    expect(taken.case).toMatchObject({ priority: 'urgent', lang: 'lo' });
    const before = sentTexts().length;

    write('ຂ້ອຍຢູ່ບ້ານເລກທີ 12');
    const relayed = await until(async () => {
      const c = (await noy.call('GET', `/cases/${taken.case.id}`)) as { transcript: { from: string; text: string }[] };
      return c.transcript.find((l) => l.from === 'person' && l.text.includes('ບ້ານເລກທີ 12'));
    }, 'the person’s message in the case');
    expect(relayed).toBeDefined();
    expect(sentTexts().length).toBe(before); // the bot said nothing

    await noy.call('POST', `/cases/${taken.case.id}/messages`, { text: 'ຂ້ອຍຊື່ ນ້ອຍ, ເຈົ້າປອດໄພບໍ?' });
    await until(() => (sentTexts().includes('ຂ້ອຍຊື່ ນ້ອຍ, ເຈົ້າປອດໄພບໍ?') ? true : undefined), 'the counsellor’s words on Telegram');

    await noy.call('POST', `/cases/${taken.case.id}/close`, { outcome: 'referred' });
    await until(() => (sentTexts().some((t) => t.includes('ປິດແຊັດນີ້ແລ້ວ')) ? true : undefined), 'the bot’s return');
    write('ສະບາຍດີ');
    await until(() => (sentTexts().some((t) => t.includes('ເຈົ້າຢາກເຮັດຫຍັງ') || t.includes(menuAsk)) ? true : undefined), 'the bot answering again');
    await server.close();
    await fake.close();
  });

  it('Messenger: the counsellor’s reply goes out through the Send API within the 24-hour window', async () => {
    const graph = await startFakeGraph();
    const secret = 'app-secret-0123456789';
    const server = await serverWith({
      MESSENGER_PAGE_TOKEN: 'page-token-0123456789',
      MESSENGER_APP_SECRET: secret,
      MESSENGER_VERIFY_TOKEN: 'verify-token-0123',
      MESSENGER_GRAPH_URL: graph.url,
    });
    const body = JSON.stringify({
      object: 'page',
      entry: [{ id: 'PAGE', time: Date.now(), messaging: [{ sender: { id: 'PSID-9' }, recipient: { id: 'PAGE' }, timestamp: Date.now(), message: { mid: 'm_help', text: 'help' } }] }],
    });
    const res = await fetch(`${server.url}/webhooks/messenger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` },
      body,
    });
    expect(res.status).toBe(200);
    const noy = await counsellor(server);
    const taken = await until(async () => {
      const r = (await noy.call('POST', '/queue/take')) as { case?: { id: string } };
      return r.case;
    }, 'the Messenger case');
    await noy.call('POST', `/cases/${taken.id}/messages`, { text: 'Hello, I am Noy.' });
    const call = await until(
      () => graph.calls.find((c) => JSON.stringify(c.body).includes('Hello, I am Noy.')),
      'the counsellor’s message on Messenger',
    );
    expect(call.body).toMatchObject({ recipient: { id: 'PSID-9' }, messaging_type: 'RESPONSE', message: { text: 'Hello, I am Noy.' } });
    await server.close();
    await graph.close();
  });
});

afterAll(async () => {
  for (const p of prefixes) await deleteKeys(redis, p);
  await redis.quit();
});
