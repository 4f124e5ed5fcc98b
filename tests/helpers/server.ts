import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { listen, type RunningServer } from '../../src/main.ts';

/** A fixed key for tests (Redis mode requires one); never a production key. */
export const TEST_TRANSCRIPT_KEY = Buffer.alloc(32, 1).toString('base64');

/** The real server on 127.0.0.1 with a free port, in memory mode unless the env says otherwise. */
export function startTestServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig({ TRANSCRIPT_KEY: TEST_TRANSCRIPT_KEY, HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env });
  // PORT=0 is refused by the config schema for operators; tests ask the OS for a free port.
  return listen({ ...config, PORT: 0 }, createLogger('silent'));
}
