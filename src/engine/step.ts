import type {
  Button,
  Choice,
  ChoiceNode,
  Ctx,
  Effect,
  Flow,
  Flows,
  Frame,
  Input,
  Node,
  Part,
  State,
  StepResult,
  TextNode,
  TextSpec,
} from './types.ts';

/** The flow a person lands in when nothing else is running (the main menu). */
export const HOME_FLOW = 'menu';
/** The flow every "way out" button and help word leads to. */
export const HELP_FLOW = 'get-help';
/** Invalid answers to one question before the way out is offered. */
export const RETRIES_BEFORE_WAY_OUT = 2;

/** A flow that loops on itself without waiting for the person is a bug; stop rather than spin. */
const MAX_STEPS = 200;
const MAX_DEPTH = 8;

const JUMP_PREFIX = 'go:';

/** The i18n keys the engine itself says, so `hotline check` can require them in every locale. */
export const ENGINE_KEYS = [
  'engine.invalid_choice',
  'engine.stale_button',
  'engine.way_out',
  'engine.flow_changed',
  'engine.error',
  'engine.button_menu',
  'engine.button_help',
] as const;

export class FlowError extends Error {}

export function initialState(lang: string): State {
  return { v: 1, lang, stack: [], vars: {}, turn: 0, retries: 0, summary: [], flags: [] };
}

/** A button payload that starts a flow from anywhere, valid in every message. */
export function jumpPayload(flow: string): string {
  return `${JUMP_PREFIX}${flow}`;
}

export function step(flows: Flows, prev: State, input: Input): StepResult {
  const state = structuredClone(prev);
  const effects: Effect[] = [];

  if (input.type === 'resume') {
    const frame = top(state);
    const node = frame && flows[frame.flow]?.version === frame.version ? flows[frame.flow]?.nodes[frame.node] : undefined;
    if (frame && node && (node.kind === 'choice' || node.kind === 'text')) {
      ask(state, frame, node, effects, false);
      return { state, effects };
    }
    jump(flows, state, effects, HOME_FLOW);
    return run(flows, state, effects);
  }
  if (input.type === 'jump') {
    jump(flows, state, effects, input.flow);
    return run(flows, state, effects);
  }
  if (input.type === 'button' && input.payload.startsWith(JUMP_PREFIX)) {
    const target = input.payload.slice(JUMP_PREFIX.length);
    if (flows[target]) {
      jump(flows, state, effects, target);
      return run(flows, state, effects);
    }
  }

  const frame = top(state);
  if (!frame) {
    jump(flows, state, effects, HOME_FLOW);
    return run(flows, state, effects);
  }
  if (!resumable(flows, state, frame, effects)) return run(flows, state, effects);

  const node = nodeOf(flows, frame);
  if (input.type === 'button' && node.kind === 'text') {
    effects.push(sayRef('engine.stale_button'));
    ask(state, frame, node, effects, false);
    return { state, effects };
  }
  const moved =
    node.kind === 'choice'
      ? answerChoice(flows, state, frame, node, input, effects)
      : node.kind === 'text' && answerText(state, frame, node, input, effects);
  return moved ? run(flows, state, effects) : { state, effects };
}

/** The buttons the person can press now, so a channel can map a typed number or label to one. */
export function currentButtons(flows: Flows, state: State): Button[] {
  const frame = top(state);
  if (!frame) return [];
  const flow = flows[frame.flow];
  const node = flow?.version === frame.version ? flow.nodes[frame.node] : undefined;
  if (!node || (node.kind !== 'choice' && node.kind !== 'text')) return [];
  return questionButtons(state, node);
}

function answerChoice(
  flows: Flows,
  state: State,
  frame: Frame,
  node: ChoiceNode<string>,
  input: Input,
  effects: Effect[],
): boolean {
  if (input.type === 'button') {
    const [turn, id] = splitPayload(input.payload);
    const choice = node.choices.find((c) => c.id === id);
    if (turn !== state.turn || !choice) {
      effects.push(sayRef('engine.stale_button'));
      ask(state, frame, node, effects, false);
      return false;
    }
    state.retries = 0;
    applyChoice(flows, state, frame, node, choice);
    return true;
  }
  if (input.type === 'text' && node.freeText && input.text !== '') {
    state.retries = 0;
    state.vars[node.freeText.save] = input.text;
    frame.node = node.freeText.next;
    return true;
  }
  invalid(state, frame, node, 'engine.invalid_choice', effects);
  return false;
}

/** Records a chosen option (score, flag, saved variable, summary) and moves on. */
function applyChoice(flows: Flows, state: State, frame: Frame, node: ChoiceNode<string>, choice: Choice<string>): void {
  frame.answers[frame.node] = choice.id;
  if (choice.score) frame.score += choice.score;
  if (choice.flag) {
    if (!frame.flags.includes(choice.flag)) frame.flags.push(choice.flag);
    if (!state.flags.includes(choice.flag)) state.flags.push(choice.flag);
  }
  if (node.save) state.vars[node.save] = choice.id;
  if (node.setsLanguage) state.lang = choice.id;
  if (node.summary) remember(state, keyOf(node.text), choice.label);
  if (choice.flow) {
    if (!flows[choice.flow]) throw new FlowError(`${frame.flow}.${frame.node}: unknown flow ${choice.flow}`);
    replaceTop(flows, state, choice.flow);
    return;
  }
  const next = choice.next ?? node.next;
  if (!next) throw new FlowError(`${frame.flow}.${frame.node}: choice ${choice.id} has no next`);
  frame.node = next;
}

function answerText(state: State, frame: Frame, node: TextNode<string>, input: Input, effects: Effect[]): boolean {
  const parsed = input.type === 'text' ? node.schema.safeParse(input.text) : undefined;
  if (!parsed?.success) {
    invalid(state, frame, node, node.invalid, effects);
    return false;
  }
  state.retries = 0;
  state.vars[node.save] = parsed.data;
  frame.answers[frame.node] = parsed.data;
  frame.node = node.next;
  return true;
}

function invalid(
  state: State,
  frame: Frame,
  node: ChoiceNode<string> | TextNode<string>,
  hint: string,
  effects: Effect[],
): void {
  state.retries += 1;
  const wayOut = state.retries >= RETRIES_BEFORE_WAY_OUT;
  // The hint says what was wrong; after two tries the way out comes with it.
  effects.push(sayRef(hint));
  if (wayOut) effects.push(sayRef('engine.way_out'));
  ask(state, frame, node, effects, wayOut);
}

/** Runs nodes that need no answer until the flow waits for the person or the stack is empty. */
function run(flows: Flows, state: State, effects: Effect[]): StepResult {
  for (let steps = 0; steps < MAX_STEPS; steps++) {
    const frame = top(state);
    if (!frame) {
      effects.push({ type: 'end' });
      return { state, effects };
    }
    const node = nodeOf(flows, frame);
    const ctx = ctxOf(state, frame);
    switch (node.kind) {
      case 'say':
        effects.push({ type: 'say', parts: [...render(node.text, ctx), ...flagParts(node.listFlags, frame)], buttons: [] });
        advance(state, node.next);
        break;
      case 'choice': {
        const given = node.prefill ? state.vars[node.prefill] : undefined;
        const choice = typeof given === 'string' ? node.choices.find((c) => c.id === given) : undefined;
        if (choice) {
          applyChoice(flows, state, frame, node, choice);
          break;
        }
        state.turn += 1;
        state.retries = 0;
        ask(state, frame, node, effects, false);
        return { state, effects };
      }
      case 'text':
        state.turn += 1;
        state.retries = 0;
        ask(state, frame, node, effects, false);
        return { state, effects };
      case 'branch':
        frame.node = node.cases.find((c) => c.when(ctx))?.next ?? node.otherwise;
        break;
      case 'set':
        Object.assign(state.vars, node.vars(ctx));
        frame.node = node.next;
        break;
      case 'call':
        if (state.stack.length >= MAX_DEPTH) throw new FlowError(`${frame.flow}: calls nest deeper than ${MAX_DEPTH}`);
        frame.node = node.next;
        state.stack.push(newFrame(requireFlow(flows, node.flow)));
        break;
      case 'goto':
        if (!flows[node.flow]) throw new FlowError(`${frame.flow}.${frame.node}: unknown flow ${node.flow}`);
        replaceTop(flows, state, node.flow);
        break;
      case 'escalate':
        effects.push({
          type: 'escalate',
          priority: typeof node.priority === 'function' ? node.priority(ctx) : node.priority,
          reason: node.reason,
          summary: {
            flow: frame.flow,
            score: frame.score,
            flags: [...state.flags],
            answers: state.summary.map(([question, answer]) => ({ question, answer })),
            // Vars named with a leading underscore are inputs from the service (today's date), not the person's.
            vars: Object.fromEntries(Object.entries(state.vars).filter(([name]) => !name.startsWith('_'))),
          },
        });
        frame.node = node.next;
        break;
      case 'end':
        if (node.text) effects.push({ type: 'say', parts: render(node.text, ctx), buttons: [] });
        state.stack.pop();
        break;
    }
  }
  throw new FlowError(`flow ${top(state)?.flow} ran ${MAX_STEPS} steps without waiting for the person`);
}

function ask(
  state: State,
  frame: Frame,
  node: ChoiceNode<string> | TextNode<string>,
  effects: Effect[],
  wayOut: boolean,
): void {
  const buttons = questionButtons(state, node);
  if (wayOut) {
    // Only the ways out the question does not already offer (the menu itself has "get help").
    const offers = new Set(node.kind === 'choice' ? node.choices.map((c) => c.flow) : []);
    if (frame.flow !== HOME_FLOW && !offers.has(HOME_FLOW)) {
      buttons.push({ payload: jumpPayload(HOME_FLOW), label: { key: 'engine.button_menu' } });
    }
    if (!offers.has(HELP_FLOW)) buttons.push({ payload: jumpPayload(HELP_FLOW), label: { key: 'engine.button_help' } });
  }
  effects.push({ type: 'say', parts: render(node.text, ctxOf(state, frame)), buttons });
}

function questionButtons(state: State, node: ChoiceNode<string> | TextNode<string>): Button[] {
  if (node.kind === 'text') return [];
  return node.choices.map((c) => ({ payload: `${state.turn}.${c.id}`, label: { key: c.label } }));
}

function splitPayload(payload: string): [number, string] {
  const dot = payload.indexOf('.');
  if (dot < 1) return [-1, ''];
  const turn = Number(payload.slice(0, dot));
  return [Number.isInteger(turn) ? turn : -1, payload.slice(dot + 1)];
}

/**
 * A saved conversation whose flow was removed, changed version, or lost the node it waits at restarts
 * that flow with a short notice instead of crashing.
 */
function resumable(flows: Flows, state: State, frame: Frame, effects: Effect[]): boolean {
  const flow = flows[frame.flow];
  const node = flow?.version === frame.version ? flow.nodes[frame.node] : undefined;
  if (node && (node.kind === 'choice' || node.kind === 'text')) return true;
  effects.push(sayRef('engine.flow_changed'));
  if (flow) {
    state.stack[state.stack.length - 1] = newFrame(flow);
  } else {
    state.stack = [newFrame(requireFlow(flows, HOME_FLOW))];
  }
  state.retries = 0;
  return false;
}

function jump(flows: Flows, state: State, effects: Effect[], flowId: string): void {
  const flow = flows[flowId];
  if (!flow) {
    effects.push(sayRef('engine.flow_changed'));
    state.stack = [newFrame(requireFlow(flows, HOME_FLOW))];
  } else {
    state.stack = [newFrame(flow)];
  }
  state.retries = 0;
}

function replaceTop(flows: Flows, state: State, flowId: string): void {
  state.stack[state.stack.length - 1] = newFrame(requireFlow(flows, flowId));
}

function requireFlow(flows: Flows, id: string): Flow {
  const flow = flows[id];
  if (!flow) throw new FlowError(`unknown flow ${id}`);
  return flow;
}

function newFrame(flow: Flow): Frame {
  return { flow: flow.id, version: flow.version, node: flow.start, score: 0, flags: [], answers: {} };
}

const MAX_SUMMARY = 40;

function remember(state: State, question: string, answer: string): void {
  state.summary = state.summary.filter(([q]) => q !== question);
  state.summary.push([question, answer]);
  if (state.summary.length > MAX_SUMMARY) state.summary.shift();
}

function advance(state: State, next: string | undefined): void {
  const frame = top(state);
  if (!frame) return;
  if (next) frame.node = next;
  else state.stack.pop();
}

function top(state: State): Frame | undefined {
  return state.stack[state.stack.length - 1];
}

function nodeOf(flows: Flows, frame: Frame): Node<string> {
  const node = flows[frame.flow]?.nodes[frame.node];
  if (!node) throw new FlowError(`unknown node ${frame.flow}.${frame.node}`);
  return node;
}

function ctxOf(state: State, frame: Frame): Ctx {
  return { lang: state.lang, vars: state.vars, answers: frame.answers, score: frame.score, flags: frame.flags };
}

function render(spec: TextSpec | TextSpec[], ctx: Ctx): Part[] {
  const specs = Array.isArray(spec) ? spec : [spec];
  return specs.flatMap((s) => (typeof s === 'string' ? [{ key: s }] : typeof s === 'function' ? s(ctx) : [s]));
}

function flagParts(listFlags: boolean | undefined, frame: Frame): Part[] {
  return listFlags && frame.flags.length > 0 ? [{ list: frame.flags.map((key) => ({ key })) }] : [];
}

function keyOf(spec: TextSpec | TextSpec[]): string {
  const first = Array.isArray(spec) ? spec[0] : spec;
  return typeof first === 'string' ? first : typeof first === 'object' && 'key' in first ? first.key : 'question';
}

function sayRef(key: string): Effect {
  return { type: 'say', parts: [{ key }], buttons: [] };
}
