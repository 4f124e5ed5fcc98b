// The learned scorer: a logistic regression over what the rules already see (the flags found, and which
// concepts of frames.json are present), trained on the labelled sets by `hotline train`.
//
// Why: a frame needs its concepts close together, in one sentence, in a listed shape. People in danger write
// around it: "guards on every floor … if u dont hear from me", "ຄົນຖືປືນຍ່າງອ້ອມ … ແອບພິມຢູ່ຫ້ອງນ້ຳ". Each
// concept is weak evidence on its own; weighed together they often tell a crisis from a question. The
// features are concepts, not words, so what is learned from a Thai message carries over to Lao and English.
//
// It may only raise what the rules found, never lower it, and it names its reason: the flag suggested by
// the strongest concept present, with that concept's words as the evidence.
import { createHash } from 'node:crypto';
import { z } from 'zod';

const headSchema = z.object({
  bias: z.number(),
  /** The probability at or above which the head raises the assessment (chosen by cross-validation)… */
  threshold: z.number().min(0).max(1),
  /** …and at or above which a generic concept may be its reason (see `specific` in frames.json). */
  sureThreshold: z.number().min(0).max(1),
  weights: z.record(z.string(), z.number()),
});

export const modelSchema = z.object({
  /** Digest of the lexicon and labelled sets it was trained from: `hotline check` says when it is stale. */
  digest: z.string(),
  trainedOn: z.array(z.string()),
  examples: z.number().int().positive(),
  /** Out-of-fold scores (leave one set out), with the chosen thresholds, rules and model together. */
  crossValidation: z.object({ highRecall: z.number(), urgentRecall: z.number(), benignLow: z.number() }),
  urgent: headSchema,
  high: headSchema,
});
export type Model = z.infer<typeof modelSchema>;
export type Head = z.infer<typeof headSchema>;

/** Feature names: `f:<flag>` for a flag the rules found, `c:<concept>` for a concept present. */
export function featureNames(flags: Iterable<string>, concepts: Iterable<string>): string[] {
  return [...[...flags].map((f) => `f:${f}`), ...[...concepts].map((c) => `c:${c}`)];
}

export function probability(head: Pick<Head, 'bias' | 'weights'>, features: readonly string[]): number {
  let z = head.bias;
  for (const f of features) z += head.weights[f] ?? 0;
  return 1 / (1 + Math.exp(-z));
}

/** What the model was trained from; any change to the lexicon or the labelled sets changes it. */
export function digestOf(files: { name: string; text: string }[]): string {
  const hash = createHash('sha256');
  for (const f of [...files].sort((a, b) => a.name.localeCompare(b.name))) hash.update(`${f.name}\n${f.text}\n`);
  return hash.digest('hex').slice(0, 16);
}
