// Turns engine effects into what channels send: localized text with buttons. Consecutive texts merge into
// one message (fewer pings on a cheap phone, fewer sends against platform rate limits).
import { entriesFor, type Directory } from '../content/directory.ts';
import type { Translate } from '../content/locales.ts';
import { HOME_FLOW, jumpPayload, type Effect, type Part } from '../engine/index.ts';
import type { OutButton, Outbound } from './types.ts';

export function renderEffects(effects: Effect[], lang: string, t: Translate, directory: Directory): Outbound[] {
  const out: Outbound[] = [];
  let texts: string[] = [];
  const flush = (buttons: OutButton[]) => {
    if (texts.length === 0 && buttons.length === 0) return;
    out.push({ type: 'message', text: texts.join('\n\n'), buttons });
    texts = [];
  };

  for (const effect of effects) {
    if (effect.type === 'say') {
      texts.push(...effect.parts.map((p) => renderPart(p, lang, t, directory)));
      if (effect.buttons.length > 0) {
        flush(effect.buttons.map((b) => ({ payload: b.payload, label: t(lang, b.label.key, b.label.vars) })));
      }
    } else if (effect.type === 'escalate') {
      flush([]);
      out.push({ type: 'escalation', priority: effect.priority, reason: effect.reason, lang, summary: effect.summary });
    } else {
      // The conversation ended: leave the person a way back rather than a dead end.
      const menu = { payload: jumpPayload(HOME_FLOW), label: t(lang, 'engine.button_menu') };
      const last = out.at(-1);
      if (texts.length > 0) flush([menu]);
      else if (last?.type === 'message' && last.buttons.length === 0) last.buttons.push(menu);
    }
  }
  flush([]);
  return out;
}

function renderPart(part: Part, lang: string, t: Translate, directory: Directory): string {
  if ('key' in part) return t(lang, part.key, part.vars);
  if ('list' in part) return part.list.map((item) => t(lang, item.key, item.vars)).join('\n');
  const entries = entriesFor(directory, part.directory);
  const country = t(lang, `countries.${part.directory}`);
  if (entries.length === 0) return t(lang, 'directory.none', { country });
  const lines = entries.map((e) => `☎ ${e.number} · ${e.name[lang as keyof typeof e.name] ?? e.name.en}`);
  return [t(lang, 'directory.heading', { country }), ...lines].join('\n');
}
