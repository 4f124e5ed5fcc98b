// The Telegram channel: updates in (webhook or long polling) to the inbox, outbox messages out.
export { ALLOWED_UPDATES, TELEGRAM_CHANNEL, telegramUpdateSchema, updateToItem, type TelegramUpdate, type UpdateResult } from './update.ts';
export { TELEGRAM_WEBHOOK_PATH, telegramWebhookRoute, type TelegramWebhookOptions } from './webhook.ts';
export { MAX_CALLBACK_DATA_BYTES, MAX_MESSAGE_LENGTH, splitText, TelegramSender, toSendError, type TelegramSenderOptions } from './sender.ts';
export { startPolling, type Polling, type PollingOptions } from './polling.ts';
export { createTelegramApi, registerWebhook } from './setup.ts';
export { DELETE_BATCH, HIDE_META, hideChat, wantsHide, type HideChatOptions } from './hide.ts';
export { addMessageId, MemoryTelegramTrail, MESSAGE_ID_META, messageIdOf, RedisTelegramTrail, TRAIL_MAX_IDS, TRAIL_WINDOW_MS, type TelegramTrail } from './trail.ts';
