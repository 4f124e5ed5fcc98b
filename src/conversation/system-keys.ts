// i18n keys said by code rather than by a flow: `hotline check` requires them in every locale.
import { CONSOLE_KEYS } from '../counsellor/console-keys.ts';
import { ENGINE_KEYS } from '../engine/index.ts';
import { FLAG_IDS } from '../understand/types.ts';

export const SYSTEM_KEYS: readonly string[] = [
  ...ENGINE_KEYS,
  ...CONSOLE_KEYS,
  'commands.unknown',
  'commands.forget_confirm',
  'commands.forget_yes',
  'commands.forget_no',
  'commands.forgotten',
  'commands.kept',
  'commands.stopped',
  'channel.unsupported',
  'channel.group_only',
  'channel.unreadable',
  'channel.slow_down',
  'channel.hidden',
  'channel.hide_unavailable',
  ...FLAG_IDS.map((id) => `assess.flag.${id}`),
  'messenger.greeting',
  ...[1, 2, 3, 4, 5].map((n) => `safeword.smalltalk.s${n}`),
  'relay.queued',
  'relay.queued_no_one',
  'relay.closed_hours',
  'relay.closed_hours_unknown',
  'relay.ended',
  'directory.heading',
  'directory.none',
  'webchat.title',
  'webchat.exit',
  'webchat.send',
  'webchat.placeholder',
  'webchat.offline',
];

/** Placeholders code fills in, besides the facts of data/facts.json. */
export const SYSTEM_PLACEHOLDERS: readonly string[] = ['hours', 'country', 'position', 'minutes', 'when', 'date', 'place'];
