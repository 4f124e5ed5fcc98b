// One contract for every AccountStore: the Redis store and the file store must behave the same.
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AccountStoreError, FileAccountStore, RedisAccountStore } from '../../src/counsellor/accounts.ts';
import type { Account, AccountStore } from '../../src/counsellor/types.ts';
import { connect, countKeys, deleteKeys, testPrefix } from '../helpers/redis.ts';

const HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const account = (username: string, extra: Partial<Account> = {}): Account => ({
  username,
  role: 'counsellor',
  passwordHash: HASH,
  createdAt: 1_700_000_000_000,
  ...extra,
});

function contract(name: string, make: () => Promise<AccountStore>) {
  describe(`${name} account store`, () => {
    let store: AccountStore;
    beforeEach(async () => {
      store = await make();
    });

    it('starts empty', async () => {
      expect(await store.list()).toEqual([]);
      expect(await store.get('noy')).toBeUndefined();
    });

    it('gives back what was put, by name, and lists all sorted by name', async () => {
      await store.put(account('somchai', { role: 'supervisor' }));
      await store.put(account('noy'));
      await store.put(account('a.b_c-1'));
      expect(await store.get('noy')).toEqual(account('noy'));
      expect(await store.get('somchai')).toEqual(account('somchai', { role: 'supervisor' }));
      expect(await store.get('nobody')).toBeUndefined();
      expect((await store.list()).map((a) => a.username)).toEqual(['a.b_c-1', 'noy', 'somchai']);
    });

    it('replaces an account of the same name', async () => {
      await store.put(account('noy'));
      await store.put(account('noy', { role: 'supervisor', createdAt: 1_800_000_000_000 }));
      expect(await store.get('noy')).toEqual(account('noy', { role: 'supervisor', createdAt: 1_800_000_000_000 }));
      expect(await store.list()).toHaveLength(1);
    });

    it('keeps every account when several are put at once', async () => {
      await Promise.all(['a1', 'a2', 'a3', 'a4', 'a5'].map((n) => store.put(account(n))));
      expect((await store.list()).map((a) => a.username)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    });

    it('refuses to store a bad account and finds nothing for a name that cannot exist', async () => {
      await expect(store.put(account('Not Valid'))).rejects.toThrow();
      await expect(store.put({ ...account('noy'), role: 'admin' } as unknown as Account)).rejects.toThrow();
      await expect(store.put(account('noy', { passwordHash: 'hunter2' }))).rejects.toThrow();
      expect(await store.get('*')).toBeUndefined();
      expect(await store.get('../../etc/passwd')).toBeUndefined();
      expect(await store.list()).toEqual([]);
    });
  });
}

const redis = connect();
const prefix = testPrefix('accounts');
let redisRun = 0;
contract('redis', async () => new RedisAccountStore(redis, `${prefix}${++redisRun}:`));

const dir = await mkdtemp(join(tmpdir(), 'hotline-accounts-'));
let fileRun = 0;
contract('file', async () => new FileAccountStore(join(dir, `run-${++fileRun}`, 'nested', 'counsellors.json')));

afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
});

describe('redis account store layout', () => {
  it('keeps one hash per account and a set of names under the {accounts} hash tag', async () => {
    const p = `${prefix}layout:`;
    const store = new RedisAccountStore(redis, p);
    await store.put(account('noy'));
    expect(await redis.smembers(`${p}{accounts}:users`)).toEqual(['noy']);
    expect(await redis.hgetall(`${p}{accounts}:user:noy`)).toEqual({
      username: 'noy',
      role: 'counsellor',
      passwordHash: HASH,
      createdAt: '1700000000000',
    });
    expect(await countKeys(redis, p)).toBe(2);
  });

  it('reports a damaged record instead of using it, and skips names whose hash is gone', async () => {
    const p = `${prefix}damaged:`;
    const store = new RedisAccountStore(redis, p);
    await redis.hset(`${p}{accounts}:user:bad`, { username: 'bad', role: 'root', passwordHash: HASH, createdAt: '1' });
    await expect(store.get('bad')).rejects.toThrow(AccountStoreError);
    await redis.hset(`${p}{accounts}:user:other`, { username: 'someone-else', role: 'counsellor', passwordHash: HASH, createdAt: '1' });
    await expect(store.get('other')).rejects.toThrow(AccountStoreError);
    await redis.del(`${p}{accounts}:user:bad`, `${p}{accounts}:user:other`);
    await redis.sadd(`${p}{accounts}:users`, 'ghost');
    expect(await store.list()).toEqual([]);
  });
});

describe('file account store', () => {
  it('treats a missing file as no accounts, creates the directory and writes mode 0600 atomically', async () => {
    const path = join(dir, 'fresh', 'deeper', 'counsellors.json');
    const store = new FileAccountStore(path);
    expect(await store.list()).toEqual([]);
    await store.put(account('noy'));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'fresh', 'deeper'))).toEqual(['counsellors.json']);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ version: 1, accounts: [account('noy')] });
  });

  it('sees changes made by another process (reads the file on every call)', async () => {
    const path = join(dir, 'shared', 'counsellors.json');
    const reader = new FileAccountStore(path);
    expect(await reader.get('noy')).toBeUndefined();
    await new FileAccountStore(path).put(account('noy'));
    expect(await reader.get('noy')).toEqual(account('noy'));
  });

  it('refuses a damaged file with an error naming it', async () => {
    const path = join(dir, 'damaged.json');
    await writeFile(path, '{"version":1,"accounts":[{"username":"noy"}]}');
    await expect(new FileAccountStore(path).list()).rejects.toThrow(/damaged\.json is damaged/);
    await writeFile(path, '{not json');
    await expect(new FileAccountStore(path).get('noy')).rejects.toThrow(/not valid JSON/);
  });
});
