// Console log-in: password check with a per-username lockout, sessions in a cookie, a CSRF token per session.
//
// Time: every decision (session idle, lockout) is made on this module's clock (`now`, injectable for tests)
// with the times stored in the record; the stores' own TTLs only clean up.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { hashPassword, verifyPassword } from './password.ts';
import { ROLES, usernameSchema, type Account, type AccountStore, type ConsoleSession, type Role } from './types.ts';

export const COOKIE_NAME = 'hotline_console';
const COOKIE_PATH = '/console';
/** 32 random bytes in base64url. */
const ID_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/** A session as kept by an AuthStateStore (the id is the key, not part of the value). */
export interface StoredSession {
  username: string;
  role: Role;
  csrf: string;
  createdAt: number;
  /** When the session ends unless used before (ms on the auth clock). */
  expiresAt: number;
  /** A digest of the account as it was at log-in: replacing the account (new password or role) ends its sessions. */
  account: string;
}

export interface LockoutPolicy {
  maxFailures: number;
  lockMs: number;
}

export type AttemptResult = { allowed: true } | { allowed: false; lockedUntil: number };

/** Where sessions and failure counters live: Redis (shared) or memory (one process). */
export interface AuthStateStore {
  createSession(id: string, session: StoredSession, ttlMs: number): Promise<void>;
  getSession(id: string): Promise<StoredSession | undefined>;
  /** Rewrites a session and restarts its TTL, but never brings back one that was deleted. */
  renewSession(id: string, session: StoredSession, ttlMs: number): Promise<void>;
  deleteSession(id: string): Promise<void>;
  /**
   * One atomic step per log-in attempt, taken before the password is checked (so parallel guesses cannot
   * slip past the limit): refused while the name is locked; otherwise the attempt counts as a failure in a
   * window of `lockMs` from the first one, and the one that reaches `maxFailures` locks the name for
   * `lockMs`. A successful log-in then calls clearFailures.
   */
  beginAttempt(username: string, now: number, policy: LockoutPolicy): Promise<AttemptResult>;
  clearFailures(username: string): Promise<void>;
}

const storedSessionSchema = z
  .object({
    username: usernameSchema,
    role: z.enum(ROLES),
    csrf: z.string().regex(ID_FORMAT),
    createdAt: z.number().int(),
    expiresAt: z.number().int(),
    account: z.string().min(1).max(64),
  })
  .strict();

/** The session's key holds a digest of the id, so a look at Redis does not hand out live cookies. */
function idDigest(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}

const ttl = (ms: number) => Math.max(1, Math.ceil(ms));

const BEGIN_ATTEMPT = `
local now = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
local lockMs = tonumber(ARGV[3])
local v = redis.call('HMGET', KEYS[1], 'count', 'start', 'lockedUntil')
local count = tonumber(v[1]) or 0
local start = tonumber(v[2]) or now
local lockedUntil = tonumber(v[3]) or 0
if lockedUntil > now then return {0, string.format('%.0f', lockedUntil)} end
if lockedUntil > 0 or now - start >= lockMs then
  count = 0
  start = now
  lockedUntil = 0
end
count = count + 1
if count >= max then lockedUntil = now + lockMs end
redis.call('HSET', KEYS[1], 'count', count, 'start', string.format('%.0f', start), 'lockedUntil', string.format('%.0f', lockedUntil))
redis.call('PEXPIRE', KEYS[1], math.max(1, math.max(start + lockMs, lockedUntil) - now))
return {1, string.format('%.0f', lockedUntil)}
`;

/** Sessions at `<prefix>{console}:session:<sha256(id)>` with the idle TTL; failures at `<prefix>{console}:failures:<username>`. */
export class RedisAuthStateStore implements AuthStateStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.redis = redis;
    this.prefix = prefix;
  }

  sessionKey(id: string): string {
    return `${this.prefix}{console}:session:${idDigest(id)}`;
  }

  failuresKey(username: string): string {
    return `${this.prefix}{console}:failures:${username}`;
  }

  async createSession(id: string, session: StoredSession, ttlMs: number): Promise<void> {
    await this.redis.set(this.sessionKey(id), JSON.stringify(session), 'PX', ttl(ttlMs));
  }

  async getSession(id: string): Promise<StoredSession | undefined> {
    const text = await this.redis.get(this.sessionKey(id));
    if (text === null) return undefined;
    try {
      const parsed = storedSessionSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  async renewSession(id: string, session: StoredSession, ttlMs: number): Promise<void> {
    await this.redis.set(this.sessionKey(id), JSON.stringify(session), 'PX', ttl(ttlMs), 'XX');
  }

  async deleteSession(id: string): Promise<void> {
    await this.redis.del(this.sessionKey(id));
  }

  async beginAttempt(username: string, now: number, policy: LockoutPolicy): Promise<AttemptResult> {
    const reply = (await this.redis.eval(
      BEGIN_ATTEMPT,
      1,
      this.failuresKey(username),
      String(Math.floor(now)),
      String(policy.maxFailures),
      String(Math.floor(policy.lockMs)),
    )) as [number, string];
    return reply[0] === 1 ? { allowed: true } : { allowed: false, lockedUntil: Number(reply[1]) };
  }

  async clearFailures(username: string): Promise<void> {
    await this.redis.del(this.failuresKey(username));
  }
}

interface Failures {
  count: number;
  start: number;
  lockedUntil: number;
}

const SWEEP_EVERY = 256;

/** One process, nothing kept across restarts. `realNow` only drives clean-up, like Redis's TTLs. */
export class MemoryAuthStateStore implements AuthStateStore {
  private readonly sessions = new Map<string, { session: StoredSession; gone: number }>();
  private readonly failures = new Map<string, { value: Failures; gone: number }>();
  private readonly realNow: () => number;
  private writes = 0;

  constructor(realNow: () => number = Date.now) {
    this.realNow = realNow;
  }

  async createSession(id: string, session: StoredSession, ttlMs: number): Promise<void> {
    this.sweepSometimes();
    this.sessions.set(idDigest(id), { session: { ...session }, gone: this.realNow() + ttl(ttlMs) });
  }

  async getSession(id: string): Promise<StoredSession | undefined> {
    const key = idDigest(id);
    const item = this.sessions.get(key);
    if (!item) return undefined;
    if (item.gone <= this.realNow()) {
      this.sessions.delete(key);
      return undefined;
    }
    return { ...item.session };
  }

  async renewSession(id: string, session: StoredSession, ttlMs: number): Promise<void> {
    if ((await this.getSession(id)) === undefined) return;
    this.sessions.set(idDigest(id), { session: { ...session }, gone: this.realNow() + ttl(ttlMs) });
  }

  async deleteSession(id: string): Promise<void> {
    this.sessions.delete(idDigest(id));
  }

  async beginAttempt(username: string, now: number, policy: LockoutPolicy): Promise<AttemptResult> {
    const item = this.failures.get(username);
    const f: Failures = item && item.gone > this.realNow() ? { ...item.value } : { count: 0, start: now, lockedUntil: 0 };
    if (f.lockedUntil > now) return { allowed: false, lockedUntil: f.lockedUntil };
    if (f.lockedUntil > 0 || now - f.start >= policy.lockMs) {
      f.count = 0;
      f.start = now;
      f.lockedUntil = 0;
    }
    f.count += 1;
    if (f.count >= policy.maxFailures) f.lockedUntil = now + policy.lockMs;
    this.sweepSometimes();
    this.failures.set(username, { value: f, gone: this.realNow() + ttl(Math.max(f.start + policy.lockMs, f.lockedUntil) - now) });
    return { allowed: true };
  }

  async clearFailures(username: string): Promise<void> {
    this.failures.delete(username);
  }

  private sweepSometimes(): void {
    if (++this.writes % SWEEP_EVERY !== 0) return;
    const now = this.realNow();
    for (const [k, v] of this.sessions) if (v.gone <= now) this.sessions.delete(k);
    for (const [k, v] of this.failures) if (v.gone <= now) this.failures.delete(k);
  }
}

export interface ConsoleAuthOptions {
  accounts: AccountStore;
  store: AuthStateStore;
  /** A session ends after this long without a request. Default 12 hours. */
  sessionIdleMs?: number;
  /** Failed log-ins (within lockMs) that lock a username. Default 5. */
  maxFailures?: number;
  /** How long a username stays locked, and the window failures are counted in. Default 15 minutes. */
  lockMs?: number;
  /** Adds `Secure` to the cookie: set whenever the console is served over HTTPS. */
  secureCookie: boolean;
  now?: () => number;
}

export type LoginResult =
  | { ok: true; session: ConsoleSession; setCookie: string }
  | { ok: false; reason: 'invalid' | 'locked' };

export class ConsoleAuth {
  readonly sessionIdleMs: number;
  readonly maxFailures: number;
  readonly lockMs: number;
  private readonly accounts: AccountStore;
  private readonly store: AuthStateStore;
  private readonly secureCookie: boolean;
  private readonly now: () => number;
  /** A hash of a random password, checked for unknown names so they take as long as known ones. */
  private readonly dummyHash: Promise<string>;

  constructor(opts: ConsoleAuthOptions) {
    this.accounts = opts.accounts;
    this.store = opts.store;
    this.sessionIdleMs = opts.sessionIdleMs ?? 12 * 3_600_000;
    this.maxFailures = opts.maxFailures ?? 5;
    this.lockMs = opts.lockMs ?? 15 * 60_000;
    this.secureCookie = opts.secureCookie;
    this.now = opts.now ?? Date.now;
    this.dummyHash = hashPassword(randomBytes(32).toString('base64url'));
    this.dummyHash.catch(() => undefined); // a failure shows at the first log-in, not as an unhandled rejection
  }

  async login(username: string, password: string): Promise<LoginResult> {
    const name = username.trim().toLowerCase();
    if (!usernameSchema.safeParse(name).success) {
      // No account can have this name; spend the same time and count nothing (no key for arbitrary input).
      await verifyPassword(password, await this.dummyHash);
      return { ok: false, reason: 'invalid' };
    }
    // Known and unknown names are counted and locked alike, so a lock says nothing about who exists.
    const attempt = await this.store.beginAttempt(name, this.now(), { maxFailures: this.maxFailures, lockMs: this.lockMs });
    if (!attempt.allowed) return { ok: false, reason: 'locked' };
    const account = await this.accounts.get(name);
    const ok = await verifyPassword(password, account?.passwordHash ?? (await this.dummyHash));
    if (!account || !ok) return { ok: false, reason: 'invalid' };
    await this.store.clearFailures(name);

    const id = randomBytes(32).toString('base64url');
    const now = this.now();
    const stored: StoredSession = {
      username: account.username,
      role: account.role,
      csrf: randomBytes(32).toString('base64url'),
      createdAt: now,
      expiresAt: now + this.sessionIdleMs,
      account: accountDigest(account),
    };
    await this.store.createSession(id, stored, this.sessionIdleMs);
    return { ok: true, session: toSession(id, stored), setCookie: this.sessionCookie(id) };
  }

  /** The session named by the request's cookie, if it is live; each use restarts the idle timer. */
  async authenticate(cookieHeader: string | undefined): Promise<ConsoleSession | undefined> {
    const id = readCookie(cookieHeader);
    if (!id) return undefined;
    const stored = await this.store.getSession(id);
    if (!stored) return undefined;
    const now = this.now();
    if (stored.expiresAt <= now) {
      await this.store.deleteSession(id);
      return undefined;
    }
    const account = await this.accounts.get(stored.username);
    if (!account || accountDigest(account) !== stored.account) {
      await this.store.deleteSession(id);
      return undefined;
    }
    await this.store.renewSession(id, { ...stored, expiresAt: now + this.sessionIdleMs }, this.sessionIdleMs);
    return toSession(id, stored);
  }

  /** Compares the X-CSRF-Token header with the session's token in constant time. */
  checkCsrf(session: ConsoleSession, headerValue: string | string[] | undefined): boolean {
    if (typeof headerValue !== 'string' || headerValue.length === 0) return false;
    const digest = (s: string) => createHash('sha256').update(s).digest();
    return timingSafeEqual(digest(headerValue), digest(session.csrf));
  }

  /** Ends the session; the returned Set-Cookie value clears the cookie in the browser. */
  async logout(session: ConsoleSession): Promise<string> {
    await this.store.deleteSession(session.id);
    return this.cookie('', 0);
  }

  /** The Set-Cookie value for a session id, with a fresh Max-Age (the idle time). */
  sessionCookie(id: string): string {
    return this.cookie(id, Math.ceil(this.sessionIdleMs / 1000));
  }

  private cookie(value: string, maxAgeSeconds: number): string {
    const parts = [`${COOKIE_NAME}=${value}`, `Path=${COOKIE_PATH}`, `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Strict'];
    if (this.secureCookie) parts.push('Secure');
    return parts.join('; ');
  }
}

function toSession(id: string, s: StoredSession): ConsoleSession {
  return { id, username: s.username, role: s.role, csrf: s.csrf, createdAt: s.createdAt };
}

function accountDigest(account: Account): string {
  return createHash('sha256').update(`${account.role}\n${account.createdAt}\n${account.passwordHash}`).digest('base64url').slice(0, 22);
}

/** The session id from a Cookie header: the first `hotline_console` value of the right shape. */
export function readCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== COOKIE_NAME) continue;
    const value = part.slice(eq + 1).trim();
    if (ID_FORMAT.test(value)) return value;
  }
  return undefined;
}
