/* global document, window, fetch, EventSource, localStorage, setInterval, clearInterval, setTimeout, clearTimeout */
// The counsellor console. Plain JavaScript, no build step. Texts go in with textContent only, never innerHTML.
// The API it talks to is described in docs/counsellor-api.md.

const config = JSON.parse(document.getElementById('console-config').textContent);
const API = '/console/api';
const LANG_STORE = 'hotline-console-lang';
const PRIORITIES = ['urgent', 'high', 'medium', 'low'];
const FROM = ['person', 'counsellor', 'bot', 'system'];
const VIEWS = ['login-view', 'queue-view', 'case-view', 'supervisor-view'];
const RECONNECT_MS = 5000;
const SUPERVISOR_REFRESH_MS = 15000;
const INFO_NOTICE_MS = 10000;
const MAX_NOTICES = 5;

const $ = (id) => document.getElementById(id);

const state = {
  lang: savedLang(),
  csrf: null,
  me: null, // { username, role }
  events: null,
  connection: 'connecting',
  reconnectTimer: null,
  clockTimer: null,
  supervisorTimer: null,
  queue: [], // { item, since }: since = when the person started waiting, in this browser's clock
  onDuty: null,
  mine: [],
  unread: new Set(),
  openCase: null, // the CaseView on screen
  returnTo: 'queue-view',
  outgoing: [], // replies sent from here, so the stream's copy of them is not shown twice
  closedHere: new Set(),
  supervisor: null,
};

// ---- texts ----

function savedLang() {
  try {
    const lang = localStorage.getItem(LANG_STORE);
    if (lang && config.strings[lang]) return lang;
  } catch {
    // storage may be blocked; the server's default language is used
  }
  return config.lang;
}

function s(key) {
  return config.strings[state.lang]?.[key] ?? config.strings.en?.[key] ?? key;
}

/** The word for a value the server sends (a priority, reason, channel…), or the value itself when unknown. */
function label(group, value) {
  const key = `${group}.${value}`;
  return key in (config.strings.en ?? {}) ? s(key) : String(value ?? '');
}

function applyLang(lang) {
  if (!config.strings[lang]) return;
  state.lang = lang;
  try {
    localStorage.setItem(LANG_STORE, lang);
  } catch {
    // not remembered, still switched
  }
  document.documentElement.lang = lang;
  document.title = s('title');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = s(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) node.placeholder = s(node.dataset.i18nPlaceholder);
  for (const node of document.querySelectorAll('[data-i18n-aria-label]')) node.setAttribute('aria-label', s(node.dataset.i18nAriaLabel));
  for (const button of document.querySelectorAll('[data-lang]')) button.setAttribute('aria-pressed', String(button.dataset.lang === lang));
  setConnection(state.connection);
  renderQueue();
  renderMine();
  if (state.openCase) renderCase();
  renderSupervisor();
}

// ---- small DOM helpers ----

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(text, className, onClick) {
  const node = el('button', className, text);
  node.type = 'button';
  node.addEventListener('click', onClick);
  return node;
}

function formatDuration(totalSeconds) {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const ss = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

function formatTime(at) {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return '';
  const sameDay = date.toDateString() === new Date().toDateString();
  const options = sameDay ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  try {
    return date.toLocaleString(state.lang, options);
  } catch {
    return date.toLocaleString(undefined, options);
  }
}

// ---- notices ----

/** A visible message at the top; `action` adds a button ({ label, run }). Info notices fade after a while. */
function notify(text, kind = 'info', action) {
  const box = el('div', `notice notice-${kind}`);
  box.dataset.testid = 'notice';
  box.dataset.kind = kind;
  box.append(el('span', 'notice-text', text));
  if (action) {
    box.append(
      button(action.label, 'notice-action', () => {
        box.remove();
        action.run();
      }),
    );
  }
  const dismiss = button('✕', 'notice-close', () => box.remove());
  dismiss.setAttribute('aria-label', s('notice.dismiss'));
  box.append(dismiss);
  const list = $('notices');
  list.prepend(box);
  while (list.children.length > MAX_NOTICES) list.lastElementChild.remove();
  if (kind === 'info' && !action) setTimeout(() => box.remove(), INFO_NOTICE_MS);
}

function clearNotices() {
  $('notices').replaceChildren();
}

// ---- the API ----

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(method, path, body) {
  const headers = { accept: 'application/json', 'accept-language': state.lang };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (method === 'POST') {
    headers['content-type'] = 'application/json';
    if (state.csrf) headers['x-csrf-token'] = state.csrf;
    init.body = JSON.stringify(body ?? {});
  }
  let res;
  try {
    res = await fetch(`${API}${path}`, init);
  } catch {
    throw new ApiError(0, s('errors.network'));
  }
  const data = await res.json().catch(() => ({}));
  if (res.status === 401 && path !== '/login') {
    showLogin(state.me ? s('login.expired') : '');
    throw new ApiError(401, s('login.expired'));
  }
  if (!res.ok) throw new ApiError(res.status, typeof data.error === 'string' ? data.error : s('errors.generic'));
  return data;
}

function caseUrl(id, action = '') {
  return `/cases/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
}

function reportError(error) {
  if (error instanceof ApiError && error.status === 401) return; // the login form is showing already
  notify(error?.message || s('errors.generic'), 'error');
}

/** Runs an action, shows its error if it fails. */
async function attempt(action) {
  try {
    await action();
  } catch (error) {
    reportError(error);
  }
}

/** Same, with the button disabled meanwhile so one tap is one request. */
async function whileBusy(control, action) {
  control.disabled = true;
  try {
    await attempt(action);
  } finally {
    control.disabled = false;
  }
}

// ---- views ----

function showView(id) {
  for (const view of VIEWS) $(view).hidden = view !== id;
  $('account-bar').hidden = id === 'login-view';
  if (id !== 'supervisor-view') stopSupervisorRefresh();
  if (id !== 'case-view') state.openCase = null;
  window.scrollTo(0, 0);
}

function showLogin(message) {
  closeEvents();
  clearInterval(state.clockTimer);
  Object.assign(state, { me: null, csrf: null, openCase: null, queue: [], onDuty: null, mine: [], outgoing: [], supervisor: null });
  state.unread.clear();
  state.closedHere.clear();
  // Nothing of a case stays on screen after the session ends.
  for (const id of ['queue-list', 'my-cases', 'transcript', 'summary-body', 'notes-list', 'canned-list', 'case-meta', 'sup-on-duty', 'sup-open']) {
    $(id).replaceChildren();
  }
  for (const id of ['reply', 'note', 'transfer-to', 'login-password']) $(id).value = '';
  clearNotices();
  showView('login-view');
  $('login-error').textContent = message;
  $('login-error').hidden = !message;
}

function startConsole(me) {
  state.me = { username: me.username, role: me.role };
  state.csrf = me.csrf;
  $('who').textContent = me.username;
  $('nav-supervisor').hidden = me.role !== 'supervisor';
  $('login-error').hidden = true;
  clearInterval(state.clockTimer);
  state.clockTimer = setInterval(updateClocks, 1000);
  openEvents();
  showQueue();
}

function showQueue() {
  showView('queue-view');
  renderQueue();
  renderMine();
  void attempt(refreshQueue);
  void attempt(refreshMine);
}

// ---- log in and out ----

async function logIn(event) {
  event.preventDefault();
  const username = $('login-username').value.trim().toLowerCase();
  const password = $('login-password').value;
  $('login-error').hidden = true;
  const submit = $('login-submit');
  submit.disabled = true;
  try {
    const me = await api('POST', '/login', { username, password });
    $('login-password').value = '';
    startConsole(me);
  } catch (error) {
    $('login-error').textContent = error.message;
    $('login-error').hidden = false;
  } finally {
    submit.disabled = false;
  }
}

async function logOut() {
  try {
    await api('POST', '/logout');
  } catch {
    // logged out on this screen either way
  }
  showLogin('');
}

/** On page load: an existing session goes straight to the queue. */
async function resumeSession() {
  try {
    startConsole(await api('GET', '/me'));
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) showLogin(error.message);
  }
}

// ---- the live stream ----

function openEvents() {
  closeEvents();
  const events = new EventSource(`${API}/events`);
  state.events = events;
  setConnection('connecting');
  events.addEventListener('open', () => {
    const wasOffline = state.connection === 'offline';
    setConnection('live');
    if (wasOffline) catchUpAfterReconnect();
  });
  events.addEventListener('error', () => onStreamError(events));
  onEvent(events, 'queue', (data) => setQueue(data.cases));
  onEvent(events, 'message', onMessageEvent);
  onEvent(events, 'returned', onReturned);
  onEvent(events, 'assigned', onAssigned);
  onEvent(events, 'closed', onClosed);
  onEvent(events, 'undeliverable', onUndeliverable);
}

function onEvent(events, type, handle) {
  events.addEventListener(type, (event) => {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    if (data && typeof data === 'object') handle(data);
  });
}

function closeEvents() {
  clearTimeout(state.reconnectTimer);
  state.events?.close();
  state.events = null;
}

function onStreamError(events) {
  if (events !== state.events) return;
  setConnection('offline');
  // The browser reconnects by itself after a network error. It gives up when the server answers with an
  // error (an expired session answers 401): then ask /me, which shows the login form on 401, and open again.
  if (events.readyState === EventSource.CLOSED) reconnectLater();
}

function reconnectLater() {
  clearTimeout(state.reconnectTimer);
  state.reconnectTimer = setTimeout(async () => {
    if (!state.me) return;
    try {
      const me = await api('GET', '/me');
      state.csrf = me.csrf;
      openEvents();
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) reconnectLater();
    }
  }, RECONNECT_MS);
}

function setConnection(name) {
  state.connection = name;
  const node = $('connection');
  node.dataset.state = name;
  node.textContent = s(`connection.${name}`);
}

/** Whatever happened while the stream was down: the queue, our chats, and the open case's new lines. */
function catchUpAfterReconnect() {
  void attempt(refreshQueue);
  void attempt(refreshMine);
  const open = state.openCase;
  if (open) void attempt(() => openCase(open.id, { keepReply: true }));
}

function onMessageEvent({ caseId, line }) {
  if (!line || typeof line.text !== 'string') return;
  if (state.openCase?.id !== caseId) {
    if (line.from === 'person' && state.mine.some((c) => c.id === caseId)) {
      state.unread.add(caseId);
      renderMine();
    }
    return;
  }
  if (line.from === 'counsellor') {
    const sent = state.outgoing.find((o) => o.caseId === caseId && o.text === line.text);
    if (sent?.state === 'shown') {
      forgetOutgoing(sent);
      return; // already on screen
    }
    if (sent) sent.state = 'echoed';
  }
  appendLine(caseId, line);
}

function onReturned({ caseId }) {
  notify(s('notice.returned'), 'warn');
  if (state.openCase?.id === caseId) showQueue();
  else void attempt(refreshMine);
}

function onAssigned({ caseId }) {
  notify(s('notice.assigned'), 'info', { label: s('notice.open_case'), run: () => attempt(() => openCase(caseId)) });
  void attempt(refreshMine);
}

function onClosed({ caseId }) {
  if (state.closedHere.delete(caseId)) return; // we closed it ourselves and said so
  notify(s('notice.closed'), 'info');
  if (state.openCase?.id === caseId) showQueue();
  else void attempt(refreshMine);
}

function onUndeliverable({ caseId, reason }) {
  const text = reason ? `${s('notice.undeliverable')} (${reason})` : s('notice.undeliverable');
  notify(text, 'error');
  appendLine(caseId, { at: Date.now(), from: 'system', text });
}

// ---- the queue and "your chats" ----

async function refreshQueue() {
  const data = await api('GET', '/queue');
  state.onDuty = typeof data.onDuty === 'number' ? data.onDuty : null;
  setQueue(data.cases);
}

function setQueue(cases) {
  if (!Array.isArray(cases)) return;
  const now = Date.now();
  const before = new Map(state.queue.map(({ item, since }) => [item.id, since]));
  // The server counts whole seconds: keep the earlier start so a clock never steps back on an update.
  state.queue = cases.map((item) => {
    const since = now - (Number(item.waitingSeconds) || 0) * 1000;
    return { item, since: Math.min(since, before.get(item.id) ?? since) };
  });
  renderQueue();
}

function renderQueue() {
  $('queue-list').replaceChildren(...state.queue.map(({ item, since }) => queueCard(item, since)));
  $('queue-empty').hidden = state.queue.length > 0;
  $('queue-count').textContent = `(${state.queue.length})`;
  $('on-duty').textContent = state.onDuty === null ? '–' : String(state.onDuty);
}

function priorityBadge(priority) {
  const known = PRIORITIES.includes(priority) ? priority : 'unknown';
  return el('span', `priority priority-${known}`, label('priority', priority));
}

/** Priority, reason, language and channel: what every case card starts with. */
function caseSummaryLine(item) {
  const line = el('div', 'card-head');
  line.append(priorityBadge(item.priority), el('span', 'reason', label('reason', item.reason)));
  return line;
}

function caseDetails(item) {
  return el('div', 'card-meta', `${label('lang', item.lang)} · ${label('channel', item.channel)}`);
}

function waitingClock(since) {
  const clock = el('span', 'waiting');
  clock.dataset.since = String(since);
  updateClock(clock);
  return clock;
}

function updateClock(clock) {
  clock.textContent = `${s('queue.waiting')} ${formatDuration((Date.now() - Number(clock.dataset.since)) / 1000)}`;
}

function updateClocks() {
  for (const clock of document.querySelectorAll('.waiting[data-since]')) updateClock(clock);
}

function queueCard(item, since) {
  const card = el('li', `card card-${PRIORITIES.includes(item.priority) ? item.priority : 'unknown'}`);
  card.dataset.testid = 'queue-item';
  card.dataset.caseId = item.id;
  const meta = caseDetails(item);
  meta.append(' · ', waitingClock(since));
  card.append(caseSummaryLine(item), meta);
  return card;
}

async function refreshMine() {
  const data = await api('GET', '/cases');
  state.mine = Array.isArray(data.cases) ? data.cases : [];
  for (const id of state.unread) if (!state.mine.some((c) => c.id === id)) state.unread.delete(id);
  renderMine();
}

function renderMine() {
  $('my-cases').replaceChildren(...state.mine.map(myCaseCard));
  $('my-cases-empty').hidden = state.mine.length > 0;
}

function myCaseCard(item) {
  const card = el('li', `card card-${PRIORITIES.includes(item.priority) ? item.priority : 'unknown'}`);
  card.dataset.testid = 'my-case';
  card.dataset.caseId = item.id;
  card.append(caseSummaryLine(item), caseDetails(item));
  if (state.unread.has(item.id)) card.append(el('span', 'unread', s('queue.new_message')));
  const open = button(s('queue.open'), 'open', () => whileBusy(open, () => openCase(item.id)));
  open.dataset.testid = 'open-case';
  card.append(open);
  return card;
}

async function takeNext() {
  try {
    const data = await api('POST', '/queue/take');
    showCase(data.case);
    void attempt(refreshMine);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) notify(s('queue.empty'), 'info');
    else throw error;
  }
}

// ---- one case ----

async function openCase(id, { keepReply = false } = {}) {
  const view = await api('GET', caseUrl(id));
  showCase(view, keepReply);
}

function showCase(view, keepReply = false) {
  const sameCase = state.openCase?.id === view.id;
  const from = VIEWS.find((v) => !$(v).hidden);
  if (from !== 'case-view') state.returnTo = from === 'supervisor-view' ? 'supervisor-view' : 'queue-view';
  showView('case-view');
  state.openCase = { ...view, transcript: Array.isArray(view.transcript) ? view.transcript : [], notes: Array.isArray(view.notes) ? view.notes : [] };
  state.unread.delete(view.id);
  if (!(keepReply && sameCase)) {
    state.outgoing = [];
    for (const id of ['reply', 'note', 'transfer-to']) $(id).value = '';
    $('close-outcome').value = '';
    $('canned').open = false;
  }
  renderCase();
  void attempt(() => loadCanned(view.lang));
}

function renderCase() {
  const open = state.openCase;
  const meta = $('case-meta');
  meta.replaceChildren(caseSummaryLine(open), caseDetails(open));
  if (open.counsellor && open.counsellor !== state.me?.username) {
    meta.append(el('div', 'card-meta', `${s('case.held_by')} ${open.counsellor}`));
  }
  renderSummary(open.summary);
  $('transcript').replaceChildren(...open.transcript.map(transcriptLine));
  $('transcript-empty').hidden = open.transcript.length > 0;
  renderNotes();
  const mine = open.counsellor === state.me?.username;
  $('reply-form').hidden = !mine;
  $('case-manage').hidden = !mine;
  $('read-only').hidden = mine;
  $('transcript').lastElementChild?.scrollIntoView({ block: 'nearest' });
}

function renderSummary(summary) {
  const box = $('summary-body');
  box.replaceChildren();
  const flags = Array.isArray(summary?.flags) ? summary.flags : [];
  const answers = Array.isArray(summary?.answers) ? summary.answers : [];
  if (flags.length) {
    const list = el('ul', 'flags');
    list.append(...flags.map((flag) => el('li', 'flag', String(flag))));
    box.append(el('h3', '', s('case.flags')), list);
  }
  if (answers.length) {
    const list = el('dl', 'answers');
    for (const { question, answer } of answers) list.append(el('dt', '', String(question)), el('dd', '', String(answer)));
    box.append(el('h3', '', s('case.answers')), list);
  }
  if (summary?.message) box.append(el('h3', '', s('case.their_message')), el('blockquote', 'quote', String(summary.message)));
  if (!box.children.length) box.append(el('p', 'empty', s('case.no_summary')));
}

function transcriptLine(line) {
  const from = FROM.includes(line.from) ? line.from : 'system';
  const item = el('li', `line from-${from}`);
  item.dataset.testid = 'transcript-line';
  item.dataset.from = from;
  const who = line.by ? `${label('from', from)} · ${line.by}` : label('from', from);
  item.append(el('div', 'line-meta', `${who} · ${formatTime(line.at)}`), el('div', 'line-text', String(line.text)));
  return item;
}

function appendLine(caseId, line) {
  const open = state.openCase;
  if (open?.id !== caseId) return;
  open.transcript.push(line);
  const item = transcriptLine(line);
  $('transcript').append(item);
  $('transcript-empty').hidden = true;
  item.scrollIntoView({ block: 'nearest' });
}

function forgetOutgoing(entry) {
  state.outgoing = state.outgoing.filter((o) => o !== entry);
}

async function sendReply(event) {
  event.preventDefault();
  const open = state.openCase;
  const box = $('reply');
  const text = box.value.trim();
  if (!open) return;
  if (!text) return notify(s('errors.empty_text'), 'error');
  // The stream may bring our own line before or after the POST answers: show it once either way.
  const entry = { caseId: open.id, text, state: 'sending' };
  state.outgoing.push(entry);
  box.value = '';
  await whileBusy($('send-reply'), async () => {
    try {
      await api('POST', caseUrl(open.id, 'messages'), { text });
    } catch (error) {
      forgetOutgoing(entry);
      if (!box.value) box.value = text;
      throw error;
    }
    if (entry.state === 'echoed') return forgetOutgoing(entry);
    entry.state = 'shown';
    appendLine(open.id, { at: Date.now(), from: 'counsellor', by: state.me?.username, text });
  });
}

async function loadCanned(personLang) {
  const list = $('canned-list');
  list.replaceChildren();
  const caseId = state.openCase?.id;
  const lang = config.langs.includes(personLang) ? personLang : config.lang;
  const data = await api('GET', `/canned?lang=${encodeURIComponent(lang)}`);
  if (state.openCase?.id !== caseId) return; // another case opened meanwhile
  const replies = Array.isArray(data.replies) ? data.replies : [];
  list.replaceChildren(
    ...replies.map((reply) => {
      const choice = button(String(reply.text), 'canned-reply', () => insertCanned(String(reply.text)));
      choice.dataset.testid = 'canned-reply';
      choice.dataset.cannedId = String(reply.id);
      choice.lang = lang;
      return choice;
    }),
  );
  if (!replies.length) list.append(el('p', 'empty', s('case.canned_empty')));
}

function insertCanned(text) {
  const box = $('reply');
  box.value = box.value.trim() ? `${box.value.trimEnd()}\n${text}` : text;
  $('canned').open = false;
  box.focus();
}

function renderNotes() {
  const notes = state.openCase?.notes ?? [];
  $('notes-list').replaceChildren(
    ...notes.map((note) => {
      const item = el('li', 'note');
      item.append(el('div', 'line-meta', `${note.by ?? ''} · ${formatTime(note.at)}`), el('div', 'line-text', String(note.text)));
      return item;
    }),
  );
  $('notes-empty').hidden = notes.length > 0;
}

async function addNote(event) {
  event.preventDefault();
  const open = state.openCase;
  const text = $('note').value.trim();
  if (!open) return;
  if (!text) return notify(s('errors.empty_text'), 'error');
  await whileBusy($('add-note'), async () => {
    await api('POST', caseUrl(open.id, 'notes'), { text });
    $('note').value = '';
    if (state.openCase?.id !== open.id) return;
    open.notes.push({ at: Date.now(), by: state.me?.username, text });
    renderNotes();
    notify(s('notice.note_saved'), 'info');
  });
}

async function transfer(event) {
  event.preventDefault();
  const open = state.openCase;
  const to = $('transfer-to').value.trim().toLowerCase();
  if (!open) return;
  if (!to) return notify(s('errors.transfer_to'), 'error');
  await whileBusy($('transfer'), async () => {
    await api('POST', caseUrl(open.id, 'transfer'), { to });
    notify(s('notice.transferred'), 'info');
    leaveCase();
  });
}

async function returnToQueue() {
  const open = state.openCase;
  if (!open) return;
  await whileBusy($('return-to-queue'), async () => {
    await api('POST', caseUrl(open.id, 'transfer'), { to: null });
    notify(s('notice.sent_to_queue'), 'info');
    leaveCase();
  });
}

async function closeCase(event) {
  event.preventDefault();
  const open = state.openCase;
  const outcome = $('close-outcome').value;
  if (!open) return;
  if (!outcome) return notify(s('errors.choose_outcome'), 'error');
  await whileBusy($('close-case'), async () => {
    state.closedHere.add(open.id);
    try {
      await api('POST', caseUrl(open.id, 'close'), { outcome });
    } catch (error) {
      state.closedHere.delete(open.id);
      throw error;
    }
    notify(s('notice.case_closed'), 'info');
    leaveCase();
  });
}

function leaveCase() {
  if (state.returnTo === 'supervisor-view' && state.me?.role === 'supervisor') showSupervisor();
  else showQueue();
}

// ---- supervisor ----

function showSupervisor() {
  showView('supervisor-view');
  renderSupervisor();
  void attempt(refreshSupervisor);
  stopSupervisorRefresh();
  state.supervisorTimer = setInterval(() => void attempt(refreshSupervisor), SUPERVISOR_REFRESH_MS);
}

function stopSupervisorRefresh() {
  clearInterval(state.supervisorTimer);
  state.supervisorTimer = null;
}

async function refreshSupervisor() {
  state.supervisor = await api('GET', '/supervisor');
  renderSupervisor();
}

function renderSupervisor() {
  const data = state.supervisor;
  if (!data) return;
  const onDuty = Array.isArray(data.onDuty) ? data.onDuty : [];
  const open = Array.isArray(data.open) ? data.open : [];
  $('sup-queued').textContent = String(data.waits?.queued ?? 0);
  $('sup-longest').textContent = formatDuration(data.waits?.longestSeconds ?? 0);
  $('sup-on-duty').replaceChildren(
    ...onDuty.map((person) => {
      const card = el('li', 'card');
      card.append(
        el('div', 'card-head', `${person.username} · ${label('role', person.role)}`),
        el('div', 'card-meta', `${s('supervisor.holding')} ${person.holding ?? 0}`),
      );
      return card;
    }),
  );
  $('sup-on-duty-empty').hidden = onDuty.length > 0;
  $('sup-open').replaceChildren(...open.map(supervisorCaseCard));
  $('sup-open-empty').hidden = open.length > 0;
}

function supervisorCaseCard(item) {
  const card = el('li', `card card-${PRIORITIES.includes(item.priority) ? item.priority : 'unknown'}`);
  card.dataset.testid = 'sup-case';
  card.dataset.caseId = item.id;
  const status = item.counsellor ? `${label('status', item.status)} · ${item.counsellor}` : label('status', item.status);
  const meta = caseDetails(item);
  meta.append(` · ${status}`);
  if (item.status === 'queued') meta.append(' · ', waitingClock(Date.now() - (Number(item.waitingSeconds) || 0) * 1000));
  const open = button(s('queue.open'), 'open', () => whileBusy(open, () => openCase(item.id)));
  card.append(caseSummaryLine(item), meta, open);
  return card;
}

// ---- wiring ----

for (const choice of document.querySelectorAll('[data-lang]')) choice.addEventListener('click', () => applyLang(choice.dataset.lang));
$('login-form').addEventListener('submit', logIn);
$('logout').addEventListener('click', logOut);
$('nav-queue').addEventListener('click', showQueue);
$('nav-supervisor').addEventListener('click', showSupervisor);
$('take-next').addEventListener('click', () => whileBusy($('take-next'), takeNext));
$('back').addEventListener('click', leaveCase);
$('reply-form').addEventListener('submit', sendReply);
$('reply').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) $('reply-form').requestSubmit();
});
$('note-form').addEventListener('submit', addNote);
$('transfer-form').addEventListener('submit', transfer);
$('return-to-queue').addEventListener('click', returnToQueue);
$('close-form').addEventListener('submit', closeCase);
$('supervisor-refresh').addEventListener('click', () => whileBusy($('supervisor-refresh'), refreshSupervisor));

applyLang(state.lang);
void resumeSession();
