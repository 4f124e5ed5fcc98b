// The console channel: `hotline chat`. Each stdin line is one message from one person; a button can be
// chosen by its number or its label. With --json, one JSON object a line for every outbound event.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ConversationService } from '../../conversation/service.ts';
import { normalize } from '../../conversation/service.ts';
import type { OutButton, Outbound } from '../../conversation/types.ts';

export interface ChatOptions {
  service: ConversationService;
  input: Readable;
  output: Writable;
  json: boolean;
  lang?: string;
  userId?: string;
}

export async function runChat(opts: ChatOptions): Promise<void> {
  const { service, output, json } = opts;
  const userId = opts.userId ?? 'local';
  let buttons: OutButton[] = [];

  const send = async (text: string) => {
    const payload = pickButton(buttons, text);
    const { events } = await service.handle({
      channel: 'console',
      userId,
      ...(payload ? { payload } : { text }),
      ...(opts.lang ? { langHint: opts.lang } : {}),
    });
    for (const event of events) {
      output.write(json ? `${JSON.stringify(toJson(event))}\n` : toText(event));
      if (event.type === 'message') buttons = event.buttons;
    }
  };

  await send('');
  const lines = createInterface({ input: opts.input, crlfDelay: Infinity, terminal: false });
  for await (const line of lines) await send(line);
}

/** A typed number or label picks that button of the last message; anything else is a message. */
export function pickButton(buttons: OutButton[], typed: string): string | undefined {
  const text = normalize(typed);
  if (text === '') return undefined;
  const byNumber = /^\d+$/.test(text) ? buttons[Number(text) - 1] : undefined;
  return (byNumber ?? buttons.find((b) => normalize(b.label) === text))?.payload;
}

function toJson(event: Outbound): Record<string, unknown> {
  if (event.type === 'message') return { type: 'message', text: event.text, buttons: event.buttons.map((b) => b.label) };
  return { type: 'escalation', priority: event.priority, reason: event.reason, summary: event.summary };
}

function toText(event: Outbound): string {
  if (event.type === 'escalation') return `\n  ⟶ [escalation: ${event.priority}, ${event.reason}]\n`;
  const buttons = event.buttons.map((b, i) => `  [${i + 1}] ${b.label}`).join('\n');
  return `\n${event.text}\n${buttons ? `${buttons}\n` : ''}`;
}
