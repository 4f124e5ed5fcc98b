// Counsellor accounts and their console sessions.
import { z } from 'zod';

export const ROLES = ['counsellor', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

/** Lowercase letters, digits, dot, dash, underscore: safe in keys, URLs and logs. */
export const usernameSchema = z.string().regex(/^[a-z0-9._-]{2,32}$/, 'use 2–32 lowercase letters, digits, . _ or -');

export interface Account {
  username: string;
  role: Role;
  /** scrypt hash, "scrypt$N$r$p$salt$hash" (base64url); the password itself is never kept. */
  passwordHash: string;
  createdAt: number;
}

/** Where accounts live: Redis (shared by all processes) or a JSON file (memory mode, one machine). */
export interface AccountStore {
  get(username: string): Promise<Account | undefined>;
  put(account: Account): Promise<void>;
  list(): Promise<Account[]>;
}

/** A logged-in console: the cookie holds `id`; mutating requests must carry `csrf` in X-CSRF-Token. */
export interface ConsoleSession {
  id: string;
  username: string;
  role: Role;
  csrf: string;
  createdAt: number;
}
