// Messenger's messaging windows, as a pure function of the clock. A Page may answer freely for 24 hours
// after the person's last message; after that only a human (a counsellor) may write, tagged HUMAN_AGENT,
// for up to 7 days. Anything later is refused by Meta, so we refuse it first and say why.

const HOUR = 3_600_000;
export const STANDARD_WINDOW_MS = 24 * HOUR;
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR;

export type MessagingType =
  | { messaging_type: 'RESPONSE' }
  | { messaging_type: 'MESSAGE_TAG'; tag: 'HUMAN_AGENT' }
  | { blocked: 'outside_24h' | 'outside_7d' };

/**
 * How a message may be sent `now`, the person having last written at `userAt` (both ms). The limits are
 * exclusive: at exactly 24 h the standard window is over. A `userAt` in the future (clocks disagree
 * slightly between Meta and us) counts as "just now".
 */
export function messagingType(from: 'bot' | 'human', userAt: number, now: number): MessagingType {
  const elapsed = now - userAt;
  if (elapsed < STANDARD_WINDOW_MS) return { messaging_type: 'RESPONSE' };
  if (from === 'bot') return { blocked: 'outside_24h' };
  if (elapsed < HUMAN_AGENT_WINDOW_MS) return { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
  return { blocked: 'outside_7d' };
}
