// Values that texts quote and that change (fees, years): data/facts.json, each with its source and the
// date someone last checked it, so an NGO updates a fee in one place without touching code or texts.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const factsSchema = z.object({
  values: z.record(
    z.string().regex(/^[a-z][a-z0-9_]*$/),
    z.object({ value: z.string().min(1), source: z.string().min(3), verified: z.iso.date() }),
  ),
});
export type Facts = z.infer<typeof factsSchema>;

export function loadFacts(path: string): Facts {
  const parsed = factsSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The placeholder values every text may use: {{fee_visa}} and so on. */
export function factValues(facts: Facts): Record<string, string> {
  return Object.fromEntries(Object.entries(facts.values).map(([k, v]) => [k, v.value]));
}
