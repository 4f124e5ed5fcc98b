// Wires config → stores → conversation service → HTTP server, and shuts down cleanly on SIGTERM/SIGINT.
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { flows, routeFreeText } from '../flows/index.ts';
import { MessengerSender } from './channels/messenger/sender.ts';
import { messengerRoutes } from './channels/messenger/webhook.ts';
import {
  MemoryTelegramTrail,
  RedisTelegramTrail,
  createTelegramApi,
  registerWebhook,
  startPolling,
  TelegramSender,
  telegramWebhookRoute,
} from './channels/telegram/index.ts';
import { webchatRoutes } from './channels/webchat/routes.ts';
import { RedisAccountStore, FileAccountStore } from './counsellor/accounts.ts';
import { counsellorApiRoutes } from './counsellor/api.ts';
import { authRoutes } from './counsellor/auth-routes.ts';
import { ConsoleAuth, MemoryAuthStateStore, RedisAuthStateStore } from './counsellor/auth.ts';
import { consolePageRoutes } from './counsellor/page-routes.ts';
import type { Inbound } from './conversation/types.ts';
import { MemoryBus, RedisBus, type Bus } from './escalation/bus.ts';
import { Desk } from './escalation/desk.ts';
import { Duty, parseDutyHours } from './escalation/duty.ts';
import { MemoryCaseStore } from './escalation/memory-cases.ts';
import { RedisCaseStore } from './escalation/redis-cases.ts';
import { keyBytes, Sealer } from './escalation/sealer.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { loadContent, ROOT } from './content/index.ts';
import { ConversationService } from './conversation/service.ts';
import { ShardedInbox } from './delivery/inbox.ts';
import type { InboxStore } from './delivery/inbox-store.ts';
import { MemoryInboxStore } from './delivery/memory-inbox.ts';
import { RedisInboxStore } from './delivery/redis-inbox.ts';
import type { Sender } from './delivery/types.ts';
import { DeliveryWorker } from './delivery/worker.ts';
import { MemoryRateLimiter, RedisRateLimiter } from './delivery/rate-limit.ts';
import { defaultAssessor, freeTextReader } from './understand/index.ts';
import { MemoryScheduleStore, RedisScheduleStore } from './awareness/scheduler.ts';
import { Awareness } from './awareness/tips.ts';
import { Broadcaster, MemoryBroadcastStore, RedisBroadcastStore } from './awareness/broadcast.ts';
import { broadcastRoutes } from './awareness/routes.ts';
import { MemorySubscriberStore, RedisSubscriberStore } from './awareness/subscribers.ts';
import { Analytics } from './analytics/recorder.ts';
import { analyticsRoutes } from './analytics/routes.ts';
import { MemoryAnalyticsStore, RedisAnalyticsStore } from './analytics/store.ts';
import { createLlmAssessor } from './understand/llm.ts';
import { Metrics, metricsRoute } from './http/metrics.ts';
import { createHttpServer, json, type Route } from './http/server.ts';
import { createLogger, type Logger } from './log.ts';
import { MemorySessionStore } from './store/memory.ts';
import { RedisSessionStore } from './store/redis.ts';
import type { SessionStore } from './store/types.ts';

export interface RunningServer {
  url: string;
  metrics: Metrics;
  close(): Promise<void>;
}

export async function startServer(env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger(config.LOG_LEVEL);
  const server = await listen(config, log);
  const stop = () => {
    log.info('shutting down');
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return server;
}

/** Starts the server for a parsed config; tests call this directly. */
export async function listen(config: Config, log: Logger): Promise<RunningServer> {
  const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3, enableAutoPipelining: true }) : undefined;
  if (redis) {
    log.info('using redis', { prefix: config.REDIS_PREFIX });
  } else {
    log.warn(
      'MEMORY MODE: REDIS_URL is not set. Conversations live in this one process and are lost on restart. ' +
        'Set REDIS_URL for production or for more than one process.',
    );
  }
  const sessions: SessionStore = redis ? new RedisSessionStore(redis, config.REDIS_PREFIX) : new MemorySessionStore();
  const inboxStore: InboxStore = redis
    ? new RedisInboxStore(redis, config.REDIS_PREFIX, config.INBOX_SHARDS)
    : new MemoryInboxStore(config.INBOX_SHARDS);
  const inbox = new ShardedInbox(inboxStore);
  const metrics = new Metrics();
  const content = loadContent();
  const durableChannels = new Set<string>();
  const analytics = new Analytics({
    store: redis ? new RedisAnalyticsStore(redis, config.REDIS_PREFIX) : new MemoryAnalyticsStore(),
    timeZone: config.DUTY_TIMEZONE,
    log,
    metrics,
  });
  const bus: Bus = redis ? new RedisBus(redis, config.REDIS_PREFIX) : new MemoryBus();
  const transcriptKey = config.TRANSCRIPT_KEY ? keyBytes(config.TRANSCRIPT_KEY) : undefined;
  // Deliveries from the desk: through the inbox for platform channels (keeps the person's order with the
  // worker), into the outbox for the web chat (the page collects it).
  let deliverLocal: (inbound: Inbound) => Promise<void> = async () => undefined;
  const desk = new Desk({
    cases: redis ? new RedisCaseStore(redis, config.REDIS_PREFIX) : new MemoryCaseStore(),
    sealer: transcriptKey ? new Sealer(transcriptKey) : Sealer.ephemeral(),
    bus,
    duty: new Duty(parseDutyHours(config.DUTY_HOURS) ?? [], config.DUTY_TIMEZONE),
    t: content.t,
    log,
    leaseMs: config.CASE_LEASE_SECONDS * 1000,
    capacity: config.COUNSELLOR_CAPACITY,
    retentionMs: config.RETENTION_DAYS * 86_400_000,
    averageChatMinutes: config.AVERAGE_CHAT_MINUTES,
    analytics,
    deliver: async (c, message) => {
      const text = message.kind === 'human' ? message.text : message.key;
      const origin = message.kind === 'human' ? 'counsellor' : 'system';
      if (durableChannels.has(c.channel)) {
        await inbox.accept({ channel: c.channel, userId: c.userId, text, origin, at: c.lastUserAt }, `desk:${message.id}`);
      } else {
        await deliverLocal({ channel: c.channel, userId: c.userId, text, origin });
      }
    },
  });
  // The service schedules tips; the scheduler delivers through the service: tied after both exist.
  const awarenessRef: { current?: Awareness } = {};
  const setAwareness = (a: Awareness) => (awarenessRef.current = a);
  // What /forget must also delete outside the session: filled in as channels are set up.
  const forgetters: ((who: { channel: string; userId: string }) => Promise<void>)[] = [];
  const assessor = defaultAssessor();
  // Optional: an LLM may raise what the rules found, never lower it, and never writes to anyone.
  const llm = config.OPENAI_API_KEY
    ? createLlmAssessor({ apiKey: config.OPENAI_API_KEY, baseUrl: config.OPENAI_BASE_URL, model: config.OPENAI_MODEL, timeoutMs: config.LLM_TIMEOUT_MS, log })
    : undefined;
  if (llm) log.info('free text: rules plus LLM', { model: config.OPENAI_MODEL });
  const limiterOptions = { limit: config.RATE_LIMIT_PER_MINUTE, windowMs: 60_000 };
  const service = new ConversationService({
    flows,
    content,
    sessions,
    sessionTtlMs: config.SESSION_IDLE_HOURS * 3_600_000,
    defaultLang: config.DEFAULT_LANG,
    log,
    desk,
    understand: freeTextReader(assessor, llm),
    routeFreeText,
    limiter: redis ? new RedisRateLimiter(redis, config.REDIS_PREFIX, limiterOptions) : new MemoryRateLimiter(limiterOptions),
    awareness: {
      setTips: (person, who, frequency) => awarenessRef.current?.setTips(person, who, frequency) ?? Promise.resolve(),
      setJourney: (person, who, departure) => awarenessRef.current?.setJourney(person, who, departure) ?? Promise.resolve(),
    },
    analytics,
    onForget: async (_person, who) => {
      for (const forget of forgetters) await forget(who);
    },
  });
  deliverLocal = (inbound) => service.deliverLocal(inbound);
  const subscribers = redis ? new RedisSubscriberStore(redis, config.REDIS_PREFIX) : new MemorySubscriberStore();
  const awareness = new Awareness({
    subscribers,
    schedule: redis ? new RedisScheduleStore(redis, config.REDIS_PREFIX) : new MemoryScheduleStore(),
    log,
    onOptIn: (on) => void (on ? analytics.optedIn('tips') : analytics.optedOut('tips')),
    deliver: async (who, signal, jobKey) => {
      if (durableChannels.has(who.channel)) {
        await inbox.accept({ channel: who.channel, userId: who.userId, text: signal, origin: 'system', at: Date.now() }, `sched:${jobKey}`);
      } else {
        await service.deliverLocal({ channel: who.channel, userId: who.userId, text: signal, origin: 'system' });
      }
    },
  });
  setAwareness(awareness);
  const broadcaster = new Broadcaster({
    store: redis ? new RedisBroadcastStore(redis, config.REDIS_PREFIX) : new MemoryBroadcastStore(),
    subscribers,
    log,
    deliver: async (item, dedupeId) => {
      if (durableChannels.has(item.channel)) await inbox.accept(item, dedupeId);
      else await service.deliverLocal({ channel: item.channel, userId: item.userId, text: item.text ?? '', origin: 'broadcast' });
    },
  });
  const accounts = redis
    ? new RedisAccountStore(redis, config.REDIS_PREFIX)
    : new FileAccountStore(config.COUNSELLORS_FILE ?? join(ROOT, '.hotline', 'counsellors.json'));
  const auth = new ConsoleAuth({
    accounts,
    store: redis ? new RedisAuthStateStore(redis, config.REDIS_PREFIX) : new MemoryAuthStateStore(),
    secureCookie: config.COOKIE_SECURE,
  });

  const routes: Route[] = [
    { method: 'GET', path: '/healthz', handler: () => json(200, { status: 'ok' }) },
    ...webchatRoutes({ service, t: service.t, defaultLang: config.DEFAULT_LANG, quickExitUrl: config.QUICK_EXIT_URL }),
    ...consolePageRoutes({ t: content.t, defaultLang: config.DEFAULT_LANG }),
    ...authRoutes(auth, log),
    ...counsellorApiRoutes({ auth, desk, bus, accounts, resources: content.resources, log }),
    ...analyticsRoutes({ auth, analytics, timeZone: config.DUTY_TIMEZONE, t: content.t }),
    ...broadcastRoutes({ auth, broadcaster, t: content.t }),
  ];
  if (config.METRICS_TOKEN) routes.push(metricsRoute(metrics, config.METRICS_TOKEN));
  const senders: Sender[] = [];
  const starters: (() => Promise<() => Promise<void>>)[] = [];

  if (config.TELEGRAM_BOT_TOKEN) {
    const api = createTelegramApi(config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_API_ROOT);
    const trail = redis ? new RedisTelegramTrail(redis, config.REDIS_PREFIX) : new MemoryTelegramTrail();
    senders.push(new TelegramSender({ api, log, trail }));
    forgetters.push(async (who) => {
      if (who.channel === 'telegram') await trail.clear(who.userId);
    });
    const neutralName = config.TELEGRAM_NEUTRAL_NAME;
    if (neutralName) {
      starters.push(async () => {
        await api.setMyName(neutralName).catch((e: unknown) => log.warn('telegram: could not set the neutral name', { error: String(e) }));
        return async () => undefined;
      });
    }
    const { TELEGRAM_WEBHOOK_URL: url, TELEGRAM_WEBHOOK_SECRET: secret } = config;
    if (url && secret) {
      routes.push(telegramWebhookRoute({ inbox, secret, log, metrics, recordMessageIds: true }));
      starters.push(async () => {
        await registerWebhook(api, url, secret);
        log.info('telegram: webhook registered');
        return async () => undefined;
      });
    } else {
      starters.push(async () => {
        const polling = startPolling({ api, inbox, log, metrics, recordMessageIds: true });
        log.info('telegram: long polling (set TELEGRAM_WEBHOOK_URL for webhooks)');
        return () => polling.stop();
      });
    }
  }
  if (config.MESSENGER_PAGE_TOKEN && config.MESSENGER_APP_SECRET && config.MESSENGER_VERIFY_TOKEN) {
    senders.push(new MessengerSender({ graphUrl: config.MESSENGER_GRAPH_URL, pageToken: config.MESSENGER_PAGE_TOKEN }));
    routes.push(
      ...messengerRoutes({
        inbox,
        appSecret: config.MESSENGER_APP_SECRET,
        verifyToken: config.MESSENGER_VERIFY_TOKEN,
        log,
        metrics,
      }),
    );
    log.info('messenger: webhook at /webhooks/messenger');
  }

  for (const sender of senders) durableChannels.add(sender.channel);
  const worker = senders.length > 0
    ? new DeliveryWorker({
        store: inboxStore,
        sessions,
        service,
        senders,
        log,
        metrics,
        leaseMs: config.INBOX_LEASE_MS,
        onUndeliverable: (person, reason) => desk.undeliverable(person, reason),
        onGaveUp: async (person, entry, blocked) => {
          if (blocked) await broadcaster.blocked(person);
          const id = entry.meta?.['broadcast'];
          if (id) await broadcaster.failed(id);
        },
      })
    : undefined;
  await worker?.start();
  desk.startReaper(Math.min(5_000, Math.floor((config.CASE_LEASE_SECONDS * 1000) / 3)));
  awareness.start(30_000);
  broadcaster.start(2_000);
  const http = createHttpServer(routes, log);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.PORT, config.HOST, resolve);
  });
  const stoppers = await Promise.all(starters.map((start) => start()));
  const { port } = http.address() as AddressInfo;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const url = `http://${host}:${port}`;
  log.info('listening', { url });
  return {
    url,
    metrics,
    close: async () => {
      // New work stops first (webhooks, polling); the worker finishes what it holds; then the stores close.
      await Promise.all(stoppers.map((stop) => stop()));
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeIdleConnections();
      });
      await worker?.stop();
      desk.stop();
      awareness.stop();
      broadcaster.stop();
      await bus.close();
      await inboxStore.close();
      await sessions.close();
      if (redis) await redis.quit().catch(() => undefined);
    },
  };
}
