// The labelled messages of tests/fixtures/assess: the targets of the issue, and no crisis ever missed.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultAssessor } from '../../src/understand/index.ts';
import { evaluate, loadFixtures, TARGETS } from '../../src/understand/evaluate.ts';
import { LABELLED_SETS } from '../../src/understand/sets.ts';

const fixtures = loadFixtures(join(import.meta.dirname, '..', 'fixtures', 'assess'));
const assessor = defaultAssessor();

describe('evaluation set', () => {
  it('has at least 120 messages, about 30 or more in each way of writing', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(120);
    for (const set of ['lo', 'th', 'lo-latn', 'en']) expect(fixtures.filter((f) => f.set === set).length).toBeGreaterThanOrEqual(30);
  });

  it('meets the targets on the contract set: high-risk recall ≥ 0.9, urgent recall ≥ 0.97, benign kept low ≥ 0.85', () => {
    const all = evaluate(fixtures, assessor).rows.find((r) => r.set === 'all');
    expect(all?.high.recall).toBeGreaterThanOrEqual(TARGETS.highRecall);
    expect(all?.urgent.recall).toBeGreaterThanOrEqual(TARGETS.urgentRecall);
    expect(all?.low.recall).toBeGreaterThanOrEqual(TARGETS.benignLow);
  });

  it('keeps the floor reached on all labelled sets together (a regression guard; the honest numbers are in docs)', () => {
    const every = LABELLED_SETS.flatMap(({ dir }) => loadFixtures(join(import.meta.dirname, '..', 'fixtures', dir)));
    expect(every.length).toBeGreaterThanOrEqual(1200);
    const all = evaluate(every, assessor).rows.find((r) => r.set === 'all');
    expect(all?.high.recall).toBeGreaterThanOrEqual(0.9);
    expect(all?.urgent.recall).toBeGreaterThanOrEqual(0.97);
    expect(all?.low.recall).toBeGreaterThanOrEqual(0.9);
  });

  it('meets the targets on the held-out sets together, which nothing was tuned or trained on (their misses stay unread)', () => {
    const heldOut = LABELLED_SETS.filter((s) => !s.train).flatMap(({ dir }) => loadFixtures(join(import.meta.dirname, '..', 'fixtures', dir)));
    expect(heldOut.length).toBeGreaterThanOrEqual(1000);
    const all = evaluate(heldOut, assessor).rows.find((r) => r.set === 'all');
    expect(all?.high.recall).toBeGreaterThanOrEqual(TARGETS.highRecall);
    expect(all?.urgent.recall).toBeGreaterThanOrEqual(TARGETS.urgentRecall);
    expect(all?.low.recall).toBeGreaterThanOrEqual(TARGETS.benignLow);
  });

  for (const f of fixtures.filter((x) => x.urgent)) {
    it(`crisis ${f.id} is urgent`, () => {
      expect(assessor.assess(f.text).urgent).toBe(true);
    });
  }
});
