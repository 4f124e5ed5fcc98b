import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFixtures, type Fixture } from './evaluate.ts';
import { digestOf } from './model.ts';

// The labelled sets in tests/fixtures/, oldest first, and how each has been used. A set is honest only until
// someone tunes on its misses; a blind set (written by someone who never saw the lexicon) keeps its first
// measurement in its README.md. `hotline train` learns from the sets marked `train`; a set kept out of
// training and tuning is the one that measures the next change honestly.
export interface LabelledSet {
  dir: string;
  how: string;
  train: boolean;
}

export const LABELLED_SETS: readonly LabelledSet[] = [
  { dir: 'assess', how: 'written with the lexicon and tuned on', train: true },
  { dir: 'assess-holdout', how: 'held out in session 1, tuned on since session 2', train: true },
  { dir: 'assess-blind-a', how: 'blind, measured once, then tuned on', train: true },
  { dir: 'assess-blind-b', how: 'blind, measured once, then tuned on', train: true },
  { dir: 'assess-blind-c', how: 'blind, measured once, then tuned on', train: true },
  { dir: 'assess-blind-d', how: 'blind, measured once, then tuned on', train: true },
  { dir: 'assess-blind-e', how: 'blind, measured once, then tuned on', train: true },
  { dir: 'assess-blind-f', how: 'blind, measured once, then tuned on', train: true },
  { dir: 'assess-blind-g', how: 'blind, measured once, then tuned on', train: true },
  { dir: 'assess-blind-h', how: 'blind, measured once, then tuned on', train: true },
  { dir: 'assess-blind-i', how: 'blind, measured once, then tuned on', train: true },
  { dir: 'assess-blind-j', how: 'blind, measured once, then tuned on', train: true },
  { dir: 'assess-blind-k', how: 'blind, measured once, then tuned on', train: true },
  { dir: 'assess-blind-l', how: 'blind, measured once, then tuned on', train: true },
  { dir: 'assess-blind-m', how: 'blind, measured once, then tuned on', train: true },
  { dir: 'assess-blind-n', how: 'blind, measured once, then tuned on', train: true },
  { dir: 'assess-blind-o', how: 'blind, measured once, then tuned on', train: true },
  { dir: 'assess-blind-p', how: 'blind, measured once, then trained on (the lexicon not tuned on it)', train: true },
  { dir: 'assess-blind-q', how: 'blind, measured once, then trained on (the lexicon not tuned on it)', train: true },
  { dir: 'assess-blind-x', how: 'blind, measured once, then tuned and trained on', train: true },
  { dir: 'assess-blind-y', how: 'blind, measured once, then tuned and trained on', train: true },
  { dir: 'assess-blind-ae', how: 'blind, measured once, then tuned and trained on', train: true },
  { dir: 'assess-blind-af', how: 'blind, measured once, then tuned and trained on', train: true },
  { dir: 'assess-blind-ag', how: 'blind, measured once, then tuned and trained on', train: true },
  { dir: 'assess-blind-ah', how: 'blind, measured once, then tuned and trained on', train: true },
  // Held out: nobody has read their misses and nothing learns from them (eval hides their misses).
  { dir: 'assess-blind-r', how: 'held out: never read, tuned or trained on', train: false },
  { dir: 'assess-blind-s', how: 'held out: never read, tuned or trained on', train: false },
  { dir: 'assess-blind-t', how: 'held out: never read, tuned or trained on', train: false },
  { dir: 'assess-blind-u', how: 'held out: never read, tuned or trained on', train: false },
  { dir: 'assess-blind-v', how: 'held out: never read, tuned or trained on', train: false },
  { dir: 'assess-blind-w', how: 'held out: never read, tuned or trained on', train: false },
  { dir: 'assess-blind-aa', how: 'held out: never read, tuned or trained on', train: false },
  { dir: 'assess-blind-ab', how: 'held out: never read, tuned or trained on', train: false },
  { dir: 'assess-blind-ac', how: 'held out: never read, tuned or trained on', train: false },
  { dir: 'assess-blind-ad', how: 'held out: never read, tuned or trained on', train: false },
];

/** The labelled messages of the training sets, and the digest of everything a model is trained from. */
export function trainingData(root: string, dataDir = join(root, 'data')): { fixtures: (Fixture & { dir: string })[]; digest: string; sets: string[] } {
  const sets = LABELLED_SETS.filter((s) => s.train).map((s) => s.dir);
  const read = (name: string, path: string) => ({ name, text: readFileSync(path, 'utf8') });
  const lexicon = ['flags.json', 'frames.json', 'language.json'].map((f) => read(`data/lexicon/${f}`, join(dataDir, 'lexicon', f)));
  // Each labelled file is read once: for its messages and for the digest.
  const labelled = sets.flatMap((dir) =>
    readdirSync(join(root, 'tests', 'fixtures', dir))
      .filter((f) => f.endsWith('.jsonl'))
      .sort()
      .map((file) => ({ dir, file, ...read(`tests/fixtures/${dir}/${file}`, join(root, 'tests', 'fixtures', dir, file)) })),
  );
  const fixtures = labelled.flatMap(({ dir, file, text }) => parseFixtures(file, text).map((f) => ({ ...f, dir })));
  return { fixtures, sets, digest: digestOf([...lexicon, ...labelled.map(({ name, text }) => ({ name, text }))]) };
}
