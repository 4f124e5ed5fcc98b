import type { EscalationSummary, Priority } from '../engine/index.ts';

/** What a channel hands the conversation service: one message or button press from one person. */
export interface Inbound {
  channel: string;
  userId: string;
  /** The platform's message id, for deduplication by the channel. */
  messageId?: string;
  text?: string;
  /** A button's payload, as given to the channel in an Outbound message. */
  payload?: string;
  /** The platform's language for the person (e.g. Telegram's language_code), used for new sessions. */
  langHint?: string;
}

export interface OutButton {
  payload: string;
  label: string;
}

export type Outbound =
  | { type: 'message'; text: string; buttons: OutButton[] }
  | { type: 'escalation'; priority: Priority; reason: string; lang: string; summary: EscalationSummary };

/** The service's answer to one inbound message: what to send, and the person's language after it. */
export interface Reply {
  lang: string;
  events: Outbound[];
  /** The message was already handled before (a redelivery): nothing was done again. */
  replayed?: boolean;
}
