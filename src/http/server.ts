// A small HTTP server on node:http: each route is a function of the request; bodies are read with a size
// limit and parsed by the route's zod schema, so bad input gets a 4xx and reaches nothing else.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Logger } from '../log.ts';

export interface Reply {
  status: number;
  body: string | Buffer;
  type?: string;
  headers?: Record<string, string>;
  /** A long-lived answer (Server-Sent Events): called with the response once the headers are out. */
  stream?: (res: ServerResponse) => void;
}

/** `params` holds the `:name` parts of the route's path (e.g. /cases/:id). */
export type Handler = (req: IncomingMessage, body: Buffer, params: Record<string, string>) => Promise<Reply> | Reply;

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  handler: Handler;
  /** Largest accepted body in bytes (POST only). */
  maxBody?: number;
}

const DEFAULT_MAX_BODY = 16 * 1024;

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};

export function json(status: number, value: unknown): Reply {
  return { status, body: JSON.stringify(value), type: 'application/json; charset=utf-8' };
}

export class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * A JSON body parsed by its schema: 415 when it is not JSON, 400 with the schema's words when it does not
 * fit. Every route that takes JSON goes through here.
 */
export function parseJsonBody<T>(req: IncomingMessage, body: Buffer, schema: z.ZodType<T>, explain = (e: z.ZodError) => z.prettifyError(e)): T {
  if (!req.headers['content-type']?.startsWith('application/json')) throw new HttpError(415, 'send application/json');
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HttpError(400, explain(parsed.error));
  return parsed.data;
}

export function createHttpServer(routes: Route[], log: Logger): Server {
  const byPath = new Map<string, Route[]>();
  const patterns: { regex: RegExp; names: string[]; path: string }[] = [];
  for (const r of routes) {
    if (!byPath.has(r.path) && r.path.includes('/:')) {
      const names: string[] = [];
      const source = r.path.replace(/:(\w+)/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      patterns.push({ regex: new RegExp(`^${source}$`), names, path: r.path });
    }
    byPath.set(r.path, [...(byPath.get(r.path) ?? []), r]);
  }
  const match = (path: string): { key: string; params: Record<string, string> } | undefined => {
    if (byPath.has(path)) return { key: path, params: {} };
    for (const p of patterns) {
      const m = p.regex.exec(path);
      if (m) return { key: p.path, params: Object.fromEntries(p.names.map((n, i) => [n, safeDecode(m[i + 1] ?? '')])) };
    }
    return undefined;
  };

  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const found = match(path);
    const candidates = found && byPath.get(found.key);
    const route = candidates?.find((r) => r.method === req.method);
    if (!found || !candidates) return send(res, json(404, { error: 'not found' }));
    if (!route) return send(res, { ...json(405, { error: 'method not allowed' }), headers: { allow: candidates.map((r) => r.method).join(', ') } });

    readBody(req, route.maxBody ?? DEFAULT_MAX_BODY)
      .then((body) => route.handler(req, body, found.params))
      .then((reply) => send(res, reply))
      .catch((error: unknown) => {
        if (error instanceof HttpError) return send(res, json(error.status, { error: error.message }));
        log.error('request failed', { path, error: error instanceof Error ? error.message : String(error) });
        send(res, json(500, { error: 'internal error' }));
      });
  });
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max) {
      req.resume();
      reject(new HttpError(413, `body larger than ${max} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        reject(new HttpError(413, `body larger than ${max} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent) return;
  if (reply.stream) {
    res.writeHead(reply.status, { ...SECURITY_HEADERS, 'content-type': reply.type ?? 'text/event-stream', 'cache-control': 'no-store', ...reply.headers });
    reply.stream(res);
    return;
  }
  res.writeHead(reply.status, {
    ...SECURITY_HEADERS,
    'content-type': reply.type ?? 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    ...reply.headers,
  });
  res.end(reply.body);
}
