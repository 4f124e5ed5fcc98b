// The engine's nouns. Everything here is plain data or pure functions: the engine does no I/O, reads no
// clock and draws no random numbers, so a flow can be replayed as a transcript.
import type { ZodType } from 'zod';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** An i18n key with optional placeholder values, resolved by the conversation service. */
export interface TextRef {
  key: string;
  vars?: Record<string, string>;
}

/**
 * One piece of a message: a localized text, a list of texts shown one a line, or the help numbers of a
 * country from the directory.
 */
export type Part = TextRef | { list: TextRef[] } | { directory: string };

export type Priority = 'urgent' | 'high' | 'medium' | 'low';
export const PRIORITIES: readonly Priority[] = ['urgent', 'high', 'medium', 'low'];

/** What a flow's functions may read: the answers, variables, score and flags of the running flow. */
export interface Ctx {
  lang: string;
  vars: Readonly<Record<string, Json>>;
  answers: Readonly<Record<string, string>>;
  score: number;
  flags: readonly string[];
}

export interface Choice<S extends string> {
  /** Stable id of the option; it becomes the saved answer and part of the button payload. */
  id: string;
  label: string;
  next?: S;
  /** Risk points this answer adds to the running flow's score. */
  score?: number;
  /** An i18n key naming the red flag this answer shows, in plain words. */
  flag?: string;
  /** Another flow to start instead of going on (e.g. a main-menu entry). */
  flow?: string;
}

export type TextSpec = string | Part | ((ctx: Ctx) => Part[]);

export interface SayNode<S extends string> {
  kind: 'say';
  text: TextSpec | TextSpec[];
  /** Append each red flag found so far as a line of its own. */
  listFlags?: boolean;
  next?: S;
}

export interface ChoiceNode<S extends string> {
  kind: 'choice';
  text: TextSpec | TextSpec[];
  choices: Choice<S>[];
  /** Where to go when the chosen option names no `next`. */
  next?: S;
  /** Save the chosen option id as a flow variable of this name too. */
  save?: string;
  /** The chosen option id becomes the conversation's language (the option ids are language codes). */
  setsLanguage?: boolean;
  /** Record this question and its answer in the summary a counsellor sees on escalation. */
  summary?: boolean;
  /**
   * A variable that may already hold this question's answer (an option id), e.g. read from a pasted job ad:
   * then the question is not asked and that answer counts as given.
   */
  prefill?: string;
  /** Accept typed text that matches no option: save it and go on (for people too scared to press buttons). */
  freeText?: { save: string; next: S };
}

export interface TextNode<S extends string> {
  kind: 'text';
  text: TextSpec | TextSpec[];
  /** Validates and normalizes the person's free text; a failure asks again. */
  schema: ZodType<string>;
  /** i18n key of the hint shown when the answer does not pass the schema. */
  invalid: string;
  save: string;
  next: S;
}

export interface BranchNode<S extends string> {
  kind: 'branch';
  cases: { when: (ctx: Ctx) => boolean; next: S }[];
  otherwise: S;
}

export interface SetNode<S extends string> {
  kind: 'set';
  vars: (ctx: Ctx) => Record<string, Json>;
  next: S;
}

export interface CallNode<S extends string> {
  kind: 'call';
  flow: string;
  /** Where this flow goes on once the called flow ends. */
  next: S;
}

export interface GotoNode {
  kind: 'goto';
  flow: string;
}

export interface EscalateNode<S extends string> {
  kind: 'escalate';
  priority: Priority | ((ctx: Ctx) => Priority);
  reason: string;
  next: S;
}

export interface EndNode {
  kind: 'end';
  text?: TextSpec | TextSpec[];
}

export type Node<S extends string> =
  | SayNode<S>
  | ChoiceNode<S>
  | TextNode<S>
  | BranchNode<S>
  | SetNode<S>
  | CallNode<S>
  | GotoNode
  | EscalateNode<S>
  | EndNode;

export interface Flow {
  id: string;
  version: number;
  /** i18n key of the flow's name, for menus and diagrams. */
  title: string;
  start: string;
  nodes: Readonly<Record<string, Node<string>>>;
}

export type Flows = Readonly<Record<string, Flow>>;

/** One running flow on the call stack. */
export interface Frame {
  flow: string;
  version: number;
  node: string;
  score: number;
  flags: string[];
  answers: Record<string, string>;
}

export interface State {
  v: 1;
  lang: string;
  stack: Frame[];
  vars: Record<string, Json>;
  /** Counts questions asked, so a button from an older message is recognised as such. */
  turn: number;
  /** Invalid answers to the current question. */
  retries: number;
  /** What a counsellor sees on escalation, across flows: question key → answer label key (latest wins). */
  summary: [string, string][];
  /** Every red flag found in this conversation, across flows. */
  flags: string[];
}

export type Input =
  | { type: 'text'; text: string }
  | { type: 'button'; payload: string }
  /** Start a flow afresh (a menu command, a help word, /start). */
  | { type: 'jump'; flow: string }
  /** Ask the waiting question again (after an interruption such as "/forget" → "no"). */
  | { type: 'resume' };

export interface Button {
  payload: string;
  label: TextRef;
}

export interface EscalationSummary {
  flow: string;
  score: number;
  flags: string[];
  answers: { question: string; answer: string }[];
  vars: Record<string, Json>;
}

export type Effect =
  | { type: 'say'; parts: Part[]; buttons: Button[] }
  | { type: 'escalate'; priority: Priority; reason: string; summary: EscalationSummary }
  | { type: 'end' };

export interface StepResult {
  state: State;
  effects: Effect[];
}
