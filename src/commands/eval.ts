import { join } from 'node:path';
import { ROOT } from '../content/index.ts';
import { defaultAssessor } from '../understand/index.ts';
import { evaluate, formatReport, loadFixtures, meetsTargets } from '../understand/evaluate.ts';

/**
 * Two sets: tests/fixtures/assess, which the lexicon was tuned on (its score is optimistic), and
 * tests/fixtures/assess-holdout, written apart from the lexicon and never tuned on: the honest number.
 */
export function evalCommand(): number {
  const assessor = defaultAssessor();
  let ok = true;
  for (const [title, dir] of [
    ['tuning set (the lexicon was tuned on it)', 'assess'],
    ['held-out set (never tuned on)', 'assess-holdout'],
  ] as const) {
    const report = evaluate(loadFixtures(join(ROOT, 'tests', 'fixtures', dir)), assessor);
    process.stdout.write(`\n## ${title}\n\n${formatReport(report)}\n`);
    if (report.misses.length) {
      process.stdout.write(`\nmisses (${report.misses.length}):\n`);
      for (const m of report.misses) process.stdout.write(`  ${m.id}: want ${m.want}, got ${m.got}  ${m.text.slice(0, 90).replace(/\n/g, ' ')}\n`);
    }
    if (dir === 'assess') ok = meetsTargets(report);
  }
  return ok ? 0 : 1;
}
