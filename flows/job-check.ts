import { defineFlow, type Ctx, type Json } from '../src/engine/index.ts';
import type { Assessment } from '../src/understand/types.ts';

/**
 * Job-offer check: ten questions built on the ILO forced-labour indicators (2012) and the ILO–EC
 * trafficking indicators for deceptive recruitment (2009), with the Mekong red flags of FACTS.md §5.
 *
 * Scoring, because the ILO gives no score of its own: every warning answer adds points and names a flag.
 * A strong indicator (ILO–EC "strong": documents taken, confinement, debt bondage, deception about the job
 * or place, an irregular crossing) makes the result high on its own, as "one indicator can be enough".
 * Otherwise the points decide: 7 or more is high, 3 or more medium, below that low.
 */
export const STRONG_FLAGS: ReadonlySet<string> = new Set([
  'job.flag.documents',
  'job.flag.confinement',
  'job.flag.debt',
  'job.flag.crossing',
  'job.flag.scam_job',
  'job.flag.bride',
]);
export const HIGH_SCORE = 7;
export const MEDIUM_SCORE = 3;

export function riskOf(ctx: Pick<Ctx, 'score' | 'flags'>): 'high' | 'medium' | 'low' {
  if (ctx.flags.some((f) => STRONG_FLAGS.has(f)) || ctx.score >= HIGH_SCORE) return 'high';
  return ctx.score >= MEDIUM_SCORE ? 'medium' : 'low';
}

export const jobCheckFlow = defineFlow({
  id: 'job-check',
  version: 2,
  title: 'job.title',
  start: 'from_ad',
  nodes: {
    from_ad: { kind: 'branch', cases: [{ when: (ctx) => adFlags(ctx).length > 0, next: 'ad_found' }], otherwise: 'intro' },
    // A pasted job ad: what it shows first, then only the questions it does not answer.
    ad_found: { kind: 'say', text: ['job.ad_found', (ctx) => [{ list: adFlags(ctx).map((key) => ({ key })) }], 'job.ad_rest'], next: 'source' },
    intro: { kind: 'say', text: 'job.intro', next: 'source' },
    source: {
      kind: 'choice',
      text: 'job.source.ask',
      prefill: 'ad_source',
      summary: true,
      choices: [
        { id: 'agency', label: 'job.source.agency' },
        { id: 'broker', label: 'job.source.broker', score: 2, flag: 'job.flag.broker' },
        { id: 'online', label: 'job.source.online', score: 2, flag: 'job.flag.online' },
        { id: 'known', label: 'job.source.known', score: 1, flag: 'job.flag.known_person' },
      ],
      next: 'fee',
    },
    fee: {
      kind: 'choice',
      text: 'job.fee.ask',
      prefill: 'ad_fee',
      summary: true,
      choices: [
        { id: 'none', label: 'job.fee.none' },
        { id: 'paid', label: 'job.fee.paid', score: 3, flag: 'job.flag.fee' },
        { id: 'from_pay', label: 'job.fee.from_pay', score: 4, flag: 'job.flag.debt' },
        { id: 'unsure', label: 'job.fee.unsure', score: 1 },
      ],
      next: 'contract',
    },
    contract: {
      kind: 'choice',
      text: 'job.contract.ask',
      prefill: 'ad_contract',
      summary: true,
      choices: [
        { id: 'own_language', label: 'job.contract.own_language' },
        { id: 'other_language', label: 'job.contract.other_language', score: 2, flag: 'job.flag.contract_language' },
        { id: 'none', label: 'job.contract.none', score: 2, flag: 'job.flag.no_contract' },
      ],
      next: 'passport',
    },
    passport: {
      kind: 'choice',
      text: 'job.passport.ask',
      prefill: 'ad_passport',
      summary: true,
      choices: [
        { id: 'me', label: 'job.passport.me' },
        { id: 'employer', label: 'job.passport.employer', score: 4, flag: 'job.flag.documents' },
        { id: 'no_passport', label: 'job.passport.no_passport', score: 3, flag: 'job.flag.no_passport' },
        { id: 'unsure', label: 'job.passport.unsure', score: 1 },
      ],
      next: 'route',
    },
    route: {
      kind: 'choice',
      text: 'job.route.ask',
      prefill: 'ad_route',
      summary: true,
      choices: [
        { id: 'checkpoint', label: 'job.route.checkpoint' },
        { id: 'boat_or_car', label: 'job.route.boat_or_car', score: 4, flag: 'job.flag.crossing' },
        { id: 'all_arranged', label: 'job.route.all_arranged', score: 2, flag: 'job.flag.travel_arranged' },
      ],
      next: 'pay',
    },
    pay: {
      kind: 'choice',
      text: 'job.pay.ask',
      prefill: 'ad_pay',
      summary: true,
      choices: [
        { id: 'normal', label: 'job.pay.normal' },
        { id: 'much_higher', label: 'job.pay.much_higher', score: 3, flag: 'job.flag.pay_high' },
        { id: 'unknown', label: 'job.pay.unknown', score: 2, flag: 'job.flag.pay_unknown' },
      ],
      next: 'kind',
    },
    kind: {
      kind: 'choice',
      text: 'job.kind.ask',
      prefill: 'ad_kind',
      summary: true,
      choices: [
        { id: 'factory_farm', label: 'job.kind.factory_farm' },
        { id: 'shop_hotel', label: 'job.kind.shop_hotel' },
        { id: 'online', label: 'job.kind.online', score: 4, flag: 'job.flag.scam_job' },
        { id: 'entertainment', label: 'job.kind.entertainment', score: 2, flag: 'job.flag.entertainment' },
        { id: 'fishing', label: 'job.kind.fishing', score: 2, flag: 'job.flag.fishing' },
        { id: 'domestic', label: 'job.kind.domestic', score: 1, flag: 'job.flag.domestic' },
        { id: 'marriage', label: 'job.kind.marriage', score: 4, flag: 'job.flag.bride' },
      ],
      next: 'employer',
    },
    employer: {
      kind: 'choice',
      text: 'job.employer.ask',
      prefill: 'ad_employer',
      summary: true,
      choices: [
        { id: 'known', label: 'job.employer.known' },
        { id: 'partly', label: 'job.employer.partly', score: 1, flag: 'job.flag.employer_vague' },
        { id: 'unknown', label: 'job.employer.unknown', score: 2, flag: 'job.flag.employer_unknown' },
      ],
      next: 'hours',
    },
    hours: {
      kind: 'choice',
      text: 'job.hours.ask',
      prefill: 'ad_hours',
      summary: true,
      choices: [
        { id: 'normal', label: 'job.hours.normal' },
        { id: 'long', label: 'job.hours.long', score: 2, flag: 'job.flag.hours' },
        { id: 'not_told', label: 'job.hours.not_told', score: 1 },
      ],
      next: 'freedom',
    },
    freedom: {
      kind: 'choice',
      text: 'job.freedom.ask',
      prefill: 'ad_freedom',
      summary: true,
      choices: [
        { id: 'free', label: 'job.freedom.free' },
        { id: 'unsure', label: 'job.freedom.unsure', score: 2, flag: 'job.flag.freedom_unclear' },
        { id: 'confined', label: 'job.freedom.confined', score: 4, flag: 'job.flag.confinement' },
      ],
      next: 'result',
    },
    result: {
      kind: 'branch',
      cases: [
        { when: (ctx) => riskOf(ctx) === 'high', next: 'high' },
        { when: (ctx) => riskOf(ctx) === 'medium', next: 'medium' },
      ],
      otherwise: 'low',
    },
    high: { kind: 'set', vars: () => ({ job_risk: 'high' }), next: 'high_say' },
    high_say: { kind: 'say', text: 'job.result.high', listFlags: true, next: 'high_offer' },
    high_offer: {
      kind: 'choice',
      text: 'job.result.high_next',
      choices: [
        { id: 'counsellor', label: 'job.result.counsellor', next: 'escalate_high' },
        { id: 'advice', label: 'job.result.advice', flow: 'safe-migration' },
        { id: 'menu', label: 'job.result.menu', flow: 'menu' },
      ],
    },
    escalate_high: { kind: 'escalate', priority: 'high', reason: 'job_offer_high_risk', next: 'queued' },
    medium: { kind: 'set', vars: () => ({ job_risk: 'medium' }), next: 'medium_say' },
    medium_say: { kind: 'say', text: 'job.result.medium', listFlags: true, next: 'medium_offer' },
    medium_offer: {
      kind: 'choice',
      text: 'job.result.medium_next',
      choices: [
        { id: 'counsellor', label: 'job.result.counsellor', next: 'escalate_medium' },
        { id: 'advice', label: 'job.result.advice', flow: 'safe-migration' },
        { id: 'menu', label: 'job.result.menu', flow: 'menu' },
      ],
    },
    escalate_medium: { kind: 'escalate', priority: 'medium', reason: 'job_offer_medium_risk', next: 'queued' },
    low: { kind: 'set', vars: () => ({ job_risk: 'low' }), next: 'low_say' },
    low_say: { kind: 'say', text: 'job.result.low', listFlags: true, next: 'low_offer' },
    low_offer: {
      kind: 'choice',
      text: 'job.result.low_next',
      choices: [
        { id: 'advice', label: 'job.result.advice', flow: 'safe-migration' },
        { id: 'counsellor', label: 'job.result.counsellor', next: 'escalate_low' },
        { id: 'menu', label: 'job.result.menu', flow: 'menu' },
      ],
    },
    escalate_low: { kind: 'escalate', priority: 'low', reason: 'job_offer_question', next: 'queued' },
    queued: { kind: 'end', text: ['job.result.queued', 'help.call_if_danger', { directory: 'LA' }, { directory: 'TH' }] },
  },
});

function adFlags(ctx: Pick<Ctx, 'vars'>): string[] {
  const flags = ctx.vars['ad_flags'];
  return Array.isArray(flags) ? flags.filter((f): f is string => typeof f === 'string') : [];
}

/** What a pasted ad answers already: assessment flag → the job check's question and answer. */
const AD_ANSWERS: Partial<Record<Assessment['flags'][number]['id'], [string, string]>> = {
  broker_fee: ['ad_fee', 'paid'],
  debt: ['ad_fee', 'from_pay'],
  documents_taken: ['ad_passport', 'employer'],
  irregular_crossing: ['ad_route', 'boat_or_car'],
  travel_arranged: ['ad_route', 'all_arranged'],
  high_pay: ['ad_pay', 'much_higher'],
  scam_job: ['ad_kind', 'online'],
  bride_offer: ['ad_kind', 'marriage'],
  confinement: ['ad_freedom', 'confined'],
};

/** The job check's variables for a pasted ad: the flags to show, and the answers the ad already gives. */
export function jobCheckPrefill(assessment: Assessment): Record<string, Json> {
  const vars: Record<string, Json> = { ad_flags: assessment.flags.map((f) => `assess.flag.${f.id}`) };
  for (const f of assessment.flags) {
    const answer = AD_ANSWERS[f.id];
    if (answer && vars[answer[0]] === undefined) vars[answer[0]] = answer[1];
  }
  return vars;
}

