// The server as main.ts wires it: Redis mode keeps conversations across a restart; /metrics is guarded.
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer } from './helpers/server.ts';
import { connect, countKeys, deleteKeys, REDIS_URL, testPrefix } from './helpers/redis.ts';

const redis = connect();
const prefix = testPrefix('main');
const env = { REDIS_URL, REDIS_PREFIX: prefix, METRICS_TOKEN: 'metrics-token-for-tests' };
const session = '0b8f6a1e-3c2d-4e5f-8a9b-0c1d2e3f4a5b';

type Events = { events: { text: string; buttons: { payload: string; label: string }[] }[] };
async function say(url: string, body: Record<string, unknown>): Promise<Events> {
  const res = await fetch(`${url}/webchat/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ session, ...body }),
  });
  return (await res.json()) as Events;
}

describe('server in Redis mode', () => {
  it('keeps a conversation in Redis across a restart, under the configured prefix', async () => {
    const first = await startTestServer(env);
    const hello = await say(first.url, { text: 'hi', lang: 'en' });
    const english = hello.events.at(-1)?.buttons.find((b) => b.label === 'English');
    await say(first.url, { payload: english?.payload });
    await first.close();
    expect(await countKeys(redis, prefix)).toBeGreaterThan(0);

    const second = await startTestServer(env);
    const reply = await say(second.url, { text: '1' });
    // The restarted server knew where the person was: "1" picked "check a job offer" from the menu.
    expect(reply.events[0]?.text).toContain("Let's check the job offer");
    await second.close();
  });

  it('serves /metrics only with the bearer token', async () => {
    const server = await startTestServer(env);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const ok = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${env.METRICS_TOKEN}` } });
    expect(ok.status).toBe(200);
    await server.close();
    const off = await startTestServer({});
    expect((await fetch(`${off.url}/metrics`)).status).toBe(404);
    await off.close();
  });
});

afterAll(async () => {
  await deleteKeys(redis, prefix);
  await redis.quit();
});
