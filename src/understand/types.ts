// What `assess` finds in a free-text message: red flags with their evidence, a risk, and whether it is a
// crisis happening now.
import { z } from 'zod';

/** The red flags of FACTS.md §4–5 the assessment looks for. Lexicons in data/lexicon/ are keyed by these. */
export const FLAG_IDS = [
  'broker_fee',
  'no_experience',
  'high_pay',
  'scam_job',
  'scam_place',
  'travel_arranged',
  'documents_taken',
  'confinement',
  'violence',
  'threats',
  'debt',
  'unpaid_wages',
  'deception',
  'bride_offer',
  'irregular_crossing',
  'sold',
  'help_now',
] as const;
export type FlagId = (typeof FLAG_IDS)[number];

export const RISKS = ['high', 'medium', 'low'] as const;
export type Risk = (typeof RISKS)[number];

/** How the text is written: Lao script, Thai script, Lao in Latin letters, English, or a mix. */
export const WRITINGS = ['lo', 'th', 'lo-latn', 'en', 'mixed', 'unknown'] as const;
export type Writing = (typeof WRITINGS)[number];

export const assessmentSchema = z.object({
  risk: z.enum(RISKS),
  urgent: z.boolean(),
  flags: z.array(z.object({ id: z.enum(FLAG_IDS), evidence: z.string() })),
  language: z.enum(WRITINGS),
  /** Set when the text could not be read (empty, legacy encoding, only symbols). */
  unreadable: z.string().optional(),
});
export type Assessment = z.infer<typeof assessmentSchema>;
