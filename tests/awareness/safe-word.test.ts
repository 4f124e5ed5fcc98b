// The safe word: set privately, kept only as a hash; typed later it escalates at top priority while the
// person sees nothing but small talk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisAccountStore } from '../../src/counsellor/accounts.ts';
import { hashPassword } from '../../src/counsellor/password.ts';
import type { RunningServer } from '../../src/main.ts';
import { connect, deleteKeys, REDIS_URL, testPrefix } from '../helpers/redis.ts';
import { content } from '../helpers/service.ts';
import { startTestServer } from '../helpers/server.ts';

const redis = connect();
const prefix = testPrefix('safeword');
let server: RunningServer;
const t = (key: string) => content().t('en', key);

beforeAll(async () => {
  // Redis mode, so the stored data can be inspected.
  await new RedisAccountStore(redis, prefix).put({ username: 'boss', role: 'supervisor', passwordHash: await hashPassword('correct horse battery'), createdAt: Date.now() });
  server = await startTestServer({ REDIS_URL, REDIS_PREFIX: prefix, DUTY_HOURS: 'daily 00:00-24:00' });
});
afterAll(async () => {
  await server.close();
  await deleteKeys(redis, prefix);
  await redis.quit();
});

const session = '00000000-0000-4000-8000-00000000f00d';
async function say(text: string): Promise<string[]> {
  const res = await fetch(`${server.url}/webchat/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ session, text, lang: 'en' }),
  });
  return ((await res.json()) as { events: { text: string }[] }).events.map((e) => e.text);
}

describe('safe word', () => {
  it('refuses the name of a command, a common word or two words, with the reason; keeps only a hash of a good one', async () => {
    await say('hi');
    await say('English');
    expect((await say('/safeword')).join('\n')).toContain(t('safeword.ask'));
    for (const bad of ['menu', 'forget', 'hello', 'two words']) expect((await say(bad))[0]).toContain(t('safeword.invalid'));
    expect((await say('mangosteen')).join('\n')).toContain(t('safeword.done'));
    let cursor = '0';
    const values: string[] = [];
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) if ((await redis.type(key)) === 'string') values.push((await redis.get(key)) ?? '');
    } while (cursor !== '0');
    expect(values.join('\n')).not.toContain('mangosteen');
    expect(values.join('\n')).toMatch(/"safeWord":"[a-f0-9]{64}"/);
  });

  it('typed later, escalates at top priority while the person sees only small talk', async () => {
    expect((await say('hi'))[0]).toBe(t('menu.ask')); // back at the menu
    const reply = await say('Mangosteen');
    expect(reply).toHaveLength(1);
    expect(reply[0]).toMatch(/^(😊|Thanks|Haha|Good to hear|👍)/);
    const login = await fetch(`${server.url}/console/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'boss', password: 'correct horse battery' }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const queue = (await (await fetch(`${server.url}/console/api/queue`, { headers: { cookie } })).json()) as { cases: { priority: string; reason: string }[] };
    expect(queue.cases[0]).toMatchObject({ priority: 'urgent', reason: 'safe_word' });
    // Nothing else changed for the person: the menu still waits where it was.
    expect((await say('1'))[0]).toContain(t('job.intro'));
  });
});
