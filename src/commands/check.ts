import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computedKeys, flows } from '../../flows/index.ts';
import { flowsDoc } from '../check/diagram.ts';
import { check, type Problem } from '../check/index.ts';
import { loadContent, ROOT, type Content } from '../content/index.ts';
import { createAssessor } from '../understand/assess.ts';
import { loadLexicon, loadModel } from '../understand/lexicon.ts';
import { trainingData } from '../understand/sets.ts';
import { FLAG_IDS } from '../understand/types.ts';

/** The lexicons parse, every red flag can be found in Lao script, Thai script and Latin letters, and every frame finds its example. */
export function checkLexicon(dataDir: string, root = ROOT): Problem[] {
  let lexicon;
  try {
    lexicon = loadLexicon(dataDir);
  } catch (error) {
    return [{ file: 'data/lexicon/', message: error instanceof Error ? error.message : String(error) }];
  }
  const problems: Problem[] = [];
  for (const id of FLAG_IDS) {
    const entry = lexicon.flags.flags[id];
    if (!entry) {
      problems.push({ file: 'data/lexicon/flags.json', message: `no terms for the flag "${id}"` });
      continue;
    }
    for (const writing of ['lo', 'th', 'latin'] as const) {
      if (entry[writing].length === 0) problems.push({ file: 'data/lexicon/flags.json', message: `"${id}" has no ${writing} terms` });
    }
  }
  // Each frame finds the example it was written for: a misspelt concept word shows up here, not in a chat.
  const assessor = createAssessor(lexicon);
  lexicon.frames.frames.forEach((frame, i) => {
    const found = new Set(assessor.assess(frame.example).flags.map((f) => f.id));
    const missing = frame.flags.filter((flag) => !found.has(flag));
    if (missing.length > 0) {
      problems.push({ file: 'data/lexicon/frames.json', message: `frame ${i} (${frame.parts.join(' + ')}) does not find ${missing.join(', ')} in its example "${frame.example}"` });
    }
  });
  // The learned scorer was trained from this lexicon and these labelled sets (model.ts).
  try {
    const model = loadModel(dataDir);
    if (model && model.digest !== trainingData(root, dataDir).digest) {
      problems.push({ file: 'data/lexicon/model.json', message: 'out of date with the lexicon or the labelled sets: run `npx hotline train`' });
    }
  } catch (error) {
    problems.push({ file: 'data/lexicon/model.json', message: error instanceof Error ? error.message : String(error) });
  }
  return problems;
}

export function checkCommand(): number {
  let content: Content;
  try {
    content = loadContent();
  } catch (error) {
    process.stderr.write(`✗ ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const problems: Problem[] = [...check(flows, content, computedKeys), ...checkLexicon(join(ROOT, 'data'))];
  const docPath = join(ROOT, 'docs', 'flows.md');
  let doc = '';
  try {
    doc = readFileSync(docPath, 'utf8');
  } catch {
    // reported below as out of date
  }
  if (doc !== flowsDoc(flows, content.t)) {
    problems.push({ file: 'docs/flows.md', message: 'out of date with flows/: run `npx hotline diagram --doc > docs/flows.md`' });
  }
  for (const p of problems) process.stderr.write(`✗ ${p.file}: ${p.message}\n`);
  if (problems.length > 0) {
    process.stderr.write(`\nhotline check: ${problems.length} problem(s)\n`);
    return 1;
  }
  process.stdout.write(`hotline check: ${Object.keys(flows).length} flows and ${3} locales OK\n`);
  return 0;
}
