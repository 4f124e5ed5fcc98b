// The lexicons: data a content editor extends (data/lexicon/*.json), validated here and by `hotline check`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { storedModelSchema, type Model } from './model.ts';
import { FLAG_IDS, type FlagId } from './types.ts';

const terms = z.array(z.string().min(2)).default([]);
/** Concept words may be one letter ("i", "u"): a frame never fires on one concept alone. */
const conceptTerms = z.array(z.string().min(1)).default([]);

/** Terms of one flag in each way of writing. Latin terms match whole words; `*` ends a word's prefix. */
export const flagLexiconSchema = z.object({
  flags: z.record(
    z.enum(FLAG_IDS),
    z.object({
      /** strong: high risk on its own (ILO–EC "strong" indicators); crisis: also urgent. */
      weight: z.enum(['crisis', 'strong', 'weak']),
      /** Counts only when the text is about a job (a place name alone is not a red flag: people live there). */
      needsJobContext: z.boolean().default(false),
      lo: terms,
      th: terms,
      latin: terms,
    }),
  ),
});

export const languageLexiconSchema = z.object({
  /** Words that undo a flag term right after them ("did not take", "ບໍ່ໄດ້ເອົາ", "ไม่ได้ยึด"). */
  negations: z.object({ lo: terms, th: terms, latin: terms }),
  /**
   * Words a negation reaches across to the term after them: passive markers and first halves of compound
   * verbs ("ບໍ່ໄດ້ຖືກຂັງ", "bor dai thuk khang", "have not been locked in": not locked up).
   */
  passives: z.object({ lo: terms, th: terms, latin: terms }),
  /** Common words of Lao written in Latin letters, to tell it from English. */
  latinLaoWords: z.array(z.string()).min(10),
  /** Number words of Lao and Thai ("ສາມໝື່ນ", "3 หมื่น"): digits and multipliers. */
  numberWords: z.object({ digits: z.record(z.string(), z.number()), multipliers: z.record(z.string(), z.number()) }),
  currencies: z.record(
    z.string().regex(/^[A-Z]{3}$/),
    z.object({ words: z.array(z.string()).min(1), /** Baht per unit: a heuristic for "far above normal pay". */ thb: z.number().positive() }),
  ),
  wageWords: z.object({ month: z.array(z.string()).min(1), day: z.array(z.string()).min(1) }),
  /** Words that make a text about a job (for flags with needsJobContext). */
  jobWords: z.array(z.string()).min(1),
  /** Words of a fee: an amount of money near one is a fee asked or paid ("ค่าทำเอกสาร 15,000 บาท"). */
  feeWords: z.array(z.string()).min(1),
  /**
   * Words of a text about others rather than the writer (news, a school report): without a crisis or a
   * strong flag, such a text stays low.
   */
  aboutOthers: z.array(z.string()).min(1),
  /**
   * Words that take a flag back: the message itself says the opposite ("I keep my passport myself",
   * "ເອົາໜັງສືຜ່ານແດນຄືນໃຫ້ແລ້ວ", given back).
   */
  cancels: z.partialRecord(z.enum(FLAG_IDS), z.array(z.string().min(1))).default({}),
  /** Monthly pay in baht above which an offer counts as "far above normal" (an NGO setting, not a fact shown). */
  highMonthlyPayThb: z.number().positive(),
  source: z.string().min(3),
});

/**
 * Concepts (word lists in each writing) and frames (concepts found near each other that together show a
 * flag). See src/understand/frames.ts.
 */
export const frameLexiconSchema = z
  .object({
    concepts: z.record(
      z.string().regex(/^[a-z_]+$/),
      z.object({
        /** The concept carries its own negation ("can't", "ບໍ່ໃຫ້", "ไม่ให้"): a frame using it is never undone by one. */
        negative: z.boolean().default(false),
        /** The flag the learned scorer names when this concept is its strongest reason to raise (model.ts). */
        suggests: z.enum(FLAG_IDS).optional(),
        /**
         * A specific concept (guards, a price paid for a person) may be a reason whenever the scorer raises; a
         * generic one (a phone, "ບໍ່ໃຫ້", "help") only when it is much surer (the head's `sureThreshold`).
         */
        specific: z.boolean().default(true),
        note: z.string().optional(),
        lo: conceptTerms,
        th: conceptTerms,
        latin: conceptTerms,
      }),
    ),
    frames: z.array(
      z.object({
        flags: z.array(z.enum(FLAG_IDS)).min(1),
        parts: z.array(z.string()).min(2).max(4),
        /** The parts must come in this order ("ບໍ່ໃຫ້ ອອກ" but not "ອອກ ບໍ່ໃຫ້"). */
        ordered: z.boolean().default(false),
        /** How many words may stand between one part and the next. */
        within: z.number().int().min(0).max(20).default(4),
        /** Concepts that, in the same sentence, stop the frame ("the office is locked on Saturdays"). */
        unless: z.array(z.string()).default([]),
        /** A message this frame must find: `hotline check` and the tests hold the frame to it. */
        example: z.string().min(3),
      }),
    ),
  })
  .superRefine((lex, ctx) => {
    lex.frames.forEach((frame, i) => {
      for (const part of [...frame.parts, ...frame.unless]) {
        if (!(part in lex.concepts)) ctx.addIssue({ code: 'custom', path: ['frames', i, 'parts'], message: `unknown concept "${part}"` });
      }
    });
  });

export type FrameLexicon = z.infer<typeof frameLexiconSchema>;
export type FlagLexicon = z.infer<typeof flagLexiconSchema>;
export type LanguageLexicon = z.infer<typeof languageLexiconSchema>;
export interface Lexicon {
  flags: FlagLexicon;
  language: LanguageLexicon;
  frames: FrameLexicon;
}

/** The flags of these weights in flags.json (e.g. the crisis and strong ones a raise of the scorer may name). */
export function flagsWeighing(flags: FlagLexicon, ...weights: string[]): FlagId[] {
  return (Object.entries(flags.flags) as [FlagId, { weight: string } | undefined][]).flatMap(([id, e]) => (e && weights.includes(e.weight) ? [id] : []));
}

/** The learned scorer, if one has been trained (`hotline train`); without it the rules work alone. */
export function loadModel(dataDir: string): Model | undefined {
  const path = join(dataDir, 'lexicon', 'model.json');
  if (!existsSync(path)) return undefined;
  const parsed = storedModelSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function loadLexicon(dataDir: string): Lexicon {
  const read = <T>(file: string, schema: z.ZodType<T>): T => {
    const path = join(dataDir, 'lexicon', file);
    const parsed = schema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) throw new Error(`${path}: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  };
  return {
    flags: read('flags.json', flagLexiconSchema),
    language: read('language.json', languageLexiconSchema),
    frames: read('frames.json', frameLexiconSchema),
  };
}
