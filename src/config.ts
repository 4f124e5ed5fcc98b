// The environment, parsed once at start-up. A bad value stops start-up with a message naming the variable.
import { z } from 'zod';
import { LANGS } from './content/locales.ts';

const port = z.coerce.number().int().min(1).max(65535);

export const configSchema = z.object({
  PORT: port.default(3000),
  /** 0.0.0.0 so the container's port can be published; set 127.0.0.1 to keep the server private. */
  HOST: z.string().min(1).default('0.0.0.0'),
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })
    .optional(),
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]+$/).default('hotline:'),
  /** A conversation is deleted this long after the person's last message. */
  SESSION_IDLE_HOURS: z.coerce.number().positive().max(24 * 30).default(24),
  DEFAULT_LANG: z.enum(LANGS).default('lo'),
  /** Where the web chat's quick-exit button goes: an everyday site that draws no attention. */
  QUICK_EXIT_URL: z.url({ protocol: /^https?$/ }).default('https://www.google.com/search?q=weather'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings (VAR= in a .env file) mean "not set".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => {
    const name = String(i.path[0]);
    return `  ${name}=${JSON.stringify(env[name] ?? '')}: ${i.message}`;
  });
  throw new ConfigError(`Bad configuration, start-up stopped:\n${lines.join('\n')}`);
}
