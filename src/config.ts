// The environment, parsed once at start-up. A bad value stops start-up with a message naming the variable.
import { z } from 'zod';
import { LANGS } from './content/locales.ts';

const port = z.coerce.number().int().min(1).max(65535);

const secret = (what: string) => z.string().min(8, `${what} must be at least 8 characters`);

export const configSchema = z
  .object({
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

  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'must look like 123456:ABC-DEF… (from @BotFather)').optional(),
  /** Set for webhook mode (public HTTPS URL ending in /webhooks/telegram); unset means long polling. */
  TELEGRAM_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Telegram allows 1–256 characters A–Z, a–z, 0–9, _ and -. */
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16–256 characters of A-Z a-z 0-9 _ -').optional(),
  TELEGRAM_API_ROOT: z.url({ protocol: /^https?$/ }).default('https://api.telegram.org'),

  MESSENGER_PAGE_TOKEN: secret('MESSENGER_PAGE_TOKEN').optional(),
  MESSENGER_APP_SECRET: secret('MESSENGER_APP_SECRET').optional(),
  MESSENGER_VERIFY_TOKEN: secret('MESSENGER_VERIFY_TOKEN').optional(),
  MESSENGER_GRAPH_URL: z.url({ protocol: /^https?$/ }).default('https://graph.facebook.com'),

  /** The inbox is split into this many streams; one person always lands in the same one (order). */
  INBOX_SHARDS: z.coerce.number().int().min(1).max(256).default(16),
  /** A dead process's shards move to a live one after this long (renewed every third of it). */
  INBOX_LEASE_MS: z.coerce.number().int().min(300).max(600_000).default(15_000),
  /** Bearer token for GET /metrics; unset turns /metrics off. */
  METRICS_TOKEN: secret('METRICS_TOKEN').optional(),
})
  .superRefine((c, ctx) => {
    if (c.TELEGRAM_WEBHOOK_URL && !c.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_SECRET'], message: 'is required when TELEGRAM_WEBHOOK_URL is set' });
    }
    if (c.TELEGRAM_WEBHOOK_URL && !c.TELEGRAM_BOT_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['TELEGRAM_BOT_TOKEN'], message: 'is required when TELEGRAM_WEBHOOK_URL is set' });
    }
    const messenger = ['MESSENGER_PAGE_TOKEN', 'MESSENGER_APP_SECRET', 'MESSENGER_VERIFY_TOKEN'] as const;
    if (messenger.some((k) => c[k])) {
      for (const k of messenger) {
        if (!c[k]) ctx.addIssue({ code: 'custom', path: [k], message: 'is required when any MESSENGER_ variable is set' });
      }
    }
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
