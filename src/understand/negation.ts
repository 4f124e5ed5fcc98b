// Negation over Latin-letter words, shared by the flag terms and the frames.

export function containsSeq(haystack: readonly string[], needle: readonly string[]): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * "He never locked me in or took my passport": a negation carries over "or" / "nor" to the next verb, when
 * the term comes right after one of them and a negation stands a few words before it, in the same clause.
 */
export function coordinatedNegation(clause: readonly string[], negations: readonly string[][]): boolean {
  const or = Math.max(clause.lastIndexOf('or'), clause.lastIndexOf('nor'));
  if (or < 0 || clause.length - or > 2) return false;
  const before = clause.slice(Math.max(0, or - 8), or);
  return negations.some((neg) => neg.length > 0 && containsSeq(before, neg));
}
