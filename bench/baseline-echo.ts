// The baseline: a bare grammY webhook bot that echoes each text, on the same harness and fake Bot API.
// Run as its own process: node bench/baseline-echo.ts PORT API_ROOT
import { createServer } from 'node:http';
import { Bot, webhookCallback } from 'grammy';

const [port = '0', apiRoot = ''] = process.argv.slice(2);
const bot = new Bot('123456:BENCH-token', {
  botInfo: {
    id: 123456,
    is_bot: true,
    first_name: 'Echo',
    username: 'echo_bot',
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  },
  client: { apiRoot },
});
bot.on('message:text', (ctx) => ctx.reply(ctx.message.text));
const handle = webhookCallback(bot, 'http', { secretToken: 'bench-webhook-secret-0123456789' });
createServer((req, res) => {
  if (req.url === '/healthz') {
    res.end('ok');
    return;
  }
  void handle(req, res);
}).listen(Number(port), '127.0.0.1');
