// Counsellor accounts: in Redis (shared by every process) or in a JSON file (memory mode, one machine).
// Both stores validate what they read: the data lives outside the process.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { ROLES, usernameSchema, type Account, type AccountStore } from './types.ts';

export const accountSchema = z
  .object({
    username: usernameSchema,
    role: z.enum(ROLES),
    passwordHash: z.string().regex(/^scrypt\$/, 'must be an scrypt hash').max(512),
    createdAt: z.number().int().nonnegative(),
  })
  .strict();

/** A stored account that does not parse: the store is damaged and an operator has to look. */
export class AccountStoreError extends Error {}

function isUsername(username: string): boolean {
  return usernameSchema.safeParse(username).success;
}

/**
 * One hash per account at `<prefix>{accounts}:user:<username>` and the set of names at
 * `<prefix>{accounts}:users`. The `{accounts}` hash tag keeps them in one Redis Cluster slot, so a put is
 * one transaction.
 */
export class RedisAccountStore implements AccountStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.redis = redis;
    this.prefix = prefix;
  }

  userKey(username: string): string {
    return `${this.prefix}{accounts}:user:${username}`;
  }

  usersKey(): string {
    return `${this.prefix}{accounts}:users`;
  }

  async get(username: string): Promise<Account | undefined> {
    if (!isUsername(username)) return undefined;
    const fields = await this.redis.hgetall(this.userKey(username));
    return this.parse(username, fields);
  }

  async put(account: Account): Promise<void> {
    const a = accountSchema.parse(account);
    const results = await this.redis
      .multi()
      .del(this.userKey(a.username))
      .hset(this.userKey(a.username), { username: a.username, role: a.role, passwordHash: a.passwordHash, createdAt: String(a.createdAt) })
      .sadd(this.usersKey(), a.username)
      .exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('redis transaction aborted');
  }

  async list(): Promise<Account[]> {
    const names = (await this.redis.smembers(this.usersKey())).filter(isUsername).sort();
    if (names.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const name of names) pipeline.hgetall(this.userKey(name));
    const results = (await pipeline.exec()) ?? [];
    const accounts: Account[] = [];
    names.forEach((name, i) => {
      const [error, fields] = results[i] ?? [new Error('missing pipeline result'), undefined];
      if (error) throw error;
      const account = this.parse(name, fields);
      if (account) accounts.push(account);
    });
    return accounts;
  }

  private parse(username: string, fields: unknown): Account | undefined {
    if (!fields || typeof fields !== 'object' || Object.keys(fields).length === 0) return undefined;
    const raw = fields as Record<string, string>;
    const parsed = accountSchema.safeParse({ ...raw, createdAt: Number(raw['createdAt']) });
    if (!parsed.success || parsed.data.username !== username) {
      throw new AccountStoreError(`the account record ${this.userKey(username)} in Redis is damaged`);
    }
    return parsed.data;
  }
}

const accountFileSchema = z
  .object({
    version: z.literal(1),
    accounts: z.array(accountSchema),
  })
  .strict();

type AccountFile = z.infer<typeof accountFileSchema>;

/**
 * Accounts in one JSON file (memory mode). Read on every call, so `hotline counsellor add` takes effect in a
 * running server; written whole to a temporary file (mode 0600) and renamed over the old one, so a reader
 * never sees half a file. A missing file means no accounts yet.
 */
export class FileAccountStore implements AccountStore {
  readonly path: string;
  /** Writes from this process, one after another, so two puts do not lose each other. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(path: string) {
    this.path = path;
  }

  async get(username: string): Promise<Account | undefined> {
    if (!isUsername(username)) return undefined;
    return (await this.read()).accounts.find((a) => a.username === username);
  }

  async list(): Promise<Account[]> {
    return (await this.read()).accounts;
  }

  put(account: Account): Promise<void> {
    const checked = accountSchema.safeParse(account);
    if (!checked.success) return Promise.reject(checked.error);
    const a = checked.data;
    const write = this.queue.then(async () => {
      const file = await this.read();
      const accounts = [...file.accounts.filter((x) => x.username !== a.username), a];
      accounts.sort((x, y) => (x.username < y.username ? -1 : x.username > y.username ? 1 : 0));
      await this.write({ version: 1, accounts });
    });
    this.queue = write.catch(() => undefined);
    return write;
  }

  private async read(): Promise<AccountFile> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, accounts: [] };
      throw error;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new AccountStoreError(`${this.path} is not valid JSON`);
    }
    const parsed = accountFileSchema.safeParse(value);
    if (!parsed.success) throw new AccountStoreError(`${this.path} is damaged: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  }

  private async write(file: AccountFile): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temp = `${this.path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(file, null, 2)}\n`, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}
