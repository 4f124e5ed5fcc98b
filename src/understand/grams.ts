// The surface of a message for the learned scorer: short pieces of the text itself, beside the concepts.
//
// Why: concepts only see what the lexicon lists. A crisis told in plain words ("he waits outside the door",
// "ລົງລົດໄດ້ແຕ່ຕອນເຂົາສັ່ງ", "wont stop the van") has no listed sign, yet its words are not those of a
// question about overtime. Lao and Thai have no spaces, so they are read as letter trigrams, which need no
// word list and survive ICU's weak Lao dictionary; Latin letters (English and Latin-letter Lao) as folded
// words and word pairs, so "xuay"/"suay" and "bor"/"baw" are one word.
//
// Lao and Thai are read in one alphabet. The two scripts are cousins, and Unicode laid the Lao block out
// beside the Thai one letter for letter (ກ U+0E81, ก U+0E01), so Lao "ຂັງ" and Thai "ขัง" (to lock up) are one
// trigram: what the scorer learns from a Thai message counts for a Lao one, and the other way round.
import { foldLatin, isToneMark } from './normalize.ts';

/** Letters of Lao and Thai script. */
const SCRIPT_RUN = /[\u0e00-\u0eff]+/g;
const SCRIPT_LETTER = /[\u0e00-\u0eff]/;

/** Thai letters that Lao writes with one letter: folded to the one Lao uses (รถ, ລົດ: a car). */
const THAI_FOLDS: Record<string, string> = {
  ร: 'ล', ฬ: 'ล', ฤ: 'ล', ญ: 'ย', ศ: 'ส', ษ: 'ส', ธ: 'ท', ฑ: 'ท', ฒ: 'ท', ภ: 'พ', ฆ: 'ค', ฌ: 'ช', ฎ: 'ด', ฏ: 'ต', ฐ: 'ถ', ณ: 'น',
};
/** Lao letters whose Thai twin is not 0x80 below, or is two letters. */
const LAO_SPECIAL: Record<string, string> = { 'ໜ': 'หน', 'ໝ': 'หม', 'ຼ': 'ล', 'ຍ': 'ย', 'ຢ': 'ย' };

/** Marks left out: tone marks (with Thai ็ ์), Thai ฺ, and the short-vowel mark ั / ັ (Thai เจ็บ, Lao ເຈັບ). */
function dropped(code: number): boolean {
  return isToneMark(code) || code === 0x0e31 || code === 0x0eb1 || code === 0x0e3a;
}

/** The text in the shared Lao–Thai alphabet (Latin and the rest unchanged), and for each letter its offset in `text`. */
export function taiWithMap(text: string): { tai: string; map: number[] } {
  let tai = '';
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    const code = c.charCodeAt(0);
    if (dropped(code)) continue;
    let out = c;
    if (code >= 0x0e80 && code <= 0x0eff) out = LAO_SPECIAL[c] ?? (code <= 0x0ecd ? String.fromCharCode(code - 0x80) : c);
    out = [...out].map((x) => THAI_FOLDS[x] ?? x).join('');
    for (const x of out) {
      tai += x;
      map.push(i);
    }
  }
  return { tai, map };
}
const LATIN_WORD = /[a-z]+(?:'[a-z]+)?/g;
const TRIGRAM = 3;

/**
 * The pieces of a prepared text (see prepareScript): `s:` letter trigrams of each Lao or Thai run without
 * tone marks (its edges marked ^ and $), `w:` folded Latin words, `b:` pairs of neighbouring Latin words.
 * Each piece once, in order of first appearance.
 */
export function gramsOf(prepared: string): string[] {
  const out = new Set<string>();
  for (const run of taiWithMap(prepared).tai.match(SCRIPT_RUN) ?? []) {
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
    const { tai, map } = taiWithMap(prepared);
    const letters = body.replace(/^\^/, '').replace(/\$$/, '');
    const at = tai.indexOf(letters);
    if (at < 0 || letters === '') return undefined;
    // The trigram, widened to the run of script letters around it, at most 12 letters each side.
    const start = map[at] ?? 0;
    const end = (map[at + letters.length - 1] ?? start) + 1;
    let from = start;
    let to = end;
    while (from > 0 && start - from < 12 && SCRIPT_LETTER.test(prepared[from - 1] ?? '')) from--;
    while (to < prepared.length && to - end < 12 && SCRIPT_LETTER.test(prepared[to] ?? '')) to++;
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
