import { randomBytes } from 'node:crypto';
import { higher, queueScore, type AuditEntry, type Case, type CaseStore, type NewEscalation, type Outcome, type TakeResult } from './types.ts';

export function newCaseId(): string {
  return `c_${randomBytes(9).toString('base64url')}`;
}

/** A new case, waiting in the queue: both stores open cases the same way. */
export function newCase(input: NewEscalation): Case {
  return {
    id: newCaseId(),
    person: input.person,
    channel: input.channel,
    userId: input.userId,
    lang: input.lang,
    priority: input.priority,
    reason: input.reason,
    status: 'queued',
    createdAt: input.at,
    lastUserAt: input.at,
    sealedSummary: input.sealedSummary,
  };
}

/** The case queue in one process (memory mode). */
export class MemoryCaseStore implements CaseStore {
  private readonly cases = new Map<string, Case>();
  private readonly transcripts = new Map<string, string[]>();
  private readonly expiries = new Map<string, number>();
  private readonly audits: AuditEntry[] = [];
  private readonly presence = new Map<string, number>();
  private readonly notices = new Map<string, string[]>();
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  async escalate(input: NewEscalation): Promise<{ case: Case; position: number; created: boolean }> {
    const open = this.openNow(input.person);
    if (open) {
      const updated: Case = {
        ...open,
        priority: higher(open.priority, input.priority),
        reason: higher(open.priority, input.priority) === open.priority ? open.reason : input.reason,
        sealedSummary: input.sealedSummary,
        lastUserAt: Math.max(open.lastUserAt, input.at),
      };
      this.cases.set(open.id, updated);
      return { case: updated, position: this.position(updated), created: false };
    }
    const c = newCase(input);
    this.cases.set(c.id, c);
    return { case: c, position: this.position(c), created: true };
  }

  async get(id: string): Promise<Case | undefined> {
    this.sweep();
    return this.cases.get(id);
  }

  async openCaseOf(person: string): Promise<Case | undefined> {
    return this.openNow(person);
  }

  private openNow(person: string): Case | undefined {
    return [...this.cases.values()].find((c) => c.person === person && c.status !== 'closed');
  }

  async queued(): Promise<Case[]> {
    return this.queuedNow();
  }

  async held(counsellor?: string): Promise<Case[]> {
    return this.heldNow(counsellor);
  }

  // No await between looking and taking: in one process that is what makes "take next" atomic.
  async takeNext(counsellor: string, capacity: number, leaseMs: number, now: number): Promise<TakeResult> {
    if (this.heldNow(counsellor).length >= capacity) return { full: true };
    const [next] = this.queuedNow();
    if (!next) return { empty: true };
    const taken: Case = { ...next, status: 'held', counsellor, leaseUntil: now + leaseMs, takenAt: now };
    this.cases.set(taken.id, taken);
    return { taken };
  }

  async renew(counsellor: string, leaseMs: number, now: number): Promise<void> {
    for (const c of await this.held(counsellor)) this.cases.set(c.id, { ...c, leaseUntil: now + leaseMs });
  }

  async expire(now: number): Promise<Case[]> {
    const out: Case[] = [];
    for (const c of await this.held()) {
      if ((c.leaseUntil ?? 0) > now) continue;
      const { counsellor: _c, leaseUntil: _l, takenAt: _t, ...rest } = c;
      this.cases.set(c.id, { ...rest, status: 'queued' });
      out.push(c);
    }
    return out;
  }

  async transfer(id: string, to: string | undefined, leaseMs: number, now: number): Promise<Case> {
    const c = this.cases.get(id);
    if (!c || c.status !== 'held') throw new Error(`case ${id} is not held`);
    const { counsellor: _c, leaseUntil: _l, takenAt: _t, ...rest } = c;
    const moved: Case = to === undefined ? { ...rest, status: 'queued' } : { ...c, counsellor: to, leaseUntil: now + leaseMs, takenAt: now };
    this.cases.set(id, moved);
    return moved;
  }

  async touch(id: string, lastUserAt: number): Promise<void> {
    const c = this.cases.get(id);
    if (c) this.cases.set(id, { ...c, lastUserAt: Math.max(c.lastUserAt, lastUserAt) });
  }

  async close(id: string, outcome: Outcome, now: number, retentionMs: number): Promise<Case> {
    const c = this.cases.get(id);
    if (!c || c.status === 'closed') throw new Error(`case ${id} is not open`);
    const { leaseUntil: _l, ...rest } = c;
    const closed: Case = { ...rest, status: 'closed', outcome, closedAt: now };
    this.cases.set(id, closed);
    this.expiries.set(id, now + retentionMs);
    return closed;
  }

  async append(id: string, sealedLine: string): Promise<void> {
    this.transcripts.set(id, [...(this.transcripts.get(id) ?? []), sealedLine]);
  }

  async transcript(id: string): Promise<string[]> {
    this.sweep();
    return this.transcripts.get(id) ?? [];
  }

  async forget(person: string): Promise<string[]> {
    const ids = [...this.cases.values()].filter((c) => c.person === person).map((c) => c.id);
    for (const id of ids) {
      this.cases.delete(id);
      this.transcripts.delete(id);
      this.expiries.delete(id);
    }
    return ids;
  }

  async audit(entry: AuditEntry): Promise<void> {
    this.audits.unshift(entry);
    this.audits.length = Math.min(this.audits.length, 100_000);
  }

  async auditLog(limit: number): Promise<AuditEntry[]> {
    return this.audits.slice(0, limit);
  }

  async notify(counsellor: string, notice: string): Promise<void> {
    this.notices.set(counsellor, [...(this.notices.get(counsellor) ?? []), notice].slice(-100));
  }

  async takeNotices(counsellor: string): Promise<string[]> {
    const kept = this.notices.get(counsellor) ?? [];
    this.notices.delete(counsellor);
    return kept;
  }

  async present(counsellor: string, until: number): Promise<void> {
    this.presence.set(counsellor, until);
  }

  async online(now: number): Promise<string[]> {
    return [...this.presence].filter(([, until]) => until > now).map(([name]) => name).sort();
  }

  private queuedNow(): Case[] {
    return [...this.cases.values()]
      .filter((c) => c.status === 'queued')
      .sort((a, b) => queueScore(a.priority, a.createdAt) - queueScore(b.priority, b.createdAt));
  }

  private heldNow(counsellor?: string): Case[] {
    return [...this.cases.values()].filter((c) => c.status === 'held' && (counsellor === undefined || c.counsellor === counsellor));
  }

  private position(c: Case): number {
    if (c.status !== 'queued') return 0;
    const score = queueScore(c.priority, c.createdAt);
    return [...this.cases.values()].filter((o) => o.status === 'queued' && queueScore(o.priority, o.createdAt) <= score).length;
  }

  /** Closed cases and their transcripts disappear after the retention. */
  private sweep(): void {
    const now = this.now();
    for (const [id, until] of this.expiries) {
      if (until > now) continue;
      this.cases.delete(id);
      this.transcripts.delete(id);
      this.expiries.delete(id);
    }
  }
}
