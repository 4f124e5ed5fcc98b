// The help directory: phone numbers and organisations an NGO edits in data/help-directory.json without
// touching code. Numbers are strings, never numbers: Lao number formatting would turn 1300 into "1.300".
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LANGS } from './locales.ts';

const localized = z.object(Object.fromEntries(LANGS.map((l) => [l, z.string().min(1)])) as Record<(typeof LANGS)[number], z.ZodString>);

export const directoryEntrySchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  number: z.string().regex(/^\+?[0-9][0-9 ]*$/, 'a phone number as a string of digits'),
  name: localized,
  /** FACTS.md's confidence. LOW or NOT FOUND numbers are never published, so they cannot be entered. */
  confidence: z.enum(['HIGH', 'MED-HIGH', 'MED']),
  source: z.string().min(3),
  verified: z.iso.date(),
});

export const COUNTRIES = ['LA', 'TH', 'KH', 'VN', 'MM', 'CN'] as const;
export type Country = (typeof COUNTRIES)[number];

export const directorySchema = z.object({
  countries: z.record(z.enum(COUNTRIES), z.array(directoryEntrySchema)),
});

export type DirectoryEntry = z.infer<typeof directoryEntrySchema>;
export type Directory = z.infer<typeof directorySchema>;

export function loadDirectory(path: string): Directory {
  const parsed = directorySchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function entriesFor(directory: Directory, country: string): DirectoryEntry[] {
  return (directory.countries as Partial<Record<string, DirectoryEntry[]>>)[country] ?? [];
}
