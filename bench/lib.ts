// Shared pieces of the benchmark and fault runs: a fast fake Bot API, child servers, Redis, statistics.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttp, type IncomingMessage, type Server } from 'node:http';
import { createServer as createNet } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = join(import.meta.dirname, '..');
export const TOKEN = '123456:BENCH-token';
export const SECRET = 'bench-webhook-secret-0123456789';

export async function freePort(): Promise<number> {
  const s = createNet();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

/** A Bot API stand-in that answers at once and remembers when each chat got each message. */
export class FastFakeTelegram {
  readonly server: Server;
  url = '';
  /** chat id → arrival times (ms, performance.now()) of sendMessage calls. */
  readonly arrivals = new Map<string, number[]>();
  readonly texts = new Map<string, string[]>();
  sendCount = 0;
  /** While set, sendMessage answers with this failure (429 with retry_after, or 500). */
  failing: { code: 429 | 500; retryAfter?: number } | undefined;
  private waiters = new Map<string, (() => void)[]>();

  constructor() {
    this.server = createHttp((req, res) => {
      void body(req).then((raw) => {
        const method = (req.url ?? '').split('/').pop() ?? '';
        if (method === 'sendMessage') {
          if (this.failing) {
            const f = this.failing;
            res.writeHead(f.code, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ ok: false, error_code: f.code, description: 'bench failure', ...(f.retryAfter ? { parameters: { retry_after: f.retryAfter } } : {}) }));
            return;
          }
          const now = performance.now();
          let chat = '';
          let text = '';
          try {
            const parsed = JSON.parse(raw) as { chat_id: string | number; text: string };
            chat = String(parsed.chat_id);
            text = parsed.text;
          } catch {
            // form bodies are not used by grammY for sendMessage
          }
          this.sendCount += 1;
          (this.arrivals.get(chat) ?? this.arrivals.set(chat, []).get(chat))?.push(now);
          (this.texts.get(chat) ?? this.texts.set(chat, []).get(chat))?.push(text);
          const wake = this.waiters.get(chat);
          if (wake?.length) wake.shift()?.();
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: true, result: { message_id: this.sendCount, date: 0, chat: { id: Number(chat), type: 'private' }, text } }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, result: method === 'getUpdates' ? [] : true }));
      });
    });
    this.server.keepAliveTimeout = 60_000;
  }

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  /** Resolves at the next message to this chat (or at once if one came after `seen` messages). */
  next(chat: string, seen: number): Promise<void> {
    if ((this.arrivals.get(chat)?.length ?? 0) > seen) return Promise.resolve();
    return new Promise((resolve) => (this.waiters.get(chat) ?? this.waiters.set(chat, []).get(chat))?.push(resolve));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** A Redis of the run's own (no persistence unless asked), so numbers are not mixed with anything else. */
export async function startRedis(opts: { aof?: boolean } = {}): Promise<{ port: number; url: string; dir: string; stop(): Promise<void>; restart(): Promise<void> }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'hotline-bench-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, '--appendonly', opts.aof ? 'yes' : 'no', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction'];
  let child: ChildProcess;
  const launch = async () => {
    child = spawn('redis-server', args, { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if (await ping(port)) return;
      await sleep(50);
    }
    throw new Error('redis did not start');
  };
  await launch();
  const stop = async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
  return { port, url: `redis://127.0.0.1:${port}/0`, dir, stop, restart: async () => { await stop(); await launch(); } };
}

async function ping(port: number): Promise<boolean> {
  const { Redis } = await import('ioredis');
  const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

export interface Child {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** `hotline start` as its own process, listening on a free port. */
export async function startServer(env: Record<string, string>): Promise<Child> {
  const port = await freePort();
  // The production setting (package.json's start, the Dockerfile): a larger young generation, fewer GC pauses.
  const child = spawn(process.execPath, ['--max-semi-space-size=32', join(ROOT, 'bin', 'hotline.js'), 'start'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await waitForPort(port, child);
  return {
    url: `http://127.0.0.1:${port}`,
    process: child,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export async function waitForPort(port: number, child?: ChildProcess): Promise<void> {
  let stderr = '';
  child?.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  for (let i = 0; i < 200; i++) {
    if (child && child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.status < 500) return;
    } catch {
      // not yet
    }
    await sleep(50);
  }
  throw new Error(`server did not listen: ${stderr}`);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export function summarize(latencies: number[]): { p50: number; p95: number; p99: number; n: number } {
  const s = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), n: s.length };
}

export function rssKb(pid: number): Promise<number> {
  return import('node:fs/promises').then(async (fs) => {
    const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  });
}

let updateId = 1;
export function textUpdate(chat: number, text: string): string {
  updateId += 1;
  return JSON.stringify({
    update_id: updateId,
    message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: { id: chat, type: 'private' }, from: { id: chat, is_bot: false, first_name: 'B', language_code: 'en' }, text },
  });
}
