// Lua scripts by their SHA: EVALSHA sends a short hash instead of the script's text on every call, and
// falls back to EVAL once when Redis does not know the script yet (after a restart, or on a new server).
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

const shas = new Map<string, string>();

export async function runScript(redis: Redis, source: string, keys: string[], args: (string | number)[]): Promise<unknown> {
  let sha = shas.get(source);
  if (!sha) {
    sha = createHash('sha1').update(source).digest('hex');
    shas.set(source, sha);
  }
  try {
    return await redis.evalsha(sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return redis.eval(source, keys.length, ...keys, ...args);
  }
}
