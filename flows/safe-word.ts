import { z } from 'zod';
import { defineFlow } from '../src/engine/index.ts';

/**
 * Words too common to be a safe word: typed by accident, they would raise an alarm (or be typed by someone
 * watching). A content editor may add to this list.
 */
const COMMON = new Set([
  'hi', 'hello', 'ok', 'okay', 'yes', 'no', 'thanks', 'thank', 'help', 'stop', 'menu', 'start', 'bye', 'sos',
  'ສະບາຍດີ', 'ໂອເຄ', 'ແມ່ນ', 'ບໍ່', 'ຂອບໃຈ', 'ຊ່ວຍ', 'ຢຸດ',
  'สวัสดี', 'โอเค', 'ใช่', 'ไม่', 'ขอบคุณ', 'ช่วย', 'หยุด',
  'sabaidee', 'sabaidi', 'khopjai', 'suay', 'bor', 'men',
  // the names of the commands
  'language', 'forget', 'tips', 'safeword', 'numbers', 'hide',
]);

export const safeWordSchema = z
  .string()
  .trim()
  .min(4)
  .max(30)
  .refine((w) => !/\s/.test(w), 'one word')
  .refine((w) => !w.startsWith('/'), 'not a command')
  .refine((w) => !COMMON.has(w.toLowerCase()), 'not a common word');

/** A private word that, typed at any time, escalates silently while the bot makes small talk. */
export const safeWordFlow = defineFlow({
  id: 'safe-word',
  version: 1,
  title: 'safeword.title',
  start: 'explain',
  nodes: {
    explain: { kind: 'say', text: 'safeword.explain', next: 'ask' },
    ask: { kind: 'text', text: 'safeword.ask', schema: safeWordSchema, invalid: 'safeword.invalid', save: 'safe_word_new', next: 'done' },
    done: { kind: 'end', text: 'safeword.done' },
  },
});
