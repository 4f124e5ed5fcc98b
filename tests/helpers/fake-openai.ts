// A stand-in for an OpenAI-compatible server on 127.0.0.1: a real HTTP server, so the official `openai`
// client makes real requests. POST /v1/chat/completions answers in OpenAI's shape with the next queued
// reply: a content string, a delay (to make the client time out), or an HTTP error. Every request body is
// recorded, so a test can check what left the server.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  path: string;
  authorization: string | undefined;
  /** The parsed JSON body; undefined when it was not JSON. */
  body: unknown;
}

export type FakeReply =
  | { kind: 'content'; content: string }
  /** Answers after `ms` (with `content`, or the default), unless the client gives up first. */
  | { kind: 'delay'; ms: number; content?: string }
  | { kind: 'error'; status: number; message?: string };

export interface FakeOpenAi {
  /** Base URL including /v1, as OPENAI_BASE_URL. */
  url: string;
  requests: ChatRequest[];
  /** Queue replies, one a request, in order; with an empty queue the fake answers DEFAULT_CONTENT. */
  reply(content: string): void;
  delay(ms: number, content?: string): void;
  fail(status: number, message?: string): void;
  close(): Promise<void>;
}

export const DEFAULT_CONTENT = JSON.stringify({ risk: 'low', urgent: false, flags: [] });

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const requests: ChatRequest[] = [];
  const queue: FakeReply[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let count = 0;

  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const body = parseJson(raw);
      requests.push({ path, authorization: req.headers.authorization, body });
      if (req.method !== 'POST' || path !== '/v1/chat/completions') {
        return sendError(res, 404, `Unknown request URL: ${req.method ?? ''} ${path}`, 'invalid_request_error');
      }
      if (!req.headers.authorization?.startsWith('Bearer ')) {
        return sendError(res, 401, 'You did not provide an API key.', 'invalid_request_error');
      }
      if (body === undefined) return sendError(res, 400, 'We could not parse the JSON body of your request.', 'invalid_request_error');
      const model = typeof body === 'object' && body !== null && 'model' in body && typeof body.model === 'string' ? body.model : 'unknown';

      const next = queue.shift() ?? { kind: 'content', content: DEFAULT_CONTENT };
      if (next.kind === 'error') return sendError(res, next.status, next.message ?? 'The server had an error while processing your request.', 'server_error');
      const answer = (content: string) => {
        count += 1;
        send(res, 200, {
          id: `chatcmpl-fake${count}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model,
          choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
          usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
        });
      };
      if (next.kind === 'delay') {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) answer(next.content ?? DEFAULT_CONTENT);
        }, next.ms);
        timers.add(timer);
        return;
      }
      answer(next.content);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    reply: (content) => queue.push({ kind: 'content', content }),
    delay: (ms, content) => queue.push({ kind: 'delay', ms, ...(content !== undefined ? { content } : {}) }),
    fail: (status, message) => queue.push({ kind: 'error', status, ...(message !== undefined ? { message } : {}) }),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function send(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_fake_${Date.now()}` });
  res.end(JSON.stringify(value));
}

function sendError(res: ServerResponse, status: number, message: string, type: string): void {
  send(res, status, { error: { message, type, param: null, code: null } });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
