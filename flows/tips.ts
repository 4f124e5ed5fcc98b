import { defineFlow, type Ctx, type Node } from '../src/engine/index.ts';
import tips from '../locales/en/tips.json' with { type: 'json' };

/**
 * Opt-in tips and quizzes: never by default; the person chooses how often and stops any time (/stop, the
 * "Stop tips" button, or the word for stop). The schedule itself lives outside the engine: the service sees
 * the `tips` variable change and (re)schedules or cancels (src/awareness/tips.ts).
 */
export const TIP_COUNT = 14;
export const QUIZ_COUNT = 12;
const pad = (n: number) => String(n).padStart(2, '0');

export const tipsFlow = defineFlow({
  id: 'tips',
  version: 1,
  title: 'tips.subscribe.menu_item',
  start: 'ask',
  nodes: {
    ask: {
      kind: 'choice',
      text: 'tips.subscribe.ask',
      choices: [
        { id: 'yes', label: 'tips.subscribe.yes', next: 'how_often' },
        { id: 'no', label: 'tips.subscribe.no', next: 'not_now' },
      ],
    },
    how_often: {
      kind: 'choice',
      text: 'tips.subscribe.how_often',
      save: 'tips',
      choices: [
        { id: 'weekly', label: 'tips.subscribe.weekly' },
        { id: 'daily', label: 'tips.subscribe.daily' },
        { id: 'monthly', label: 'tips.subscribe.monthly' },
      ],
      next: 'done',
    },
    done: { kind: 'end', text: 'tips.subscribe.done' },
    not_now: { kind: 'end', text: 'tips.subscribe.not_now' },
  },
});

/** Stops the tips (the button under every tip, the word "stop"). */
export const tipsStopFlow = defineFlow({
  id: 'tips-stop',
  version: 1,
  title: 'tips.subscribe.stop_button',
  start: 'off',
  nodes: {
    off: { kind: 'set', vars: () => ({ tips: 'off' }), next: 'said' },
    said: { kind: 'say', text: 'tips.subscribe.stopped', next: 'menu' },
    menu: { kind: 'goto', flow: 'menu' },
  },
});

const rightOf = (q: number): string => (tips.quiz as unknown as Record<string, { right?: string } | undefined>)[`q${pad(q)}`]?.right ?? 'a';
const quizOf = (ctx: Pick<Ctx, 'vars'>): number => ((Number(ctx.vars['tip_n']) || 1) - 1) % QUIZ_COUNT + 1;

/** One question node and one explanation node a quiz question: the answers are buttons of their own. */
function quizNodes(): Record<string, Node<string>> {
  const nodes: Record<string, Node<string>> = {};
  for (let q = 1; q <= QUIZ_COUNT; q++) {
    nodes[`q${pad(q)}`] = {
      kind: 'choice',
      text: `tips.quiz.q${pad(q)}.ask`,
      choices: (['a', 'b', 'c'] as const).map((id) => ({ id, label: `tips.quiz.q${pad(q)}.${id}` })),
      next: `why${pad(q)}`,
    };
    nodes[`why${pad(q)}`] = {
      kind: 'say',
      text: (ctx) => [{ key: ctx.answers[`q${pad(q)}`] === rightOf(q) ? 'tips.quiz.right' : 'tips.quiz.wrong' }, { key: `tips.quiz.q${pad(q)}.why` }],
      next: 'more',
    };
  }
  return nodes;
}

/** What the scheduler starts when a tip is due: a tip, then a quiz question with an instant explanation. */
// Built with computed node names (one pair a quiz question), so its targets are checked by `hotline check`, not tsc.
export const tipTimeFlow = defineFlow<string>({
  id: 'tip-time',
  version: 1,
  title: 'tips.tip.header',
  start: 'count',
  nodes: {
    count: { kind: 'set', vars: (ctx) => ({ tip_n: (Number(ctx.vars['tip_n']) || 0) + 1 }), next: 'tip' },
    tip: {
      kind: 'say',
      text: (ctx) => [{ key: 'tips.tip.header' }, { key: `tips.tip.t${pad(((Number(ctx.vars['tip_n']) || 1) - 1) % TIP_COUNT + 1)}` }, { key: 'tips.quiz.header' }],
      next: 'pick',
    },
    pick: {
      kind: 'branch',
      cases: Array.from({ length: QUIZ_COUNT }, (_, i) => ({ when: (ctx: Ctx) => quizOf(ctx) === i + 1, next: `q${pad(i + 1)}` })),
      otherwise: 'q01',
    },
    ...quizNodes(),
    more: {
      kind: 'choice',
      text: 'tips.quiz.more',
      choices: [
        { id: 'another', label: 'tips.quiz.another', next: 'count' },
        { id: 'enough', label: 'tips.quiz.enough', flow: 'menu' },
        { id: 'stop', label: 'tips.subscribe.stop_button', flow: 'tips-stop' },
      ],
    },
  },
});

/** Every key the tips and quizzes use, for `hotline check` (they are computed, so no node names them all). */
export function tipKeys(): string[] {
  const keys: string[] = ['tips.quiz.right', 'tips.quiz.wrong'];
  for (let t = 1; t <= TIP_COUNT; t++) keys.push(`tips.tip.t${pad(t)}`);
  for (let q = 1; q <= QUIZ_COUNT; q++) for (const part of ['ask', 'a', 'b', 'c', 'right', 'why']) keys.push(`tips.quiz.q${pad(q)}.${part}`);
  return keys;
}
