// What a flow links to, read off its definition: used by `hotline check` and `hotline diagram`.
import type { Flow, Node, Part, TextSpec } from '../engine/index.ts';

export interface Edge {
  from: string;
  /** A node of the same flow, or another flow as `flow:ID`. */
  to: string;
  /** The i18n key of the button that takes this edge, if any. */
  label?: string;
  kind: 'next' | 'choice' | 'branch' | 'call' | 'goto' | 'free text' | 'return';
}

export function edgesOf(flow: Flow): Edge[] {
  return Object.entries(flow.nodes).flatMap(([id, node]) => nodeEdges(id, node));
}

function nodeEdges(from: string, node: Node<string>): Edge[] {
  switch (node.kind) {
    case 'say':
      return node.next ? [{ from, to: node.next, kind: 'next' }] : [];
    case 'choice': {
      const edges: Edge[] = node.choices.map((c) => {
        const to = c.flow ? `flow:${c.flow}` : (c.next ?? node.next ?? '');
        return { from, to, label: c.label, kind: 'choice' };
      });
      if (node.freeText) edges.push({ from, to: node.freeText.next, kind: 'free text' });
      return edges;
    }
    case 'text':
      return [{ from, to: node.next, kind: 'next' }];
    case 'branch':
      return [...node.cases.map((c) => ({ from, to: c.next, kind: 'branch' as const })), { from, to: node.otherwise, kind: 'branch' }];
    case 'set':
    case 'escalate':
      return [{ from, to: node.next, kind: 'next' }];
    case 'call':
      return [
        { from, to: `flow:${node.flow}`, kind: 'call' },
        { from, to: node.next, kind: 'return' },
      ];
    case 'goto':
      return [{ from, to: `flow:${node.flow}`, kind: 'goto' }];
    case 'end':
      return [];
  }
}

/** The i18n keys a node names directly. Text given as a function is not listed: see `dynamicKeys`. */
export function keysOf(node: Node<string>): string[] {
  const keys: string[] = [];
  const add = (spec: TextSpec | TextSpec[] | undefined) => {
    for (const s of Array.isArray(spec) ? spec : spec === undefined ? [] : [spec]) {
      if (typeof s === 'string') keys.push(s);
      else if (typeof s === 'object') keys.push(...partKeys(s));
    }
  };
  switch (node.kind) {
    case 'say':
    case 'end':
      add(node.text);
      break;
    case 'choice':
      add(node.text);
      for (const c of node.choices) {
        keys.push(c.label);
        if (c.flag) keys.push(c.flag);
      }
      break;
    case 'text':
      add(node.text);
      keys.push(node.invalid);
      break;
    default:
      break;
  }
  return keys;
}

function partKeys(part: Part): string[] {
  if ('key' in part) return [part.key];
  if ('list' in part) return part.list.map((p) => p.key);
  return [];
}

/** Nodes whose text is computed by a function: the check runs these with sample contexts. */
export function hasDynamicText(node: Node<string>): boolean {
  if (node.kind !== 'say' && node.kind !== 'end' && node.kind !== 'choice' && node.kind !== 'text') return false;
  const text = node.text;
  return (Array.isArray(text) ? text : text === undefined ? [] : [text]).some((s) => typeof s === 'function');
}
