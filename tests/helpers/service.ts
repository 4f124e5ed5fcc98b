import { flows as realFlows, routeFreeText } from '../../flows/index.ts';
import { defaultAssessor, type Assessor } from '../../src/understand/index.ts';
import { loadContent, type Content } from '../../src/content/index.ts';
import type { Lang } from '../../src/content/locales.ts';
import { ConversationService, type ConversationDeps } from '../../src/conversation/service.ts';
import type { Outbound } from '../../src/conversation/types.ts';
import type { Flows } from '../../src/engine/index.ts';
import { createLogger } from '../../src/log.ts';
import { MemorySessionStore } from '../../src/store/memory.ts';
import type { SessionStore } from '../../src/store/types.ts';

let cachedAssessor: Assessor | undefined;
function assessor(): Assessor {
  cachedAssessor ??= defaultAssessor();
  return cachedAssessor;
}

let cached: Content | undefined;
export function content(): Content {
  cached ??= loadContent();
  return cached;
}

export interface TestService {
  service: ConversationService;
  sessions: SessionStore;
  logs: string[];
  escalations: { person: string; event: Extract<Outbound, { type: 'escalation' }> }[];
}

export function makeService(
  opts: {
    flows?: Flows;
    sessions?: SessionStore;
    defaultLang?: Lang;
    limiter?: ConversationDeps['limiter'];
    awareness?: ConversationDeps['awareness'];
    desk?: ConversationDeps['desk'];
    now?: () => number;
  } = {},
): TestService {
  const logs: string[] = [];
  const escalations: TestService['escalations'] = [];
  const sessions = opts.sessions ?? new MemorySessionStore();
  const service = new ConversationService({
    flows: opts.flows ?? realFlows,
    content: content(),
    sessions,
    sessionTtlMs: 24 * 3_600_000,
    defaultLang: opts.defaultLang ?? 'en',
    log: createLogger('debug', (line) => logs.push(line)),
    onEscalation: async (person, event) => {
      escalations.push({ person, event });
    },
    understand: async (text, lang) => assessor().assess(text, lang),
    routeFreeText,
    ...(opts.limiter ? { limiter: opts.limiter } : {}),
    ...(opts.awareness ? { awareness: opts.awareness } : {}),
    ...(opts.desk ? { desk: opts.desk } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  return { service, sessions, logs, escalations };
}
