/**
 * Where conversations are kept. Values are JSON strings; callers parse what they read back (the store is
 * outside the process, so its data is validated like any other input).
 */
export interface SessionStore {
  load(key: string): Promise<string | undefined>;
  /** Saves and (re)starts the idle timer: the value disappears `ttlMs` after the last save. */
  save(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Saves the session (or deletes it, for null) and appends entries to the person's outbox in one step:
   * after a crash both happened or neither did.
   */
  commit(key: string, value: string | null, ttlMs: number, outbox: string[]): Promise<void>;
  /** Appends to the outbox alone (a counsellor's message to a web chat, which the page collects). */
  appendOutbox(key: string, entries: string[]): Promise<void>;
  /** The oldest outbox entry not yet sent. */
  peekOutbox(key: string): Promise<string | undefined>;
  /** Every outbox entry not yet sent, oldest first (one read for the usual one or two). */
  outbox(key: string): Promise<string[]>;
  /** Removes the oldest outbox entry, once it was sent (or given up on and kept elsewhere). */
  popOutbox(key: string): Promise<void>;
  close(): Promise<void>;
}

/** Outbox entries wait at most this long for their platform (then they expire with the key). */
export const OUTBOX_TTL_MS = 7 * 24 * 3_600_000;
