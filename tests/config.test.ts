import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

const error = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  return '';
};

describe('config', () => {
  it('starts with no settings at all: memory mode, port 3000, Lao', () => {
    expect(loadConfig({})).toMatchObject({ PORT: 3000, DEFAULT_LANG: 'lo', SESSION_IDLE_HOURS: 24, INBOX_SHARDS: 16 });
    expect(loadConfig({}).REDIS_URL).toBeUndefined();
  });

  it('treats an empty variable as unset (VAR= in a .env file)', () => {
    expect(loadConfig({ REDIS_URL: '', TELEGRAM_BOT_TOKEN: '' }).REDIS_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: '70000' }, 'PORT="70000"'],
    [{ DEFAULT_LANG: 'fr' }, 'DEFAULT_LANG="fr"'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL="localhost:6379"'],
    [{ SESSION_IDLE_HOURS: '-1' }, 'SESSION_IDLE_HOURS="-1"'],
    [{ TELEGRAM_BOT_TOKEN: 'not a token' }, 'TELEGRAM_BOT_TOKEN="not a token": must look like 123456:ABC-DEF'],
    [{ TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_WEBHOOK_URL: 'https://x.org/webhooks/telegram' }, 'TELEGRAM_WEBHOOK_SECRET="": is required when TELEGRAM_WEBHOOK_URL is set'],
    [{ MESSENGER_PAGE_TOKEN: 'page-token-123' }, 'MESSENGER_APP_SECRET="": is required when any MESSENGER_ variable is set'],
  ])('stops on %j naming the variable', (env, message) => {
    expect(error(env)).toContain(message);
  });
});
