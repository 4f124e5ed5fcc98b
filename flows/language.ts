import { defineFlow } from '../src/engine/index.ts';

/** Choose the language; the option ids are the language codes. */
export const languageFlow = defineFlow({
  id: 'language',
  version: 1,
  title: 'language.title',
  start: 'choose',
  nodes: {
    choose: {
      kind: 'choice',
      text: 'language.ask',
      setsLanguage: true,
      choices: [
        { id: 'lo', label: 'language.lo' },
        { id: 'th', label: 'language.th' },
        { id: 'en', label: 'language.en' },
      ],
      next: 'done',
    },
    done: { kind: 'say', text: 'language.changed', next: 'menu' },
    menu: { kind: 'goto', flow: 'menu' },
  },
});
