// Loads the i18next resources from locales/<lang>/<file>.json. Each file is one top-level key, so
// `locales/en/job.json` holds the keys `job.*`: a content editor finds a key's file from its first word.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInstance, type i18n } from 'i18next';
import { z } from 'zod';

export const LANGS = ['lo', 'th', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const langSchema = z.enum(LANGS);

type Tree = { [key: string]: string | Tree };
const treeSchema: z.ZodType<Tree> = z.lazy(() => z.record(z.string(), z.union([z.string(), treeSchema])));

export type Resources = Record<Lang, Tree>;

export function isLang(value: string | undefined): value is Lang {
  return LANGS.includes(value as Lang);
}

export function loadResources(dir: string): Resources {
  const out = {} as Resources;
  for (const lang of LANGS) {
    const tree: Tree = {};
    for (const file of readdirSync(join(dir, lang)).filter((f) => f.endsWith('.json')).sort()) {
      const path = join(dir, lang, file);
      const parsed = treeSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
      if (!parsed.success) throw new Error(`${path}: not a tree of strings: ${z.prettifyError(parsed.error)}`);
      tree[file.slice(0, -'.json'.length)] = parsed.data;
    }
    out[lang] = tree;
  }
  return out;
}

/** Every leaf key of a resource tree, dotted. */
export function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

export type Translate = (lang: string, key: string, vars?: Record<string, string>) => string;

export function createTranslator(resources: Resources): Translate {
  const instance: i18n = createInstance();
  void instance.init({
    resources: Object.fromEntries(LANGS.map((l) => [l, { translation: resources[l] }])),
    lng: 'en',
    fallbackLng: 'en',
    initAsync: false,
    // Texts go to chat platforms and to the web page's textContent, never into HTML.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const fixed = new Map(LANGS.map((l) => [l, instance.getFixedT(l)]));
  return (lang, key, vars) => {
    const t = fixed.get(isLang(lang) ? lang : 'en') ?? instance.t;
    return t(key, vars ?? {});
  };
}
