// Fits one outbox message into Messenger's limits: texts of at most 2,000 characters and at most 13 quick
// replies whose titles hold 20 characters. Lengths are counted in UTF-16 units, which is never fewer than
// the characters Meta counts, so a part we accept is never refused as too long.

export const TEXT_LIMIT = 2000;
export const QUICK_REPLY_LIMIT = 13;
export const TITLE_LIMIT = 20;

export interface QuickReply {
  content_type: 'text';
  title: string;
  payload: string;
}

export interface Layout {
  /** The texts to send, in order. */
  parts: string[];
  /** For the last part only: Messenger shows quick replies under the newest message and drops them after. */
  quickReplies: QuickReply[];
}

// Word boundaries come from ICU's dictionaries, which also know Thai and Lao: those scripts write no
// spaces between words, so "the last space" alone would cut words in half.
const words = new Intl.Segmenter(undefined, { granularity: 'word' });
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * When every label fits a quick reply (and there are at most 13), the quick replies are the buttons.
 * Otherwise the text ends with a numbered list of the full labels ("1. label"), and the quick replies
 * carry the number plus as much of the label as fits. A typed number picks the same button (the
 * conversation service maps "2" to the second button), so buttons beyond the 13th still work.
 */
export function layout(text: string, buttons: readonly { payload: string; label: string }[]): Layout {
  // Quick replies need a message to hang on: with no text of its own, the list becomes the text.
  const numbered =
    buttons.length > QUICK_REPLY_LIMIT || buttons.some((b) => b.label.length > TITLE_LIMIT) || (text.trim() === '' && buttons.length > 0);
  const list = numbered ? buttons.map((b, i) => `${i + 1}. ${b.label}`).join('\n') : '';
  const full = [text.trim(), list].filter((s) => s.length > 0).join('\n\n');
  const quickReplies = buttons.slice(0, QUICK_REPLY_LIMIT).map((b, i): QuickReply => ({
    content_type: 'text',
    title: fitTitle(numbered ? `${i + 1}. ${b.label}` : b.label) || String(i + 1),
    payload: b.payload,
  }));
  return { parts: splitText(full), quickReplies };
}

/** Cuts a title to `limit` units on a grapheme boundary, marking the cut with "…". */
export function fitTitle(title: string, limit = TITLE_LIMIT): string {
  const trimmed = title.trim();
  if (trimmed.length <= limit) return trimmed;
  let out = '';
  for (const { segment } of graphemes.segment(trimmed)) {
    if (out.length + segment.length + 1 > limit) break;
    out += segment;
  }
  return `${out.trimEnd()}…`;
}

/** Splits a text into parts of at most `limit` units: at a line break, else a space, else a word boundary. */
export function splitText(text: string, limit = TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const cut = cutPoint(rest, limit);
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

/** Where to cut `text` so the first part has at most `limit` units; a break in the first half is too early. */
function cutPoint(text: string, limit: number): number {
  const early = Math.floor(limit / 2);
  // limit + 1: a line break or space right after the limit is a perfect cut (the break itself is dropped).
  const head = text.slice(0, limit + 1);
  const newline = head.lastIndexOf('\n');
  if (newline > early) return newline;
  const space = lastMatch(head, /\s/g);
  if (space > early) return space;
  // Segment a little beyond the limit, so the cut at the window's edge does not invent a word boundary.
  const window = text.slice(0, limit + 64);
  for (const segmenter of [words, graphemes]) {
    let best = 0;
    for (const { index } of segmenter.segment(window)) {
      if (index > limit) break;
      best = index;
    }
    if (best > 0) return best;
  }
  // One "character" longer than the limit cannot happen with real text; still never split a surrogate pair.
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}

function lastMatch(text: string, re: RegExp): number {
  let last = -1;
  for (const m of text.matchAll(re)) last = m.index;
  return last;
}
