// Frames: red flags said in the person's own words, found as concepts near each other rather than as fixed
// phrases. "The gate is chained", "ປະຕູລັອກໄວ້" and "ประตูล็อกจากข้างนอก" share no phrase with "locked in",
// but all say a barrier plus a lock. An editor extends a concept's word list once and every frame that uses
// the concept gains it, in every sentence shape: this is how the rules reach phrasings no one listed.
import { coordinatedNegation } from './negation.ts';
import type { FrameLexicon } from './lexicon.ts';
import { foldLatin, prepareScript, stripTones, tonesFit } from './normalize.ts';
import type { FlagId } from './types.ts';

/** Lao and Thai terms this short match only at the start of a word: "ອອກ" (leave) is not the end of "ບອກ". */
const SHORT_SCRIPT_TERM = 3;
/** Toneless Lao terms shorter than this are too ambiguous (same rule as the flag terms). */
const MIN_TONELESS = 5;
/** A concept rarely appears more often than this in one message; more hits only cost time. */
const MAX_HITS = 24;
const SENTENCE_END = /[.!?;]/;
/** A term that stops before a tone or vowel mark is only part of a syllable: "ໜີ" (flee) in "ໜີ້" (debt). */
const COMBINING = /\p{M}/u;

interface Hit {
  start: number;
  end: number;
}

interface CompiledConcept {
  negative: boolean;
  script: { toned: string; toneless?: string }[];
  /** Latin terms as folded words; a word ending in `*` matches any word it starts. */
  latin: string[][];
  /** The Latin terms by their first word, so a message is not read once per term; prefix terms apart. */
  latinByFirst: Map<string, string[][]>;
  latinPrefixed: string[][];
}

interface CompiledFrame {
  flags: FlagId[];
  parts: string[];
  ordered: boolean;
  within: number;
  /** Concepts that, anywhere in the same sentence, show the frame is not meant ("the shop is locked on Sunday"). */
  unless: string[];
  /** A frame with a concept that carries its own negation ("can't", "ບໍ່ໃຫ້") is never undone by one. */
  negatable: boolean;
}

/** What the assessor has already worked out about the text; frames reuse it. */
export interface PreparedText {
  text: string;
  /** Word and sentence edges of `text`, when the caller has them already. */
  layout?: Layout;
  toneless: string;
  /** Offsets in `toneless` back to offsets in `text`. */
  tonelessToText: number[];
}

export interface FrameMatcher {
  /**
   * Flags whose frame is found, each with the stretch of text that shows it; and every concept present (not
   * negated), with the words that show it: the features the learned scorer weighs (see model.ts).
   */
  match(prepared: PreparedText, wanted: (flag: FlagId) => boolean): { flags: Map<FlagId, string>; concepts: Map<string, string> };
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

function indexLatin(latin: string[][]): Pick<CompiledConcept, 'latin' | 'latinByFirst' | 'latinPrefixed'> {
  const latinByFirst = new Map<string, string[][]>();
  const latinPrefixed: string[][] = [];
  for (const term of latin) {
    const first = term[0] ?? '';
    if (first.endsWith('*')) latinPrefixed.push(term);
    else latinByFirst.set(first, [...(latinByFirst.get(first) ?? []), term]);
  }
  return { latin, latinByFirst, latinPrefixed };
}

/** A prefix folds as the start of a longer word: "repay*" must still match "repayment". */
function foldPrefix(prefix: string): string {
  return foldLatin(`${prefix}q`).slice(0, -1);
}

export function compileFrames(lexicon: FrameLexicon, negations: { script: string[]; latin: string[][] }): FrameMatcher {
  const concepts = new Map<string, CompiledConcept>();
  for (const [id, c] of Object.entries(lexicon.concepts)) {
    concepts.set(id, {
      negative: c.negative,
      script: [...c.lo, ...c.th].map(prepareScript).map((t) => {
        const toneless = stripTones(t);
        return { toned: t, ...(toneless !== t && toneless.length >= MIN_TONELESS ? { toneless } : {}) };
      }),
      ...indexLatin(c.latin.map((t) => t.toLowerCase().split(/\s+/).filter(Boolean).map((w) => (w.endsWith('*') ? `${foldPrefix(w.slice(0, -1))}*` : foldLatin(w))))),
    });
  }
  const frames: CompiledFrame[] = lexicon.frames.map((f) => ({
    flags: f.flags,
    parts: f.parts,
    ordered: f.ordered,
    within: f.within,
    unless: f.unless,
    negatable: !f.parts.some((p) => concepts.get(p)?.negative),
  }));

  return {
    match(prepared, wanted) {
      const found = new Map<FlagId, string>();
      const layout = prepared.layout ?? layoutOf(prepared.text);
      const hitCache = new Map<string, Hit[]>();
      const hitsOf = (id: string): Hit[] => {
        let hits = hitCache.get(id);
        if (!hits) {
          const concept = concepts.get(id);
          hits = concept ? conceptHits(concept, prepared, layout) : [];
          hitCache.set(id, hits);
        }
        return hits;
      };
      const negated = (hit: Hit) => isNegated(hit, prepared.text, layout, negations);
      for (const frame of frames) {
        if (frame.flags.every((flag) => found.has(flag) || !wanted(flag))) continue;
        const lists = frame.parts.map(hitsOf);
        if (lists.some((l) => l.length === 0)) continue;
        const unless = frame.unless.flatMap(hitsOf);
        const excluded = (sentence: number) => unless.some((h) => layout.sentenceAt[h.start] === sentence);
        const span = findSpan(frame, lists, layout, (hit) => frame.negatable && negated(hit), excluded);
        if (!span) continue;
        const evidence = prepared.text.slice(span.start, span.end).slice(0, 80);
        for (const flag of frame.flags) if (!found.has(flag) && wanted(flag)) found.set(flag, evidence);
      }
      const present = new Map<string, string>();
      for (const [id, concept] of concepts) {
        const hit = hitsOf(id).find((h) => concept.negative || !negated(h));
        if (hit) present.set(id, prepared.text.slice(hit.start, hit.end));
      }
      return { flags: found, concepts: present };
    },
  };
}

/** Where the words and sentences of the text begin, from Intl.Segmenter (Lao and Thai have no spaces). */
export interface Layout {
  /** Index of the word each character belongs to. */
  wordAt: Int32Array;
  wordStart: Uint8Array;
  sentenceAt: Int32Array;
  /** Latin words with their offsets, folded; punctuation kept as its own token so negation stops there. */
  latin: { word: string; start: number; end: number }[];
}

export function layoutOf(text: string): Layout {
  const wordAt = new Int32Array(text.length + 1);
  const wordStart = new Uint8Array(text.length + 1);
  const sentenceAt = new Int32Array(text.length + 1);
  let word = 0;
  let sentence = 0;
  for (const seg of segmenter.segment(text)) {
    if (seg.isWordLike) {
      wordStart[seg.index] = 1;
      word++;
    }
    for (let i = seg.index; i < seg.index + seg.segment.length; i++) {
      wordAt[i] = word;
      if (SENTENCE_END.test(text[i] ?? '')) sentence++;
      sentenceAt[i] = sentence;
    }
  }
  const latin = [...text.matchAll(/[a-z0-9$฿/]+(?:'[a-z]+)?|[,.;:!?]/g)].map((m) => ({ word: foldLatin(m[0]), start: m.index, end: m.index + m[0].length }));
  return { wordAt, wordStart, sentenceAt, latin };
}

function conceptHits(concept: CompiledConcept, prepared: PreparedText, layout: Layout): Hit[] {
  const hits: Hit[] = [];
  const add = (start: number, end: number) => {
    if (hits.length < MAX_HITS && !hits.some((h) => h.start === start)) hits.push({ start, end });
  };
  for (const term of concept.script) {
    const short = term.toned.length <= SHORT_SCRIPT_TERM;
    for (let at = prepared.text.indexOf(term.toned); at >= 0; at = prepared.text.indexOf(term.toned, at + 1)) {
      const end = at + term.toned.length;
      if (COMBINING.test(prepared.text[end] ?? '')) continue;
      if (!short || (startsWell(layout, prepared.text, at) && endsWell(layout, prepared.text, end))) add(at, end);
    }
    if (term.toneless) {
      for (let at = prepared.toneless.indexOf(term.toneless); at >= 0; at = prepared.toneless.indexOf(term.toneless, at + 1)) {
        const start = prepared.tonelessToText[at] ?? 0;
        const last = prepared.tonelessToText[at + term.toneless.length - 1] ?? start;
        if (tonesFit(prepared.text, start, last + 1, term.toned)) add(start, last + 1);
      }
    }
  }
  const words = layout.latin;
  const matchesAt = (term: string[], i: number) => {
    if (i + term.length > words.length) return false;
    for (let j = 0; j < term.length; j++) {
      const want = term[j] ?? '';
      const got = words[i + j]?.word ?? '';
      if (want.endsWith('*') ? !got.startsWith(want.slice(0, -1)) : got !== want) return false;
    }
    return true;
  };
  for (let i = 0; i < words.length; i++) {
    for (const term of [...(concept.latinByFirst.get(words[i]?.word ?? '') ?? []), ...concept.latinPrefixed]) {
      if (matchesAt(term, i)) add(words[i]?.start ?? 0, words[i + term.length - 1]?.end ?? 0);
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

/**
 * A short term ends a word, or leaves at least two letters of it ("ອອກ" in "ອອກໄປ", go out), but never one
 * ("ຕີ", hit, in "ຕີນ", foot).
 */
export function endsWell(layout: Layout, text: string, end: number): boolean {
  if (end >= text.length || layout.wordAt[end] !== layout.wordAt[end - 1] || !/\p{L}/u.test(text[end] ?? '')) return true;
  let rest = 0;
  for (let i = end; i < text.length && layout.wordAt[i] === layout.wordAt[end - 1] && /\p{L}|\p{M}/u.test(text[i] ?? ''); i++) rest++;
  return rest >= 2;
}

/** The mirror of endsWell: "ໂສ້" (chain) in "ລ່າມໂສ້" (chained up), but not "ອກ" in "ບອກ". */
function startsWell(layout: Layout, text: string, at: number): boolean {
  if (layout.wordStart[at] === 1 || at === 0 || !/\p{L}|\p{M}/u.test(text[at - 1] ?? '')) return true;
  let before = 0;
  for (let i = at - 1; i >= 0 && layout.wordAt[i] === layout.wordAt[at] && /\p{L}|\p{M}/u.test(text[i] ?? ''); i--) before++;
  return before >= 2;
}

/** Words that may stand between a negation and what it undoes ("did not even take", "hasn't yet been"). */
const FILLERS = new Set(['even', 'really', 'ever', 'yet', 'been', 'be', 'get', 'got']);

/**
 * A negation right before the hit undoes it ("not locked", "ບໍ່ລັອກ", "ไม่ได้ล็อก", "bor dai khai"). Only right
 * before: in Lao the negation belongs to the next verb, so in "bor sao si khai" (if you do not pay, they
 * will sell) "bor" undoes "sao", not "khai".
 */
function isNegated(hit: Hit, text: string, layout: Layout, negations: { script: string[]; latin: string[][] }): boolean {
  const before = text.slice(Math.max(0, hit.start - 8), hit.start).split(' ').at(-1) ?? '';
  if (before && negations.script.some((n) => before.includes(n))) return true;
  const idx = layout.latin.findIndex((w) => w.start === hit.start);
  if (idx < 0) return false;
  let end = idx;
  while (end > 0 && FILLERS.has(layout.latin[end - 1]?.word ?? '')) end--;
  if (negations.latin.some((neg) => neg.length > 0 && neg.length <= end && neg.every((w, j) => layout.latin[end - neg.length + j]?.word === w))) return true;
  const clause: string[] = [];
  for (let i = idx - 1; i >= 0 && !/^[,.;:!?]$/.test(layout.latin[i]?.word ?? ''); i--) clause.unshift(layout.latin[i]?.word ?? '');
  return coordinatedNegation(clause, negations.latin);
}


/**
 * One hit per part, all in one sentence, none overlapping, each within `within` words of the next (in the
 * frame's order when it is ordered), and none negated. The parts are few and the hits per part capped, so
 * a plain search is fast enough.
 */
function findSpan(
  frame: CompiledFrame,
  lists: Hit[][],
  layout: Layout,
  negated: (hit: Hit) => boolean,
  excluded: (sentence: number) => boolean,
): Hit | undefined {
  const chosen: Hit[] = [];
  const ok = (): Hit | undefined => {
    const sorted = frame.ordered ? chosen : [...chosen].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++) {
      const a = sorted[i - 1] as Hit;
      const b = sorted[i] as Hit;
      if (b.start < a.end) return undefined;
      if (layout.sentenceAt[a.start] !== layout.sentenceAt[b.start]) return undefined;
      const gap = (layout.wordAt[b.start] ?? 0) - (layout.wordAt[Math.max(a.start, a.end - 1)] ?? 0) - 1;
      if (gap > frame.within) return undefined;
    }
    if (sorted.some(negated) || excluded(layout.sentenceAt[(sorted[0] as Hit).start] ?? 0)) return undefined;
    return { start: (sorted[0] as Hit).start, end: Math.max(...sorted.map((h) => h.end)) };
  };
  const search = (part: number): Hit | undefined => {
    if (part === lists.length) return ok();
    for (const hit of lists[part] ?? []) {
      chosen.push(hit);
      const span = search(part + 1);
      chosen.pop();
      if (span) return span;
    }
    return undefined;
  };
  return search(0);
}
