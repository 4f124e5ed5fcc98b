import { flows, routeFreeText } from '../../flows/index.ts';
import { runChat } from '../channels/console/chat.ts';
import { isLang } from '../content/locales.ts';
import { loadContent } from '../content/index.ts';
import { ConversationService } from '../conversation/service.ts';
import { createLogger } from '../log.ts';
import { MemorySessionStore } from '../store/memory.ts';
import { defaultAssessor, freeTextReader } from '../understand/index.ts';

export async function chatCommand(lang: string | undefined, json: boolean): Promise<number> {
  if (lang !== undefined && !isLang(lang)) {
    process.stderr.write(`--lang must be one of lo, th, en (got ${JSON.stringify(lang)})\n`);
    return 2;
  }
  const service = new ConversationService({
    flows,
    content: loadContent(),
    sessions: new MemorySessionStore(),
    sessionTtlMs: 24 * 3_600_000,
    defaultLang: lang ?? 'lo',
    log: createLogger('warn'),
    // Free text is read as the server reads it (without the optional LLM): a crisis typed at a menu goes
    // straight to help, a pasted job ad to the job check.
    understand: freeTextReader(defaultAssessor()),
    routeFreeText,
  });
  await runChat({ service, input: process.stdin, output: process.stdout, json, ...(lang ? { lang } : {}) });
  return 0;
}
