// A saved conversation comes back from the store, outside the process: parse it before the engine sees it.
import { z } from 'zod';
import type { Json, State } from '../engine/index.ts';

const json: z.ZodType<Json> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(json), z.record(z.string(), json)]),
);

const frame = z.object({
  flow: z.string(),
  version: z.number().int(),
  node: z.string(),
  score: z.number(),
  flags: z.array(z.string()),
  answers: z.record(z.string(), z.string()),
});

export const stateSchema: z.ZodType<State> = z.object({
  v: z.literal(1),
  lang: z.string(),
  stack: z.array(frame).max(16),
  vars: z.record(z.string(), json),
  turn: z.number().int().nonnegative(),
  retries: z.number().int().nonnegative(),
  summary: z.array(z.tuple([z.string(), z.string()])).max(100),
  flags: z.array(z.string()).max(100),
});

/** What the session store holds for one person. `seq`: the last inbox entry applied (durable channels). */
export interface SessionRecord {
  state: State;
  seq?: string;
  /** The person was handed to counsellors at some point: their messages are checked against the desk. */
  escalated?: boolean;
  /** A hash of the person's safe word (never the word itself). */
  safeWord?: string;
}

export const sessionRecordSchema: z.ZodType<SessionRecord> = z.object({
  state: stateSchema,
  seq: z.string().regex(/^\d+-\d+$/).optional(),
  escalated: z.boolean().optional(),
  safeWord: z.string().regex(/^[a-f0-9]{64}$/).optional(),
});
