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

/**
 * "bor dai thuk khang", "I have not been locked in": a negation that ends right before the term, with at most
 * one passive marker between them ("ຖືກ", "ถูก", "thuk", "been"), undoes it whatever its length. The window of
 * words before a term is short for a crisis, and "bor dai" is two words.
 */
export function negatedRightBefore(lead: readonly string[], negations: readonly string[][], passives: readonly string[][]): boolean {
  const endsWith = (words: readonly string[], tail: readonly string[]) =>
    tail.length > 0 && tail.length <= words.length && tail.every((w, i) => words[words.length - tail.length + i] === w);
  const trimmed = passives.filter((p) => endsWith(lead, p)).map((p) => lead.slice(0, lead.length - p.length));
  return [lead, ...trimmed].some((words) => negations.some((neg) => endsWith(words, neg)));
}

/** The same for Lao and Thai, written without spaces: `before` is the text right before the term. */
export function negatedRightBeforeScript(before: string, negations: readonly string[], passives: readonly string[]): boolean {
  const trimmed = passives.filter((p) => p !== '' && before.endsWith(p)).map((p) => before.slice(0, before.length - p.length));
  return [before, ...trimmed].some((text) => negations.some((neg) => neg !== '' && text.endsWith(neg)));
}
