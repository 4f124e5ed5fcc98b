// One contract for every AuthStateStore: Redis and memory must behave the same.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryAuthStateStore, RedisAuthStateStore, type AuthStateStore, type StoredSession } from '../../src/counsellor/auth.ts';
import { connect, countKeys, deleteKeys, testPrefix } from '../helpers/redis.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const newId = () => randomBytes(32).toString('base64url');
const session = (extra: Partial<StoredSession> = {}): StoredSession => ({
  username: 'noy',
  role: 'counsellor',
  csrf: randomBytes(32).toString('base64url'),
  createdAt: 1_000,
  expiresAt: 2_000,
  account: 'digest',
  ...extra,
});
const policy = { maxFailures: 5, lockMs: 15 * 60_000 };
const T0 = 1_700_000_000_000;

function contract(name: string, make: () => AuthStateStore) {
  describe(`${name} auth state store`, () => {
    let store: AuthStateStore;
    beforeEach(() => {
      store = make();
    });

    it('keeps sessions by id, renews them and forgets them on delete', async () => {
      const a = newId();
      const b = newId();
      const s = session();
      await store.createSession(a, s, 60_000);
      expect(await store.getSession(a)).toEqual(s);
      expect(await store.getSession(b)).toBeUndefined();
      await store.renewSession(a, { ...s, expiresAt: 9_000 }, 60_000);
      expect(await store.getSession(a)).toEqual({ ...s, expiresAt: 9_000 });
      await store.deleteSession(a);
      expect(await store.getSession(a)).toBeUndefined();
      await store.deleteSession(b);
    });

    it('does not bring back a deleted session on renew', async () => {
      const id = newId();
      await store.createSession(id, session(), 60_000);
      await store.deleteSession(id);
      await store.renewSession(id, session(), 60_000);
      expect(await store.getSession(id)).toBeUndefined();
    });

    it('lets a session expire after its TTL, and a renew restarts the timer', async () => {
      const short = newId();
      const renewed = newId();
      await store.createSession(short, session(), 500);
      await store.createSession(renewed, session(), 500);
      await sleep(150);
      await store.renewSession(renewed, session(), 60_000);
      await sleep(600);
      expect(await store.getSession(short)).toBeUndefined();
      expect(await store.getSession(renewed)).toBeDefined();
    });

    it('allows maxFailures attempts, then refuses until the lock ends', async () => {
      for (let i = 0; i < 5; i++) expect(await store.beginAttempt('noy', T0 + i, policy)).toEqual({ allowed: true });
      expect(await store.beginAttempt('noy', T0 + 10, policy)).toEqual({ allowed: false, lockedUntil: T0 + 4 + policy.lockMs });
      expect(await store.beginAttempt('other', T0 + 10, policy)).toEqual({ allowed: true });
      expect(await store.beginAttempt('noy', T0 + 4 + policy.lockMs - 1, policy)).toMatchObject({ allowed: false });
      // The lock is over: a fresh count of five.
      for (let i = 0; i < 5; i++) expect(await store.beginAttempt('noy', T0 + 4 + policy.lockMs + i, policy)).toEqual({ allowed: true });
      expect(await store.beginAttempt('noy', T0 + 4 + policy.lockMs + 5, policy)).toMatchObject({ allowed: false });
    });

    it('counts failures in a window of lockMs from the first, and clears them on request', async () => {
      for (let i = 0; i < 4; i++) await store.beginAttempt('window', T0, policy);
      // Window over: the count starts again, so four more are allowed before the lock.
      for (let i = 0; i < 4; i++) expect(await store.beginAttempt('window', T0 + policy.lockMs + i, policy)).toEqual({ allowed: true });
      await store.clearFailures('window');
      for (let i = 0; i < 5; i++) expect(await store.beginAttempt('window', T0 + policy.lockMs + 10, policy)).toEqual({ allowed: true });
      expect(await store.beginAttempt('window', T0 + policy.lockMs + 11, policy)).toMatchObject({ allowed: false });
      await store.clearFailures('window');
      expect(await store.beginAttempt('window', T0 + policy.lockMs + 12, policy)).toEqual({ allowed: true });
    });

    it('lets exactly maxFailures of many parallel attempts through', async () => {
      const results = await Promise.all(Array.from({ length: 30 }, () => store.beginAttempt('parallel', T0, policy)));
      expect(results.filter((r) => r.allowed)).toHaveLength(5);
    });
  });
}

contract('memory', () => new MemoryAuthStateStore());

const redis = connect();
const prefix = testPrefix('console-auth');
let run = 0;
contract('redis', () => new RedisAuthStateStore(redis, `${prefix}${++run}:`));

afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

describe('redis auth state layout', () => {
  it('keeps sessions under {console} by a digest of the id with the idle TTL, and failures with a TTL', async () => {
    const p = `${prefix}layout:`;
    const store = new RedisAuthStateStore(redis, p);
    const id = newId();
    await store.createSession(id, session(), 60_000);
    const keys = await redis.keys(`${p}*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(new RegExp(`^${p}\\{console\\}:session:[A-Za-z0-9_-]{43}$`));
    expect(keys[0]).not.toContain(id);
    expect(await redis.pttl(keys[0] ?? '')).toBeGreaterThan(50_000);
    await store.beginAttempt('noy', Date.now(), policy);
    const ttl = await redis.pttl(`${p}{console}:failures:noy`);
    expect(ttl).toBeGreaterThan(policy.lockMs - 5_000);
    expect(ttl).toBeLessThanOrEqual(policy.lockMs);
    expect(await countKeys(redis, p)).toBe(2);
  });

  it('ignores a damaged session record', async () => {
    const p = `${prefix}damaged:`;
    const store = new RedisAuthStateStore(redis, p);
    const id = newId();
    await store.createSession(id, session(), 60_000);
    await redis.set(store.sessionKey(id), '{"username":"noy","role":"root"}');
    expect(await store.getSession(id)).toBeUndefined();
    await redis.set(store.sessionKey(id), 'not json');
    expect(await store.getSession(id)).toBeUndefined();
  });
});
