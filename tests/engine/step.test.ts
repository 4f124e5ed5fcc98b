import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  currentButtons,
  defineFlow,
  FlowError,
  initialState,
  jumpPayload,
  step,
  type Effect,
  type Flows,
  type State,
} from '../../src/engine/index.ts';

const quiz = defineFlow({
  id: 'quiz',
  version: 1,
  title: 'quiz.title',
  start: 'hello',
  nodes: {
    hello: { kind: 'say', text: 'quiz.hello', next: 'colour' },
    colour: {
      kind: 'choice',
      text: 'quiz.colour',
      save: 'colour',
      summary: true,
      choices: [
        { id: 'red', label: 'quiz.red', score: 3, flag: 'quiz.flag_red' },
        { id: 'blue', label: 'quiz.blue' },
        { id: 'menu', label: 'quiz.menu', flow: 'menu' },
      ],
      next: 'name',
    },
    name: {
      kind: 'text',
      text: 'quiz.name',
      schema: z.string().trim().min(2).max(20),
      invalid: 'quiz.name_invalid',
      save: 'name',
      next: 'sub',
    },
    sub: { kind: 'call', flow: 'sub', next: 'score' },
    score: {
      kind: 'branch',
      cases: [{ when: (ctx) => ctx.score >= 3, next: 'alarm' }],
      otherwise: 'calm',
    },
    alarm: { kind: 'escalate', priority: (ctx) => (ctx.flags.length > 0 ? 'high' : 'low'), reason: 'red', next: 'result' },
    calm: { kind: 'set', vars: (ctx) => ({ calm: ctx.vars['name'] ?? null }), next: 'result' },
    result: { kind: 'say', text: [{ key: 'quiz.result', vars: { n: '1' } }, (ctx) => [{ directory: String(ctx.vars['colour']) }]], listFlags: true },
  },
});

const sub = defineFlow({
  id: 'sub',
  version: 1,
  title: 'sub.title',
  start: 'ok',
  nodes: {
    ok: { kind: 'choice', text: 'sub.ok', choices: [{ id: 'yes', label: 'sub.yes' }], next: 'done' },
    done: { kind: 'end', text: 'sub.done' },
  },
});

const menu = defineFlow({
  id: 'menu',
  version: 1,
  title: 'menu.title',
  start: 'main',
  nodes: {
    main: { kind: 'choice', text: 'menu.ask', choices: [{ id: 'quiz', label: 'menu.quiz', flow: 'quiz' }] },
  },
});

const helpFlow = defineFlow({
  id: 'get-help',
  version: 1,
  title: 'help.title',
  start: 'now',
  nodes: { now: { kind: 'end', text: 'help.now' } },
});

const flows: Flows = { quiz, sub, menu, 'get-help': helpFlow };

/** The keys said, in order, for reading a transcript at a glance. */
function said(effects: Effect[]): string[] {
  return effects.flatMap((e) =>
    e.type === 'say'
      ? e.parts.map((p) => ('key' in p ? p.key : 'list' in p ? `list:${p.list.map((x) => x.key).join(',')}` : `directory:${p.directory}`))
      : [e.type],
  );
}

function press(state: State, id: string, flowsIn: Flows = flows) {
  const button = currentButtons(flowsIn, state).find((b) => b.payload.endsWith(`.${id}`));
  if (!button) throw new Error(`no button ${id}`);
  return step(flowsIn, state, { type: 'button', payload: button.payload });
}

describe('step', () => {
  it('runs nodes until a question and waits there with buttons', () => {
    const { state, effects } = step(flows, initialState('en'), { type: 'jump', flow: 'quiz' });
    expect(said(effects)).toEqual(['quiz.hello', 'quiz.colour']);
    const ask = effects[0];
    expect(ask?.type === 'say' && ask.buttons).toEqual([]);
    const last = effects[1];
    expect(last?.type === 'say' && last.buttons.map((b) => b.label.key)).toEqual(['quiz.red', 'quiz.blue', 'quiz.menu']);
    expect(state.stack).toHaveLength(1);
    expect(state.stack[0]?.node).toBe('colour');
  });

  it('walks a whole flow: choice scores, text validated, call and return, branch, escalate, flags, directory', () => {
    // A var with a leading underscore is the service's input (today's date): never in an escalation.
    let r = step(flows, { ...initialState('en'), vars: { _today: '2026-12-07' } }, { type: 'jump', flow: 'quiz' });
    r = press(r.state, 'red');
    expect(said(r.effects)).toEqual(['quiz.name']);
    expect(r.state.vars['colour']).toBe('red');
    r = step(flows, r.state, { type: 'text', text: '  Noy ' });
    expect(r.state.vars['name']).toBe('Noy');
    expect(said(r.effects)).toEqual(['sub.ok']);
    r = press(r.state, 'yes');
    expect(said(r.effects)).toEqual(['sub.done', 'escalate', 'quiz.result', 'directory:red', 'list:quiz.flag_red', 'end']);
    const escalation = r.effects.find((e) => e.type === 'escalate');
    expect(escalation).toMatchObject({
      priority: 'high',
      reason: 'red',
      summary: { flow: 'quiz', score: 3, flags: ['quiz.flag_red'], answers: [{ question: 'quiz.colour', answer: 'quiz.red' }] },
    });
    expect(escalation?.type === 'escalate' && escalation.summary.vars).toEqual({ colour: 'red', name: 'Noy' });
    const result = r.effects.find((e) => e.type === 'say' && e.parts.some((p) => 'key' in p && p.key === 'quiz.result'));
    expect(result?.type === 'say' && result.parts[0]).toEqual({ key: 'quiz.result', vars: { n: '1' } });
    expect(r.state.stack).toEqual([]);
  });

  it('takes the other branch and sets variables when the score is low', () => {
    let r = step(flows, initialState('en'), { type: 'jump', flow: 'quiz' });
    r = press(r.state, 'blue');
    r = step(flows, r.state, { type: 'text', text: 'Kham' });
    r = press(r.state, 'yes');
    expect(said(r.effects)).not.toContain('escalate');
    expect(r.state.vars['calm']).toBe('Kham');
  });

  it('asks again after an invalid answer and offers a way out after two', () => {
    let r = step(flows, initialState('en'), { type: 'jump', flow: 'quiz' });
    r = press(r.state, 'red');
    r = step(flows, r.state, { type: 'text', text: 'x' });
    expect(said(r.effects)).toEqual(['quiz.name_invalid', 'quiz.name']);
    r = step(flows, r.state, { type: 'text', text: '' });
    expect(said(r.effects)).toEqual(['quiz.name_invalid', 'engine.way_out', 'quiz.name']);
    const ask = r.effects[2];
    expect(ask?.type === 'say' && ask.buttons.map((b) => b.payload)).toEqual([jumpPayload('menu'), jumpPayload('get-help')]);
    r = step(flows, r.state, { type: 'button', payload: jumpPayload('get-help') });
    expect(said(r.effects)).toEqual(['help.now', 'end']);
  });

  it('says the choice was not understood when text answers a button question', () => {
    const r0 = step(flows, initialState('en'), { type: 'jump', flow: 'quiz' });
    const r = step(flows, r0.state, { type: 'text', text: '🙂🙂' });
    expect(said(r.effects)).toEqual(['engine.invalid_choice', 'quiz.colour']);
    expect(r.state.stack[0]?.node).toBe('colour');
  });

  it('treats a button from an older message, or pressed twice, as stale and changes nothing', () => {
    const r0 = step(flows, initialState('en'), { type: 'jump', flow: 'quiz' });
    const red = currentButtons(flows, r0.state)[0]?.payload ?? '';
    const r1 = step(flows, r0.state, { type: 'button', payload: red });
    const again = step(flows, r1.state, { type: 'button', payload: red });
    expect(said(again.effects)).toEqual(['engine.stale_button', 'quiz.name']);
    expect(again.state.stack).toEqual(r1.state.stack);
    expect(again.state.vars).toEqual(r1.state.vars);
    const garbage = step(flows, r1.state, { type: 'button', payload: 'nonsense' });
    expect(said(garbage.effects)).toEqual(['engine.stale_button', 'quiz.name']);
  });

  it('starts another flow from a choice that names one', () => {
    const r0 = step(flows, initialState('en'), { type: 'jump', flow: 'quiz' });
    const r = press(r0.state, 'menu');
    expect(said(r.effects)).toEqual(['menu.ask']);
    expect(r.state.stack.map((f) => f.flow)).toEqual(['menu']);
  });

  it('goes to the menu when nothing is running', () => {
    const r = step(flows, initialState('en'), { type: 'text', text: 'hi' });
    expect(said(r.effects)).toEqual(['menu.ask']);
  });

  it('does not change the state it is given, and its state survives a JSON round trip', () => {
    const before = step(flows, initialState('en'), { type: 'jump', flow: 'quiz' }).state;
    const copy = structuredClone(before);
    const after = press(before, 'red').state;
    expect(before).toEqual(copy);
    const roundTripped = JSON.parse(JSON.stringify(after)) as State;
    expect(roundTripped).toEqual(after);
    const r = step(flows, roundTripped, { type: 'text', text: 'Noy' });
    expect(said(r.effects)).toEqual(['sub.ok']);
  });

  it('restarts a flow whose version changed under a saved conversation, with a notice', () => {
    const saved = press(step(flows, initialState('en'), { type: 'jump', flow: 'quiz' }).state, 'red').state;
    const quiz2 = { ...quiz, version: 2 };
    const r = step({ ...flows, quiz: quiz2 }, saved, { type: 'text', text: 'Noy' });
    expect(said(r.effects)).toEqual(['engine.flow_changed', 'quiz.hello', 'quiz.colour']);
    expect(r.state.stack[0]?.version).toBe(2);
  });

  it('restarts when the waiting node was removed, and goes home when the flow was removed', () => {
    const saved = press(step(flows, initialState('en'), { type: 'jump', flow: 'quiz' }).state, 'red').state;
    const { name: _removed, ...nodes } = quiz.nodes;
    const r = step({ ...flows, quiz: { ...quiz, nodes } }, saved, { type: 'text', text: 'Noy' });
    expect(said(r.effects)[0]).toBe('engine.flow_changed');
    const { quiz: _gone, ...withoutQuiz } = flows;
    const home = step(withoutQuiz, saved, { type: 'text', text: 'Noy' });
    expect(said(home.effects)).toEqual(['engine.flow_changed', 'menu.ask']);
  });

  it('sets the language from a choice that says so', () => {
    const lang = defineFlow({
      id: 'language',
      version: 1,
      title: 't',
      start: 'pick',
      nodes: {
        pick: { kind: 'choice', text: 'pick', setsLanguage: true, choices: [{ id: 'lo', label: 'lo' }], next: 'done' },
        done: { kind: 'end' },
      },
    });
    const all = { ...flows, language: lang };
    const r = press(step(all, initialState('en'), { type: 'jump', flow: 'language' }).state, 'lo', all);
    expect(r.state.lang).toBe('lo');
  });

  it('accepts free text at a question that allows it', () => {
    const f = defineFlow({
      id: 'free',
      version: 1,
      title: 't',
      start: 'q',
      nodes: {
        q: { kind: 'choice', text: 'q', choices: [{ id: 'a', label: 'a' }], freeText: { save: 'message', next: 'done' }, next: 'done' },
        done: { kind: 'end' },
      },
    });
    const all = { ...flows, free: f };
    const r = step(all, step(all, initialState('en'), { type: 'jump', flow: 'free' }).state, { type: 'text', text: 'they took my phone' });
    expect(r.state.vars['message']).toBe('they took my phone');
  });

  it('stops a flow that loops without waiting, instead of spinning', () => {
    const loop = defineFlow({
      id: 'loop',
      version: 1,
      title: 't',
      start: 'a',
      nodes: { a: { kind: 'set', vars: () => ({}), next: 'b' }, b: { kind: 'set', vars: () => ({}), next: 'a' } },
    });
    expect(() => step({ ...flows, loop }, initialState('en'), { type: 'jump', flow: 'loop' })).toThrow(FlowError);
  });
});

describe('defineFlow', () => {
  it('rejects a misspelt target at compile time', () => {
    const build = () =>
      defineFlow({
        id: 'typo',
        version: 1,
        title: 't',
        start: 'a',
        nodes: {
          // @ts-expect-error "b_typo" is not a state of this flow: `npm run typecheck` fails without this line
          a: { kind: 'say', text: 'k', next: 'b_typo' },
          b: { kind: 'end' },
        },
      });
    expect(build().start).toBe('a');
  });
});
