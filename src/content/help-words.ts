// Words that open "get help now" from anywhere in a conversation, kept in data/help-words.json.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const helpWordsSchema = z.object({
  /** Matched as whole words in Latin script (help, suay). */
  latin: z.array(z.string().regex(/^[a-z ]+$/)).min(1),
  /** Matched anywhere in the message: Lao and Thai are written without spaces between words. */
  script: z.array(z.string().min(1)).min(1),
});
export type HelpWords = z.infer<typeof helpWordsSchema>;

export function loadHelpWords(path: string): HelpWords {
  const parsed = helpWordsSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function isHelpRequest(words: HelpWords, text: string): boolean {
  const lower = text.normalize('NFC').toLowerCase();
  if (words.script.some((w) => lower.includes(w.normalize('NFC')))) return true;
  const tokens = ` ${lower.replace(/[^a-z]+/g, ' ')} `;
  return words.latin.some((w) => tokens.includes(` ${w} `));
}
