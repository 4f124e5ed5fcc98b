// `hotline assess [--lang L] [--json]`: reads one message on stdin and prints what the rules find.
import { isLang } from '../content/locales.ts';
import { defaultAssessor } from '../understand/index.ts';
import type { Assessment } from '../understand/types.ts';

export async function assessCommand(lang: string | undefined, asJson: boolean, stdin: NodeJS.ReadableStream = process.stdin): Promise<number> {
  if (lang !== undefined && !isLang(lang)) {
    process.stderr.write(`--lang must be one of lo, th, en (got ${JSON.stringify(lang)})\n`);
    return 2;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const text = Buffer.concat(chunks).toString('utf8');
  const result = defaultAssessor().assess(text, lang);
  process.stdout.write(asJson ? `${JSON.stringify(result)}\n` : describe(result));
  return 0;
}

function describe(a: Assessment): string {
  if (a.unreadable) return `Could not read this (${a.unreadable}).\n`;
  const lines = [`risk: ${a.risk}${a.urgent ? ' — URGENT' : ''}   (written in: ${a.language})`];
  for (const f of a.flags) lines.push(`  • ${f.id}: "${f.evidence}"`);
  return `${lines.join('\n')}\n`;
}
