// Golden transcripts: a file a content editor can read and write. Lines starting with "> " are what the
// person types (a number or a label picks a button of the last message, as in `hotline chat`); ">> " sends a
// raw button payload (e.g. one from an old menu). Everything else is the bot's answer, written back by
// `UPDATE_TRANSCRIPTS=1 npm test` and compared exactly otherwise:
//   "< text"   a line of a message (a message ends at a blank line)
//   "  [label]" a button of that message
//   "! escalation PRIORITY REASON" an escalation to counsellors
import { pickButton } from '../../src/channels/console/chat.ts';
import type { OutButton } from '../../src/conversation/types.ts';
import { makeService } from './service.ts';
import { isLang } from '../../src/content/locales.ts';

export interface Script {
  header: string[];
  lang: string;
  inputs: { raw: boolean; text: string }[];
}

export function parseScript(file: string): Script {
  const lines = file.split('\n');
  const header: string[] = [];
  let lang = 'en';
  const inputs: Script['inputs'] = [];
  let inHeader = true;
  for (const line of lines) {
    if (inHeader && (line.startsWith('#') || line.startsWith('lang:'))) {
      header.push(line);
      if (line.startsWith('lang:')) lang = line.slice(5).trim();
      continue;
    }
    inHeader = false;
    if (line.startsWith('>> ')) inputs.push({ raw: true, text: line.slice(3) });
    else if (line === '>' || line.startsWith('> ')) inputs.push({ raw: false, text: line.slice(2) });
  }
  if (!isLang(lang)) throw new Error(`lang: must be lo, th or en (got ${lang})`);
  return { header, lang, inputs };
}

/** Plays the script against a fresh service and writes the whole transcript as it happened. */
export async function play(script: Script): Promise<string> {
  const { service } = makeService({ defaultLang: 'en' });
  const out: string[] = [...script.header, ''];
  let buttons: OutButton[] = [];
  for (const input of script.inputs) {
    out.push(input.raw ? `>> ${input.text}` : input.text === '' ? '>' : `> ${input.text}`);
    const payload = input.raw ? input.text : pickButton(buttons, input.text);
    const { events } = await service.handle({
      channel: 'transcript',
      userId: 'person',
      langHint: script.lang,
      ...(payload ? { payload } : { text: input.text }),
    });
    for (const event of events) {
      if (event.type === 'escalation') {
        out.push(`! escalation ${event.priority} ${event.reason}`);
        continue;
      }
      out.push(...event.text.split('\n').map((l) => (l === '' ? '<' : `< ${l}`)));
      out.push(...event.buttons.map((b) => `  [${b.label}]`));
      buttons = event.buttons;
      out.push('');
    }
    if (out.at(-1) !== '') out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
