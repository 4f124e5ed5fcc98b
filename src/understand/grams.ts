// The surface of a message for the learned scorer: short pieces of the text itself, beside the concepts.
//
// Why: concepts only see what the lexicon lists. A crisis told in plain words ("he waits outside the door",
// "ລົງລົດໄດ້ແຕ່ຕອນເຂົາສັ່ງ", "wont stop the van") has no listed sign, yet its words are not those of a
// question about overtime. Lao and Thai have no spaces, so they are read as letter trigrams, which need no
// word list and survive ICU's weak Lao dictionary; Latin letters (English and Latin-letter Lao) as folded
// words and word pairs, so "xuay"/"suay" and "bor"/"baw" are one word.
import { foldLatin, stripTones, tonelessWithMap } from './normalize.ts';

/** Letters of Lao and Thai script. */
const SCRIPT_RUN = /[\u0e00-\u0eff]+/g;
const LATIN_WORD = /[a-z]+(?:'[a-z]+)?/g;
const TRIGRAM = 3;

/**
 * The pieces of a prepared text (see prepareScript): `s:` letter trigrams of each Lao or Thai run without
 * tone marks (its edges marked ^ and $), `w:` folded Latin words, `b:` pairs of neighbouring Latin words.
 * Each piece once, in order of first appearance.
 */
export function gramsOf(prepared: string): string[] {
  const out = new Set<string>();
  for (const run of stripTones(prepared).match(SCRIPT_RUN) ?? []) {
    const marked = `^${run}$`;
    for (let i = 0; i + TRIGRAM <= marked.length; i++) out.add(`s:${marked.slice(i, i + TRIGRAM)}`);
  }
  const words = (prepared.match(LATIN_WORD) ?? []).map(foldLatin);
  words.forEach((w, i) => {
    out.add(`w:${w}`);
    if (i > 0) out.add(`b:${words[i - 1]} ${w}`);
  });
  return [...out];
}

/**
 * How much one piece counts: half a concept in a short message, less in a long one (a job ad of 200 words
 * against a plea of 8). Neighbouring trigrams repeat one another, so at full weight a few of them outvote a
 * concept that takes the danger back ("ແມ່ບໍ່ໃຫ້ອອກ", mother won't let me out, is a parent's rule). 0.5
 * was chosen out of fold, with 0.7 and 1.
 */
export function gramValue(count: number): number {
  return 0.5 / Math.sqrt(Math.max(1, count / 20));
}

/** The words of the prepared text that a piece came from, as the person wrote them: evidence to show. */
export function gramEvidence(prepared: string, gram: string): string | undefined {
  const kind = gram.slice(0, 2);
  const body = gram.slice(2);
  if (kind === 's:') {
    const { toneless, map } = tonelessWithMap(prepared);
    const letters = body.replace(/^\^/, '').replace(/\$$/, '');
    const at = toneless.indexOf(letters);
    if (at < 0 || letters === '') return undefined;
    // The trigram, widened to the run of script letters around it, at most 12 letters each side.
    const start = map[at] ?? 0;
    const end = (map[at + letters.length - 1] ?? start) + 1;
    let from = start;
    let to = end;
    while (from > 0 && start - from < 12 && /[\u0e00-\u0eff]/.test(prepared[from - 1] ?? '')) from--;
    while (to < prepared.length && to - end < 12 && /[\u0e00-\u0eff]/.test(prepared[to] ?? '')) to++;
    return prepared.slice(from, to);
  }
  const wanted = body.split(' ');
  const words = [...prepared.matchAll(LATIN_WORD)];
  for (let i = 0; i + wanted.length <= words.length; i++) {
    if (wanted.every((w, j) => foldLatin(words[i + j]?.[0] ?? '') === w)) {
      const first = words[i];
      const last = words[i + wanted.length - 1];
      if (first?.index !== undefined && last?.index !== undefined) return prepared.slice(first.index, last.index + last[0].length);
    }
  }
  return undefined;
}
