// Training the learned scorer (model.ts): logistic regression by plain gradient descent, deterministic, a
// second or two on a few hundred messages. Thresholds are chosen on out-of-fold scores (leave one labelled
// set out), so they are not fitted to the messages they are judged on.
import type { Assessor, Inspection } from './assess.ts';
import type { Fixture } from './evaluate.ts';
import { probability, type Head, type Model } from './model.ts';

const ITERATIONS = 1500;
const LEARNING_RATE = 0.5;
/** L2 penalty: with a few hundred messages and ~80 features, strong enough that no one concept decides alone. */
const L2 = 0.01;
/**
 * What raising may cost benign messages, out of fold: at most this many points in any one labelled set
 * (a pooled figure would let easy sets hide a hard one), and never below the 0.85 overall.
 */
const MAX_BENIGN_DROP = 0.08;
const MIN_BENIGN_LOW = 0.85;
/** Thresholds tried; none below 0.2: a head that is four parts sure it is wrong raises nothing. */
const GRID = Array.from({ length: 16 }, (_, i) => (i + 4) / 20);

export interface Example extends Inspection {
  set: string;
  label: { urgent: boolean; high: boolean; low: boolean };
}

export function examplesOf(fixtures: (Fixture & { dir: string })[], assessor: Assessor): Example[] {
  return fixtures.map((f) => ({
    ...assessor.inspect(f.text),
    set: f.dir,
    label: { urgent: f.urgent, high: f.risk === 'high', low: f.risk === 'low' },
  }));
}

type Weights = Pick<Head, 'bias' | 'weights'>;

export function fitHead(examples: readonly Example[], label: (e: Example) => boolean): Weights {
  const names = [...new Set(examples.flatMap((e) => e.features))].sort();
  const index = new Map(names.map((n, i) => [n, i]));
  const rows = examples.map((e) => e.features.map((f) => index.get(f) ?? -1).filter((i) => i >= 0));
  const ys = examples.map((e) => (label(e) ? 1 : 0));
  const w = new Float64Array(names.length);
  let b = 0;
  const n = examples.length || 1;
  for (let it = 0; it < ITERATIONS; it++) {
    const grad = new Float64Array(names.length);
    let gradB = 0;
    rows.forEach((row, r) => {
      let z = b;
      for (const i of row) z += w[i] ?? 0;
      const err = 1 / (1 + Math.exp(-z)) - (ys[r] ?? 0);
      gradB += err;
      for (const i of row) grad[i] = (grad[i] ?? 0) + err;
    });
    for (let i = 0; i < w.length; i++) w[i] = (w[i] ?? 0) - LEARNING_RATE * ((grad[i] ?? 0) / n + L2 * (w[i] ?? 0));
    b -= (LEARNING_RATE * gradB) / n;
  }
  const weights: Record<string, number> = {};
  names.forEach((name, i) => {
    const v = Math.round((w[i] ?? 0) * 1e4) / 1e4;
    if (v !== 0) weights[name] = v;
  });
  return { bias: Math.round(b * 1e4) / 1e4, weights };
}

/** Per example: the probability of each head, and whether it could name a reason (a concept it weighs up). */
export interface Scored {
  urgent: number;
  high: number;
  canRaise: { urgent: { specific: boolean; any: boolean }; high: { specific: boolean; any: boolean } };
}

/** Thresholds: each head's, and its sure threshold for generic reasons. */
export interface Thresholds {
  urgent: number;
  urgentSure: number;
  high: number;
  highSure: number;
}

const NOT_SCORED: Scored = { urgent: 0, high: 0, canRaise: { urgent: { specific: false, any: false }, high: { specific: false, any: false } } };

export function scored(e: Example, heads: { urgent: Weights; high: Weights }): Scored {
  const counts = (head: Weights, ids: string[]) => ids.some((id) => (head.weights[`c:${id}`] ?? 0) > 0);
  return {
    urgent: probability(heads.urgent, e.features),
    high: probability(heads.high, e.features),
    canRaise: {
      urgent: { specific: counts(heads.urgent, e.reasons.urgent.specific), any: counts(heads.urgent, e.reasons.urgent.any) },
      high: { specific: counts(heads.high, e.reasons.high.specific), any: counts(heads.high, e.reasons.high.any) },
    },
  };
}

/** The assessment as assess() would make it: the rules, raised by a head only when it can name a reason. */
export function decide(e: Example, s: Scored, t: Thresholds) {
  const can = (c: { specific: boolean; any: boolean }, p: number, at: number, sure: number) => (c.specific && p >= at) || (c.any && p >= sure);
  const raisedUrgent = !e.rules.urgent && can(s.canRaise.urgent, s.urgent, t.urgent, t.urgentSure);
  const urgent = e.rules.urgent || raisedUrgent;
  const raisedHigh = !raisedUrgent && e.rules.risk !== 'high' && can(s.canRaise.high, s.high, t.high, t.highSure);
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
  const never: Thresholds = { urgent: 1, urgentSure: 1, high: 1, highSure: 1 };
  const base = measure(never);
  const allowed = (m: ReturnType<typeof measure>) =>
    m.scores.benignLow >= MIN_BENIGN_LOW && m.bySet.every((b, k) => b >= (base.bySet[k] ?? 1) - MAX_BENIGN_DROP - 1e-9);
  let best = { ...never, scores: base.scores };
  const gain = (s: Scores) => s.urgentRecall * 2 + s.highRecall;
  for (const head of ['urgent', 'high'] as const) {
    for (const at of [...GRID, 1]) {
      for (const sure of [...GRID, 1].filter((x) => x >= at)) {
        const t: Thresholds = { ...best, [head]: at, [`${head}Sure`]: sure };
        const m = measure(t);
        // On a tie the higher thresholds win: fewer raises on messages no one has seen.
        if (allowed(m) && gain(m.scores) >= gain(best.scores) - 1e-9) best = { ...t, scores: m.scores };
      }
    }
  }
  return best;
}

export function train(examples: readonly Example[], trainedOn: string[], digest: string): Model {
  const oof = outOfFold(examples);
  const chosen = chooseThresholds(examples, oof);
  return {
    digest,
    trainedOn,
    examples: examples.length,
    crossValidation: chosen.scores,
    urgent: { ...fitHead(examples, (e) => e.label.urgent), threshold: chosen.urgent, sureThreshold: chosen.urgentSure },
    high: { ...fitHead(examples, (e) => e.label.high), threshold: chosen.high, sureThreshold: chosen.highSure },
  };
}
