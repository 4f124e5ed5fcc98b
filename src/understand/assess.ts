// assess(text): the red flags of FACTS.md in a message or a pasted job ad, in Lao script, Thai script,
// Lao in Latin letters and English. Rules only: fast, explainable (every flag shows its evidence), and the
// floor that an optional LLM may raise but never lower.
import { flagsWeighing, type Lexicon } from './lexicon.ts';
import { countScripts, foldLatin, looksLegacyLao, MAX_ASSESS_CHARS, prepareScript, stripTones, tonelessWithMap, tonesFit } from './normalize.ts';
import { compileFrames, endsWell, layoutOf, type Layout } from './frames.ts';
import { containsSeq, coordinatedNegation, negatedRightBefore, negatedRightBeforeScript } from './negation.ts';
import { featureNames, probability, type Head, type Model, type Weights } from './model.ts';
import { gramEvidence, gramsOf, gramValue } from './grams.ts';
import { findAmounts } from './money.ts';
import type { Assessment, FlagId, Risk, Writing } from './types.ts';

/** Toneless Lao terms shorter than this are too ambiguous to match ("ໜີ" flee vs "ໜີ້" debt). */
const MIN_TONELESS = 5;
/**
 * How far before a term a negation undoes it: 3 words or 10 characters ("they did not take my passport").
 * For a crisis only the word right before counts ("ไม่ได้โดนขัง" is not confinement, but "bor tid leo,
 * suay dae" is still a cry for help).
 */
const NEGATION_WINDOW = { words: 3, chars: 10 };
const CRISIS_NEGATION_WINDOW = { words: 1, chars: 7 };
const LAO_LETTER = /[\u0e80-\u0eff]/;
/**
 * Frames and concepts read this much of a message: a plea or a job ad is far shorter, and a 100 KB paste
 * would otherwise hold the event loop for a quarter of a second.
 */
const FRAME_CHARS = 6_000;
/** How many pieces of the message a raise with no concept shows as its evidence. */
const BARE_EVIDENCE = 2;

interface CompiledTerm {
  flag: FlagId;
  kind: 'script' | 'latin';
  window: { words: number; chars: number };
  /** Script terms: with tone marks, and without (when long enough). Latin: folded words. */
  toned: string;
  toneless?: string;
  words?: string[];
}

export interface Assessor {
  assess(text: string, hint?: string): Assessment;
  /** What the rules alone found, and the features the learned scorer reads: for training and tests. */
  inspect(text: string): Inspection;
}

export interface Inspection {
  rules: Assessment;
  features: string[];
  /** The pieces of the text the scorer reads beside the features (grams.ts). */
  grams: string[];
  /**
   * Present concepts that suggest a crisis flag, or a strong one: what a raise could name as its reason;
   * `specific` ones at the head's threshold, any of them at its sure threshold.
   */
  reasons: { urgent: Reasons; high: Reasons };
}

export interface Reasons {
  specific: string[];
  any: string[];
  /** Flags a raise with no concept could name (not for a text about others, nor a flag it takes back). */
  kinds: FlagId[];
}

/** What the rules worked out, kept for the learned scorer. */
interface RulesResult {
  assessment: Assessment;
  found: Map<FlagId, string>;
  /** Flags the message itself takes back (`cancels`), and whether it is about others (news, a report). */
  cancelled: Set<FlagId>;
  aboutOthers: boolean;
  concepts: Map<string, string>;
  /** The prepared text the frames and the scorer read, and its pieces (worked out when first asked for). */
  head: string;
  readonly grams: string[];
}

export function createAssessor(lexicon: Lexicon, model?: Model): Assessor {
  const terms: CompiledTerm[] = [];
  for (const [flag, entry] of Object.entries(lexicon.flags.flags) as [FlagId, (typeof lexicon.flags.flags)[FlagId]][]) {
    if (!entry) continue;
    const window = entry.weight === 'crisis' ? CRISIS_NEGATION_WINDOW : NEGATION_WINDOW;
    // Lao is often typed without its tone marks; Thai rarely is, and toneless Thai collides too often
    // ("ทำรายงาน", a report, would read as "ทำร้าย", to hurt).
    for (const term of entry.lo) {
      const toned = prepareScript(term);
      const toneless = stripTones(toned);
      terms.push({ flag, kind: 'script', window, toned, ...(toneless.length >= MIN_TONELESS ? { toneless } : {}) });
    }
    for (const term of entry.th) terms.push({ flag, kind: 'script', window, toned: prepareScript(term) });
    for (const term of entry.latin) terms.push({ flag, kind: 'latin', window, toned: term, words: latinWords(term) });
  }
  const weights = new Map(Object.entries(lexicon.flags.flags).map(([id, e]) => [id as FlagId, e?.weight ?? 'weak']));
  const needsJob = new Set(Object.entries(lexicon.flags.flags).filter(([, e]) => e?.needsJobContext).map(([id]) => id as FlagId));
  // The word lists, prepared once: a message is read against several hundred words.
  const lang = lexicon.language;
  const feeWords = wordList(lang.feeWords);
  const jobWords = wordList(lang.jobWords);
  const aboutOthers = wordList(lang.aboutOthers);
  const cancels = (Object.entries(lang.cancels) as [FlagId, string[]][]).map(([id, list]) => [id, wordList(list)] as const);
  const negLatin = lexicon.language.negations.latin.map(latinWords);
  const negScript = [...lexicon.language.negations.lo, ...lexicon.language.negations.th].map(prepareScript);
  const negScriptToneless = negScript.map(stripTones);
  const passLatin = lexicon.language.passives.latin.map(latinWords);
  const passScript = [...lexicon.language.passives.lo, ...lexicon.language.passives.th].map(prepareScript);
  const scriptNegations = { toned: negScript, toneless: negScriptToneless, passToned: passScript, passToneless: passScript.map(stripTones) };
  const frames = compileFrames(lexicon.frames, { script: negScript, latin: negLatin });
  const latinLao = new Set(lexicon.language.latinLaoWords.map((w) => foldLatin(w.toLowerCase())));

  const suggests = new Map(Object.entries(lexicon.frames.concepts).flatMap(([id, c]) => (c.suggests ? [[id, c.suggests] as const] : [])));
  const specific = new Set(Object.entries(lexicon.frames.concepts).flatMap(([id, c]) => (c.specific ? [id] : [])));
  /** Concepts a raise could name: none in a text about others, none whose flag the text takes back. */
  const suggesting = (r: RulesResult, weight: 'crisis' | 'strong', specificOnly: boolean) =>
    r.aboutOthers
      ? []
      : [...r.concepts.keys()].filter((id) => {
          const flag = suggests.get(id);
          return flag !== undefined && weights.get(flag) === weight && !r.cancelled.has(flag) && (!specificOnly || specific.has(id));
        });
  const kindFlags = { crisis: flagsWeighing(lexicon.flags, 'crisis'), strong: flagsWeighing(lexicon.flags, 'strong') };
  const kindsOf = (r: RulesResult, weight: 'crisis' | 'strong'): FlagId[] => (r.aboutOthers ? [] : kindFlags[weight].filter((flag) => !r.cancelled.has(flag)));
  /**
   * A raise with no concept to name: the flag the kind heads find likeliest, with what weighs most for it in
   * the message (a concept's or a flag's words, or the words a piece of the text came from).
   */
  const bareReason = (r: RulesResult, weight: 'crisis' | 'strong', features: string[]): { flag: FlagId; evidence: string } | undefined => {
    let best: { flag: FlagId; p: number; head: Weights } | undefined;
    for (const flag of kindsOf(r, weight)) {
      const head = model?.kinds[flag];
      if (!head) continue;
      const p = probability(head, features, r.grams);
      if (!best || p > best.p) best = { flag, p, head };
    }
    if (!best) return undefined;
    const v = gramValue(r.grams.length);
    const ranked = [...features.map((f) => [f, best.head.weights[f] ?? 0] as const), ...r.grams.map((g) => [g, (best.head.weights[g] ?? 0) * v] as const)]
      .filter(([, w]) => w > 0)
      .sort((a, b) => b[1] - a[1]);
    // The two pieces of the message that weigh most, so a counsellor sees what the scorer saw.
    const shown: string[] = [];
    for (const [name] of ranked) {
      const evidence = name.startsWith('c:') ? r.concepts.get(name.slice(2)) : name.startsWith('f:') ? r.found.get(name.slice(2) as FlagId) : gramEvidence(r.head, name);
      if (evidence && !shown.some((e) => e.includes(evidence) || evidence.includes(e))) shown.push(evidence);
      if (shown.length === BARE_EVIDENCE) break;
    }
    return { flag: best.flag, evidence: shown.join(' … ') };
  };
  /** The present concept that suggests a flag of this weight and counts most for the head: the reason shown. */
  const reasonAt = (r: RulesResult, weight: 'crisis' | 'strong', head: Head, specificOnly: boolean): { flag: FlagId; evidence: string } | undefined => {
    let best: { flag: FlagId; evidence: string; w: number } | undefined;
    for (const id of suggesting(r, weight, specificOnly)) {
      const flag = suggests.get(id);
      const evidence = r.concepts.get(id);
      if (!flag || evidence === undefined) continue;
      const w = head.weights[`c:${id}`] ?? 0;
      // A reason must count for the head: "visa" present in a message raised for other words is no reason.
      if (w <= 0) continue;
      if (!best || w > best.w) best = { flag, evidence, w };
    }
    return best && { flag: best.flag, evidence: best.evidence };
  };
  /**
   * A raise by a head: with a specific reason at its threshold, any concept when it is surer, and with no
   * concept at all, named by the kind heads, when it is surer still.
   */
  const raise = (r: RulesResult, weight: 'crisis' | 'strong', head: Head, features: string[]) => {
    const p = probability(head, features, r.grams);
    return (
      (p >= head.threshold ? reasonAt(r, weight, head, true) : undefined) ??
      (p >= head.sureThreshold ? reasonAt(r, weight, head, false) : undefined) ??
      (p >= head.bareThreshold ? bareReason(r, weight, features) : undefined)
    );
  };

  const rules = (raw: string, hint?: string): RulesResult => {
    const none = new Map<never, never>();
    const unread = { found: none, concepts: none, cancelled: new Set<FlagId>(), aboutOthers: false, head: '', grams: [] };
    if (looksLegacyLao(raw)) {
      return { assessment: { risk: 'low', urgent: false, flags: [], language: 'unknown', unreadable: 'legacy_lao_encoding' }, ...unread };
    }
    const text = prepareScript(raw.slice(0, MAX_ASSESS_CHARS));
    const { toneless, map: tonelessToText } = tonelessWithMap(text);
    const original = latinTokens(text);
    const words = original.map(foldLatin);
    if (!/[\p{L}\p{N}]/u.test(text)) {
      return { assessment: { risk: 'low', urgent: false, flags: [], language: 'unknown', unreadable: text === '' ? 'empty' : 'no_words' }, ...unread };
    }

    const head = text.length > FRAME_CHARS ? text.slice(0, FRAME_CHARS) : text;
    // Word edges, worked out at most once: Lao terms need them, frames always (on the head only).
    let layout: Layout | undefined;
    const wordLayout = () => (layout ??= layoutOf(text));
    const found = new Map<FlagId, string>();
    for (const term of terms) {
      if (found.has(term.flag)) continue;
      const evidence =
        term.kind === 'latin'
          ? matchLatin(words, original, term.words ?? [], { negations: negLatin, passives: passLatin }, term.window)
          : matchScript(text, toneless, tonelessToText, term, scriptNegations, wordLayout);
      if (evidence) found.set(term.flag, evidence);
    }
    // Frames carry their own context ("pay … before they release him"): the job-context rule is for terms.
    const headToneless = head === text ? { toneless, map: tonelessToText } : tonelessWithMap(head);
    // Every frame flag, even one a term found: the job-context rule below may take the term's away.
    const { flags: framed, concepts } = frames.match(
      { text: head, toneless: headToneless.toneless, tonelessToText: headToneless.map, ...(head === text ? { layout: wordLayout() } : {}) },
      () => true,
    );
    let wage = false;
    for (const amount of findAmounts(text, lexicon.language)) {
      if (amount.monthlyThb !== undefined) wage = true;
      if (amount.monthlyThb !== undefined && amount.monthlyThb >= lexicon.language.highMonthlyPayThb && !found.has('high_pay')) {
        found.set('high_pay', amount.evidence);
      }
      // An amount next to a fee word, and not a wage: a fee asked or paid.
      if (amount.monthlyThb === undefined && !found.has('broker_fee') && mentions(amount.evidence, latinWords(amount.evidence), feeWords)) {
        found.set('broker_fee', amount.evidence);
      }
    }
    // A wage ("30,000 baht a month") makes a text about a job as much as the word "job" does.
    if (!wage && !mentions(text, words, jobWords)) for (const id of needsJob) found.delete(id);
    for (const [flag, evidence] of framed) if (!found.has(flag)) found.set(flag, evidence);
    const cancelled = new Set<FlagId>();
    for (const [id, list] of cancels) if (mentions(text, words, list)) cancelled.add(id);
    for (const id of cancelled) found.delete(id);

    const urgent = [...found.keys()].some((id) => weights.get(id) === 'crisis');
    const strong = [...found.keys()].some((id) => weights.get(id) === 'strong');
    // A news question or a school report about trafficking is not the writer's own risk.
    const othersOnly = mentions(text, words, aboutOthers);
    if (!urgent && !strong && othersOnly) found.clear();
    const flags = [...found].map(([id, evidence]) => ({ id, evidence }));
    const assessment = { risk: riskOf(found, weights, urgent), urgent, flags, language: writingOf(raw, words, latinLao, hint) };
    // Only the scorer reads the pieces, and not when the rules already found a crisis.
    let grams: string[] | undefined;
    return {
      assessment,
      found,
      concepts,
      cancelled,
      aboutOthers: othersOnly,
      head,
      get grams() {
        return (grams ??= gramsOf(head));
      },
    };
  };

  return {
    assess(raw: string, hint?: string): Assessment {
      const r = rules(raw, hint);
      // A crisis the rules found is as high as it goes: nothing to raise.
      if (!model || r.assessment.unreadable || r.assessment.urgent) return r.assessment;
      const features = featureNames(r.found.keys(), r.concepts.keys());
      const found = new Map(r.found);
      // Only ever up: a crisis the rules missed, or a strong sign, each with the concept that shows it.
      const crisis = raise(r, 'crisis', model.urgent, features);
      const strong = crisis || r.assessment.risk === 'high' ? undefined : raise(r, 'strong', model.high, features);
      for (const why of [crisis, strong]) if (why && !found.has(why.flag)) found.set(why.flag, why.evidence);
      if (found.size === r.found.size) return r.assessment;
      const urgent = [...found.keys()].some((id) => weights.get(id) === 'crisis');
      const flags = [...found].map(([id, evidence]) => ({ id, evidence }));
      return { ...r.assessment, risk: riskOf(found, weights, urgent), urgent, flags };
    },
    inspect(raw: string): Inspection {
      const r = rules(raw);
      return {
        rules: r.assessment,
        features: featureNames(r.found.keys(), r.concepts.keys()),
        grams: r.grams,
        reasons: {
          urgent: { specific: suggesting(r, 'crisis', true), any: suggesting(r, 'crisis', false), kinds: kindsOf(r, 'crisis') },
          high: { specific: suggesting(r, 'strong', true), any: suggesting(r, 'strong', false), kinds: kindsOf(r, 'strong') },
        },
      };
    },
  };
}

function riskOf(found: Map<FlagId, string>, weights: Map<FlagId, string>, urgent: boolean): Risk {
  if (urgent) return 'high';
  if ([...found.keys()].some((id) => weights.get(id) === 'strong')) return 'high';
  // A scam-compound job is high with anything that usually comes with it (FACTS.md §5).
  if (found.has('scam_job') && (found.has('scam_place') || found.has('high_pay') || found.has('travel_arranged'))) return 'high';
  return found.size > 0 ? 'medium' : 'low';
}

/**
 * Latin words as written: apostrophes kept inside words ("didn't"); punctuation kept as its own token, so a
 * negation never reaches across a comma ("no experience, ticket paid").
 */
function latinTokens(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9$฿/]+(?:'[a-z]+)?|[,.;:!?]/g) ?? [];
}

function latinWords(text: string): string[] {
  return latinTokens(text).map(foldLatin);
}

/** The evidence is the words as the person wrote them. */
function matchLatin(words: string[], original: string[], term: string[], neg: { negations: string[][]; passives: string[][] }, window: { words: number }): string | undefined {
  const { negations, passives } = neg;
  if (term.length === 0) return undefined;
  outer: for (let i = 0; i + term.length <= words.length; i++) {
    for (let j = 0; j < term.length; j++) if (words[i + j] !== term[j]) continue outer;
    const clause = words.slice(0, i);
    const boundary = Math.max(...[',', '.', ';', ':', '!', '?'].map((p) => clause.lastIndexOf(p)));
    const before = clause.slice(Math.max(0, i - window.words, boundary + 1));
    const lead = clause.slice(boundary + 1);
    const negated =
      negations.some((n) => n.length > 0 && containsSeq(before, n)) || coordinatedNegation(lead, negations) || negatedRightBefore(lead, negations, passives);
    if (!negated) return original.slice(i, i + term.length).join(' ');
  }
  return undefined;
}


/**
 * Lao and Thai have no spaces between words: terms match anywhere, with tone marks, or without them when the
 * term is long enough. A negation just before the term, in the same space-free run, undoes it.
 */
function matchScript(
  text: string,
  toneless: string,
  map: number[],
  term: CompiledTerm,
  negations: { toned: string[]; toneless: string[]; passToned: string[]; passToneless: string[] },
  layout: () => Layout,
): string | undefined {
  const tryIn = (haystack: string, needle: string, negs: string[], passives: string[]): string | undefined => {
    for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
      const end = haystack === toneless ? (map[at + needle.length - 1] ?? 0) + 1 : at + needle.length;
      if (haystack === toneless && !tonesFit(text, map[at] ?? 0, end, term.toned)) continue;
      // "ຈະຂ້າ" (will kill) is not the start of "ຈະຂ້າມ" (will cross): a Lao term may not stop one letter short
      // of a word's end. (Thai loanwords are split too unreliably for this: "แอด|มิ|นอ|อน|ไลน์".)
      if (LAO_LETTER.test(needle) && !endsWell(layout(), text, end)) continue;
      const start = Math.max(0, at - term.window.chars);
      const before = haystack.slice(start, at).split(' ').at(-1) ?? '';
      // The space-free run right before the term, for a negation that ends there (across "ຖືກ"/"ถูก").
      const lead = haystack.slice(Math.max(0, at - 24), at).split(' ').at(-1) ?? '';
      const negated = negs.some((n) => before.includes(n) && !needle.startsWith(n)) || negatedRightBeforeScript(lead, negs, passives);
      if (!negated) return needle;
    }
    return undefined;
  };
  return (
    tryIn(text, term.toned, negations.toned, negations.passToned) ??
    (term.toneless ? tryIn(toneless, term.toneless, negations.toneless, negations.passToneless) : undefined)
  );
}

/** A word list split once into Latin words (matched as whole words) and Lao or Thai terms (matched anywhere). */
interface WordList {
  latin: string[][];
  script: string[];
}

function wordList(list: readonly string[]): WordList {
  const latin = (w: string) => /^[a-z ]+$/.test(w);
  return { latin: list.filter(latin).map(latinWords), script: list.filter((w) => !latin(w)).map(prepareScript) };
}

function mentions(text: string, words: string[], list: WordList): boolean {
  return list.latin.some((w) => containsSeq(words, w)) || list.script.some((w) => text.includes(w));
}

function writingOf(raw: string, words: string[], latinLao: Set<string>, hint: string | undefined): Writing {
  const s = countScripts(raw);
  const total = s.lao + s.thai + s.latin;
  if (total === 0) return hint === 'lo' || hint === 'th' || hint === 'en' ? hint : 'unknown';
  const shares = { lo: s.lao / total, th: s.thai / total, latin: s.latin / total };
  const main = Object.entries(shares).sort((a, b) => b[1] - a[1]);
  const [first, second] = main;
  if (second && second[1] >= 0.25) return 'mixed';
  if (first?.[0] === 'lo') return 'lo';
  if (first?.[0] === 'th') return 'th';
  const lao = words.filter((w) => latinLao.has(w)).length;
  return lao >= Math.max(1, words.length * 0.2) ? 'lo-latn' : 'en';
}
