// Every i18n key of the counsellor console (locales/<lang>/console.json). `hotline check` counts them as used
// by code; the page sends all but the canned replies to the browser, the API serves the canned replies.
// `console.broadcasts.*` and `console.dashboard.*` are the supervisors' broadcast and analytics pages.

/** The canned replies a counsellor can put in the reply box: `console.canned.<id>` in the person's language. */
export const CANNED_REPLY_IDS = ['greeting', 'safe_now', 'where', 'safe_to_write', 'wait_moment', 'forget', 'closing'] as const;

const group = (name: string, leaves: readonly string[]): string[] => leaves.map((leaf) => `console.${name}.${leaf}`);

export const CONSOLE_KEYS: readonly string[] = [
  'console.title',
  ...group('switch', ['label', 'lo', 'th', 'en']),
  ...group('login', ['heading', 'username', 'password', 'submit', 'expired']),
  ...group('nav', ['queue', 'supervisor', 'logout', 'logged_in_as']),
  ...group('connection', ['connecting', 'live', 'offline']),
  ...group('errors', ['network', 'generic', 'empty_text', 'choose_outcome', 'transfer_to']),
  ...group('queue', ['heading', 'take_next', 'take_hint', 'empty', 'waiting', 'on_duty', 'mine', 'mine_empty', 'open', 'new_message']),
  ...group('case', [
    'back', 'summary', 'flags', 'answers', 'their_message', 'no_summary', 'transcript', 'transcript_empty',
    'reply', 'reply_placeholder', 'send', 'canned', 'canned_hint', 'canned_empty',
    'notes', 'notes_hint', 'notes_empty', 'note_placeholder', 'add_note',
    'transfer', 'transfer_to', 'transfer_button', 'return', 'close', 'outcome', 'choose_outcome', 'close_button',
    'read_only', 'held_by',
  ]),
  ...group('from', ['person', 'counsellor', 'bot', 'system']),
  ...group('priority', ['urgent', 'high', 'medium', 'low']),
  ...group('reason', ['safe_word', 'checkin_missed', 'checkin_help', 'help_request', 'help_cancelled', 'job_offer_high_risk', 'job_offer_medium_risk', 'job_offer_question', 'asked_for_counsellor']),
  ...group('channel', ['webchat', 'telegram', 'messenger', 'console']),
  ...group('lang', ['lo', 'th', 'en']),
  ...group('outcome', ['referred', 'advice_given', 'no_contact', 'other']),
  ...group('status', ['queued', 'held', 'closed']),
  ...group('role', ['counsellor', 'supervisor']),
  ...group('notice', ['returned', 'assigned', 'closed', 'undeliverable', 'sent_to_queue', 'transferred', 'case_closed', 'note_saved', 'open_case', 'dismiss']),
  ...group('supervisor', ['dashboard', 'broadcasts', 'heading', 'refresh', 'queued', 'longest', 'on_duty', 'on_duty_empty', 'holding', 'open', 'open_empty']),
  ...group('broadcasts', [
    'title', 'back', 'hint', 'languages', 'channels', 'text_lo', 'text_th', 'text_en', 'at', 'preview', 'schedule', 'list',
    'reaches', 'people', 'unreachable', 'sent', 'failed', 'remaining', 'cannot_reach', 'status_scheduled', 'status_sending', 'status_done',
  ]),
  ...group('dashboard', [
    'title', 'period', 'days', 'today', 'time_zone', 'privacy', 'conversations', 'conversations_alt', 'waits', 'waits_alt',
    'totals', 'totals_caption', 'what', 'count', 'by_lang', 'by_channel', 'flows', 'risk', 'escalations_by_priority',
    'escalations_by_channel', 'queue_waits', 'outcomes', 'opt_ins', 'opt_outs', 'cases_taken', 'median_wait', 'p90_wait', 'none',
    'risk_high', 'risk_medium', 'risk_low', 'kind_tips', 'kind_checkins', 'other', 'unit_s', 'unit_min', 'unit_h',
    'csv', 'back', 'login_first', 'supervisors_only', 'bad_days', 'how_to', 'open_console',
    'chart_conversations', 'chart_conversations_by_lang', 'chart_no_conversations', 'chart_waits', 'chart_waits_full',
    'chart_no_waits', 'chart_median', 'chart_p90', 'chart_minutes', 'chart_seconds', 'chart_to', 'chart_taken',
    'chart_lang_lo', 'chart_lang_th', 'chart_lang_en', 'chart_lang_other',
  ]),
  ...group('canned', CANNED_REPLY_IDS),
];
