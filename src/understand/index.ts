import { join } from 'node:path';
import { ROOT } from '../content/index.ts';
import { createAssessor, type Assessor } from './assess.ts';
import { loadLexicon, loadModel } from './lexicon.ts';

export { createAssessor, type Assessor } from './assess.ts';
export type { Assessment, FlagId, Risk, Writing } from './types.ts';

/** The assessor with the repository's lexicons and learned scorer (data/lexicon/). */
export function defaultAssessor(root = ROOT): Assessor {
  const data = join(root, 'data');
  return createAssessor(loadLexicon(data), loadModel(data));
}
