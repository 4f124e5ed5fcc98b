// npm run faults: under load, kill -9 a server process, restart Redis (AOF on), make the platform answer
// 429 and 500, flood duplicates, and send over 1,000 malformed, oversized and unsigned requests. Fails unless
// lost = 0, answered twice = 0 and stored-from-bad-input = 0. `--quick` runs a short version (no restarts).
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { FastFakeTelegram, ROOT, SECRET, startRedis, startServer, textUpdate, TOKEN, type Child } from './lib.ts';

const APP_SECRET = 'faults-app-secret-0123456789';
const BAD_CHAT_BASE = 8_000_000;

export interface FaultReport {
  sent: number;
  answered: number;
  lost: number;
  answeredTwice: number;
  rejected: number;
  /** Bad requests answered with anything but a 4xx: must be 0. */
  badAccepted: number;
  storedFromBadInput: number;
  duplicatesSent: number;
  events: string[];
}

export async function runFaults(opts: { quick: boolean; log?: (s: string) => void }): Promise<FaultReport> {
  const log = opts.log ?? (() => undefined);
  const fake = new FastFakeTelegram();
  await fake.start();
  const redis = await startRedis({ aof: true });
  const env = {
    REDIS_URL: redis.url,
    REDIS_PREFIX: 'faults:',
    TRANSCRIPT_KEY: Buffer.alloc(32, 5).toString('base64'),
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: fake.url,
    TELEGRAM_WEBHOOK_URL: 'https://faults.invalid/webhooks/telegram',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    MESSENGER_PAGE_TOKEN: 'faults-page-token',
    MESSENGER_APP_SECRET: APP_SECRET,
    MESSENGER_VERIFY_TOKEN: 'faults-verify-token',
    MESSENGER_GRAPH_URL: fake.url,
    RATE_LIMIT_PER_MINUTE: '100000',
    INBOX_LEASE_MS: '1500',
    DUTY_HOURS: 'daily 00:00-24:00',
  };
  const servers: Child[] = [await startServer(env), await startServer(env)];
  const events: string[] = [];
  const note = (e: string) => {
    events.push(e);
    log(e);
  };

  const people = opts.quick ? 30 : 120;
  const script = ['hi', 'English', '1', '1', '1', '1', '1', '1', '1', '1', '1', '1'];
  const acknowledged = new Map<number, number>();
  let duplicatesSent = 0;
  let turn = 0;

  /** Like Telegram: re-send until a 200, to either process, whatever is down. */
  const deliver = async (body: string): Promise<void> => {
    for (;;) {
      const target = servers[turn++ % servers.length];
      try {
        const res = await fetch(`${target?.url}/webhooks/telegram`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
          body,
          signal: AbortSignal.timeout(5000),
        });
        await res.arrayBuffer();
        if (res.status === 200) return;
      } catch {
        // a process down: Telegram tries again
      }
      await sleep(100);
    }
  };

  const person = async (i: number) => {
    const chat = 1_000 + i;
    for (const text of script) {
      const body = textUpdate(chat, text);
      const seen = fake.arrivals.get(String(chat))?.length ?? 0;
      await deliver(body);
      acknowledged.set(chat, (acknowledged.get(chat) ?? 0) + 1);
      // Telegram re-sends some updates: the same update_id again, to either process.
      if (Math.random() < 0.3) {
        duplicatesSent += 1;
        await deliver(body);
      }
      await Promise.race([fake.next(String(chat), seen), sleep(opts.quick ? 20_000 : 120_000, undefined, { ref: false })]);
    }
  };

  const bad = badRequests(servers, opts.quick ? 1000 : 1200);
  const load = Promise.all(Array.from({ length: people }, (_, i) => person(i)));

  const faults = (async () => {
    await sleep(1500);
    if (!opts.quick) {
      note('kill -9 one server process');
      servers[0]?.process.kill('SIGKILL');
      await sleep(1000);
      servers[0] = await startServer(env);
      note('started it again');
      await sleep(1500);
      note('restart Redis (AOF on)');
      await redis.restart();
      note('Redis is back');
      await sleep(1500);
    }
    const seconds = opts.quick ? 2 : 60;
    note(`platform answers 429 (retry_after 1) for ${seconds / 2} s, then 500 for ${seconds / 2} s`);
    fake.failing = { code: 429, retryAfter: 1 };
    await sleep((seconds / 2) * 1000);
    fake.failing = { code: 500 };
    await sleep((seconds / 2) * 1000);
    fake.failing = undefined;
    note('platform healthy again');
  })();

  const [badResult] = await Promise.all([bad, load, faults]);
  // A last grace period for replies still on their way.
  const deadline = Date.now() + (opts.quick ? 20_000 : 120_000);
  while (Date.now() < deadline && [...acknowledged].some(([chat, n]) => (fake.arrivals.get(String(chat))?.length ?? 0) < n)) await sleep(200);
  await sleep(1000);

  let sent = 0;
  let answered = 0;
  let lost = 0;
  let twice = 0;
  for (const [chat, n] of acknowledged) {
    const got = fake.arrivals.get(String(chat))?.length ?? 0;
    sent += n;
    answered += Math.min(n, got);
    lost += Math.max(0, n - got);
    twice += Math.max(0, got - n);
  }
  let storedFromBadInput = 0;
  for (const [chat] of fake.arrivals) if (Number(chat) >= BAD_CHAT_BASE) storedFromBadInput += 1;
  const client = new Redis(redis.url);
  for (const pattern of [`faults:{telegram:${BAD_CHAT_BASE / 1_000_000}*`, 'faults:{messenger:bad*']) {
    const [, keys] = await client.scan('0', 'MATCH', pattern, 'COUNT', 100_000);
    storedFromBadInput += keys.length;
  }
  client.disconnect();

  for (const s of servers) await s.stop();
  await redis.stop();
  await fake.close();
  return { sent, answered, lost, answeredTwice: twice, rejected: badResult.rejected, badAccepted: badResult.accepted, storedFromBadInput, duplicatesSent, events };
}

/** Malformed, oversized, unsigned and forged requests, to both webhooks of every process. */
async function badRequests(servers: Child[], n: number): Promise<{ rejected: number; accepted: number }> {
  let rejected = 0;
  let accepted = 0;
  const big = 'x'.repeat(5 * 1024 * 1024);
  const valid = (i: number) => textUpdate(BAD_CHAT_BASE + i, 'help');
  const fb = (i: number) => JSON.stringify({ object: 'page', entry: [{ id: 'P', time: 1, messaging: [{ sender: { id: `bad${i}` }, recipient: { id: 'P' }, timestamp: Date.now(), message: { mid: `bad-${i}`, text: 'help' } }] }] });
  const kinds: ((i: number) => { path: string; headers: Record<string, string>; body: string })[] = [
    (i) => ({ path: '/webhooks/telegram', headers: { 'content-type': 'application/json' }, body: valid(i) }),
    (i) => ({ path: '/webhooks/telegram', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'wrong-secret' }, body: valid(i) }),
    () => ({ path: '/webhooks/telegram', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: '{"update_id": 1, "message": {' }),
    () => ({ path: '/webhooks/telegram', headers: { 'content-type': 'text/plain', 'x-telegram-bot-api-secret-token': SECRET }, body: 'hello' }),
    () => ({ path: '/webhooks/telegram', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: '{"update_id": "not a number", "message": []}' }),
    (i) => ({ path: '/webhooks/messenger', headers: { 'content-type': 'application/json' }, body: fb(i) }),
    (i) => ({ path: '/webhooks/messenger', headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` }, body: fb(i) }),
    (i) => {
      const body = fb(i);
      // Signed for other bytes than the ones sent.
      const sig = createHmac('sha256', APP_SECRET).update(`${body} `).digest('hex');
      return { path: '/webhooks/messenger', headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${sig}` }, body };
    },
    () => ({ path: '/webhooks/messenger', headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', APP_SECRET).update('{"object":').digest('hex')}` }, body: '{"object":' }),
  ];
  for (let i = 0; i < n; i++) {
    const kind = kinds[i % kinds.length];
    const server = servers[i % servers.length];
    if (!kind || !server) continue;
    const r = kind(i);
    // A few oversized bodies: they must be refused before they are read.
    const body = i % 200 === 0 ? big : r.body;
    // A process being restarted refuses the connection: try the next one, as a sender would.
    for (let attempt = 0; attempt < 50; attempt++) {
      const target = servers[(i + attempt) % servers.length] ?? server;
      try {
        const res = await fetch(`${target.url}${r.path}`, { method: 'POST', headers: r.headers, body, signal: AbortSignal.timeout(5000) });
        await res.arrayBuffer();
        if (res.status >= 400 && res.status < 500) rejected += 1;
        else accepted += 1;
        break;
      } catch {
        await sleep(100);
      }
    }
  }
  return { rejected, accepted };
}

export function table(r: FaultReport): string {
  return [
    '| sent | answered | lost | answered twice | duplicates sent | bad requests rejected (4xx) | bad accepted | stored from bad input |',
    '|---|---|---|---|---|---|---|---|',
    `| ${r.sent} | ${r.answered} | ${r.lost} | ${r.answeredTwice} | ${r.duplicatesSent} | ${r.rejected} | ${r.badAccepted} | ${r.storedFromBadInput} |`,
  ].join('\n');
}

if (import.meta.main) {
  const quick = process.argv.includes('--quick');
  const report = await runFaults({ quick, log: (s) => process.stderr.write(`${s}\n`) });
  process.stdout.write(`${table(report)}\n`);
  writeFileSync(join(ROOT, 'bench', 'results', quick ? 'faults-quick.json' : 'faults.json'), `${JSON.stringify(report, null, 2)}\n`);
  const ok = report.lost === 0 && report.answeredTwice === 0 && report.storedFromBadInput === 0 && report.badAccepted === 0;
  process.stdout.write(ok ? 'faults: PASS\n' : 'faults: FAIL\n');
  process.exitCode = ok ? 0 : 1;
}
