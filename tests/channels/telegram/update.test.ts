import { describe, expect, it } from 'vitest';
import { telegramUpdateSchema, updateToItem } from '../../../src/channels/telegram/update.ts';
import { GROUP_PAYLOAD, UNSUPPORTED_PAYLOAD } from '../../../src/conversation/service.ts';
import { inboxItemSchema } from '../../../src/delivery/types.ts';

// Shaped like the Bot API's documented JSON (https://core.telegram.org/bots/api#update).
const from = { id: 7012345678, is_bot: false, first_name: 'Noy', language_code: 'lo' };
const privateChat = { id: 7012345678, first_name: 'Noy', type: 'private' };
const message = (extra: Record<string, unknown>, chat: Record<string, unknown> = privateChat) => ({
  update_id: 904512001,
  message: { message_id: 31, from, chat, date: 1_760_000_000, ...extra },
});
const NOW = 1_760_000_123_456;

function map(raw: unknown) {
  return updateToItem(telegramUpdateSchema.parse(raw), () => NOW);
}

function item(raw: unknown) {
  const result = map(raw);
  if (result.kind !== 'item') throw new Error('expected an item');
  // Whatever the mapping makes must be a valid inbox item.
  expect(inboxItemSchema.parse(result.item)).toEqual(result.item);
  return result;
}

describe('updateToItem', () => {
  it('maps a private text message: chat id, text, language hint, time in ms, update_id as dedupe id', () => {
    const result = item(message({ text: 'I got a job offer in Bangkok' }));
    expect(result.dedupeId).toBe('904512001');
    expect(result.item).toEqual({
      channel: 'telegram',
      userId: '7012345678',
      text: 'I got a job offer in Bangkok',
      langHint: 'lo',
      at: 1_760_000_000_000,
    });
  });

  it('reads a forwarded job ad as text to check, from its text or its caption', () => {
    const forwarded = { forward_origin: { type: 'channel', chat: { id: -1001234567890, title: 'Jobs', type: 'channel' }, message_id: 5, date: 1_759_999_000 } };
    expect(item(message({ ...forwarded, text: 'Factory work, 15000 baht' })).item.text).toBe('Factory work, 15000 baht');
    const photoAd = message({
      ...forwarded,
      photo: [{ file_id: 'AgAC-small', file_unique_id: 'AQAD1', width: 90, height: 90 }],
      caption: 'Waitress wanted, passport kept by boss',
    });
    const result = item(photoAd);
    expect(result.item.text).toBe('Waitress wanted, passport kept by boss');
    expect(result.item.payload).toBeUndefined();
  });

  it('maps a button press: payload, callback query id, the clock for its time', () => {
    const result = item({
      update_id: 904512002,
      callback_query: {
        id: '4382bfdwdsb323b2d9',
        from,
        message: { message_id: 32, from: { id: 123456, is_bot: true, first_name: 'Hotline' }, chat: privateChat, date: 1_760_000_010, text: 'Choose' },
        chat_instance: '-8754302894',
        data: '3.yes',
      },
    });
    expect(result.dedupeId).toBe('904512002');
    expect(result.item).toEqual({
      channel: 'telegram',
      userId: '7012345678',
      payload: '3.yes',
      langHint: 'lo',
      at: NOW,
      meta: { callbackQueryId: '4382bfdwdsb323b2d9' },
    });
  });

  it.each([
    ['photo', { photo: [{ file_id: 'AgAC-a', file_unique_id: 'u1', width: 90, height: 67 }, { file_id: 'AgAC-b', file_unique_id: 'u2', width: 320, height: 240 }] }],
    ['voice', { voice: { file_id: 'AwAC-v', file_unique_id: 'u3', duration: 4, mime_type: 'audio/ogg' } }],
    ['sticker', { sticker: { file_id: 'CAAC-s', file_unique_id: 'u4', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } }],
    ['location', { location: { latitude: 17.9757, longitude: 102.6331 } }],
    ['document', { document: { file_id: 'BQAC-d', file_unique_id: 'u5', file_name: 'contract.pdf' } }],
    ['video', { video: { file_id: 'BAAC-v', file_unique_id: 'u6', width: 640, height: 360, duration: 9 } }],
    ['audio', { audio: { file_id: 'CQAC-a', file_unique_id: 'u7', duration: 120 } }],
    ['contact', { contact: { phone_number: '+8562055555555', first_name: 'Boss' } }],
  ])('answers a %s without text with the unsupported payload', (_kind, extra) => {
    const result = item(message(extra));
    expect(result.item.payload).toBe(UNSUPPORTED_PAYLOAD);
    expect(result.item.text).toBeUndefined();
    // Nothing of what was sent is kept (a contact's phone number least of all).
    expect(JSON.stringify(result.item)).not.toContain('+856');
  });

  it.each([
    ['group', { id: -4012345678, title: 'Friends', type: 'group' }],
    ['supergroup', { id: -1001987654321, title: 'Village', type: 'supergroup' }],
  ])('declines a %s chat with the group payload and keeps none of its text', (_kind, chat) => {
    const result = item(message({ text: 'my phone is 020 5555 5555' }, chat));
    expect(result.item.payload).toBe(GROUP_PAYLOAD);
    expect(result.item.userId).toBe(String(chat.id));
    expect(result.item.text).toBeUndefined();
  });

  it('declines a button pressed in a group, still answering the query', () => {
    const result = item({
      update_id: 904512003,
      callback_query: { id: 'q1', from, message: { message_id: 1, date: 1, chat: { id: -4012345678, type: 'group' } }, chat_instance: '1', data: '1.a' },
    });
    expect(result.item.payload).toBe(GROUP_PAYLOAD);
    expect(result.item.meta).toEqual({ callbackQueryId: 'q1' });
  });

  it('leaves out a language hint the person has not got', () => {
    const { from: _from, ...rest } = message({ text: 'hi' }).message;
    expect(item({ update_id: 1, message: { ...rest, from: { id: 1, is_bot: false, first_name: 'A' } } }).item.langHint).toBeUndefined();
  });

  it.each([
    ['edited_message', { update_id: 10, edited_message: { message_id: 31, from, chat: privateChat, date: 1, edit_date: 2, text: 'edited' } }],
    ['channel_post', { update_id: 11, channel_post: { message_id: 1, chat: { id: -100, type: 'channel', title: 'News' }, date: 1, text: 'post' } }],
    ['my_chat_member', { update_id: 12, my_chat_member: { chat: privateChat, from, date: 1, old_chat_member: {}, new_chat_member: {} } }],
    ['a service message', message({ pinned_message: { message_id: 30, chat: privateChat, date: 1 } })],
    ['a game button', { update_id: 13, callback_query: { id: 'q2', from, chat_instance: '1', game_short_name: 'g', message: { message_id: 1, date: 1, chat: privateChat } } }],
    ['an inline-mode button', { update_id: 14, callback_query: { id: 'q3', from, chat_instance: '1', inline_message_id: 'AAA', data: '1.a' } }],
  ])('ignores %s', (_kind, raw) => {
    expect(map(raw)).toEqual({ kind: 'ignored' });
  });

  it('refuses what is not an update', () => {
    expect(telegramUpdateSchema.safeParse({ message: { text: 'hi' } }).success).toBe(false);
    expect(telegramUpdateSchema.safeParse({ update_id: 'x' }).success).toBe(false);
    expect(telegramUpdateSchema.safeParse({ update_id: 1, message: { message_id: 1, date: 1, text: 'no chat' } }).success).toBe(false);
  });
});
