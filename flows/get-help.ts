import { defineFlow } from '../src/engine/index.ts';
import { numbersFor } from './help-numbers.ts';

/**
 * Get help now. A crisis is never held behind a menu: the numbers come first and the escalation goes out
 * before any question. The questions only tell the counsellor how to reach the person safely; a second
 * escalation updates the first with the answers.
 */
export const getHelpFlow = defineFlow({
  id: 'get-help',
  version: 1,
  title: 'help.title',
  start: 'numbers',
  nodes: {
    numbers: { kind: 'say', text: ['help.now', (ctx) => numbersFor(ctx.vars['where'])], next: 'escalate' },
    escalate: { kind: 'escalate', priority: 'urgent', reason: 'help_request', next: 'safe' },
    safe: {
      kind: 'choice',
      text: 'help.ask_safe',
      save: 'safe',
      summary: true,
      choices: [
        { id: 'danger', label: 'help.danger' },
        { id: 'safe_now', label: 'help.safe_now' },
        { id: 'mistake', label: 'help.mistake', next: 'cancelled' },
      ],
      freeText: { save: 'message', next: 'talk' },
      next: 'talk',
    },
    talk: {
      kind: 'choice',
      text: 'help.ask_talk',
      save: 'contact',
      summary: true,
      choices: [
        { id: 'call_ok', label: 'help.call_ok' },
        { id: 'text_only', label: 'help.text_only' },
        { id: 'later', label: 'help.later' },
      ],
      freeText: { save: 'message', next: 'where' },
      next: 'where',
    },
    where: { kind: 'call', flow: 'help-numbers', next: 'update' },
    update: { kind: 'escalate', priority: 'urgent', reason: 'help_request', next: 'wait' },
    wait: { kind: 'end', text: 'help.wait' },
    cancelled: { kind: 'escalate', priority: 'low', reason: 'help_cancelled', next: 'menu' },
    menu: { kind: 'goto', flow: 'menu' },
  },
});
