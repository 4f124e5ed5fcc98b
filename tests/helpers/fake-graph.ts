// A stand-in for Meta's Graph API on 127.0.0.1: a real HTTP server, so the code under test makes real
// requests. It records every call in order and answers like the Send API and the Messenger Profile API;
// a test queues failures to make the next calls fail the way Graph does.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GraphCall {
  /** e.g. /v23.0/me/messages */
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** The status the fake answered. */
  status: number;
}

export type GraphFailure =
  /** Answered normally: lets a test fail the second call of a sequence. */
  | { kind: 'ok' }
  /** HTTP 429 with Graph error code 613 (calls to this API have exceeded the rate limit). */
  | { kind: 'rate-limit'; retryAfterSeconds?: number }
  /** HTTP 500 with Graph error code 2 (service temporarily unavailable). */
  | { kind: 'server-error' }
  /** HTTP 400, code 10, subcode 2018278: the message was sent outside the allowed window. */
  | { kind: 'outside-window' };

export interface FakeGraph {
  /** Base URL, as MESSENGER_GRAPH_URL. */
  url: string;
  calls: GraphCall[];
  /** The next calls answer in this order, one entry each; once the queue is empty, calls succeed again. */
  fail(...failures: GraphFailure[]): void;
  close(): Promise<void>;
}

const ENDPOINTS = /^\/v\d+\.\d+\/me\/(messages|messenger_profile)$/;

export async function startFakeGraph(): Promise<FakeGraph> {
  const calls: GraphCall[] = [];
  const failures: GraphFailure[] = [];
  let messageCount = 0;

  const server = createServer((req, res) => {
    void readJson(req).then((body) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const answer = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        calls.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), body, status });
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(value));
      };
      const endpoint = ENDPOINTS.exec(url.pathname)?.[1];
      if (req.method !== 'POST' || !endpoint) {
        return answer(404, graphError('Unknown path components', 'OAuthException', 2500));
      }
      if (!url.searchParams.get('access_token')) {
        return answer(400, graphError('An active access token must be used', 'OAuthException', 2500));
      }
      const failure = failures.shift();
      if (failure?.kind === 'rate-limit') {
        const headers: Record<string, string> = failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {};
        return answer(429, graphError('(#613) Calls to this api have exceeded the rate limit.', 'OAuthException', 613), headers);
      }
      if (failure?.kind === 'server-error') {
        return answer(500, { error: { message: 'An unexpected error has occurred.', type: 'OAuthException', code: 2, is_transient: true } });
      }
      if (failure?.kind === 'outside-window') {
        return answer(400, graphError('(#10) This message is sent outside of allowed window.', 'OAuthException', 10, 2018278));
      }
      if (endpoint === 'messages') {
        messageCount += 1;
        return answer(200, { recipient_id: recipientOf(body), message_id: `m_fake_${messageCount}` });
      }
      return answer(200, { result: 'success' });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    fail: (...more) => failures.push(...more),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function graphError(message: string, type: string, code: number, subcode?: number) {
  return { error: { message, type, code, ...(subcode !== undefined ? { error_subcode: subcode } : {}), fbtrace_id: 'AbCdEfGhIjK' } };
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        resolve(undefined);
      }
    });
  });
}

function recipientOf(body: unknown): string {
  if (typeof body !== 'object' || body === null || !('recipient' in body)) return '';
  const r: unknown = body.recipient;
  return typeof r === 'object' && r !== null && 'id' in r && typeof r.id === 'string' ? r.id : '';
}
