// Password hashing for counsellor accounts: scrypt from node:crypto (runs on libuv's thread pool, so a hash
// does not block the event loop). Encoded as "scrypt$N$r$p$salt$hash", salt and hash in base64url, so the
// cost can be raised later and older hashes still verify.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';

const N = 2 ** 15;
const R = 8;
const P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

/** Limits on what a stored hash may ask of us, so a tampered record cannot make one check cost a gigabyte. */
const MAX_MEMORY = 256 * 1024 * 1024;

export const passwordSchema = z
  .string()
  .min(10, 'use at least 10 characters')
  .max(200, 'use at most 200 characters');

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True only for the right password; false for a wrong one and for any malformed or unreasonable hash. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parseHash(encoded);
  if (!parsed) return false;
  let key: Buffer;
  try {
    key = await derive(password, parsed.salt, parsed.hash.length, parsed.n, parsed.r, parsed.p);
  } catch {
    return false;
  }
  return key.length === parsed.hash.length && timingSafeEqual(key, parsed.hash);
}

interface ParsedHash {
  n: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

const HASH_FORMAT = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

function parseHash(encoded: string): ParsedHash | undefined {
  const m = HASH_FORMAT.exec(encoded);
  if (!m) return undefined;
  const [, nText, rText, pText, saltText, hashText] = m;
  const n = Number(nText);
  const r = Number(rText);
  const p = Number(pText);
  if (!Number.isSafeInteger(n) || n < 2 ** 10 || n > 2 ** 20 || (n & (n - 1)) !== 0) return undefined;
  if (r < 1 || r > 32 || p < 1 || p > 16 || 128 * n * r > MAX_MEMORY) return undefined;
  const salt = decode(saltText);
  const hash = decode(hashText);
  if (!salt || !hash || salt.length < 8 || salt.length > 64 || hash.length < 16 || hash.length > 64) return undefined;
  return { n, r, p, salt, hash };
}

/** Strict base64url: only the canonical spelling of some bytes is accepted. */
function decode(text: string | undefined): Buffer | undefined {
  if (text === undefined) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

function derive(password: string, salt: Buffer, keylen: number, n: number, r: number, p: number): Promise<Buffer> {
  // Unicode NFC: the same Lao or Thai password typed on two keyboards gives the same bytes.
  const options: ScryptOptions = { N: n, r, p, maxmem: 2 * 128 * n * r + 128 * r * p + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
