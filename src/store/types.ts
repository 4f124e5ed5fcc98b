/**
 * Where conversations are kept. Values are JSON strings; callers parse what they read back (the store is
 * outside the process, so its data is validated like any other input).
 */
export interface SessionStore {
  load(key: string): Promise<string | undefined>;
  /** Saves and (re)starts the idle timer: the value disappears `ttlMs` after the last save. */
  save(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}
