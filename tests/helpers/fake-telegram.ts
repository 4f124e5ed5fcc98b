// A fake Telegram Bot API server for tests: real HTTP on 127.0.0.1, the Bot API's shape
// (POST /bot<token>/<method> → { ok, result } or { ok: false, error_code, description, parameters }), so the
// code under test runs grammY unchanged with `apiRoot` pointed here. It records every call in order, answers
// queued failures, and serves queued updates to getUpdates the way Telegram does (offset confirms).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_TOKEN = '123456:TEST-fake_token';

export interface FakeCall {
  method: string;
  body: Record<string, unknown>;
}

export interface FakeFailure {
  error_code: number;
  description?: string;
  /** Seconds, sent as parameters.retry_after (Telegram does so with 429). */
  retry_after?: number;
}

export interface FakeUpdate {
  update_id: number;
  [key: string]: unknown;
}

interface CallWaiter {
  method: string;
  match: (call: FakeCall) => boolean;
  resolve: (call: FakeCall) => void;
}

export class FakeTelegram {
  readonly token: string;
  /** Every call, in the order it arrived (failed ones too). */
  readonly calls: FakeCall[] = [];
  /**
   * Successful calls whose answer reached the client. A call whose client died before the answer (a killed
   * process) is in `calls` but not here: the test's stand-in for "the platform never confirmed it".
   */
  readonly delivered: FakeCall[] = [];
  private readonly delays = new Map<string, number>();
  private readonly server: Server;
  private readonly longPollMs: number;
  private readonly failures = new Map<string, FakeFailure[]>();
  /** Updates Telegram still holds: not yet confirmed by a getUpdates with a higher offset. */
  private updates: FakeUpdate[] = [];
  private readonly updateWaiters = new Set<() => void>();
  private readonly callWaiters = new Set<CallWaiter>();
  /** Message ids deleted with deleteMessages, by chat id, in the order of the calls. */
  readonly deleted = new Map<string, number[]>();
  private nextMessageId = 1;
  private closed = false;

  private constructor(token: string, longPollMs: number) {
    this.token = token;
    this.longPollMs = longPollMs;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
    });
  }

  /**
   * Starts on a free port. `longPollMs` caps how long an empty getUpdates waits (Telegram's is the request's
   * `timeout`, up to 50 s); a pushed update or close() ends the wait at once, so tests never depend on it.
   */
  static async start(opts: { token?: string; longPollMs?: number } = {}): Promise<FakeTelegram> {
    const fake = new FakeTelegram(opts.token ?? FAKE_TOKEN, opts.longPollMs ?? 200);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => resolve());
    });
    return fake;
  }

  /** For `new Api(token, { apiRoot })`. */
  get apiRoot(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The next `times` calls of `method` answer with this error instead of succeeding. */
  fail(method: string, failure: FakeFailure, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.failures.set(method, queue);
  }

  /** Answers every call of `method` only after `ms` (0 to stop), to catch a process in the middle of a send. */
  slow(method: string, ms: number): void {
    this.delays.set(method, ms);
  }

  /** Queues updates for getUpdates (they stay until a later offset confirms them). */
  pushUpdates(...updates: FakeUpdate[]): void {
    this.updates.push(...updates);
    this.wakeLongPolls();
  }

  /** Ids of the updates not yet confirmed. */
  pendingUpdateIds(): number[] {
    return this.updates.map((u) => u.update_id);
  }

  callsOf(method: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** The first call of `method` (already made or still to come) that `match` accepts. */
  waitForCall(method: string, match: (call: FakeCall) => boolean = () => true): Promise<FakeCall> {
    const made = this.calls.find((c) => c.method === method && match(c));
    if (made) return Promise.resolve(made);
    return new Promise((resolve) => this.callWaiters.add({ method, match, resolve }));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeLongPolls();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      // Keep-alive sockets of grammY's client would otherwise hold close() open.
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match) return reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token = '', method = ''] = match;
    if (token !== this.token) return reply(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });

    const body = { ...Object.fromEntries(url.searchParams), ...(await readBody(req)) };
    const call: FakeCall = { method, body };
    this.calls.push(call);
    for (const waiter of this.callWaiters) {
      if (waiter.method === method && waiter.match(call)) {
        this.callWaiters.delete(waiter);
        waiter.resolve(call);
      }
    }

    const failure = this.failures.get(method)?.shift();
    if (failure) {
      return reply(res, failure.error_code, {
        ok: false,
        error_code: failure.error_code,
        description: failure.description ?? defaultDescription(failure.error_code),
        ...(failure.retry_after !== undefined ? { parameters: { retry_after: failure.retry_after } } : {}),
      });
    }
    const refusal = this.refusal(method, body);
    if (refusal) return reply(res, 400, { ok: false, error_code: 400, description: refusal });
    const result = method === 'getUpdates' ? await this.getUpdates(body, res) : this.result(method, body);
    const delay = this.delays.get(method) ?? 0;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    res.once('finish', () => this.delivered.push(call));
    reply(res, 200, { ok: true, result });
  }

  private async getUpdates(body: Record<string, unknown>, res: ServerResponse): Promise<FakeUpdate[]> {
    const offset = Number(body.offset ?? 0);
    // As Telegram: asking from `offset` confirms (forgets) every update before it.
    if (offset > 0) this.updates = this.updates.filter((u) => u.update_id >= offset);
    const timeout = Number(body.timeout ?? 0);
    if (this.updates.length === 0 && timeout > 0 && !this.closed) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.updateWaiters.delete(done);
          res.off('close', done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(timeout * 1000, this.longPollMs));
        this.updateWaiters.add(done);
        res.on('close', done); // the client gave up (an aborted request)
      });
    }
    const limit = Number(body.limit ?? 100);
    return this.updates.slice(0, limit);
  }

  private result(method: string, body: Record<string, unknown>): unknown {
    switch (method) {
      case 'getMe':
        return { id: Number(this.token.split(':')[0]), is_bot: true, first_name: 'Fake', username: 'fake_bot' };
      case 'sendMessage': {
        const chatId = Number(body.chat_id);
        return {
          message_id: this.nextMessageId++,
          date: 1_700_000_000,
          chat: { id: chatId, type: 'private' },
          text: body.text,
          ...(body.reply_markup !== undefined ? { reply_markup: body.reply_markup } : {}),
        };
      }
      case 'deleteMessages': {
        // As Telegram: ids that cannot be found are skipped, and the call still succeeds.
        const chatId = String(body.chat_id);
        this.deleted.set(chatId, [...(this.deleted.get(chatId) ?? []), ...messageIds(body)]);
        return true;
      }
      default:
        return true; // answerCallbackQuery, setWebhook, deleteWebhook…
    }
  }

  /** Requests Telegram refuses as bad whatever the state (deleteMessages takes 1-100 ids). */
  private refusal(method: string, body: Record<string, unknown>): string | undefined {
    if (method === 'deleteMessages') {
      const count = Array.isArray(body.message_ids) ? body.message_ids.length : 0;
      if (count < 1 || count > 100) return 'Bad Request: message_ids must contain 1-100 elements';
    }
    return undefined;
  }

  private wakeLongPolls(): void {
    for (const wake of [...this.updateWaiters]) wake();
  }
}

function messageIds(body: Record<string, unknown>): number[] {
  return Array.isArray(body.message_ids) ? body.message_ids.map(Number) : [];
}

function reply(res: ServerResponse, status: number, value: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

/** JSON, urlencoded or multipart, as the Bot API accepts; form fields holding JSON (reply_markup) are parsed. */
async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return {};
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  }
  const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
  const body: Record<string, unknown> = {};
  for (const [key, value] of form) {
    if (typeof value !== 'string') continue; // files: not needed by these tests
    body[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return body;
}

function defaultDescription(code: number): string {
  if (code === 429) return 'Too Many Requests: retry after';
  if (code === 403) return 'Forbidden: bot was blocked by the user';
  if (code >= 500) return 'Internal Server Error';
  return 'Bad Request';
}
