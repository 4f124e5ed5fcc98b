import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GRAPH_VERSION } from '../../../src/channels/messenger/graph.ts';
import { MessengerSender } from '../../../src/channels/messenger/sender.ts';
import { PermanentSendError, RetryableSendError, type OutboxMessage } from '../../../src/delivery/types.ts';
import { startFakeGraph, type FakeGraph } from '../../helpers/fake-graph.ts';

const TOKEN = 'EAAGpagetoken0123456789secret';
const PSID = '7318462950183746';
const NOW = 1_767_225_600_000;
const HOUR = 3_600_000;

let graph: FakeGraph;
let sender: MessengerSender;

beforeEach(async () => {
  graph = await startFakeGraph();
  sender = new MessengerSender({ graphUrl: graph.url, pageToken: TOKEN, now: () => NOW });
});
afterEach(() => graph.close());

const entry = (over: Partial<OutboxMessage> = {}): OutboxMessage => ({
  kind: 'message',
  channel: 'messenger',
  userId: PSID,
  lang: 'en',
  userAt: NOW - 60_000,
  from: 'bot',
  text: 'Hello',
  buttons: [],
  ...over,
});

interface SentBody {
  recipient: { id: string };
  messaging_type: string;
  tag?: string;
  message: { text: string; quick_replies?: { content_type: string; title: string; payload: string }[] };
}
const bodies = () => graph.calls.map((c) => c.body as SentBody);

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected the send to fail');
  expect(error.message).not.toContain(TOKEN);
  expect(String(error.stack)).not.toContain(TOKEN);
  return error;
}

describe('MessengerSender', () => {
  it('sends a RESPONSE to /me/messages with the page token and the buttons as quick replies', async () => {
    await sender.send(entry({ buttons: [{ payload: '3.1', label: 'Yes' }, { payload: 'go:get-help', label: '🆘 Get help now' }] }));
    expect(graph.calls).toHaveLength(1);
    expect(graph.calls[0]?.path).toBe(`/${GRAPH_VERSION}/me/messages`);
    expect(graph.calls[0]?.query).toEqual({ access_token: TOKEN });
    expect(graph.calls[0]?.body).toEqual({
      recipient: { id: PSID },
      messaging_type: 'RESPONSE',
      message: {
        text: 'Hello',
        quick_replies: [
          { content_type: 'text', title: 'Yes', payload: '3.1' },
          { content_type: 'text', title: '🆘 Get help now', payload: 'go:get-help' },
        ],
      },
    });
  });

  it('splits a long text at line breaks into parts of at most 2,000 characters, quick replies on the last', async () => {
    const lines = Array.from({ length: 90 }, (_, i) => `Line ${i}: call 1191 or 1300 for help. Call 1191 or 1300 for help.`);
    const text = lines.join('\n');
    await sender.send(entry({ text, buttons: [{ payload: 'go:menu', label: '🏠 Menu' }] }));
    const sent = bodies();
    expect(sent.length).toBeGreaterThan(1);
    for (const body of sent) expect(body.message.text.length).toBeLessThanOrEqual(2000);
    // Cut at line breaks only: every part is whole lines, and nothing is lost.
    expect(sent.map((b) => b.message.text).join('\n')).toBe(text);
    expect(sent.slice(0, -1).every((b) => b.message.quick_replies === undefined)).toBe(true);
    expect(sent.at(-1)?.message.quick_replies).toEqual([{ content_type: 'text', title: '🏠 Menu', payload: 'go:menu' }]);
  });

  it('splits a long Lao text without spaces on word or character boundaries, losing nothing', async () => {
    const text = 'ສາຍດ່ວນບໍ່ເສຍຄ່າແລະເປັນສ່ວນຕົວ'.repeat(150);
    await sender.send(entry({ lang: 'lo', text }));
    const parts = bodies().map((b) => b.message.text);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(2000);
    expect(parts.join('')).toBe(text);
    // No part starts with a combining vowel or tone mark cut from its consonant.
    for (const part of parts.slice(1)) expect(part).not.toMatch(/^\p{M}/u);
  });

  it('numbers long labels in the text and keeps at most 13 quick replies of at most 20 characters', async () => {
    const buttons = Array.from({ length: 15 }, (_, i) => ({ payload: `7.${i + 1}`, label: `ຂໍຄວາມຊ່ວຍເຫຼືອດຽວນີ້ ທາງເລືອກ ${i + 1}` }));
    await sender.send(entry({ lang: 'lo', text: 'ເລືອກ:', buttons }));
    const last = bodies().at(-1);
    const replies = last?.message.quick_replies ?? [];
    expect(replies).toHaveLength(13);
    replies.forEach((r, i) => {
      expect(r.title.length).toBeLessThanOrEqual(20);
      expect(r.title.startsWith(`${i + 1}. `)).toBe(true);
      expect(r.payload).toBe(`7.${i + 1}`);
    });
    // The full labels, all 15, are in the text: a typed "14" still works.
    expect(last?.message.text).toContain(`1. ${buttons[0]?.label}`);
    expect(last?.message.text).toContain(`15. ${buttons[14]?.label}`);
  });

  it('writes the buttons as the text when a message has no text of its own', async () => {
    await sender.send(entry({ text: '', buttons: [{ payload: '2.1', label: 'Yes' }, { payload: '2.2', label: 'No' }] }));
    expect(bodies()[0]?.message).toEqual({
      text: '1. Yes\n2. No',
      quick_replies: [
        { content_type: 'text', title: '1. Yes', payload: '2.1' },
        { content_type: 'text', title: '2. No', payload: '2.2' },
      ],
    });
  });

  it('tags a counsellor’s message HUMAN_AGENT after 24 hours', async () => {
    await sender.send(entry({ from: 'human', userAt: NOW - 30 * HOUR, text: 'This is Noy, a counsellor.' }));
    expect(bodies()).toEqual([
      { recipient: { id: PSID }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: 'This is Noy, a counsellor.' } },
    ]);
  });

  it('refuses, without calling Meta, a bot message after 24 hours and a counsellor message after 7 days', async () => {
    const bot = await failure(sender.send(entry({ userAt: NOW - 25 * HOUR })));
    expect(bot).toBeInstanceOf(PermanentSendError);
    expect(bot.message).toContain('more than 24 hours');
    const human = await failure(sender.send(entry({ from: 'human', userAt: NOW - 8 * 24 * HOUR })));
    expect(human).toBeInstanceOf(PermanentSendError);
    expect(human.message).toContain('more than 7 days');
    expect(graph.calls).toHaveLength(0);
  });

  it('makes a 429 (Graph code 613) retryable, with Retry-After when Meta gives one', async () => {
    graph.fail({ kind: 'rate-limit', retryAfterSeconds: 7 }, { kind: 'rate-limit' });
    const first = await failure(sender.send(entry()));
    expect(first).toBeInstanceOf(RetryableSendError);
    expect((first as RetryableSendError).retryAfterMs).toBe(7000);
    expect(first.message).toContain('code 613');
    const second = await failure(sender.send(entry()));
    expect(second).toBeInstanceOf(RetryableSendError);
    expect((second as RetryableSendError).retryAfterMs).toBeUndefined();
  });

  it('makes a 500 retryable', async () => {
    graph.fail({ kind: 'server-error' });
    expect(await failure(sender.send(entry()))).toBeInstanceOf(RetryableSendError);
    await sender.send(entry());
    expect(graph.calls.map((c) => c.status)).toEqual([500, 200]);
  });

  it('makes a 400 permanent, with the Graph code and subcode in the message', async () => {
    graph.fail({ kind: 'outside-window' });
    const error = await failure(sender.send(entry()));
    expect(error).toBeInstanceOf(PermanentSendError);
    expect(error.message).toContain('code 10');
    expect(error.message).toContain('subcode 2018278');
  });

  it('makes an unreachable Graph API retryable', async () => {
    const gone = await startFakeGraph();
    await gone.close();
    const offline = new MessengerSender({ graphUrl: gone.url, pageToken: TOKEN, now: () => NOW });
    expect(await failure(offline.send(entry()))).toBeInstanceOf(RetryableSendError);
  });

  it('does not send the parts already delivered again when a long message is retried', async () => {
    const text = ['a', 'b', 'c'].map((c) => c.repeat(1500)).join('\n');
    // Part 1 goes out, part 2 fails: the worker's retry sends parts 2 and 3 only.
    graph.fail({ kind: 'ok' }, { kind: 'server-error' });
    expect(await failure(sender.send(entry({ text })))).toBeInstanceOf(RetryableSendError);
    await sender.send(entry({ text }));
    expect(graph.calls.map((c) => [c.status, (c.body as SentBody).message.text[0]])).toEqual([
      [200, 'a'],
      [500, 'b'],
      [200, 'b'],
      [200, 'c'],
    ]);
  });
});
