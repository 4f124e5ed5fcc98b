// Amounts of money as people write them: 30,000 / 30000 / 30k baht, ສາມໝື່ນບາດ, 3 หมื่น, 100 lan kip, $500.
// Read as numbers, turned into baht, and into baht a month when the text says "a month" or "a day".
import type { LanguageLexicon } from './lexicon.ts';

export interface Amount {
  /** In baht, by the lexicon's rough rates. */
  thb: number;
  /** In baht a month, when the text gives a period (a day counts 26 working days). */
  monthlyThb?: number;
  evidence: string;
}

const WORKING_DAYS = 26;
const NEAR = 24;

export function findAmounts(text: string, lang: LanguageLexicon): Amount[] {
  const currencies = Object.values(lang.currencies).flatMap((c) => c.words.map((w) => ({ word: w.toLowerCase(), thb: c.thb })));
  currencies.sort((a, b) => b.word.length - a.word.length);
  const out: Amount[] = [];
  const taken = new Set<number>();
  for (const { word, thb } of currencies) {
    for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length)) {
      if (taken.has(at) || !wordEdge(text, at, word)) continue;
      taken.add(at);
      const before = parseBackward(text.slice(Math.max(0, at - NEAR), at), lang);
      const after = before === undefined ? parseForward(text.slice(at + word.length, at + word.length + NEAR), lang) : undefined;
      const value = before ?? after;
      if (value === undefined || value <= 0) continue;
      const around = text.slice(Math.max(0, at - NEAR), at + word.length + NEAR);
      const period = periodOf(around, lang);
      const amountThb = value * thb;
      out.push({
        thb: amountThb,
        ...(period ? { monthlyThb: period === 'day' ? amountThb * WORKING_DAYS : amountThb } : {}),
        evidence: around.trim(),
      });
    }
  }
  // "เงินเดือน 3 หมื่น", "salary 25000": a wage with no currency is in baht.
  for (const word of lang.wageWords.month) {
    const w = word.toLowerCase();
    for (let at = text.indexOf(w); at >= 0; at = text.indexOf(w, at + w.length)) {
      const value = parseForwardWords(text.slice(at + w.length, at + w.length + NEAR), lang);
      if (value === undefined || value < 1000 || out.some((a) => a.evidence.includes(w))) continue;
      out.push({ thb: value, monthlyThb: value, evidence: text.slice(at, at + w.length + NEAR).trim() });
    }
  }
  return out;
}

/** Reads a number at the start of the text, digits or Lao/Thai number words: "3 หมื่น", " ສາມໝື່ນ", "25,000". */
function parseForwardWords(text: string, lang: LanguageLexicon): number | undefined {
  const tokens: Token[] = [];
  let rest = text.replace(/^[\s:=-]+/, '');
  const words = numberWords(lang);
  for (let guard = 0; guard < 12 && rest.length > 0; guard++) {
    const num = /^(\d+(?:[,.]\d{3})*(?:\.\d+)?)/.exec(rest);
    if (num?.[1]) {
      tokens.push({ n: Number(num[1].replace(/,/g, '')) });
      rest = rest.slice(num[1].length).replace(/^\s+/, '');
      continue;
    }
    const word = words.find(({ w }) => rest.startsWith(w) && (!/^[a-z]+$/.test(w) || !/[a-z]/.test(rest[w.length] ?? ' ')));
    if (!word) break;
    tokens.push(word.t);
    rest = rest.slice(word.w.length).replace(/^\s+/, '');
  }
  return evaluate(tokens);
}

function numberWords(lang: LanguageLexicon): { w: string; t: Token }[] {
  return [
    ...Object.entries(lang.numberWords.multipliers).map(([w, m]) => ({ w: w.toLowerCase(), t: { m } as Token })),
    ...Object.entries(lang.numberWords.digits).map(([w, n]) => ({ w: w.toLowerCase(), t: { n } as Token })),
  ].sort((a, b) => b.w.length - a.w.length);
}

/** Latin currency words must stand alone ("kip", not "skip"); symbols and Lao/Thai words need not. */
function wordEdge(text: string, at: number, word: string): boolean {
  if (!/^[a-z]+$/.test(word)) return true;
  const prev = text[at - 1] ?? ' ';
  const next = text[at + word.length] ?? ' ';
  return !/[a-z]/.test(prev) && !/[a-z]/.test(next);
}

function periodOf(around: string, lang: LanguageLexicon): 'month' | 'day' | undefined {
  if (lang.wageWords.month.some((w) => around.includes(w.toLowerCase()))) return 'month';
  if (lang.wageWords.day.some((w) => hasWord(around, w.toLowerCase()))) return 'day';
  return undefined;
}

function hasWord(text: string, word: string): boolean {
  if (!/^[a-z/ ]+$/.test(word)) return text.includes(word);
  return new RegExp(`(^|[^a-z])${word.replace(/[/]/g, '\\/')}([^a-z]|$)`).test(text);
}

type Token = { n: number } | { m: number };

/** Reads a number that ends where the text ends: "30,000 ", "ສາມໝື່ນ", "3 หมื่น", "1.5 lan", "30k". */
function parseBackward(text: string, lang: LanguageLexicon): number | undefined {
  const tokens: Token[] = [];
  let rest = text.replace(/\s+$/, '');
  const words = numberWords(lang);
  for (let guard = 0; guard < 12 && rest.length > 0; guard++) {
    const num = /(\d+(?:[,.]\d{3})*(?:\.\d+)?)$/.exec(rest);
    if (num?.[1]) {
      tokens.unshift({ n: Number(num[1].replace(/,/g, '').replace(/\.(?=\d{3}(\D|$))/g, '')) });
      rest = rest.slice(0, -num[1].length).replace(/\s+$/, '');
      continue;
    }
    const word = words.find(({ w }) => rest.endsWith(w) && (!/^[a-z]+$/.test(w) || !/[a-z]/.test(rest[rest.length - w.length - 1] ?? ' ')));
    if (!word) break;
    tokens.unshift(word.t);
    rest = rest.slice(0, -word.w.length).replace(/\s+$/, '');
  }
  return evaluate(tokens);
}

/** Reads a number right after a currency sign: "$500", "฿ 30,000", "thb 25k". */
function parseForward(text: string, lang: LanguageLexicon): number | undefined {
  const m = /^\s*(\d+(?:[,.]\d{3})*(?:\.\d+)?)\s*([a-z]+|[\u0e00-\u0eff]+)?/.exec(text);
  if (!m?.[1]) return undefined;
  const n = Number(m[1].replace(/,/g, ''));
  const mult = m[2] ? lang.numberWords.multipliers[m[2]] : undefined;
  return mult ? n * mult : n;
}

function evaluate(tokens: Token[]): number | undefined {
  if (tokens.length === 0) return undefined;
  let total = 0;
  let current: number | undefined;
  for (const t of tokens) {
    if ('n' in t) current = t.n;
    else {
      total += (current ?? 1) * t.m;
      current = undefined;
    }
  }
  return total + (current ?? 0);
}
