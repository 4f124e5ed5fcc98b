// Wires config → stores → conversation service → HTTP server, and shuts down cleanly on SIGTERM/SIGINT.
import type { AddressInfo } from 'node:net';
import { flows } from '../flows/index.ts';
import { webchatRoutes } from './channels/webchat/routes.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { loadContent } from './content/index.ts';
import { ConversationService } from './conversation/service.ts';
import { json, createHttpServer } from './http/server.ts';
import { createLogger, type Logger } from './log.ts';
import { MemorySessionStore } from './store/memory.ts';
import { RedisSessionStore } from './store/redis.ts';
import type { SessionStore } from './store/types.ts';

export interface RunningServer {
  url: string;
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
  const sessions = openSessions(config, log);
  const content = loadContent();
  const service = new ConversationService({
    flows,
    content,
    sessions,
    sessionTtlMs: config.SESSION_IDLE_HOURS * 3_600_000,
    defaultLang: config.DEFAULT_LANG,
    log,
  });
  const http = createHttpServer(
    [
      { method: 'GET', path: '/healthz', handler: () => json(200, { status: 'ok' }) },
      ...webchatRoutes({ service, t: service.t, defaultLang: config.DEFAULT_LANG, quickExitUrl: config.QUICK_EXIT_URL }),
    ],
    log,
  );
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.PORT, config.HOST, resolve);
  });
  const { port } = http.address() as AddressInfo;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const url = `http://${host}:${port}`;
  log.info('listening', { url });
  return {
    url,
    close: async () => {
      await new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await sessions.close();
    },
  };
}

function openSessions(config: Config, log: Logger): SessionStore {
  if (config.REDIS_URL) {
    log.info('sessions in redis', { prefix: config.REDIS_PREFIX });
    return RedisSessionStore.connect(config.REDIS_URL, config.REDIS_PREFIX);
  }
  log.warn(
    'MEMORY MODE: REDIS_URL is not set. Conversations live in this one process and are lost on restart. ' +
      'Set REDIS_URL for production or for more than one process.',
  );
  return new MemorySessionStore();
}
