// The environment, parsed once at start-up. A bad value stops start-up with a message naming the variable.
import { z } from 'zod';
import { LANGS } from './content/locales.ts';
import { parseDutyHours } from './escalation/duty.ts';
import { keyBytes } from './escalation/sealer.ts';

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

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
  /**
   * A harmless name for the bot in people's notifications and chat lists (e.g. "Weather Tips"), set with the
   * Bot API at start, so a glance at a watched phone shows nothing about trafficking.
   */
  TELEGRAM_NEUTRAL_NAME: z.string().min(1).max(64).optional(),

  MESSENGER_PAGE_TOKEN: secret('MESSENGER_PAGE_TOKEN').optional(),
  MESSENGER_APP_SECRET: secret('MESSENGER_APP_SECRET').optional(),
  MESSENGER_VERIFY_TOKEN: secret('MESSENGER_VERIFY_TOKEN').optional(),
  MESSENGER_GRAPH_URL: z.url({ protocol: /^https?$/ }).default('https://graph.facebook.com'),

  /** The inbox is split into this many streams; one person always lands in the same one (order). */
  INBOX_SHARDS: z.coerce.number().int().min(1).max(256).default(16),
  /** A dead process's shards move to a live one after this long (renewed every third of it). */
  INBOX_LEASE_MS: z.coerce.number().int().min(300).max(600_000).default(15_000),
  /** 32 bytes (64 hex characters or base64) that encrypt transcripts at rest; required with REDIS_URL. */
  TRANSCRIPT_KEY: z
    .string()
    .refine((v) => keyBytes(v) !== undefined, 'must be 32 bytes as 64 hex characters or base64 (openssl rand -base64 32)')
    .optional(),
  /** A held case goes back to the queue this long after its counsellor's console was last seen. */
  CASE_LEASE_SECONDS: z.coerce.number().int().min(10).max(3600).default(90),
  /** Open chats one counsellor may hold at once. */
  COUNSELLOR_CAPACITY: z.coerce.number().int().min(1).max(50).default(3),
  /** Closed cases and their transcripts are deleted this long after closing. */
  RETENTION_DAYS: z.coerce.number().positive().max(3650).default(30),
  /** When counsellors answer, e.g. "mon-fri 08:00-17:00, sat 09:00-12:00". */
  DUTY_HOURS: z.string().default('mon-fri 08:00-17:00'),
  DUTY_TIMEZONE: z.string().refine(validTimeZone, 'must be an IANA time zone such as Asia/Vientiane').default('Asia/Vientiane'),
  /** Minutes one chat takes on average, for the rough wait a person is told. */
  AVERAGE_CHAT_MINUTES: z.coerce.number().positive().max(600).default(10),
  /** Send the console cookie with Secure (set true behind HTTPS). */
  COOKIE_SECURE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Counsellor accounts in memory mode (with REDIS_URL they live in Redis). */
  COUNSELLORS_FILE: z.string().min(1).optional(),
  /** Optional LLM help for free text (any OpenAI-compatible server). Off unless the key is set. */
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  /** After this the rules' answer stands alone. */
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(4_000),
  /** Messages one person may send a minute; beyond it one calm reply, then silence until the minute ends. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(20),
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
    if (c.REDIS_URL && !c.TRANSCRIPT_KEY) {
      ctx.addIssue({ code: 'custom', path: ['TRANSCRIPT_KEY'], message: 'is required with REDIS_URL: transcripts are encrypted at rest (openssl rand -base64 32)' });
    }
    if (!parseDutyHours(c.DUTY_HOURS)) {
      ctx.addIssue({ code: 'custom', path: ['DUTY_HOURS'], message: 'must look like "mon-fri 08:00-17:00, sat 09:00-12:00"' });
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
