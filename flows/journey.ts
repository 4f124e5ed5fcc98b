import { z } from 'zod';
import { defineFlow } from '../src/engine/index.ts';

/** "2026-12-01", "1/12/2026" or "01.12.2026" → "2026-12-01"; anything that is not a real date fails. */
export const dateSchema = z
  .string()
  .trim()
  .transform((text, ctx) => {
    const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
    const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
    const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : dmy ? [dmy[3], dmy[2], dmy[1]] : [];
    const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    if (!y || Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(d) || date.getUTCMonth() !== Number(m) - 1) {
      ctx.addIssue({ code: 'custom', message: 'not a date' });
      return z.NEVER;
    }
    return date.toISOString().slice(0, 10);
  });

/** Where to: a country, province or city, nothing more (no street, no numbers). */
export const placeSchema = z.string().trim().min(2).max(60).regex(/^[^\d@/]+$/u);

/**
 * Journey check-ins: before leaving, the person gives a departure date and where they go; the bot checks in
 * on the departure day, a few days after arrival and around the first payday (src/awareness/). Ending the
 * check-ins deletes both answers.
 */
export const journeyFlow = defineFlow({
  id: 'journey',
  version: 1,
  title: 'journey.title',
  start: 'explain',
  nodes: {
    explain: { kind: 'say', text: 'journey.explain', next: 'date' },
    date: { kind: 'text', text: 'journey.ask_date', schema: dateSchema, invalid: 'journey.invalid_date', save: 'journey_date', next: 'check_date' },
    // The service gives the engine today's date as `_today`: the engine itself reads no clock.
    check_date: {
      kind: 'branch',
      cases: [{ when: (ctx) => String(ctx.vars['journey_date']) < String(ctx.vars['_today'] ?? ''), next: 'past' }],
      otherwise: 'place',
    },
    past: { kind: 'say', text: 'journey.past', next: 'date' },
    place: { kind: 'text', text: 'journey.ask_place', schema: placeSchema, invalid: 'journey.invalid_place', save: 'journey_place', next: 'on' },
    on: { kind: 'set', vars: () => ({ journey: 'on' }), next: 'done' },
    done: {
      kind: 'end',
      text: (ctx) => [{ key: 'journey.done', vars: { date: String(ctx.vars['journey_date']), place: String(ctx.vars['journey_place']) } }],
    },
  },
});

/** The check-in itself, started by the scheduler. */
export const checkinFlow = defineFlow({
  id: 'checkin',
  version: 1,
  title: 'journey.checkin_title',
  start: 'pending',
  nodes: {
    pending: { kind: 'set', vars: () => ({ checkin_pending: true }), next: 'ask' },
    ask: {
      kind: 'choice',
      text: 'journey.ok_ask',
      choices: [
        { id: 'ok', label: 'journey.ok', next: 'answered_ok' },
        { id: 'help', label: 'journey.need_help', next: 'answered_help' },
        { id: 'stop', label: 'journey.stop_button', flow: 'journey-stop' },
      ],
    },
    answered_ok: { kind: 'set', vars: () => ({ checkin_pending: null }), next: 'glad' },
    glad: { kind: 'end', text: 'journey.glad' },
    answered_help: { kind: 'set', vars: () => ({ checkin_pending: null }), next: 'escalate' },
    escalate: { kind: 'escalate', priority: 'high', reason: 'checkin_help', next: 'coming' },
    coming: { kind: 'end', text: ['journey.help_coming', 'help.call_if_danger', { directory: 'LA' }, { directory: 'TH' }] },
  },
});

/** Ends the check-ins: the journey's date and place are deleted. */
export const journeyStopFlow = defineFlow({
  id: 'journey-stop',
  version: 1,
  title: 'journey.stop_button',
  start: 'off',
  nodes: {
    off: { kind: 'set', vars: () => ({ journey: 'off', journey_date: null, journey_place: null, checkin_pending: null }), next: 'said' },
    said: { kind: 'say', text: 'journey.stopped', next: 'menu' },
    menu: { kind: 'goto', flow: 'menu' },
  },
});
