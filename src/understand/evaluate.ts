// Precision and recall of the assessment on labelled messages (tests/fixtures/assess/*.jsonl).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Assessor } from './assess.ts';
import { FLAG_IDS, RISKS } from './types.ts';

export const fixtureSchema = z.object({
  id: z.string(),
  text: z.string(),
  risk: z.enum(RISKS),
  urgent: z.boolean(),
  flags: z.array(z.enum(FLAG_IDS)),
  note: z.string().optional(),
});
export type Fixture = z.infer<typeof fixtureSchema> & { set: string };

export function loadFixtures(dir: string): Fixture[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((file) => parseFixtures(file, readFileSync(join(dir, file), 'utf8')));
}

/** The messages of one JSON Lines file (`lo.jsonl`: their set is `lo`). */
export function parseFixtures(file: string, text: string): Fixture[] {
  const set = file.replace(/\.jsonl$/, '');
  const out: Fixture[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const parsed = fixtureSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${file}:${i + 1}: ${z.prettifyError(parsed.error)}`);
    out.push({ ...parsed.data, set });
  });
  return out;
}

export interface Score {
  precision: number;
  recall: number;
  support: number;
}

export interface Report {
  /** Per way of writing and "all": high, urgent and low (benign kept low). */
  rows: { set: string; high: Score; urgent: Score; low: Score; n: number }[];
  misses: { id: string; want: string; got: string; text: string }[];
}

export const TARGETS = { highRecall: 0.9, urgentRecall: 0.97, benignLow: 0.85 } as const;

export function evaluate(fixtures: Fixture[], assessor: Assessor): Report {
  const results = fixtures.map((f) => ({ f, a: assessor.assess(f.text) }));
  const score = (rows: typeof results, want: (x: (typeof results)[number]) => boolean, got: (x: (typeof results)[number]) => boolean): Score => {
    const tp = rows.filter((r) => want(r) && got(r)).length;
    const predicted = rows.filter(got).length;
    const actual = rows.filter(want).length;
    return { precision: predicted ? tp / predicted : 1, recall: actual ? tp / actual : 1, support: actual };
  };
  const sets = [...new Set(fixtures.map((f) => f.set)), 'all'];
  const rows = sets.map((set) => {
    const rs = set === 'all' ? results : results.filter((r) => r.f.set === set);
    return {
      set,
      n: rs.length,
      high: score(rs, (r) => r.f.risk === 'high', (r) => r.a.risk === 'high'),
      urgent: score(rs, (r) => r.f.urgent, (r) => r.a.urgent),
      low: score(rs, (r) => r.f.risk === 'low', (r) => r.a.risk === 'low'),
    };
  });
  const misses = results
    .filter((r) => r.f.risk !== r.a.risk || r.f.urgent !== r.a.urgent)
    .map((r) => ({ id: r.f.id, want: `${r.f.risk}${r.f.urgent ? '+urgent' : ''}`, got: `${r.a.risk}${r.a.urgent ? '+urgent' : ''}`, text: r.f.text }));
  return { rows, misses };
}

export function formatReport(report: Report): string {
  const pct = (x: number) => `${(x * 100).toFixed(0).padStart(3)}%`;
  const lines = [
    '| writing | n | high P | high R | urgent P | urgent R | low P | low R (benign kept low) |',
    '|---|---|---|---|---|---|---|---|',
    ...report.rows.map(
      (r) => `| ${r.set} | ${r.n} | ${pct(r.high.precision)} | ${pct(r.high.recall)} | ${pct(r.urgent.precision)} | ${pct(r.urgent.recall)} | ${pct(r.low.precision)} | ${pct(r.low.recall)} |`,
    ),
  ];
  const all = report.rows.find((r) => r.set === 'all');
  if (all) {
    lines.push(
      '',
      `targets: high recall ${pct(all.high.recall)} (≥ ${pct(TARGETS.highRecall)}), urgent recall ${pct(all.urgent.recall)} (≥ ${pct(TARGETS.urgentRecall)}), benign kept low ${pct(all.low.recall)} (≥ ${pct(TARGETS.benignLow)})`,
    );
  }
  return lines.join('\n');
}

export function meetsTargets(report: Report): boolean {
  const all = report.rows.find((r) => r.set === 'all');
  return !!all && all.high.recall >= TARGETS.highRecall && all.urgent.recall >= TARGETS.urgentRecall && all.low.recall >= TARGETS.benignLow;
}
