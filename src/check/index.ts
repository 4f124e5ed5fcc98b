// `hotline check`: lints flows and content, so a content editor's mistake fails before people see it.
import type { Content } from '../content/index.ts';
import { COUNTRIES, entriesFor } from '../content/directory.ts';
import { flatten, LANGS } from '../content/locales.ts';
import { SYSTEM_KEYS, SYSTEM_PLACEHOLDERS } from '../conversation/system-keys.ts';
import { HELP_FLOW, HOME_FLOW, type Ctx, type Flows, type Part, type TextSpec } from '../engine/index.ts';
import { edgesOf, hasDynamicText, keysOf } from './graph.ts';

export interface Problem {
  file: string;
  message: string;
}

/**
 * Numbers FACTS.md says must never be shown as a help number in that country ('*': anywhere), with why.
 * The directory's schema already refuses LOW confidence; this catches a wrong number entered as HIGH.
 */
const FORBIDDEN_NUMBERS: { country: string; number: string; why: string }[] = [
  { country: 'LA', number: '1300', why: "1300 is Thailand's hotline, not a Lao number (FACTS.md §1)" },
  { country: 'LA', number: '1191', why: 'Lao police 1191 is not verified (FACTS.md §1: LOW)' },
  { country: 'LA', number: '1195', why: 'Lao ambulance 1195 is not verified (FACTS.md §1: LOW)' },
  { country: 'KH', number: '1288', why: 'Cambodia 1288 was not found (FACTS.md §1: LOW)' },
  { country: 'VN', number: '18001567', why: 'Vietnam 18001567 was replaced by 111 (FACTS.md §1)' },
  { country: '*', number: '+66991301300', why: '+66 99 130 1300 is for Thai nationals abroad only (FACTS.md §1)' },
];

const REQUIRED_FLOWS = ['start', 'language', HOME_FLOW, HELP_FLOW];

export function check(flows: Flows, content: Content, computedKeys: readonly string[] = []): Problem[] {
  const problems: Problem[] = [];
  const used = new Set<string>([...SYSTEM_KEYS, ...computedKeys]);
  for (const c of [...COUNTRIES, 'other']) used.add(`countries.${c}`);

  for (const id of REQUIRED_FLOWS) {
    if (!flows[id]) problems.push({ file: 'flows/index.ts', message: `the flow "${id}" is missing; the service needs it` });
  }
  for (const [id, flow] of Object.entries(flows)) {
    const file = `flows/${id}.ts`;
    if (flow.id !== id) problems.push({ file, message: `registered as "${id}" but its id is "${flow.id}"` });
    used.add(flow.title);
    for (const p of checkGraph(flows, id)) problems.push({ file, message: p });
    for (const node of Object.values(flow.nodes)) for (const k of keysOf(node)) used.add(k);
    for (const part of dynamicParts(flows, id)) {
      if ('key' in part) used.add(part.key);
      if ('list' in part) for (const p of part.list) used.add(p.key);
      if ('directory' in part && !(COUNTRIES as readonly string[]).includes(part.directory)) {
        problems.push({ file, message: `help numbers asked for unknown country "${part.directory}"` });
      }
    }
    if (!offersHelp(flows, id)) {
      problems.push({ file, message: 'offers no way to a human or a help number (escalate, get-help, help numbers, or the menu)' });
    }
  }

  problems.push(...checkLocales(content, used));
  problems.push(...checkDirectory(content));
  return problems;
}

function checkGraph(flows: Flows, id: string): string[] {
  const flow = flows[id];
  if (!flow) return [];
  const out: string[] = [];
  const edges = edgesOf(flow);
  for (const e of edges) {
    if (e.to === '') out.push(`node "${e.from}": the option "${e.label}" leads nowhere (no next)`);
    else if (e.to.startsWith('flow:')) {
      if (!flows[e.to.slice(5)]) out.push(`node "${e.from}" leads to the unknown flow "${e.to.slice(5)}"`);
    } else if (!flow.nodes[e.to]) out.push(`node "${e.from}" leads to the unknown node "${e.to}"`);
  }
  if (!flow.nodes[flow.start]) out.push(`start node "${flow.start}" does not exist`);
  const seen = new Set([flow.start]);
  const queue = [flow.start];
  while (queue.length) {
    const at = queue.shift() as string;
    for (const e of edges) {
      if (e.from === at && !e.to.startsWith('flow:') && !seen.has(e.to)) {
        seen.add(e.to);
        queue.push(e.to);
      }
    }
  }
  for (const node of Object.keys(flow.nodes)) {
    if (!seen.has(node)) out.push(`node "${node}" can never be reached from "${flow.start}"`);
  }
  for (const [nid, node] of Object.entries(flow.nodes)) {
    if (node.kind === 'choice' && node.choices.length === 0) out.push(`node "${nid}" asks a question with no options`);
    // Button payloads are "<turn>.<id>" and must fit Telegram's 64-byte callback data.
    for (const c of node.kind === 'choice' ? node.choices : []) {
      if (!/^[a-z0-9_-]{1,32}$/i.test(c.id)) out.push(`node "${nid}": option id "${c.id}" must be 1–32 letters, digits, _ or -`);
    }
  }
  if (!/^[a-z0-9-]{1,32}$/.test(id)) out.push(`flow id "${id}" must be 1–32 lowercase letters, digits or -`);
  return out;
}

/** Runs text functions with contexts made from the flow's own saved answers, to see the keys they use. */
function dynamicParts(flows: Flows, id: string): Part[] {
  const flow = flows[id];
  if (!flow) return [];
  const samples: Ctx[] = [{ lang: 'en', vars: {}, answers: {}, score: 0, flags: [] }];
  for (const f of Object.values(flows)) {
    for (const node of Object.values(f.nodes)) {
      if (node.kind === 'choice' && node.save) {
        for (const c of node.choices) samples.push({ lang: 'en', vars: { [node.save]: c.id }, answers: {}, score: 0, flags: [] });
      }
    }
  }
  const parts: Part[] = [];
  for (const node of Object.values(flow.nodes)) {
    if (!hasDynamicText(node) || !('text' in node)) continue;
    const specs: TextSpec[] = Array.isArray(node.text) ? node.text : node.text === undefined ? [] : [node.text];
    for (const spec of specs) if (typeof spec === 'function') for (const ctx of samples) parts.push(...spec(ctx));
  }
  return parts;
}

function offersHelp(flows: Flows, start: string): boolean {
  const seen = new Set<string>();
  const visit = (id: string): boolean => {
    if (seen.has(id)) return false;
    seen.add(id);
    const flow = flows[id];
    if (!flow) return false;
    if (id === HELP_FLOW) return true;
    if (Object.values(flow.nodes).some((n) => n.kind === 'escalate')) return true;
    // A flow that ends leaves the person a Menu button (the service adds it), and the menu offers help.
    if (Object.values(flow.nodes).some((n) => n.kind === 'end') && visit(HOME_FLOW)) return true;
    if (dynamicParts(flows, id).some((p) => 'directory' in p)) return true;
    return edgesOf(flow).some((e) => e.to.startsWith('flow:') && visit(e.to.slice(5)));
  };
  return visit(start);
}

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;

function checkLocales(content: Content, used: Set<string>): Problem[] {
  const problems: Problem[] = [];
  const flat = Object.fromEntries(LANGS.map((l) => [l, flatten(content.resources[l])])) as Record<string, Map<string, string>>;
  const known = new Set([...Object.keys(content.facts.values), ...SYSTEM_PLACEHOLDERS]);
  const all = new Set(LANGS.flatMap((l) => [...(flat[l]?.keys() ?? [])]));
  const fileOf = (lang: string, key: string) => `locales/${lang}/${key.split('.')[0]}.json`;

  for (const key of used) {
    for (const lang of LANGS) {
      if (!flat[lang]?.has(key)) problems.push({ file: fileOf(lang, key), message: `missing key "${key}"` });
    }
  }
  for (const key of all) {
    if (!used.has(key)) problems.push({ file: fileOf('en', key), message: `unused key "${key}" (no flow or code uses it)` });
    const en = flat['en']?.get(key);
    const want = en === undefined ? undefined : placeholders(en);
    for (const lang of LANGS) {
      const text = flat[lang]?.get(key);
      if (text === undefined) {
        if (!used.has(key)) problems.push({ file: fileOf(lang, key), message: `missing key "${key}"` });
        continue;
      }
      if (text.trim() === '') problems.push({ file: fileOf(lang, key), message: `empty text for "${key}"` });
      const have = placeholders(text);
      if (want !== undefined && have !== want) {
        problems.push({ file: fileOf(lang, key), message: `"${key}" has placeholders [${have}] but English has [${want}]` });
      }
      for (const name of have ? have.split(',') : []) {
        if (!known.has(name)) problems.push({ file: fileOf(lang, key), message: `"${key}" uses {{${name}}}, which nothing fills in` });
      }
    }
  }
  for (const fact of Object.keys(content.facts.values)) {
    const quoted = [...all].some((k) => placeholders(flat['en']?.get(k) ?? '').split(',').includes(fact));
    if (!quoted) problems.push({ file: 'data/facts.json', message: `the fact "${fact}" is quoted by no text` });
  }
  // i18next reads nested objects; a key with a dot in its name would never be found.
  for (const lang of LANGS) {
    for (const [file, tree] of Object.entries(content.resources[lang])) {
      if (typeof tree === 'string') problems.push({ file: `locales/${lang}/${file}.json`, message: 'must hold an object of texts' });
    }
  }
  return problems;
}

function placeholders(text: string): string {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))].sort().join(',');
}

function checkDirectory(content: Content): Problem[] {
  const problems: Problem[] = [];
  const file = 'data/help-directory.json';
  const seen = new Set<string>();
  for (const country of COUNTRIES) {
    for (const entry of entriesFor(content.directory, country)) {
      if (seen.has(entry.id)) problems.push({ file, message: `the id "${entry.id}" is used twice` });
      seen.add(entry.id);
      const digits = entry.number.replace(/\s+/g, '');
      for (const f of FORBIDDEN_NUMBERS) {
        if (digits === f.number && (f.country === '*' || f.country === country)) {
          problems.push({ file, message: `${country} ${entry.number}: ${f.why}` });
        }
      }
    }
  }
  return problems;
}
