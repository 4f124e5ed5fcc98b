// What the hotline counts, with typed methods for the service and the desk to call. Every label is taken
// from a small fixed vocabulary (anything else becomes 'other'), so no id, text or phone number can reach
// the store or /metrics. Analytics never break a conversation: every method resolves, and a failed write is
// logged and dropped.
import { flows as allFlows } from '../../flows/index.ts';
import { LANGS } from '../content/locales.ts';
import { PRIORITIES } from '../engine/index.ts';
import { OUTCOMES } from '../escalation/types.ts';
import type { Metrics } from '../http/metrics.ts';
import type { Logger } from '../log.ts';
import { dayOf, type AnalyticsStore } from './store.ts';

export const OTHER = 'other';
export const CHANNELS = ['telegram', 'messenger', 'webchat', 'console'] as const;
export const RISKS = ['high', 'medium', 'low'] as const;
export const OPT_KINDS = ['tips', 'checkins'] as const;
export type OptKind = (typeof OPT_KINDS)[number];

/** The store's counter and observation names (the report reads them back). */
export const MEASURES = {
  conversations: 'conversations',
  flowCompleted: 'flow_completed',
  risk: 'risk',
  escalations: 'escalations',
  closed: 'closed',
  optIn: 'opt_in',
  optOut: 'opt_out',
  waitSeconds: 'wait_seconds',
} as const;

/** Prometheus counters at /metrics, with their help texts. */
export const METRICS = {
  conversations: ['hotline_conversations_total', 'Conversations started, by language and channel'],
  flowCompleted: ['hotline_flow_completions_total', 'Flows run to their end, by flow'],
  risk: ['hotline_risk_results_total', 'Job-offer check results, by risk'],
  escalations: ['hotline_escalations_total', 'Handed to counsellors, by priority and channel'],
  waits: ['hotline_queue_waits_total', 'Cases taken from the queue by a counsellor'],
  waitSeconds: ['hotline_queue_wait_seconds_total', 'Seconds waited in the queue, summed over taken cases'],
  closed: ['hotline_cases_closed_total', 'Cases closed by counsellors, by outcome'],
  optIn: ['hotline_opt_ins_total', 'Opt-ins, by kind'],
  optOut: ['hotline_opt_outs_total', 'Opt-outs, by kind'],
} as const satisfies Record<string, readonly [string, string]>;

/** Longest wait kept (30 days): anything longer is a stuck clock, not a wait. */
const MAX_WAIT_SECONDS = 30 * 24 * 3600;

export interface AnalyticsOptions {
  store: AnalyticsStore;
  /** The desk's time zone: days start at midnight there. */
  timeZone: string;
  log: Logger;
  /** Also count in these Prometheus counters, when given. */
  metrics?: Metrics;
  /** Flow ids that may be counted (default: every flow in flows/index.ts). */
  flows?: readonly string[];
  now?: () => number;
}

/** The value if it is one of the vocabulary's words, 'other' otherwise. */
export function within(vocabulary: readonly string[], value: unknown): string {
  return typeof value === 'string' && vocabulary.includes(value) ? value : OTHER;
}

export class Analytics {
  readonly store: AnalyticsStore;
  readonly timeZone: string;
  private readonly log: Logger;
  private readonly metrics: Metrics | undefined;
  private readonly flows: readonly string[];
  private readonly now: () => number;

  constructor(o: AnalyticsOptions) {
    this.store = o.store;
    this.timeZone = o.timeZone;
    this.log = o.log;
    this.metrics = o.metrics;
    this.flows = o.flows ?? Object.keys(allFlows);
    this.now = o.now ?? Date.now;
  }

  /** A person's first message of a new conversation. */
  conversationStarted(lang: string, channel: string): Promise<void> {
    const labels = { lang: within(LANGS, lang), channel: within(CHANNELS, channel) };
    return this.count('conversations', MEASURES.conversations, METRICS.conversations, labels);
  }

  /** A flow ran to its end. */
  flowCompleted(flow: string): Promise<void> {
    return this.count('flowCompleted', MEASURES.flowCompleted, METRICS.flowCompleted, { flow: within(this.flows, flow) });
  }

  /** The job-offer check's result. */
  riskResult(risk: string): Promise<void> {
    return this.count('riskResult', MEASURES.risk, METRICS.risk, { risk: within(RISKS, risk) });
  }

  /** A case opened for counsellors (not a raised priority of an open one). */
  escalated(priority: string, channel: string): Promise<void> {
    const labels = { priority: within(PRIORITIES, priority), channel: within(CHANNELS, channel) };
    return this.count('escalated', MEASURES.escalations, METRICS.escalations, labels);
  }

  /** How long a case waited in the queue before a counsellor took it. */
  async waited(seconds: number): Promise<void> {
    if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_WAIT_SECONDS) {
      this.log.warn('analytics: wait out of range, not recorded', { event: 'waited' });
      return;
    }
    const value = Math.round(seconds);
    await this.safely('waited', async () => {
      this.metrics?.inc(METRICS.waits[0], METRICS.waits[1]);
      this.metrics?.inc(METRICS.waitSeconds[0], METRICS.waitSeconds[1], {}, value);
      await this.store.observe(this.day(), MEASURES.waitSeconds, value);
    });
  }

  /** A counsellor closed a case with this outcome. */
  closed(outcome: string): Promise<void> {
    return this.count('closed', MEASURES.closed, METRICS.closed, { outcome: within(OUTCOMES, outcome) });
  }

  optedIn(kind: OptKind): Promise<void> {
    return this.count('optedIn', MEASURES.optIn, METRICS.optIn, { kind: within(OPT_KINDS, kind) });
  }

  optedOut(kind: OptKind): Promise<void> {
    return this.count('optedOut', MEASURES.optOut, METRICS.optOut, { kind: within(OPT_KINDS, kind) });
  }

  /** Today in the desk's time zone. */
  day(): string {
    return dayOf(this.now(), this.timeZone);
  }

  private count(event: string, name: string, metric: readonly [string, string], labels: Record<string, string>): Promise<void> {
    return this.safely(event, async () => {
      this.metrics?.inc(metric[0], metric[1], labels);
      await this.store.incr(this.day(), name, labels);
    });
  }

  private async safely(event: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.log.warn('analytics not recorded', { event, error: error instanceof Error ? error.message : String(error) });
    }
  }
}
