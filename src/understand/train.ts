// Training the learned scorer (model.ts): logistic regression by AdaGrad, in a fixed order so that the same
// data always gives the same weights; a few seconds on two thousand messages. Thresholds are chosen on
// out-of-fold scores (leave one labelled set out), so they are not fitted to the messages they are judged on.
import type { Assessor, Inspection } from './assess.ts';
import type { Fixture } from './evaluate.ts';
import { gramValue } from './grams.ts';
import { probability, type Model, type Weights } from './model.ts';
import type { FlagId } from './types.ts';

const EPOCHS = 15;
const LEARNING_RATE = 0.3;
/**
 * L2 penalty per step: with two thousand messages and ten thousand pieces of text, strong enough that no
 * one word decides alone.
 */
const L2 = 0.02;
/** A piece of text seen in only one training message is a name or a typo, not a sign: it is left out. */
const MIN_MESSAGES = 2;
/** Weights smaller than this are dropped from model.json: they never move a decision. */
const MIN_WEIGHT = 0.001;
/**
 * What raising may cost benign messages, out of fold: at most this many points in any one labelled set
 * (a pooled figure would let easy sets hide a hard one), and never below the 0.85 overall.
 */
const MAX_BENIGN_DROP = 0.05;
const MIN_BENIGN_LOW = 0.85;
/**
 * Thresholds tried, none below 0.2 (a head that is four parts sure it is wrong raises nothing), and 1: never
 * (a probability never reaches 1).
 */
const GRID = [...Array.from({ length: 16 }, (_, i) => (i + 4) / 20), 1];

export interface Example extends Inspection {
  set: string;
  label: { urgent: boolean; high: boolean; low: boolean; flags: readonly FlagId[] };
}

export function examplesOf(fixtures: (Fixture & { dir: string })[], assessor: Assessor): Example[] {
  return fixtures.map((f) => ({
    ...assessor.inspect(f.text),
    set: f.dir,
    label: { urgent: f.urgent, high: f.risk === 'high', low: f.risk === 'low', flags: f.flags },
  }));
}

export function fitHead(examples: readonly Example[], label: (e: Example) => boolean): Weights {
  const seen = new Map<string, number>();
  for (const e of examples) for (const g of e.grams) seen.set(g, (seen.get(g) ?? 0) + 1);
  const names = [...new Set(examples.flatMap((e) => [...e.features, ...e.grams.filter((g) => (seen.get(g) ?? 0) >= MIN_MESSAGES)]))].sort();
  const index = new Map(names.map((n, i) => [n, i]));
  // Each row: feature indexes and values, as probability() weighs them.
  const rows = examples.map((e) => {
    const v = gramValue(e.grams.length);
    const pairs = [...e.features.map((f) => [index.get(f), 1] as const), ...e.grams.map((g) => [index.get(g), v] as const)];
    return pairs.filter((p): p is readonly [number, number] => p[0] !== undefined);
  });
  const ys = examples.map((e) => (label(e) ? 1 : 0));
  const w = new Float64Array(names.length);
  const squares = new Float64Array(names.length).fill(1e-8);
  let b = 0;
  let squaresB = 1e-8;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    rows.forEach((row, r) => {
      let z = b;
      for (const [i, v] of row) z += (w[i] ?? 0) * v;
      const err = 1 / (1 + Math.exp(-z)) - (ys[r] ?? 0);
      for (const [i, v] of row) {
        const g = err * v + L2 * (w[i] ?? 0);
        squares[i] = (squares[i] ?? 0) + g * g;
        w[i] = (w[i] ?? 0) - (LEARNING_RATE * g) / Math.sqrt(squares[i] ?? 1);
      }
      squaresB += err * err;
      b -= (LEARNING_RATE * err) / Math.sqrt(squaresB);
    });
  }
  const weights: Record<string, number> = {};
  names.forEach((name, i) => {
    const v = Math.round((w[i] ?? 0) * 1e3) / 1e3;
    if (Math.abs(v) >= MIN_WEIGHT) weights[name] = v;
  });
  return { bias: Math.round(b * 1e3) / 1e3, weights };
}

/** What a head could name: a specific concept it weighs up, any such concept, or a flag for a bare raise. */
interface CanRaise {
  specific: boolean;
  any: boolean;
  bare: boolean;
}

/** Per example: the probability of each head, and whether it could name a reason. */
export interface Scored {
  urgent: number;
  high: number;
  canRaise: { urgent: CanRaise; high: CanRaise };
}

/** Thresholds: each head's, its sure threshold for generic reasons, and its bare one for no concept at all. */
export interface Thresholds {
  urgent: number;
  urgentSure: number;
  urgentBare: number;
  high: number;
  highSure: number;
  highBare: number;
}

const CANNOT: CanRaise = { specific: false, any: false, bare: false };
const NOT_SCORED: Scored = { urgent: 0, high: 0, canRaise: { urgent: CANNOT, high: CANNOT } };

export function scored(e: Example, heads: { urgent: Weights; high: Weights }): Scored {
  const counts = (head: Weights, ids: string[]) => ids.some((id) => (head.weights[`c:${id}`] ?? 0) > 0);
  const can = (head: Weights, r: Example['reasons']['urgent']) => ({ specific: counts(head, r.specific), any: counts(head, r.any), bare: r.kinds.length > 0 });
  return {
    urgent: probability(heads.urgent, e.features, e.grams),
    high: probability(heads.high, e.features, e.grams),
    canRaise: { urgent: can(heads.urgent, e.reasons.urgent), high: can(heads.high, e.reasons.high) },
  };
}

/** The thresholds a model's heads carry. */
export function thresholdsOf(model: Pick<Model, 'urgent' | 'high'>): Thresholds {
  const { urgent, high } = model;
  return {
    urgent: urgent.threshold,
    urgentSure: urgent.sureThreshold,
    urgentBare: urgent.bareThreshold,
    high: high.threshold,
    highSure: high.sureThreshold,
    highBare: high.bareThreshold,
  };
}

/** The assessment as assess() would make it: the rules, raised by a head only when it can name a reason. */
export function decide(e: Example, s: Scored, t: Thresholds) {
  const can = (c: CanRaise, p: number, at: number, sure: number, bare: number) => (c.specific && p >= at) || (c.any && p >= sure) || (c.bare && p >= bare);
  const raisedUrgent = !e.rules.urgent && can(s.canRaise.urgent, s.urgent, t.urgent, t.urgentSure, t.urgentBare);
  const urgent = e.rules.urgent || raisedUrgent;
  const raisedHigh = !raisedUrgent && e.rules.risk !== 'high' && can(s.canRaise.high, s.high, t.high, t.highSure, t.highBare);
  const high = urgent || e.rules.risk === 'high' || raisedHigh;
  return { urgent, high, low: !high && e.rules.risk === 'low' };
}

export interface Scores {
  highRecall: number;
  urgentRecall: number;
  benignLow: number;
}

export function scoresOf(examples: readonly Example[], decided: readonly { urgent: boolean; high: boolean; low: boolean }[]): Scores {
  const rate = (want: (e: Example) => boolean, got: (i: number) => boolean) => {
    const idx = examples.map((e, i) => (want(e) ? i : -1)).filter((i) => i >= 0);
    return idx.length ? idx.filter(got).length / idx.length : 1;
  };
  return {
    highRecall: rate((e) => e.label.high, (i) => decided[i]?.high ?? false),
    urgentRecall: rate((e) => e.label.urgent, (i) => decided[i]?.urgent ?? false),
    benignLow: rate((e) => e.label.low, (i) => decided[i]?.low ?? false),
  };
}

/** Out-of-fold scores: each set scored by heads trained on the other sets. */
export function outOfFold(examples: readonly Example[]): Scored[] {
  const out: Scored[] = examples.map(() => NOT_SCORED);
  for (const set of new Set(examples.map((e) => e.set))) {
    const train = examples.filter((e) => e.set !== set);
    const heads = { urgent: fitHead(train, (e) => e.label.urgent), high: fitHead(train, (e) => e.label.high) };
    examples.forEach((e, i) => {
      if (e.set === set) out[i] = scored(e, heads);
    });
  }
  return out;
}

/**
 * The thresholds that find the most crises and high risks out of fold while keeping benign messages low:
 * first the urgent head's pair, then the high head's, each searched over the grid.
 */
export function chooseThresholds(examples: readonly Example[], oof: readonly Scored[]): Thresholds & { scores: Scores } {
  const sets = [...new Set(examples.map((e) => e.set))];
  const measure = (t: Thresholds) => {
    const decided = examples.map((e, i) => decide(e, oof[i] ?? NOT_SCORED, t));
    const bySet = sets.map((set) => {
      const idx = examples.map((e, i) => (e.set === set ? i : -1)).filter((i) => i >= 0);
      return scoresOf(idx.map((i) => examples[i] as Example), idx.map((i) => decided[i] as { urgent: boolean; high: boolean; low: boolean })).benignLow;
    });
    return { scores: scoresOf(examples, decided), bySet };
  };
  const never: Thresholds = { urgent: 1, urgentSure: 1, urgentBare: 1, high: 1, highSure: 1, highBare: 1 };
  const base = measure(never);
  const allowed = (m: ReturnType<typeof measure>) =>
    m.scores.benignLow >= MIN_BENIGN_LOW && m.bySet.every((b, k) => b >= (base.bySet[k] ?? 1) - MAX_BENIGN_DROP - 1e-9);
  let best = { ...never, scores: base.scores };
  const gain = (s: Scores) => s.urgentRecall * 2 + s.highRecall;
  for (const head of ['urgent', 'high'] as const) {
    for (const at of GRID) {
      for (const sure of GRID.filter((x) => x >= at)) {
        for (const bare of GRID.filter((x) => x >= sure)) {
          const t: Thresholds = { ...best, [head]: at, [`${head}Sure`]: sure, [`${head}Bare`]: bare };
          const m = measure(t);
          // On a tie the higher thresholds win: fewer raises on messages no one has seen.
          if (allowed(m) && gain(m.scores) >= gain(best.scores) - 1e-9) best = { ...t, scores: m.scores };
        }
      }
    }
  }
  return best;
}

/** The heads that name a raise with no concept: one for each flag a raise may name (crisis and strong ones). */
export function fitKinds(examples: readonly Example[], flags: readonly FlagId[]): Model['kinds'] {
  return Object.fromEntries(flags.map((flag) => [flag, fitHead(examples, (e) => e.label.flags.includes(flag))]));
}

export function train(examples: readonly Example[], trainedOn: string[], digest: string, kindFlags: readonly FlagId[]): Model {
  const oof = outOfFold(examples);
  const chosen = chooseThresholds(examples, oof);
  return {
    digest,
    trainedOn,
    examples: examples.length,
    crossValidation: chosen.scores,
    urgent: { ...fitHead(examples, (e) => e.label.urgent), threshold: chosen.urgent, sureThreshold: chosen.urgentSure, bareThreshold: chosen.urgentBare },
    high: { ...fitHead(examples, (e) => e.label.high), threshold: chosen.high, sureThreshold: chosen.highSure, bareThreshold: chosen.highBare },
    kinds: fitKinds(examples, kindFlags),
  };
}
