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
  /**
   * Who speaks: the person (default), their counsellor (`text` goes to the person as it is), or the desk
   * (`text` is an i18n key of a bot notice, such as "the counsellor closed the chat").
   */
  origin?: 'person' | 'counsellor' | 'system' | 'broadcast';
}

/** The counsellors' side, as the conversation service sees it (src/escalation/desk.ts implements it). */
export interface CounsellorDesk {
  escalate(input: {
    person: string;
    channel: string;
    userId: string;
    lang: string;
    priority: Priority;
    reason: string;
    summary: EscalationSummary;
  }): Promise<Outbound[]>;
  /** True when a counsellor holds the person's case: the message went to them and the bot stays silent. */
  fromPerson(person: string, text: string, at: number): Promise<boolean>;
  forget(person: string): Promise<void>;
}

export interface OutButton {
  payload: string;
  label: string;
}

export type Outbound =
  /** `human`: a counsellor's words (Messenger sends them with the HUMAN_AGENT tag after 24 hours). */
  | { type: 'message'; text: string; buttons: OutButton[]; human?: boolean; hide?: boolean }
  | { type: 'escalation'; priority: Priority; reason: string; lang: string; summary: EscalationSummary };

/** The service's answer to one inbound message: what to send, and the person's language after it. */
export interface Reply {
  lang: string;
  events: Outbound[];
  /** The message was already handled before (a redelivery): nothing was done again. */
  replayed?: boolean;
}
