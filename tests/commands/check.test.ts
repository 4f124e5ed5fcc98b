// `hotline check` on the lexicons: a frame that no longer finds its example, or names a concept that does
// not exist, is reported with the file, before it can miss a message in a chat.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLexicon } from '../../src/commands/check.ts';
import { ROOT } from '../../src/content/index.ts';

const dirs: string[] = [];
function copyOfData(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-lexicon-'));
  dirs.push(dir);
  cpSync(join(ROOT, 'data', 'lexicon'), join(dir, 'lexicon'), { recursive: true });
  return dir;
}
function editFrames(dir: string, edit: (frames: { concepts: Record<string, { latin: string[] }>; frames: { parts: string[]; example: string }[] }) => void) {
  const path = join(dir, 'lexicon', 'frames.json');
  const json = JSON.parse(readFileSync(path, 'utf8'));
  edit(json);
  writeFileSync(path, JSON.stringify(json));
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('checkLexicon', () => {
  it('passes the lexicons in the repository', () => {
    expect(checkLexicon(join(ROOT, 'data'))).toEqual([]);
  });

  it('reports a frame whose example it no longer finds', () => {
    const dir = copyOfData();
    editFrames(dir, (f) => {
      const frame = f.frames.find((x) => x.example === 'the gate is chained every night');
      if (frame) frame.example = 'the garden is lovely every night';
    });
    const problems = checkLexicon(dir);
    expect(problems).toContainEqual({ file: 'data/lexicon/frames.json', message: expect.stringMatching(/barrier \+ lock.*does not find confinement/) });
    // Any change to the lexicon asks for the scorer to be trained again.
    expect(problems).toContainEqual({ file: 'data/lexicon/model.json', message: expect.stringMatching(/npx hotline train/) });
  });

  it('reports a frame that names an unknown concept', () => {
    const dir = copyOfData();
    editFrames(dir, (f) => {
      f.frames[0]?.parts.push('no_such_concept');
    });
    const problems = checkLexicon(dir);
    expect(problems[0]?.message).toMatch(/unknown concept "no_such_concept"/);
  });
});
