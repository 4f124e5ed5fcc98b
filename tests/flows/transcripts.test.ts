// Runs every golden transcript in tests/flows/transcripts/<lang>/. See tests/helpers/transcript.ts for the
// format; `UPDATE_TRANSCRIPTS=1 npx vitest run tests/flows` rewrites them after a content change (then read
// the diff before committing: it is what people will see).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScript, play } from '../helpers/transcript.ts';

const dir = join(import.meta.dirname, 'transcripts');
const update = process.env['UPDATE_TRANSCRIPTS'] === '1';

for (const lang of ['en', 'lo', 'th']) {
  describe(`transcripts (${lang})`, () => {
    for (const name of readdirSync(join(dir, lang)).filter((f) => f.endsWith('.chat')).sort()) {
      it(name, async () => {
        const path = join(dir, lang, name);
        const file = readFileSync(path, 'utf8');
        const actual = await play(parseScript(file));
        if (update) writeFileSync(path, actual);
        else expect(actual).toBe(file);
      });
    }
  });
}
