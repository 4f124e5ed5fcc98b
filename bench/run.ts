// npm run bench: the real server over HTTP on 127.0.0.1, Redis on, replies caught by a fake Bot API.
// Prints a table, writes bench/results/latest.json and the table and chart in docs/performance.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { RedisAccountStore } from '../src/counsellor/accounts.ts';
import { hashPassword } from '../src/counsellor/password.ts';
import { FastFakeTelegram, freePort, ROOT, rssKb, SECRET, startRedis, startServer, summarize, textUpdate, TOKEN, waitForPort, type Child } from './lib.ts';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 8);
const PEOPLE = Number(process.env['BENCH_PEOPLE'] ?? 200);
const SCRIPT = ['hi', 'English', '1', '1', '1', '1', '1', '1', '1', '1', '1', '1', '/start'];
const TRANSCRIPT_KEY = Buffer.alloc(32, 3).toString('base64');

async function post(url: string, body: string): Promise<number> {
  const res = await fetch(`${url}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

/**
 * Closed loop: each simulated person sends a message, waits for the reply, sends the next. Latency is from
 * sending the webhook to the fake Bot API receiving the reply. `rate` caps the total send rate (open-loop pacing).
 */
async function drive(opts: { urls: string[]; fake: FastFakeTelegram; people: number; seconds: number; chatBase: number; rate?: number; script?: string[] }) {
  const { urls, fake, people, seconds, chatBase } = opts;
  const script = opts.script ?? SCRIPT;
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  let sent = 0;
  let nextSlot = performance.now();
  const interval = opts.rate ? 1000 / opts.rate : 0;
  const person = async (i: number) => {
    const chat = chatBase + i;
    let step = 0;
    while (performance.now() < end) {
      if (interval) {
        const slot = nextSlot;
        nextSlot = Math.max(nextSlot + interval, performance.now());
        const wait = slot - performance.now();
        if (wait > 0) await sleep(wait);
        if (performance.now() >= end) break;
      }
      const seen = fake.arrivals.get(String(chat))?.length ?? 0;
      const started = performance.now();
      const status = await post(urls[(sent++) % urls.length] ?? '', textUpdate(chat, script[step % script.length] ?? 'hi'));
      if (status !== 200) throw new Error(`webhook answered ${status}`);
      await fake.next(String(chat), seen);
      latencies.push((fake.arrivals.get(String(chat))?.[seen] ?? performance.now()) - started);
      step += 1;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: people }, (_, i) => person(i)));
  // Paced runs schedule slots past the end that are then skipped: count over the window itself.
  const elapsed = Math.min((performance.now() - t0) / 1000, opts.rate ? seconds : Infinity);
  return { updates_per_s: latencies.length / elapsed, ...summarize(latencies) };
}

async function pipelineServers(n: number, redisUrl: string, prefix: string, fake: FastFakeTelegram): Promise<Child[]> {
  const env = {
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    TRANSCRIPT_KEY,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: fake.url,
    TELEGRAM_WEBHOOK_URL: 'https://bench.invalid/webhooks/telegram',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    RATE_LIMIT_PER_MINUTE: '100000',
    DUTY_HOURS: 'daily 00:00-24:00',
    INBOX_LEASE_MS: '3000',
  };
  const servers: Child[] = [];
  for (let i = 0; i < n; i++) servers.push(await startServer(env));
  // Let the processes share the inbox shards before measuring.
  if (n > 1) await sleep(2500);
  return servers;
}

async function baseline(fake: FastFakeTelegram) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'bench', 'baseline-echo.ts'), String(port), fake.url], { stdio: ['ignore', 'ignore', 'pipe'] });
  await waitForPort(port, child);
  const result = await drive({ urls: [`http://127.0.0.1:${port}`], fake, people: PEOPLE, seconds: SECONDS, chatBase: 9_000_000 });
  child.kill('SIGTERM');
  return result;
}

async function login(url: string, username: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${url}/console/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'bench password 123' }),
  });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrf } = (await res.json()) as { csrf: string };
  return { cookie, csrf };
}

/** Time from a crisis webhook to the case showing in an open console's live queue. */
async function escalationVisible(url: string, fake: FastFakeTelegram, n: number): Promise<number[]> {
  const { cookie } = await login(url, 'bench0');
  const controller = new AbortController();
  const res = await fetch(`${url}/console/api/events`, { headers: { cookie }, signal: controller.signal });
  const reader = res.body?.getReader();
  if (!reader) throw new Error('no event stream');
  let buffer = '';
  let lastQueue = -1;
  const waiters: ((size: number) => void)[] = [];
  void (async () => {
    const decoder = new TextDecoder();
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (chunk.done) return;
      buffer += decoder.decode(chunk.value, { stream: true });
      let at;
      while ((at = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        if (!event.startsWith('event: queue')) continue;
        const data = JSON.parse(event.split('\ndata: ')[1] ?? '{}') as { cases: unknown[] };
        lastQueue = data.cases.length;
        for (const w of waiters.splice(0)) w(lastQueue);
      }
    }
  })();
  while (lastQueue < 0) await sleep(20);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const before = lastQueue;
    const seen = new Promise<void>((resolve) => {
      const check = (size: number) => (size > before ? resolve() : waiters.push(check));
      waiters.push(check);
    });
    const started = performance.now();
    await post(url, textUpdate(5_000_000 + i, 'help they locked me in'));
    await seen;
    times.push(performance.now() - started);
    void fake;
  }
  controller.abort();
  return times;
}

async function takeNext(url: string, counsellors: number): Promise<number[]> {
  const sessions = await Promise.all(Array.from({ length: counsellors }, (_, i) => login(url, `bench${i}`)));
  const times: number[] = [];
  await Promise.all(
    sessions.map(async (s) => {
      const started = performance.now();
      const res = await fetch(`${url}/console/api/queue/take`, { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' }, body: '{}' });
      await res.arrayBuffer();
      times.push(performance.now() - started);
    }),
  );
  return times;
}

async function main(): Promise<void> {
  const started = Date.now();
  const fake = new FastFakeTelegram();
  await fake.start();
  const redis = await startRedis();
  const client = new Redis(redis.url);
  const log = (s: string) => process.stderr.write(`${s}\n`);

  log('baseline: bare grammY echo bot…');
  const base = await baseline(fake);

  log('pipeline: 1 process, closed loop…');
  let servers = await pipelineServers(1, redis.url, 'b1:', fake);
  const one = await drive({ urls: servers.map((s) => s.url), fake, people: PEOPLE, seconds: SECONDS, chatBase: 1_000_000 });

  log('pipeline: 500 updates/s, open loop…');
  const paced = await drive({ urls: servers.map((s) => s.url), fake, people: 1000, seconds: SECONDS, chatBase: 2_000_000, rate: 500 });

  log('escalations and take-next…');
  const accounts = new RedisAccountStore(client, 'b1:');
  const hash = await hashPassword('bench password 123');
  for (let i = 0; i < 20; i++) await accounts.put({ username: `bench${i}`, role: 'counsellor', passwordHash: hash, createdAt: Date.now() });
  const escalation = summarize(await escalationVisible(servers[0]?.url ?? '', fake, 60));
  const take = summarize(await takeNext(servers[0]?.url ?? '', 20));

  log('memory: 10,000 conversations…');
  const idleBefore = await usedMemory(client);
  const M = 10_000;
  for (let i = 0; i < M; i += 200) {
    await Promise.all(Array.from({ length: 200 }, (_, j) => post(servers[0]?.url ?? '', textUpdate(3_000_000 + i + j, 'hi'))));
  }
  while (fake.sendCount < 1) await sleep(10);
  await waitUntil(() => countChats(fake, 3_000_000, M) >= M, 120_000);
  await deleteMatching(client, '*:rate');
  const idleAfter = await usedMemory(client);
  const rss = await rssKb(servers[0]?.process.pid ?? 0);
  for (const s of servers) await s.stop();

  log('pipeline: 2 processes, closed loop…');
  servers = await pipelineServers(2, redis.url, 'b2:', fake);
  const two = await drive({ urls: servers.map((s) => s.url), fake, people: PEOPLE, seconds: SECONDS, chatBase: 4_000_000 });
  for (const s of servers) await s.stop();

  client.disconnect();
  await redis.stop();
  await fake.close();

  const results = {
    date: new Date().toISOString(),
    machine: { cores: (await import('node:os')).cpus().length, node: process.version },
    settings: { seconds: SECONDS, people: PEOPLE },
    pipeline: { updates_per_s: round(one.updates_per_s), p50_ms: round(one.p50), p95_ms: round(one.p95), p99_ms: round(one.p99) },
    paced_500: { updates_per_s: round(paced.updates_per_s), p50_ms: round(paced.p50), p95_ms: round(paced.p95), p99_ms: round(paced.p99) },
    baseline: { updates_per_s: round(base.updates_per_s), p50_ms: round(base.p50), p95_ms: round(base.p95), p99_ms: round(base.p99) },
    ratio: round(one.updates_per_s / base.updates_per_s),
    escalation: { p50_ms: round(escalation.p50), p99_ms: round(escalation.p99), n: escalation.n },
    take_next_20: { p50_ms: round(take.p50), p99_ms: round(take.p99), n: take.n },
    redis_bytes_per_session: Math.round((idleAfter - idleBefore) / M),
    server_rss_mb_at_10000: round(rss / 1024),
    two_processes: { updates_per_s: round(two.updates_per_s), p99_ms: round(two.p99) },
    scale_2_over_1: round(two.updates_per_s / one.updates_per_s),
    seconds_total: Math.round((Date.now() - started) / 1000),
  };
  writeFileSync(join(ROOT, 'bench', 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  const table = markdown(results);
  process.stdout.write(`${table}\n`);
  writePerformanceDoc(results, table);
}

type Results = {
  pipeline: { updates_per_s: number; p50_ms: number; p95_ms: number; p99_ms: number };
  paced_500: { updates_per_s: number; p50_ms: number; p95_ms: number; p99_ms: number };
  baseline: { updates_per_s: number; p50_ms: number; p95_ms: number; p99_ms: number };
  ratio: number;
  escalation: { p50_ms: number; p99_ms: number };
  take_next_20: { p50_ms: number; p99_ms: number };
  redis_bytes_per_session: number;
  server_rss_mb_at_10000: number;
  two_processes: { updates_per_s: number; p99_ms: number };
  scale_2_over_1: number;
  date: string;
  machine: { cores: number; node: string };
};

function markdown(r: Results): string {
  const ok = (pass: boolean) => (pass ? 'met' : '**missed**');
  return [
    '| measure | result | target |',
    '|---|---|---|',
    `| pipeline throughput (closed loop, ${PEOPLE} people) | ${r.pipeline.updates_per_s} updates/s, p50 ${r.pipeline.p50_ms} ms, p99 ${r.pipeline.p99_ms} ms | — |`,
    `| baseline: bare grammY echo bot, same harness | ${r.baseline.updates_per_s} updates/s, p99 ${r.baseline.p99_ms} ms | — |`,
    `| ratio pipeline / baseline | ${r.ratio} | ≥ 0.7: ${ok(r.ratio >= 0.7)} |`,
    `| latency at 500 updates/s (open loop) | ${r.paced_500.updates_per_s} updates/s done, p50 ${r.paced_500.p50_ms} ms, p95 ${r.paced_500.p95_ms} ms, p99 ${r.paced_500.p99_ms} ms | p99 ≤ 25 ms: ${ok(r.paced_500.p99_ms <= 25)} |`,
    `| crisis webhook → visible in the console queue | p50 ${r.escalation.p50_ms} ms, p99 ${r.escalation.p99_ms} ms | p99 ≤ 200 ms: ${ok(r.escalation.p99_ms <= 200)} |`,
    `| take next, 20 counsellors at once | p50 ${r.take_next_20.p50_ms} ms, p99 ${r.take_next_20.p99_ms} ms | — |`,
    `| Redis per idle conversation | ${r.redis_bytes_per_session} bytes | ≤ 1024: ${ok(r.redis_bytes_per_session <= 1024)} |`,
    `| server memory with 10,000 conversations | ${r.server_rss_mb_at_10000} MB RSS | — |`,
    `| 2 processes / 1 process | ${r.scale_2_over_1} (${r.two_processes.updates_per_s} updates/s) | ≥ 1.6 where the cores allow: ${ok(r.scale_2_over_1 >= 1.6)} |`,
  ].join('\n');
}

function chart(r: Results): string {
  const bars = [
    ['baseline (grammY echo)', r.baseline.updates_per_s],
    ['pipeline, 1 process', r.pipeline.updates_per_s],
    ['pipeline, 2 processes', r.two_processes.updates_per_s],
  ] as const;
  const max = Math.max(...bars.map(([, v]) => v), 1);
  const rows = bars
    .map(([label, v], i) => {
      const y = 30 + i * 40;
      const w = Math.round((v / max) * 360);
      return `<text x="0" y="${y + 17}" font-size="13">${label}</text><rect x="190" y="${y}" width="${w}" height="24" fill="${i === 0 ? '#8c959f' : '#0b5cad'}"/><text x="${196 + w}" y="${y + 17}" font-size="13">${v}/s</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="160" font-family="sans-serif"><text x="0" y="16" font-size="14" font-weight="bold">Updates per second, webhook to platform call (${r.machine.cores} cores)</text>${rows}</svg>\n`;
}

function writePerformanceDoc(r: Results, table: string): void {
  writeFileSync(join(ROOT, 'docs', 'performance.svg'), chart(r));
  const path = join(ROOT, 'docs', 'performance.md');
  const intro = [
    '# Performance',
    '',
    `Measured by \`npm run bench\` on ${r.date.slice(0, 10)}, ${r.machine.cores} cores, Node ${r.machine.node}. The bench client, the`,
    'fake Bot API, Redis and the server(s) all share these cores, so every number is a floor for a real deployment',
    'where the server has its cores to itself. Raw numbers: `bench/results/latest.json`.',
    '',
    '<!-- results -->',
    table,
    '',
    '![updates per second](performance.svg)',
    '<!-- /results -->',
    '',
  ].join('\n');
  let doc = intro;
  try {
    const existing = readFileSafe(path);
    const tail = existing.split('<!-- /results -->')[1];
    if (tail) doc = intro + tail.replace(/^\n+/, '');
  } catch {
    // first run: the intro alone
  }
  writeFileSync(path, doc);
}

function readFileSafe(path: string): string {
  return readFileSync(path, 'utf8');
}

async function usedMemory(client: Redis): Promise<number> {
  const info = await client.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
}

async function deleteMatching(client: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await client.del(...keys);
  } while (cursor !== '0');
}

function countChats(fake: FastFakeTelegram, base: number, n: number): number {
  let c = 0;
  for (let i = 0; i < n; i++) if (fake.arrivals.has(String(base + i))) c += 1;
  return c;
}

async function waitUntil(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(50);
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

await main();
