import { defineFlow } from '../src/engine/index.ts';

export const menuFlow = defineFlow({
  id: 'menu',
  version: 3,
  title: 'menu.title',
  start: 'main',
  nodes: {
    main: {
      kind: 'choice',
      text: 'menu.ask',
      choices: [
        { id: 'job', label: 'menu.job', flow: 'job-check' },
        { id: 'migrate', label: 'menu.migrate', flow: 'safe-migration' },
        { id: 'help', label: 'menu.help', flow: 'get-help' },
        { id: 'talk', label: 'menu.talk', next: 'talk' },
        { id: 'tips', label: 'tips.subscribe.menu_item', flow: 'tips' },
        { id: 'journey', label: 'journey.menu_item', flow: 'journey' },
        { id: 'safeword', label: 'safeword.menu_item', flow: 'safe-word' },
        { id: 'language', label: 'menu.language', flow: 'language' },
      ],
    },
    talk: { kind: 'escalate', priority: 'medium', reason: 'asked_for_counsellor', next: 'queued' },
    queued: { kind: 'end', text: ['menu.talk_queued', { key: 'help.call_if_danger' }, { directory: 'LA' }, { directory: 'TH' }] },
  },
});
