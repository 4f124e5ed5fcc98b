import { describe, expect, it } from 'vitest';
import { hashPassword, passwordSchema, verifyPassword } from '../../src/counsellor/password.ts';

describe('password hashing', () => {
  it('round-trips, and refuses a wrong password', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('gives two different hashes for one password (random salt)', async () => {
    const [a, b] = await Promise.all([hashPassword('same password here'), hashPassword('same password here')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password here', a)).toBe(true);
    expect(await verifyPassword('same password here', b)).toBe(true);
  });

  it('treats Lao and Thai text in either Unicode normal form as the same password', async () => {
    const composed = 'ກະລຸນາຊ່ວຍ ขอบคุณครับ'.normalize('NFC');
    const hash = await hashPassword(composed);
    expect(await verifyPassword(composed.normalize('NFD'), hash)).toBe(true);
  });

  it('answers false, never throws, for a malformed or unreasonable hash', async () => {
    const good = await hashPassword('correct horse battery');
    const [, n, r, p, salt, key] = good.split('$');
    const malformed = [
      '',
      'plain text',
      'bcrypt$2b$10$abc',
      `scrypt$${n}$${r}$${p}$${salt}`,
      `scrypt$${n}$${r}$${p}$${salt}$${key}$extra`,
      `scrypt$1000$${r}$${p}$${salt}$${key}`, // N not a power of two
      `scrypt$1073741824$${r}$${p}$${salt}$${key}`, // N far too large
      `scrypt$${n}$999$${p}$${salt}$${key}`, // r too large
      `scrypt$${n}$${r}$0$${salt}$${key}`,
      `scrypt$${n}$${r}$${p}$${salt}$${key?.slice(0, 10)}`, // key too short
      `scrypt$${n}$${r}$${p}$${salt}$${key}=`, // not base64url
      `scrypt$${n}$${r}$${p}$!!!!$${key}`,
    ];
    for (const hash of malformed) expect(await verifyPassword('correct horse battery', hash), hash).toBe(false);
  });

  it('asks for 10 to 200 characters', () => {
    expect(passwordSchema.safeParse('short').success).toBe(false);
    expect(passwordSchema.safeParse('123456789').success).toBe(false);
    expect(passwordSchema.safeParse('1234567890').success).toBe(true);
    expect(passwordSchema.safeParse('x'.repeat(200)).success).toBe(true);
    expect(passwordSchema.safeParse('x'.repeat(201)).success).toBe(false);
  });
});
