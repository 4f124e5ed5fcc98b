// Transcripts and summaries are encrypted at rest with AES-256-GCM: a copy of Redis (a backup, a stolen
// disk) shows no conversation without TRANSCRIPT_KEY.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The key as 32 bytes, from 64 hex characters or base64; undefined when it is neither. */
export function keyBytes(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  const decoded = Buffer.from(trimmed, 'base64');
  return decoded.length === 32 && /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) ? decoded : undefined;
}

export class Sealer {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the transcript key must be 32 bytes');
    this.key = key;
  }

  /** A key for one process only (memory mode, where nothing outlives the process anyway). */
  static ephemeral(): Sealer {
    return new Sealer(randomBytes(32));
  }

  /** "v1.<iv>.<tag>.<ciphertext>" in base64url; a fresh 96-bit IV every time. */
  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /** Throws when the text was not sealed with this key or was changed. */
  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}
