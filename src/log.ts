// Structured logs on stderr, one JSON object a line. Callers pass ids through `pseudonym`, never message
// text, phone numbers or raw platform user ids.
import { createHash } from 'node:crypto';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type Fields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

export function createLogger(level: Level | 'silent' = 'info', write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const min = level === 'silent' ? Infinity : ORDER[level];
  const emit = (lvl: Level) => (msg: string, fields: Fields = {}) => {
    if (ORDER[lvl] < min) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields })}\n`);
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** A short, stable stand-in for a person in logs: enough to follow one conversation, not to find them. */
export function pseudonym(key: string): string {
  return createHash('sha256').update(`hotline-log:${key}`).digest('base64url').slice(0, 10);
}
