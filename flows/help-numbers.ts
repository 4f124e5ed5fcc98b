import { defineFlow, type Part } from '../src/engine/index.ts';

/** Where is the person now? Shows the help numbers of that country from data/help-directory.json. */
export const helpNumbersFlow = defineFlow({
  id: 'help-numbers',
  version: 1,
  title: 'numbers.title',
  start: 'where',
  nodes: {
    where: {
      kind: 'choice',
      text: 'numbers.ask_where',
      save: 'where',
      summary: true,
      choices: [
        { id: 'LA', label: 'countries.LA' },
        { id: 'TH', label: 'countries.TH' },
        { id: 'KH', label: 'countries.KH' },
        { id: 'VN', label: 'countries.VN' },
        { id: 'MM', label: 'countries.MM' },
        { id: 'CN', label: 'countries.CN' },
        { id: 'other', label: 'countries.other' },
      ],
      next: 'show',
    },
    show: { kind: 'say', text: (ctx) => numbersFor(ctx.vars['where']) },
  },
});

/** The numbers for a country code; for "other" or unknown, Laos and Thailand, where most users are. */
export function numbersFor(where: unknown): Part[] {
  return typeof where === 'string' && where !== 'other' ? [{ directory: where }] : [{ directory: 'LA' }, { directory: 'TH' }];
}
