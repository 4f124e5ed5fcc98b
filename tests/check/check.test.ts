// `hotline check` must catch the mistakes a content editor can make, naming the file and key.
import { describe, expect, it } from 'vitest';
import { computedKeys, flows } from '../../flows/index.ts';
import { diagram } from '../../src/check/diagram.ts';
import { check } from '../../src/check/index.ts';
import type { Content } from '../../src/content/index.ts';
import { defineFlow, type Flows } from '../../src/engine/index.ts';
import { content } from '../helpers/service.ts';

function edited(change: (c: Content) => void): Content {
  const c = structuredClone({ ...content(), t: undefined }) as unknown as Content;
  change(c);
  return { ...c, t: content().t };
}

const messages = (f: Flows, c: Content) => check(f, c, computedKeys).map((p) => `${p.file}: ${p.message}`);

describe('hotline check', () => {
  it('finds nothing wrong in the repository content', () => {
    expect(messages(flows, content())).toEqual([]);
  });

  it('names a key missing in one locale', () => {
    const c = edited((x) => {
      delete (x.resources.th['job'] as Record<string, unknown>)['intro'];
    });
    expect(messages(flows, c)).toContain('locales/th/job.json: missing key "job.intro"');
  });

  it('names placeholders that differ between locales, and texts that are empty', () => {
    const c = edited((x) => {
      (x.resources.lo['start'] as Record<string, string>)['privacy'] = 'ບໍ່ມີ {{days}}';
      (x.resources.en['menu'] as Record<string, string>)['ask'] = ' ';
    });
    const out = messages(flows, c);
    expect(out).toContain('locales/lo/start.json: "start.privacy" has placeholders [days] but English has [hours]');
    expect(out).toContain('locales/lo/start.json: "start.privacy" uses {{days}}, which nothing fills in');
    expect(out).toContain('locales/en/menu.json: empty text for "menu.ask"');
  });

  it('names an unused key', () => {
    const c = edited((x) => {
      for (const l of ['en', 'lo', 'th'] as const) (x.resources[l]['menu'] as Record<string, string>)['old'] = 'x';
    });
    expect(messages(flows, c)).toContain('locales/en/menu.json: unused key "menu.old" (no flow or code uses it)');
  });

  it('refuses a number FACTS.md says is wrong for that country', () => {
    const c = edited((x) => {
      x.directory.countries.LA?.push({ ...x.directory.countries.TH![0]!, id: 'wrong' });
    });
    expect(messages(flows, c)).toContain("data/help-directory.json: LA 1300: 1300 is Thailand's hotline, not a Lao number (FACTS.md §1)");
  });

  it('names unreachable nodes, dead options and flows with no way to a human', () => {
    const lonely = defineFlow({
      id: 'lonely',
      version: 1,
      title: 'menu.title',
      start: 'a',
      nodes: {
        a: { kind: 'choice', text: 'menu.ask', choices: [{ id: 'x', label: 'menu.job' }] },
        b: { kind: 'set', vars: () => ({}), next: 'a' },
      },
    });
    const out = messages({ ...flows, lonely }, content());
    expect(out).toContain('flows/lonely.ts: node "a": the option "menu.job" leads nowhere (no next)');
    expect(out).toContain('flows/lonely.ts: node "b" can never be reached from "a"');
    expect(out).toContain('flows/lonely.ts: offers no way to a human or a help number (escalate, get-help, help numbers, or the menu)');
  });

  it('draws every node and edge of a flow', () => {
    const text = diagram(flows['get-help']!, content().t);
    for (const node of Object.keys(flows['get-help']!.nodes)) expect(text).toContain(`  ${node}`);
    expect(text).toContain('flow_help_numbers[["▶ help-numbers"]]');
  });
});
