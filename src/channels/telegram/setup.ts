// Talking to Telegram about the bot itself: the API client and the webhook registration.
import { Api } from 'grammy';
import { ALLOWED_UPDATES } from './update.ts';

/**
 * The Bot API client. `apiRoot` is TELEGRAM_API_ROOT (a self-hosted Bot API server); a trailing slash is
 * removed because grammY appends "/bot<token>/<method>" to it as it is.
 */
export function createTelegramApi(token: string, apiRoot = 'https://api.telegram.org'): Api {
  return new Api(token, { apiRoot: apiRoot.replace(/\/+$/, '') });
}

/**
 * Points Telegram at our webhook. Telegram then sends `secret` in X-Telegram-Bot-Api-Secret-Token with every
 * update, which is how the webhook knows a request is Telegram's. Pending updates are kept.
 */
export async function registerWebhook(api: Api, url: string, secret: string): Promise<void> {
  await api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES], drop_pending_updates: false });
}
