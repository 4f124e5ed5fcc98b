import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDirectory, type Directory } from './directory.ts';
import { loadFacts, type Facts } from './facts.ts';
import { loadHelpWords, type HelpWords } from './help-words.ts';
import { createTranslator, loadResources, type Resources, type Translate } from './locales.ts';

export interface Content {
  resources: Resources;
  t: Translate;
  directory: Directory;
  helpWords: HelpWords;
  facts: Facts;
}

/** The repository root: locales/ and data/ live beside src/. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function loadContent(root = ROOT): Content {
  const resources = loadResources(join(root, 'locales'));
  return {
    resources,
    t: createTranslator(resources),
    directory: loadDirectory(join(root, 'data', 'help-directory.json')),
    helpWords: loadHelpWords(join(root, 'data', 'help-words.json')),
    facts: loadFacts(join(root, 'data', 'facts.json')),
  };
}
