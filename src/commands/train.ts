// `hotline train`: learn the scorer of model.ts from the training sets and write data/lexicon/model.json.
// Run it after changing the lexicon or a labelled set; `hotline check` says when it is out of date.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../content/index.ts';
import { createAssessor } from '../understand/assess.ts';
import { flagsWeighing, loadLexicon } from '../understand/lexicon.ts';
import { trainingData } from '../understand/sets.ts';
import { examplesOf, train } from '../understand/train.ts';
import { storedModelText } from '../understand/model.ts';

export function trainCommand(): number {
  const lexicon = loadLexicon(join(ROOT, 'data'));
  const rulesOnly = createAssessor(lexicon);
  const { fixtures, digest, sets } = trainingData(ROOT);
  // The flags a raise may name: the crisis flags (urgent head) and the other strong ones (high head).
  const model = train(examplesOf(fixtures, rulesOnly), sets, digest, flagsWeighing(lexicon.flags, 'crisis', 'strong'));
  writeFileSync(join(ROOT, 'data', 'lexicon', 'model.json'), storedModelText(model));
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const cv = model.crossValidation;
  process.stdout.write(
    `trained on ${model.examples} messages (${sets.join(', ')})\n` +
      `thresholds: urgent ${model.urgent.threshold} (generic reasons ${model.urgent.sureThreshold}, no concept ${model.urgent.bareThreshold}), ` +
      `high ${model.high.threshold} (generic reasons ${model.high.sureThreshold}, no concept ${model.high.bareThreshold})\n` +
      `out of fold (leave one set out): high recall ${pct(cv.highRecall)}, urgent recall ${pct(cv.urgentRecall)}, benign kept low ${pct(cv.benignLow)}\n` +
      `wrote data/lexicon/model.json\n`,
  );
  return 0;
}
