// Text as people write it on phones, folded so that a lexicon matches it: one Unicode form, no control
// characters, ASCII digits, no tone marks (they are written inconsistently), one spelling of Lao ໜ/ໝ,
// and Latin-letter Lao folded towards one spelling.

/** Longer texts are cut before matching: a job ad is never this long. */
export const MAX_ASSESS_CHARS = 20_000;

const LAO = /[\u0e80-\u0eff]/g;
const THAI = /[\u0e00-\u0e7f]/g;
const LATIN = /[a-z]/gi;
/** Characters of the Latin-1 block that pre-Unicode Lao fonts used to carry Lao letters. */
const LATIN1_LETTERS = /[\u00c0-\u00ff]/g;

export interface Scripts {
  lao: number;
  thai: number;
  latin: number;
  legacy: number;
}

export function countScripts(text: string): Scripts {
  const count = (re: RegExp) => (text.match(re) ?? []).length;
  return { lao: count(LAO), thai: count(THAI), latin: count(LATIN), legacy: count(LATIN1_LETTERS) };
}

/**
 * Text typed with an old Lao font (before Unicode) arrives as Latin-1 letters ("ÊÐºÒ¬´Õ"): it cannot be
 * read as Lao, and must not be read as anything else.
 */
export function looksLegacyLao(text: string): boolean {
  const s = countScripts(text);
  return s.legacy >= 4 && s.legacy > (s.latin - s.legacy + s.lao + s.thai) * 0.3;
}

const LAO_TONES = /[\u0ec8-\u0ecc]/g;
const THAI_TONES = /[\u0e47-\u0e4c]/g;

/**
 * One form for matching: NFC, no control or zero-width characters, ASCII digits (Lao ໑ and Thai ๑ too),
 * one spelling of Lao ໜ/ໝ, lower case, single spaces. Tone marks stay (see stripTones).
 */
export function prepareScript(text: string): string {
  return text
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/[\u0ed0-\u0ed9]/g, (d) => String(d.charCodeAt(0) - 0x0ed0))
    .replace(/[\u0e50-\u0e59]/g, (d) => String(d.charCodeAt(0) - 0x0e50))
    .replace(/ຫນ/g, 'ໜ')
    .replace(/ຫມ/g, 'ໝ')
    .replace(/ພາສະປອດ/g, 'ພາສປອດ')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** Tone marks are often left out or misplaced on phones: terms also match without them when long enough. */
export function stripTones(text: string): string {
  return text.replace(LAO_TONES, '').replace(THAI_TONES, '');
}

/** The marks stripTones removes, tested by code where it runs per letter. */
export function isToneMark(code: number): boolean {
  return (code >= 0x0ec8 && code <= 0x0ecc) || (code >= 0x0e47 && code <= 0x0e4c);
}

/** The text without tone marks, and for each of its letters the offset of that letter in `text`. */
export function tonelessWithMap(text: string): { toneless: string; map: number[] } {
  let toneless = '';
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (isToneMark(text.charCodeAt(i))) continue;
    toneless += text[i];
    map.push(i);
  }
  return { toneless, map };
}

/** Whole words of Latin-letter Lao with spellings too far apart for the rules below (the negation ບໍ່). */
const WORD_FOLDS: Record<string, string> = {
  bor: 'bo',
  baw: 'bo',
  bau: 'bo',
  bhor: 'bo',
  khoy: 'koi',
  khoi: 'koi',
  koy: 'koi',
  kxoy: 'koi',
  kxoi: 'koi',
  laew: 'leo',
  lew: 'leo',
  laeo: 'leo',
  leaw: 'leo',
};

/**
 * A match found with the tone marks taken out is a real match only if the text left marks out, not if it
 * wrote other ones: "ໜີບໍ່ໄດ້" (cannot flee) is not inside "ໃຊ້ໜີ້ບໍ່ໄດ້" (cannot pay a debt).
 * `start` and `end` are offsets in `text` of the first and past the last letter of the match.
 */
export function tonesFit(text: string, start: number, end: number, term: string): boolean {
  const syllables = (s: string) => {
    const out: { base: string; tones: string }[] = [];
    for (const c of s) {
      if (isToneMark(c.charCodeAt(0))) {
        const last = out.at(-1);
        if (last) last.tones += c;
      } else out.push({ base: c, tones: '' });
    }
    return out;
  };
  let stop = end;
  while (stop < text.length && isToneMark(text.charCodeAt(stop))) stop++;
  const got = syllables(text.slice(start, stop));
  const want = syllables(term);
  if (got.length !== want.length) return false;
  return got.every((g, i) => g.tones === '' || g.tones === want[i]?.tones);
}

/**
 * Latin-letter Lao has no fixed spelling ("suay", "suai", "xuay", "souay"; "ngern", "ngeun", "nguen";
 * "prasopkan", "pasopkan"; "wiak", "viak"): fold the common variations. Applied to
 * whole words of the text and of the lexicon alike, so English words fold too, consistently on both sides.
 */
export function foldLatin(word: string): string {
  const mapped = WORD_FOLDS[word];
  if (mapped) return mapped;
  return word
    .replace(/ee/g, 'i')
    .replace(/oo/g, 'u')
    .replace(/(.)\1+/g, '$1')
    .replace(/^x/, 's')
    .replace(/ou/g, 'u')
    .replace(/ay$/, 'ai')
    .replace(/oy$/, 'oi')
    .replace(/uy$/, 'ui')
    .replace(/aw/g, 'ao')
    .replace(/^pr/, 'p')
    .replace(/ph/g, 'p')
    .replace(/ch/g, 'j')
    .replace(/w/g, 'v')
    .replace(/eu|ue/g, 'e')
    .replace(/rn$/, 'n');
}
