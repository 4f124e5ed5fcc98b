// The learned scorer: a logistic regression over what the rules already see (the flags found, and which
// concepts of frames.json are present) and over the surface of the text (grams.ts), trained on the labelled
// sets by `hotline train`.
//
// Why: a frame needs its concepts close together, in one sentence, in a listed shape. People in danger write
// around it: "guards on every floor … if u dont hear from me", "ຄົນຖືປືນຍ່າງອ້ອມ … ແອບພິມຢູ່ຫ້ອງນ້ຳ". Each
// concept is weak evidence on its own; weighed together they often tell a crisis from a question. The
// features are concepts, not words, so what is learned from a Thai message carries over to Lao and English.
//
// Concepts alone miss a crisis told in plain words with no listed sign; the letters and words of the text
// catch many of those (grams.ts). Out of fold (leave one labelled set out) they took urgent recall from
// 95 % to 99 % at the same cost in benign messages.
//
// It may only raise what the rules found, never lower it, and it names its reason: the flag suggested by
// the strongest concept present, with that concept's words as the evidence; or, when it is surer still and
// no concept fits, the flag its kind heads find likeliest, with the words that weigh most for that flag.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { gramValue } from './grams.ts';
import { FLAG_IDS } from './types.ts';

const weightsSchema = z.object({ bias: z.number(), weights: z.record(z.string(), z.number()) });

const headSchema = weightsSchema.extend({
  /** The probability at or above which the head raises the assessment (chosen by cross-validation)… */
  threshold: z.number().min(0).max(1),
  /** …and at or above which a generic concept may be its reason (see `specific` in frames.json). */
  sureThreshold: z.number().min(0).max(1),
  /** …and at or above which it raises with no concept to name: the kind heads then name the flag. */
  bareThreshold: z.number().min(0).max(1),
});

const modelFields = {
  /** Digest of the lexicon and labelled sets it was trained from: `hotline check` says when it is stale. */
  digest: z.string(),
  trainedOn: z.array(z.string()),
  examples: z.number().int().positive(),
  /** Out-of-fold scores (leave one set out), with the chosen thresholds, rules and model together. */
  crossValidation: z.object({ highRecall: z.number(), urgentRecall: z.number(), benignLow: z.number() }),
};

export const modelSchema = z.object({
  ...modelFields,
  urgent: headSchema,
  high: headSchema,
  /** One head for each crisis or strong flag: how likely the message shows it; names a raise without a concept. */
  kinds: z.partialRecord(z.enum(FLAG_IDS), weightsSchema),
});
export type Model = z.infer<typeof modelSchema>;
export type Head = z.infer<typeof headSchema>;
export type Weights = z.infer<typeof weightsSchema>;

/**
 * model.json: twelve heads over some fourteen thousand features would take megabytes as name–weight pairs,
 * so the names are listed once (`vocabulary`) and each head's weights follow in that order, in thousandths.
 */
const storedWeightsSchema = z.object({ bias: z.number(), weights: z.array(z.number().int()) });
const storedHeadSchema = storedWeightsSchema.extend(headSchema.omit({ bias: true, weights: true }).shape);

export const storedModelSchema = z
  .object({
    ...modelFields,
    vocabulary: z.array(z.string()),
    urgent: storedHeadSchema,
    high: storedHeadSchema,
    kinds: z.partialRecord(z.enum(FLAG_IDS), storedWeightsSchema),
  })
  .superRefine((m, ctx) => {
    const heads = [['urgent', m.urgent], ['high', m.high], ...Object.entries(m.kinds).map(([k, h]) => [`kinds.${k}`, h] as const)] as const;
    for (const [name, head] of heads) {
      if (head && head.weights.length !== m.vocabulary.length) {
        ctx.addIssue({ code: 'custom', path: [name], message: `has ${head.weights.length} weights for ${m.vocabulary.length} features` });
      }
    }
  })
  .transform((m): Model => {
    const unpack = (head: z.infer<typeof storedWeightsSchema>): Weights => {
      const weights: Record<string, number> = {};
      head.weights.forEach((w, i) => {
        const name = m.vocabulary[i];
        if (w !== 0 && name !== undefined) weights[name] = w / 1000;
      });
      return { bias: head.bias, weights };
    };
    const kinds: Model['kinds'] = {};
    for (const [flag, head] of Object.entries(m.kinds) as [keyof Model['kinds'], z.infer<typeof storedWeightsSchema> | undefined][]) {
      if (head) kinds[flag] = unpack(head);
    }
    const { vocabulary: _, ...rest } = m;
    return { ...rest, urgent: { ...m.urgent, ...unpack(m.urgent) }, high: { ...m.high, ...unpack(m.high) }, kinds };
  });

/** The text of model.json: one line for the vocabulary and one for each head's weights. */
export function storedModelText(model: Model): string {
  const heads: [string, Weights][] = [['urgent', model.urgent], ['high', model.high], ...(Object.entries(model.kinds) as [string, Weights][])];
  const vocabulary = [...new Set(heads.flatMap(([, h]) => Object.keys(h.weights)))].sort();
  // One head on one line: its bias, its weights in vocabulary order, and the thresholds it carries, if any.
  const pack = ({ bias, weights, ...thresholds }: Weights | Head) =>
    JSON.stringify({ bias, weights: vocabulary.map((name) => Math.round((weights[name] ?? 0) * 1000)), ...thresholds });
  const fields = Object.entries({ digest: model.digest, trainedOn: model.trainedOn, examples: model.examples, crossValidation: model.crossValidation });
  return [
    '{',
    ...fields.map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`),
    `  "vocabulary": ${JSON.stringify(vocabulary)},`,
    `  "urgent": ${pack(model.urgent)},`,
    `  "high": ${pack(model.high)},`,
    '  "kinds": {',
    Object.entries(model.kinds)
      .map(([flag, h]) => `    ${JSON.stringify(flag)}: ${pack(h)}`)
      .join(',\n'),
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Feature names: `f:<flag>` for a flag the rules found, `c:<concept>` for a concept present. */
export function featureNames(flags: Iterable<string>, concepts: Iterable<string>): string[] {
  return [...[...flags].map((f) => `f:${f}`), ...[...concepts].map((c) => `c:${c}`)];
}

/** Concepts and flags count 1 each; the pieces of the text (grams.ts) less in a long message. */
export function probability(head: Weights, features: readonly string[], grams: readonly string[] = []): number {
  let z = head.bias;
  for (const f of features) z += head.weights[f] ?? 0;
  const v = gramValue(grams.length);
  for (const g of grams) z += (head.weights[g] ?? 0) * v;
  return 1 / (1 + Math.exp(-z));
}

/** What the model was trained from; any change to the lexicon or the labelled sets changes it. */
export function digestOf(files: { name: string; text: string }[]): string {
  const hash = createHash('sha256');
  for (const f of [...files].sort((a, b) => a.name.localeCompare(b.name))) hash.update(`${f.name}\n${f.text}\n`);
  return hash.digest('hex').slice(0, 16);
}
