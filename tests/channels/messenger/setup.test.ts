import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GRAPH_VERSION } from '../../../src/channels/messenger/graph.ts';
import { messengerSetup, messengerSetupCommand } from '../../../src/commands/messenger-setup.ts';
import { loadContent } from '../../../src/content/index.ts';
import type { Translate } from '../../../src/content/locales.ts';
import { startFakeGraph, type FakeGraph } from '../../helpers/fake-graph.ts';

const TOKEN = 'EAAGpagetoken0123456789secret';
const { t } = loadContent();

let graph: FakeGraph;
beforeEach(async () => {
  graph = await startFakeGraph();
});
afterEach(() => graph.close());

const menu = (lang: string, locale: string) => ({
  locale,
  composer_input_disabled: false,
  call_to_actions: [
    { type: 'postback', title: t(lang, 'engine.button_menu'), payload: 'go:menu' },
    { type: 'postback', title: t(lang, 'engine.button_help'), payload: 'go:get-help' },
    { type: 'postback', title: t(lang, 'menu.language'), payload: 'go:language' },
  ],
});

describe('messengerSetup', () => {
  it('makes exactly three profile calls: Get Started, greeting and persistent menu', async () => {
    await messengerSetup({ graphUrl: graph.url, pageToken: TOKEN, defaultLang: 'lo', t });
    expect(graph.calls.map((c) => [c.path, c.query])).toEqual(
      Array.from({ length: 3 }, () => [`/${GRAPH_VERSION}/me/messenger_profile`, { access_token: TOKEN }]),
    );
    expect(graph.calls.map((c) => c.body)).toEqual([
      { get_started: { payload: 'go:start' } },
      {
        greeting: [
          { locale: 'default', text: t('lo', 'messenger.greeting') },
          { locale: 'th_TH', text: t('th', 'messenger.greeting') },
          { locale: 'en_US', text: t('en', 'messenger.greeting') },
        ],
      },
      { persistent_menu: [menu('lo', 'default'), menu('th', 'th_TH'), menu('en', 'en_US')] },
    ]);
    // Real texts, not keys, and within Meta's limits.
    const greeting = graph.calls[1]?.body as { greeting: { text: string }[] };
    for (const g of greeting.greeting) {
      expect(g.text).not.toBe('messenger.greeting');
      expect(g.text.length).toBeLessThanOrEqual(160);
    }
  });

  it('uses the default language for the default locale', async () => {
    await messengerSetup({ graphUrl: graph.url, pageToken: TOKEN, defaultLang: 'th', t });
    const greeting = graph.calls[1]?.body as { greeting: { locale: string; text: string }[] };
    expect(greeting.greeting[0]).toEqual({ locale: 'default', text: t('th', 'messenger.greeting') });
  });

  it('refuses a greeting over 160 characters before making any call', async () => {
    const long: Translate = (lang, key) => (key === 'messenger.greeting' && lang === 'th' ? 'ก'.repeat(161) : t(lang, key));
    await expect(messengerSetup({ graphUrl: graph.url, pageToken: TOKEN, defaultLang: 'lo', t: long })).rejects.toThrow(
      /messenger\.greeting for th_TH is 161 characters; Messenger allows at most 160/,
    );
    expect(graph.calls).toHaveLength(0);
  });

  it('refuses a menu title over 30 characters before making any call', async () => {
    const long: Translate = (lang, key) => (key === 'engine.button_help' ? 'x'.repeat(31) : t(lang, key));
    await expect(messengerSetup({ graphUrl: graph.url, pageToken: TOKEN, defaultLang: 'en', t: long })).rejects.toThrow(/at most 30/);
    expect(graph.calls).toHaveLength(0);
  });
});

describe('messengerSetupCommand', () => {
  const saved = { ...process.env };
  let out: string;
  let err: string;
  beforeEach(() => {
    out = '';
    err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
    for (const k of Object.keys(process.env)) if (k.startsWith('MESSENGER_')) delete process.env[k];
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.env = { ...saved };
  });

  it('sets the profile, says what it did and never prints the token', async () => {
    Object.assign(process.env, {
      MESSENGER_PAGE_TOKEN: TOKEN,
      MESSENGER_APP_SECRET: 'app-secret-for-tests',
      MESSENGER_VERIFY_TOKEN: 'verify-token-for-tests',
      MESSENGER_GRAPH_URL: graph.url,
    });
    expect(await messengerSetupCommand()).toBe(0);
    expect(graph.calls).toHaveLength(3);
    expect(out).toContain('greeting');
    expect(out + err).not.toContain(TOKEN);
  });

  it('fails clearly when MESSENGER_PAGE_TOKEN is missing', async () => {
    expect(await messengerSetupCommand()).toBe(1);
    expect(err).toContain('MESSENGER_PAGE_TOKEN');
    expect(graph.calls).toHaveLength(0);
  });

  it('fails clearly, without the token, when Meta refuses a call', async () => {
    Object.assign(process.env, {
      MESSENGER_PAGE_TOKEN: TOKEN,
      MESSENGER_APP_SECRET: 'app-secret-for-tests',
      MESSENGER_VERIFY_TOKEN: 'verify-token-for-tests',
      MESSENGER_GRAPH_URL: graph.url,
    });
    graph.fail({ kind: 'outside-window' });
    expect(await messengerSetupCommand()).toBe(1);
    expect(err).toContain('code 10');
    expect(out + err).not.toContain(TOKEN);
  });
});
