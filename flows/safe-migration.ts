import { defineFlow } from '../src/engine/index.ts';

/** Safe migration: the legal route from Laos to Thailand, fees, rights, habits and help numbers (FACTS.md §1–3, §5). */
export const safeMigrationFlow = defineFlow({
  id: 'safe-migration',
  version: 1,
  title: 'migrate.title',
  start: 'topics',
  nodes: {
    topics: {
      kind: 'choice',
      text: 'migrate.ask',
      choices: [
        { id: 'route', label: 'migrate.route.button', next: 'route' },
        { id: 'fees', label: 'migrate.fees.button', next: 'fees' },
        { id: 'rights', label: 'migrate.rights.button', next: 'rights' },
        { id: 'habits', label: 'migrate.habits.button', next: 'habits' },
        { id: 'numbers', label: 'migrate.numbers.button', next: 'numbers' },
        { id: 'help', label: 'menu.help', flow: 'get-help' },
        { id: 'menu', label: 'engine.button_menu', flow: 'menu' },
      ],
    },
    route: { kind: 'say', text: ['migrate.route.agency', 'migrate.route.mou'], next: 'more' },
    fees: { kind: 'say', text: ['migrate.fees.never', 'migrate.fees.official'], next: 'more' },
    rights: { kind: 'say', text: 'migrate.rights.text', next: 'more' },
    habits: { kind: 'say', text: 'migrate.habits.text', next: 'more' },
    numbers: { kind: 'call', flow: 'help-numbers', next: 'more' },
    more: {
      kind: 'choice',
      text: 'migrate.more',
      choices: [
        { id: 'topics', label: 'migrate.other_topic', next: 'topics' },
        { id: 'job', label: 'menu.job', flow: 'job-check' },
        { id: 'help', label: 'menu.help', flow: 'get-help' },
        { id: 'menu', label: 'engine.button_menu', flow: 'menu' },
      ],
    },
  },
});
