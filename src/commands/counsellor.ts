// `hotline counsellor add NAME [--role supervisor] [--replace]`: creates (or replaces) a console account.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { ROOT } from '../content/index.ts';
import { FileAccountStore, RedisAccountStore } from '../counsellor/accounts.ts';
import { hashPassword, passwordSchema } from '../counsellor/password.ts';
import { ROLES, usernameSchema, type AccountStore, type Role } from '../counsellor/types.ts';

export const COUNSELLOR_ADD_USAGE = `Usage: hotline counsellor add NAME [--role counsellor|supervisor] [--replace]

  NAME        2–32 lowercase letters, digits, . _ or -
  --role      counsellor (default) or supervisor
  --replace   replace an existing account of that name (its sessions end)

  The password is the first line of stdin when stdin is not a terminal, e.g.
    printf '%s\\n' "$PASSWORD" | hotline counsellor add noy
  On a terminal a strong password is made and shown once.
  Accounts go to Redis when REDIS_URL is set, else to COUNSELLORS_FILE (default .hotline/counsellors.json).
`;

export interface CommandIO {
  stdin: Readable & { isTTY?: boolean };
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** The environment (REDIS_URL, REDIS_PREFIX, COUNSELLORS_FILE); process.env unless given. */
  env?: NodeJS.ProcessEnv;
}

/** Longest stdin line read for a password (bytes); more means something other than a password was piped. */
const MAX_LINE = 4096;

/**
 * `args` are the words after `hotline counsellor add`. Exit codes: 0 done, 1 refused (name taken, weak or
 * missing password, bad configuration), 2 usage.
 */
export async function counsellorAddCommand(
  args: string[],
  io: CommandIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const env = io.env ?? process.env;
  const usage = (problem: string) => {
    io.stderr.write(`${problem}\n\n${COUNSELLOR_ADD_USAGE}`);
    return 2;
  };

  let values: { role?: string; replace?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      options: { role: { type: 'string' }, replace: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error));
  }
  if (positionals.length !== 1) return usage(positionals.length === 0 ? 'NAME is missing' : `one NAME only (got ${positionals.join(' ')})`);
  const name = usernameSchema.safeParse(positionals[0]);
  if (!name.success) return usage(`bad NAME ${JSON.stringify(positionals[0])}: ${name.error.issues[0]?.message ?? 'invalid'}`);
  const username = name.data;
  const role = values.role ?? 'counsellor';
  if (!isRole(role)) return usage(`--role must be one of ${ROLES.join(', ')} (got ${JSON.stringify(role)})`);

  let password: string;
  let generated = false;
  if (io.stdin.isTTY) {
    password = randomBytes(18).toString('base64url');
    generated = true;
  } else {
    const line = await readFirstLine(io.stdin, MAX_LINE);
    if (line === undefined) {
      io.stderr.write(`✗ no password: the first line of stdin must be the password (at most ${MAX_LINE} bytes)\n`);
      return 1;
    }
    const checked = passwordSchema.safeParse(line);
    if (!checked.success) {
      io.stderr.write(`✗ password refused: ${checked.error.issues[0]?.message ?? 'invalid'}\n`);
      return 1;
    }
    password = checked.data;
  }

  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }

  const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, lazyConnect: true }) : undefined;
  const file = env['COUNSELLORS_FILE'] || join(ROOT, '.hotline', 'counsellors.json');
  const store: AccountStore = redis ? new RedisAccountStore(redis, config.REDIS_PREFIX) : new FileAccountStore(file);
  const where = redis ? `Redis (prefix ${config.REDIS_PREFIX})` : file;
  try {
    const existing = await store.get(username);
    if (existing && !values.replace) {
      io.stderr.write(`✗ ${username} already exists (${existing.role}) in ${where}; add --replace to replace the account and its password\n`);
      return 1;
    }
    await store.put({ username, role, passwordHash: await hashPassword(password), createdAt: Date.now() });
    io.stdout.write(`${existing ? 'Replaced' : 'Added'} ${role} ${username} in ${where}.\n`);
    if (existing) io.stdout.write(`${username}'s old password no longer works and their console sessions have ended.\n`);
    if (!redis) io.stdout.write('(Memory mode: this file serves one machine. Set REDIS_URL to share accounts between servers.)\n');
    if (generated) {
      io.stdout.write(
        `\nPassword for ${username}, shown this once; give it to them privately:\n\n  ${password}\n\n` +
          `There is no change-password command yet: to replace it, run\n` +
          `  hotline counsellor add ${username}${role === 'supervisor' ? ' --role supervisor' : ''} --replace\n` +
          `and pipe the new password in on stdin.\n`,
      );
    }
    return 0;
  } catch (error) {
    io.stderr.write(`✗ could not save the account in ${where}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    if (redis) redis.disconnect();
  }
}

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** The first line of a stream (without its line ending), or undefined when there is none or it is too long. */
function readFirstLine(stream: Readable, max: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const finish = (line: string | undefined) => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
      // Nothing else reads stdin: let go of it, so a writer that keeps the pipe open does not hold us.
      stream.destroy();
      resolve(line);
    };
    const onData = (chunk: Buffer | string) => {
      buffered = Buffer.concat([buffered, typeof chunk === 'string' ? Buffer.from(chunk) : chunk]);
      const nl = buffered.indexOf(0x0a);
      if (nl >= 0 && nl <= max) return finish(buffered.subarray(0, nl).toString('utf8').replace(/\r$/, ''));
      if (buffered.length > max) finish(undefined);
    };
    const onEnd = () => finish(buffered.length > 0 && buffered.length <= max ? buffered.toString('utf8').replace(/\r$/, '') : undefined);
    const onError = (error: Error) => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      reject(error);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}
