import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleAuth, MemoryAuthStateStore, readCookie, RedisAuthStateStore, type AuthStateStore } from '../../src/counsellor/auth.ts';
import { hashPassword } from '../../src/counsellor/password.ts';
import type { Account, AccountStore, ConsoleSession } from '../../src/counsellor/types.ts';
import { connect, deleteKeys, testPrefix } from '../helpers/redis.ts';

class MapAccounts implements AccountStore {
  readonly map = new Map<string, Account>();
  async get(username: string) {
    return this.map.get(username);
  }
  async put(account: Account) {
    this.map.set(account.username, account);
  }
  async list() {
    return [...this.map.values()];
  }
}

const PASSWORD = 'ສະບາຍດີ correct horse';
const LOCK_MS = 15 * 60_000;
const IDLE_MS = 12 * 3_600_000;
let noyHash: string;
let bossHash: string;
beforeAll(async () => {
  [noyHash, bossHash] = await Promise.all([hashPassword(PASSWORD), hashPassword('supervisor password')]);
});

const redis = connect();
const prefix = testPrefix('console-auth-flow');
let run = 0;
afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

function suite(name: string, makeStore: () => AuthStateStore) {
  describe(`console auth (${name} state)`, () => {
    let clock: number;
    let accounts: MapAccounts;
    let auth: ConsoleAuth;
    const make = (secureCookie = true) =>
      new ConsoleAuth({ accounts, store: makeStore(), secureCookie, now: () => clock });

    beforeEach(async () => {
      clock = 1_700_000_000_000;
      accounts = new MapAccounts();
      await accounts.put({ username: 'noy', role: 'counsellor', passwordHash: noyHash, createdAt: 1 });
      await accounts.put({ username: 'boss', role: 'supervisor', passwordHash: bossHash, createdAt: 1 });
      auth = make();
    });

    async function loginOk(username = 'noy', password = PASSWORD): Promise<{ session: ConsoleSession; setCookie: string }> {
      const result = await auth.login(username, password);
      if (!result.ok) throw new Error(`login failed: ${result.reason}`);
      return result;
    }

    it('logs in with the right password and gives a session with random id and CSRF token', async () => {
      const a = await loginOk();
      const b = await loginOk('boss', 'supervisor password');
      expect(a.session).toMatchObject({ username: 'noy', role: 'counsellor', createdAt: clock });
      expect(b.session.role).toBe('supervisor');
      for (const s of [a.session, b.session]) {
        expect(s.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(s.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(s.csrf).not.toBe(s.id);
      }
      expect(a.session.id).not.toBe(b.session.id);
      expect((await loginOk()).session.id).not.toBe(a.session.id);
      expect((await loginOk('NOY ')).session.username).toBe('noy');
    });

    it('sets an HttpOnly, SameSite=Strict cookie on /console with Max-Age = idle time, Secure when asked', async () => {
      const { session, setCookie } = await loginOk();
      expect(setCookie).toBe(`hotline_console=${session.id}; Path=/console; Max-Age=${IDLE_MS / 1000}; HttpOnly; SameSite=Strict; Secure`);
      const plain = await make(false).login('noy', PASSWORD);
      expect(plain.ok && plain.setCookie).not.toContain('Secure');
      expect(plain.ok && plain.setCookie).toContain('HttpOnly; SameSite=Strict');
    });

    it('answers "invalid" alike for a wrong password, an unknown user and an impossible name', async () => {
      expect(await auth.login('noy', 'wrong password!')).toEqual({ ok: false, reason: 'invalid' });
      expect(await auth.login('nobody', PASSWORD)).toEqual({ ok: false, reason: 'invalid' });
      expect(await auth.login('no such user!', PASSWORD)).toEqual({ ok: false, reason: 'invalid' });
      expect(await auth.login('', '')).toEqual({ ok: false, reason: 'invalid' });
    });

    it('spends about as long on an unknown user as on a wrong password (a dummy hash is checked)', async () => {
      await auth.login('noy', 'warm up the dummy');
      const time = async (username: string) => {
        const start = performance.now();
        await auth.login(username, 'wrong password!');
        return performance.now() - start;
      };
      const known = await time('boss');
      const unknown = await time('nobody');
      expect(unknown).toBeGreaterThan(known / 3);
    });

    it('locks a name after 5 failures, even for the right password, until lockMs has passed', async () => {
      for (let i = 0; i < 5; i++) {
        expect(await auth.login('noy', `wrong password ${i}`)).toEqual({ ok: false, reason: 'invalid' });
        clock += 1_000;
      }
      expect(await auth.login('noy', PASSWORD)).toEqual({ ok: false, reason: 'locked' });
      expect((await auth.login('boss', 'supervisor password')).ok).toBe(true);
      clock += LOCK_MS - 5_000;
      expect(await auth.login('noy', PASSWORD)).toEqual({ ok: false, reason: 'locked' });
      clock += 5_000;
      expect((await auth.login('noy', PASSWORD)).ok).toBe(true);
    });

    it('locks unknown names the same way (a lock says nothing about who exists)', async () => {
      for (let i = 0; i < 5; i++) expect(await auth.login('ghost', 'wrong password!')).toEqual({ ok: false, reason: 'invalid' });
      expect(await auth.login('ghost', 'wrong password!')).toEqual({ ok: false, reason: 'locked' });
    });

    it('resets the failure count on success', async () => {
      for (let i = 0; i < 4; i++) await auth.login('noy', 'wrong password!');
      expect((await auth.login('noy', PASSWORD)).ok).toBe(true);
      for (let i = 0; i < 4; i++) expect(await auth.login('noy', 'wrong password!')).toEqual({ ok: false, reason: 'invalid' });
      expect((await auth.login('noy', PASSWORD)).ok).toBe(true);
    });

    it('authenticates by cookie and renews the idle timer on each use', async () => {
      const { session } = await loginOk();
      const cookie = `theme=dark; hotline_console=${session.id}; other=1`;
      expect(await auth.authenticate(cookie)).toEqual(session);
      clock += IDLE_MS - 1_000;
      expect(await auth.authenticate(cookie)).toEqual(session);
      clock += IDLE_MS - 1_000;
      expect(await auth.authenticate(cookie)).toEqual(session);
      clock += IDLE_MS;
      expect(await auth.authenticate(cookie)).toBeUndefined();
      clock -= IDLE_MS; // gone for good, not just hidden by the clock
      expect(await auth.authenticate(cookie)).toBeUndefined();
    });

    it('finds no session for no cookie, a malformed cookie or an unknown id', async () => {
      await loginOk();
      expect(await auth.authenticate(undefined)).toBeUndefined();
      expect(await auth.authenticate('')).toBeUndefined();
      expect(await auth.authenticate('hotline_console=short')).toBeUndefined();
      expect(await auth.authenticate(`hotline_console=${'A'.repeat(43)}`)).toBeUndefined();
      expect(await auth.authenticate(`other=${(await loginOk()).session.id}`)).toBeUndefined();
    });

    it('ends sessions when the account is replaced or removed', async () => {
      const { session } = await loginOk();
      const cookie = `hotline_console=${session.id}`;
      await accounts.put({ username: 'noy', role: 'counsellor', passwordHash: await hashPassword('a new password'), createdAt: 2 });
      expect(await auth.authenticate(cookie)).toBeUndefined();
      const again = await loginOk('noy', 'a new password');
      accounts.map.delete('noy');
      expect(await auth.authenticate(`hotline_console=${again.session.id}`)).toBeUndefined();
    });

    it('checks the CSRF token exactly', async () => {
      const { session } = await loginOk();
      expect(auth.checkCsrf(session, session.csrf)).toBe(true);
      expect(auth.checkCsrf(session, undefined)).toBe(false);
      expect(auth.checkCsrf(session, '')).toBe(false);
      expect(auth.checkCsrf(session, session.csrf.slice(1))).toBe(false);
      expect(auth.checkCsrf(session, `${session.csrf.slice(0, -1)}${session.csrf.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
      expect(auth.checkCsrf(session, [session.csrf, session.csrf])).toBe(false);
      expect(auth.checkCsrf(session, session.id)).toBe(false);
    });

    it('logs out: the session ends and the cookie is cleared', async () => {
      const { session } = await loginOk();
      const cleared = await auth.logout(session);
      expect(cleared).toBe('hotline_console=; Path=/console; Max-Age=0; HttpOnly; SameSite=Strict; Secure');
      expect(await auth.authenticate(`hotline_console=${session.id}`)).toBeUndefined();
    });
  });
}

suite('memory', () => new MemoryAuthStateStore());
suite('redis', () => new RedisAuthStateStore(redis, `${prefix}${++run}:`));

describe('readCookie', () => {
  it('takes the first well-formed hotline_console value', () => {
    const id = 'a'.repeat(43);
    expect(readCookie(`hotline_console=${id}`)).toBe(id);
    expect(readCookie(`x=1;hotline_console=bad; hotline_console=${id}`)).toBe(id);
    expect(readCookie(`xhotline_console=${id}`)).toBeUndefined();
    expect(readCookie('hotline_console')).toBeUndefined();
  });
});
