// `hotline counsellor add`, called directly with piped streams (the file store in a temp directory).
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counsellorAddCommand } from '../../src/commands/counsellor.ts';
import { FileAccountStore } from '../../src/counsellor/accounts.ts';
import { verifyPassword } from '../../src/counsellor/password.ts';
import { connect, deleteKeys, REDIS_URL, testPrefix } from '../helpers/redis.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hotline-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let fileNo = 0;
const newFile = () => join(dir, `run-${++fileNo}`, 'counsellors.json');

async function add(args: string[], opts: { input?: string; tty?: boolean; file: string; env?: NodeJS.ProcessEnv }) {
  const stdin = Object.assign(new PassThrough(), { isTTY: opts.tty ?? false });
  if (!opts.tty) stdin.end(opts.input ?? '');
  let stdout = '';
  let stderr = '';
  const code = await counsellorAddCommand(args, {
    stdin,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { COUNSELLORS_FILE: opts.file, ...opts.env },
  });
  return { code, stdout, stderr };
}

describe('hotline counsellor add', () => {
  it('adds an account from a piped password: scrypt hash, no clear password, mode 0600', async () => {
    const file = newFile();
    const password = 'a long enough password';
    const run = await add(['noy'], { input: `${password}\nignored second line\n`, file });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`Added counsellor noy in ${file}`);
    expect(run.stdout).not.toContain(password);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(password);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const account = await new FileAccountStore(file).get('noy');
    expect(account).toMatchObject({ username: 'noy', role: 'counsellor' });
    expect(account?.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword(password, account?.passwordHash ?? '')).toBe(true);
  });

  it('accepts CRLF and --role supervisor', async () => {
    const file = newFile();
    const run = await add(['boss', '--role', 'supervisor'], { input: 'supervisor password\r\n', file });
    expect(run.code).toBe(0);
    const account = await new FileAccountStore(file).get('boss');
    expect(account?.role).toBe('supervisor');
    expect(await verifyPassword('supervisor password', account?.passwordHash ?? '')).toBe(true);
  });

  it('on a terminal, makes a strong password and shows it once with a note on replacing it', async () => {
    const file = newFile();
    const run = await add(['noy'], { tty: true, file });
    expect(run.code).toBe(0);
    const password = /\n {2}([A-Za-z0-9_-]{24})\n/.exec(run.stdout)?.[1];
    expect(password).toBeDefined();
    expect(run.stdout).toContain('hotline counsellor add noy --replace');
    const account = await new FileAccountStore(file).get('noy');
    expect(await verifyPassword(password ?? '', account?.passwordHash ?? '')).toBe(true);
    expect(await readFile(file, 'utf8')).not.toContain(password);
  });

  it('refuses an existing name without --replace (exit 1), replaces it with --replace', async () => {
    const file = newFile();
    expect((await add(['noy'], { input: 'first password 1\n', file })).code).toBe(0);
    const refused = await add(['noy', '--role', 'supervisor'], { input: 'second password 2\n', file });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('noy already exists');
    expect(refused.stderr).toContain('--replace');
    const kept = await new FileAccountStore(file).get('noy');
    expect(kept?.role).toBe('counsellor');
    expect(await verifyPassword('first password 1', kept?.passwordHash ?? '')).toBe(true);

    const replaced = await add(['noy', '--role', 'supervisor', '--replace'], { input: 'second password 2\n', file });
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toContain('Replaced supervisor noy');
    const now = await new FileAccountStore(file).get('noy');
    expect(now?.role).toBe('supervisor');
    expect(await verifyPassword('second password 2', now?.passwordHash ?? '')).toBe(true);
    expect(await verifyPassword('first password 1', now?.passwordHash ?? '')).toBe(false);
  });

  it('refuses a weak or missing password (exit 1) and writes nothing', async () => {
    const file = newFile();
    const weak = await add(['noy'], { input: 'short\n', file });
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('at least 10 characters');
    expect(weak.stderr).not.toContain('short\n');
    expect((await add(['noy'], { input: '', file })).code).toBe(1);
    expect((await add(['noy'], { input: `${'x'.repeat(5000)}\n`, file })).code).toBe(1);
    await expect(stat(file)).rejects.toThrow();
  });

  it.each([
    [[], 'NAME is missing'],
    [['Noy'], 'bad NAME'],
    [['n'], 'bad NAME'],
    [['noy', 'extra'], 'one NAME only'],
    [['noy', '--role', 'admin'], '--role must be one of counsellor, supervisor'],
    [['noy', '--colour'], 'Unknown option'],
  ])('exits 2 with usage for %j', async (args, message) => {
    const file = newFile();
    const run = await add(args, { input: 'a long enough password\n', file });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Usage: hotline counsellor add NAME');
    await expect(stat(file)).rejects.toThrow();
  });
});

describe('hotline counsellor add with REDIS_URL', () => {
  const redis = connect();
  const prefix = testPrefix('counsellor-cli');
  afterAll(async () => {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('stores the account in Redis under REDIS_PREFIX, not in the file', async () => {
    const file = newFile();
    // loadConfig checks the whole server configuration, which with REDIS_URL needs TRANSCRIPT_KEY.
    const env = { REDIS_URL, REDIS_PREFIX: prefix, TRANSCRIPT_KEY: randomBytes(32).toString('base64') };
    const run = await add(['noy'], { input: 'a long enough password\n', file, env });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`Added counsellor noy in Redis (prefix ${prefix})`);
    const hash = await redis.hget(`${prefix}{accounts}:user:noy`, 'passwordHash');
    expect(await verifyPassword('a long enough password', hash ?? '')).toBe(true);
    await expect(stat(file)).rejects.toThrow();
    expect((await add(['noy'], { input: 'a long enough password\n', file, env })).code).toBe(1);
  });
});
