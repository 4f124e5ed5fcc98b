import { describe, expect, it } from 'vitest';
import { messagingType } from '../../../src/channels/messenger/window.ts';

const HOUR = 3_600_000;
const NOW = 1_767_225_600_000;
const ago = (hours: number) => NOW - hours * HOUR;

describe('messagingType (the 24-hour rule)', () => {
  it('lets the bot answer within 24 hours of the person’s last message', () => {
    expect(messagingType('bot', ago(0), NOW)).toEqual({ messaging_type: 'RESPONSE' });
    expect(messagingType('bot', ago(23.99), NOW)).toEqual({ messaging_type: 'RESPONSE' });
  });

  it('blocks the bot from 24 hours on', () => {
    expect(messagingType('bot', ago(24), NOW)).toEqual({ blocked: 'outside_24h' });
    expect(messagingType('bot', ago(24 * 30), NOW)).toEqual({ blocked: 'outside_24h' });
  });

  it('lets a counsellor answer as a RESPONSE within 24 hours', () => {
    expect(messagingType('human', ago(1), NOW)).toEqual({ messaging_type: 'RESPONSE' });
  });

  it('tags a counsellor message HUMAN_AGENT from 24 hours to 7 days', () => {
    const tagged = { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
    expect(messagingType('human', ago(24), NOW)).toEqual(tagged);
    expect(messagingType('human', ago(24 * 7 - 0.01), NOW)).toEqual(tagged);
  });

  it('blocks a counsellor from 7 days on', () => {
    expect(messagingType('human', ago(24 * 7), NOW)).toEqual({ blocked: 'outside_7d' });
    expect(messagingType('human', ago(24 * 40), NOW)).toEqual({ blocked: 'outside_7d' });
  });

  it('treats a last message slightly in the future (clock skew) as just now', () => {
    expect(messagingType('bot', NOW + 5_000, NOW)).toEqual({ messaging_type: 'RESPONSE' });
  });
});
