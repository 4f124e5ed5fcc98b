// `hotline messenger setup`: sets the Page's Messenger profile once (again after a text changes): the
// Get Started button, the greeting shown before the first message, and the persistent menu, in the
// default language plus Thai and English. Three calls, each complete on its own; all texts are checked
// against Meta's limits before the first call, so a too-long translation changes nothing.
import { graphPost, type FetchLike } from '../channels/messenger/graph.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { loadContent } from '../content/index.ts';
import type { Lang, Translate } from '../content/locales.ts';
import { LANGUAGE_FLOW, START_FLOW } from '../conversation/service.ts';
import { HELP_FLOW, HOME_FLOW, jumpPayload } from '../engine/index.ts';

export interface MessengerSetupOptions {
  graphUrl: string;
  pageToken: string;
  defaultLang: Lang;
  t: Translate;
  fetchImpl?: FetchLike;
}

/** Meta's limits for the greeting and a persistent-menu title, in characters (we count UTF-16 units). */
export const GREETING_LIMIT = 160;
export const MENU_TITLE_LIMIT = 30;

/** `default` is what everyone sees whose Facebook language has no entry of its own. */
const LOCALES = (defaultLang: Lang) =>
  [
    { locale: 'default', lang: defaultLang },
    { locale: 'th_TH', lang: 'th' },
    { locale: 'en_US', lang: 'en' },
  ] as const;

/** The persistent menu: the same three ways out the bot offers everywhere, as `go:<flow>` postbacks. */
const MENU = [
  { key: 'engine.button_menu', flow: HOME_FLOW },
  { key: 'engine.button_help', flow: HELP_FLOW },
  { key: 'menu.language', flow: LANGUAGE_FLOW },
] as const;

const PROFILE = '/me/messenger_profile';

export async function messengerSetup(opts: MessengerSetupOptions): Promise<void> {
  const { t } = opts;
  const locales = LOCALES(opts.defaultLang);
  const checked = (text: string, limit: number, what: string, locale: string): string => {
    if (text.length > limit) {
      throw new Error(`${what} for ${locale} is ${text.length} characters; Messenger allows at most ${limit}. Shorten it in locales/.`);
    }
    return text;
  };
  const greeting = locales.map(({ locale, lang }) => ({
    locale,
    text: checked(t(lang, 'messenger.greeting'), GREETING_LIMIT, 'messenger.greeting', locale),
  }));
  const menu = locales.map(({ locale, lang }) => ({
    locale,
    composer_input_disabled: false,
    call_to_actions: MENU.map(({ key, flow }) => ({
      type: 'postback',
      title: checked(t(lang, key), MENU_TITLE_LIMIT, key, locale),
      payload: jumpPayload(flow),
    })),
  }));

  const post = (body: unknown) => graphPost(opts.graphUrl, PROFILE, opts.pageToken, body, opts.fetchImpl);
  await post({ get_started: { payload: jumpPayload(START_FLOW) } });
  await post({ greeting });
  await post({ persistent_menu: menu });
}

export async function messengerSetupCommand(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  if (!config.MESSENGER_PAGE_TOKEN) {
    process.stderr.write('MESSENGER_PAGE_TOKEN is not set: give the Page access token (see docs/messenger.md).\n');
    return 1;
  }
  try {
    await messengerSetup({
      graphUrl: config.MESSENGER_GRAPH_URL,
      pageToken: config.MESSENGER_PAGE_TOKEN,
      defaultLang: config.DEFAULT_LANG,
      t: loadContent().t,
    });
  } catch (error) {
    // graphPost's messages never contain the token.
    process.stderr.write(`✗ messenger setup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  process.stdout.write(
    [
      `✓ Get Started button → ${jumpPayload(START_FLOW)}`,
      `✓ greeting in default (${config.DEFAULT_LANG}), th_TH, en_US`,
      `✓ persistent menu (menu, get help, language) in default (${config.DEFAULT_LANG}), th_TH, en_US`,
      `Messenger profile of the Page set through ${config.MESSENGER_GRAPH_URL}.`,
      '',
    ].join('\n'),
  );
  return 0;
}
