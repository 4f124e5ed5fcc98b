// Cases: a person handed to counsellors. Ordered by priority, then by how long they have waited.
import { z } from 'zod';
import { PRIORITIES, type Priority } from '../engine/index.ts';

export const OUTCOMES = ['referred', 'advice_given', 'no_contact', 'other'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const caseSchema = z.object({
  id: z.string(),
  person: z.string(),
  channel: z.string(),
  userId: z.string(),
  lang: z.string(),
  priority: z.enum(PRIORITIES as [Priority, ...Priority[]]),
  reason: z.string(),
  status: z.enum(['queued', 'held', 'closed']),
  /** When the person first asked: their place among cases of the same priority. */
  createdAt: z.coerce.number(),
  /** When the person last wrote (Messenger's windows count from it). */
  lastUserAt: z.coerce.number(),
  counsellor: z.string().optional(),
  leaseUntil: z.coerce.number().optional(),
  takenAt: z.coerce.number().optional(),
  closedAt: z.coerce.number().optional(),
  outcome: z.enum(OUTCOMES).optional(),
  /** The screening summary, encrypted (it may hold what the person typed). */
  sealedSummary: z.string(),
});
export type Case = z.infer<typeof caseSchema>;

export interface NewEscalation {
  person: string;
  channel: string;
  userId: string;
  lang: string;
  priority: Priority;
  reason: string;
  sealedSummary: string;
  at: number;
}

export type TakeResult = { taken: Case } | { empty: true } | { full: true };

/** The queue's contract; Redis and memory implement it and pass the same tests. */
export interface CaseStore {
  /**
   * Opens a case, or updates the person's open one: the priority only ever rises, the place in the queue is
   * kept (a higher priority moves it up). Returns the case and its 1-based place in the queue (0 when held).
   */
  escalate(input: NewEscalation): Promise<{ case: Case; position: number; created: boolean }>;
  get(id: string): Promise<Case | undefined>;
  openCaseOf(person: string): Promise<Case | undefined>;
  /** Queued cases, first to be taken first. */
  queued(): Promise<Case[]>;
  /** Cases held by a counsellor, or by anyone. */
  held(counsellor?: string): Promise<Case[]>;
  /** Atomically gives the first queued case to the counsellor, unless they hold `capacity` already. */
  takeNext(counsellor: string, capacity: number, leaseMs: number, now: number): Promise<TakeResult>;
  /** Extends the leases of every case the counsellor holds (their console is open). */
  renew(counsellor: string, leaseMs: number, now: number): Promise<void>;
  /** Puts cases whose lease ran out back in their place in the queue, and returns them (with the old holder). */
  expire(now: number): Promise<Case[]>;
  /** Hands a held case to another counsellor, or back to its place in the queue (`to` undefined). */
  transfer(id: string, to: string | undefined, leaseMs: number, now: number): Promise<Case>;
  touch(id: string, lastUserAt: number): Promise<void>;
  close(id: string, outcome: Outcome, now: number, retentionMs: number): Promise<Case>;
  /** Appends one encrypted transcript line. */
  append(id: string, sealedLine: string): Promise<void>;
  transcript(id: string): Promise<string[]>;
  /** Deletes every case and transcript of the person (their /forget); returns the ids deleted. */
  forget(person: string): Promise<string[]>;
  /** Records who did what to which case, for the NGO's records (ids and actions only). */
  audit(entry: AuditEntry): Promise<void>;
  auditLog(limit: number): Promise<AuditEntry[]>;
  /** Keeps a notice for a counsellor who may be away (a case returned from them), until they come back. */
  notify(counsellor: string, notice: string): Promise<void>;
  /** The counsellor's kept notices, taken out. */
  takeNotices(counsellor: string): Promise<string[]>;
  /** Marks a counsellor's console as open until `until`. */
  present(counsellor: string, until: number): Promise<void>;
  /** Counsellors whose console is open now. */
  online(now: number): Promise<string[]>;
}

export interface AuditEntry {
  at: number;
  counsellor: string;
  action: string;
  caseId: string;
}

const RANK: Record<Priority, number> = { urgent: 0, high: 1, medium: 2, low: 3 };

/** Queue order as one number: priority first, then waiting time (earlier first). */
export function queueScore(priority: Priority, createdAt: number): number {
  return RANK[priority] * 1e13 + createdAt;
}

export function higher(a: Priority, b: Priority): Priority {
  return RANK[a] <= RANK[b] ? a : b;
}
