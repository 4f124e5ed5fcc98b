import { join } from 'node:path';
import { ROOT } from '../content/index.ts';
import { createAssessor, type Assessor } from './assess.ts';
import { loadLexicon, loadModel } from './lexicon.ts';
import type { LlmAssessor } from './llm.ts';
import type { Assessment } from './types.ts';

export { createAssessor, type Assessor } from './assess.ts';
export type { Assessment, FlagId, Risk, Writing } from './types.ts';

/** The assessor with the repository's lexicons and learned scorer (data/lexicon/). */
export function defaultAssessor(root = ROOT): Assessor {
  const data = join(root, 'data');
  return createAssessor(loadLexicon(data), loadModel(data));
}

/**
 * What the conversation calls on free text: the rules and the learned scorer, raised by the LLM when one is
 * set. The server and `hotline chat` use the same, so the terminal behaves as the bot does.
 */
export function freeTextReader(assessor: Assessor, llm?: LlmAssessor): (text: string, lang: string) => Promise<Assessment> {
  return async (text, lang) => {
    const rules = assessor.assess(text, lang);
    return llm ? llm.assess(text, rules) : rules;
  };
}
