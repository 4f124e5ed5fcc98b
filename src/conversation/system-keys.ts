// i18n keys said by code rather than by a flow: `hotline check` requires them in every locale.
import { ENGINE_KEYS } from '../engine/index.ts';

export const SYSTEM_KEYS: readonly string[] = [
  ...ENGINE_KEYS,
  'commands.unknown',
  'commands.forget_confirm',
  'commands.forget_yes',
  'commands.forget_no',
  'commands.forgotten',
  'commands.kept',
  'commands.stopped',
  'channel.unsupported',
  'channel.group_only',
  'messenger.greeting',
  'directory.heading',
  'directory.none',
  'webchat.title',
  'webchat.exit',
  'webchat.send',
  'webchat.placeholder',
  'webchat.offline',
];
