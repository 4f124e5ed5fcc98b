// A tiny client for Meta's Graph API: one JSON POST, with Graph's errors sorted into "try again later"
// (RetryableSendError) and "will never work as it is" (PermanentSendError) for the delivery worker.
// The page token travels in the query string, as Meta documents it, and never appears in an error message.
import { PermanentSendError, RetryableSendError } from '../../delivery/types.ts';

/** The Graph API version every call uses: pinned here, in one place, so an upgrade is a one-line change. */
export const GRAPH_VERSION = 'v23.0';

/** Graph error codes for rate limits (API-level, user-level, app-level, page-level): wait and retry. */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);
/** Graph's own "unknown error" and "service temporarily unavailable": transient by definition. */
const TRANSIENT_CODES = new Set([1, 2]);
/** A call that hangs longer than this is abandoned and retried, so one slow call cannot stall a shard. */
const TIMEOUT_MS = 15_000;

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

interface GraphError {
  message?: string;
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
}

/** POSTs `body` as JSON to `${baseUrl}/${GRAPH_VERSION}${path}`; resolves with Graph's JSON answer. */
export async function graphPost(
  baseUrl: string,
  path: string,
  token: string,
  body: unknown,
  fetchImpl: FetchLike = fetch,
): Promise<unknown> {
  const url = `${baseUrl.replace(/\/+$/, '')}/${GRAPH_VERSION}${path}?${new URLSearchParams({ access_token: token })}`;
  let res: Response;
  try {
    res = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    // Only the error's kind: undici's messages and causes can carry the request URL, and so the token.
    throw new RetryableSendError(`Graph API ${path} unreachable (${networkReason(error)})`);
  }

  const text = await res.text().catch(() => '');
  const parsed = parseJson(text);
  if (res.ok) return parsed;

  const graph = graphError(parsed);
  const detail = summary(res.status, graph, token);
  if (res.status === 429 || (graph.code !== undefined && RATE_LIMIT_CODES.has(graph.code))) {
    throw new RetryableSendError(`Graph API ${path} rate limited: ${detail}`, retryAfterMs(res.headers.get('retry-after')));
  }
  if (res.status >= 500 || graph.is_transient === true || (graph.code !== undefined && TRANSIENT_CODES.has(graph.code))) {
    throw new RetryableSendError(`Graph API ${path} failed: ${detail}`, retryAfterMs(res.headers.get('retry-after')));
  }
  throw new PermanentSendError(`Graph API ${path} refused: ${detail}`);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function graphError(value: unknown): GraphError {
  if (typeof value !== 'object' || value === null || !('error' in value)) return {};
  const e: unknown = value.error;
  if (typeof e !== 'object' || e === null) return {};
  const field = (k: string): unknown => (e as Record<string, unknown>)[k];
  const num = (k: string) => (typeof field(k) === 'number' ? (field(k) as number) : undefined);
  const message = field('message');
  return {
    ...(typeof message === 'string' ? { message } : {}),
    ...(num('code') !== undefined ? { code: num('code') } : {}),
    ...(num('error_subcode') !== undefined ? { error_subcode: num('error_subcode') } : {}),
    ...(field('is_transient') === true ? { is_transient: true } : {}),
  };
}

/** "HTTP 400, code 10, subcode 2018278: <Graph's message>", with the token cut out just in case. */
function summary(status: number, graph: GraphError, token: string): string {
  const parts = [`HTTP ${status}`];
  if (graph.code !== undefined) parts.push(`code ${graph.code}`);
  if (graph.error_subcode !== undefined) parts.push(`subcode ${graph.error_subcode}`);
  const message = graph.message ? `: ${graph.message.split(token).join('[token]').slice(0, 200)}` : '';
  return `${parts.join(', ')}${message}`;
}

/** Retry-After is seconds or an HTTP date; undefined when absent or unreadable (the worker backs off). */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function networkReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timed out';
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? cause.code : undefined;
  return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : 'network error';
}
