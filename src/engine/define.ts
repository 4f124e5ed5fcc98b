import type { Flow, Node } from './types.ts';

/**
 * Declares a flow. The state names are inferred from the keys of `nodes`; every `next` and `start` must
 * be one of them (NoInfer keeps a misspelt target from widening the set), so a typo fails `tsc`.
 */
export function defineFlow<const S extends string>(def: {
  id: string;
  version: number;
  title: string;
  start: NoInfer<S>;
  nodes: { [K in S]: Node<NoInfer<S>> };
}): Flow {
  return def;
}
