import { defineFlow } from '../src/engine/index.ts';

/**
 * The first conversation: greet in the platform's language, let the person pick theirs, say plainly that
 * this is an automated service, what is kept and for how long, and how to delete it.
 */
export const startFlow = defineFlow({
  id: 'start',
  version: 1,
  title: 'start.title',
  start: 'welcome',
  nodes: {
    welcome: {
      kind: 'choice',
      text: ['start.welcome', 'language.ask'],
      setsLanguage: true,
      choices: [
        { id: 'lo', label: 'language.lo' },
        { id: 'th', label: 'language.th' },
        { id: 'en', label: 'language.en' },
      ],
      next: 'privacy',
    },
    privacy: { kind: 'say', text: 'start.privacy', next: 'menu' },
    menu: { kind: 'goto', flow: 'menu' },
  },
});
