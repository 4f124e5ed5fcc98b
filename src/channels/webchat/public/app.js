// The web chat page. Plain JavaScript, no build step. Texts are put in with textContent only.
const config = JSON.parse(document.getElementById('webchat-config').textContent);
const log = document.getElementById('log');
const form = document.getElementById('composer');
const input = document.getElementById('message');
const STORE = 'hotline-webchat';

// sessionStorage, not localStorage: the chat is gone when the tab closes, and quick exit wipes it at once.
let saved = readSaved();
function readSaved() {
  try {
    const value = JSON.parse(sessionStorage.getItem(STORE) ?? 'null');
    if (value && typeof value.session === 'string' && Array.isArray(value.items)) return value;
  } catch {
    // a broken record starts a new chat
  }
  return { session: crypto.randomUUID(), lang: null, items: [] };
}
function persist() {
  sessionStorage.setItem(STORE, JSON.stringify(saved));
}

function applyLang(lang) {
  const strings = config.strings[lang];
  if (!strings) return;
  document.documentElement.lang = lang;
  document.title = strings.title;
  document.getElementById('title').textContent = strings.title;
  document.getElementById('quick-exit').textContent = strings.exit;
  document.getElementById('send').textContent = strings.send;
  input.placeholder = strings.placeholder;
  document.getElementById('message-label').textContent = strings.placeholder;
}

function show(item) {
  const bubble = document.createElement('div');
  bubble.className = `msg ${item.from}`;
  bubble.textContent = item.text;
  if (item.buttons?.length) {
    const row = document.createElement('div');
    row.className = 'buttons';
    for (const b of item.buttons) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = b.label;
      button.addEventListener('click', () => send({ payload: b.payload }, b.label));
      row.append(button);
    }
    bubble.append(row);
  }
  log.append(bubble);
  bubble.scrollIntoView({ block: 'end' });
}

function record(item) {
  saved.items.push(item);
  persist();
  show(item);
}

let busy = Promise.resolve();
function send(message, echo) {
  busy = busy.then(() => post(message, echo));
  return busy;
}

async function post(message, echo) {
  if (echo) record({ from: 'me', text: echo });
  const body = { session: saved.session, lang: navigator.language, ...message };
  try {
    const res = await fetch('/webchat/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const data = await res.json();
    if (!res.ok) throw new Error(data.error ?? res.statusText);
    for (const event of data.events) {
      if (event.type === 'message') record({ from: 'bot', text: event.text, buttons: event.buttons });
    }
    if (data.lang && data.lang !== saved.lang) {
      saved.lang = data.lang;
      persist();
      applyLang(data.lang);
    }
  } catch {
    const strings = config.strings[saved.lang ?? config.lang];
    const note = document.createElement('div');
    note.className = 'notice';
    note.textContent = strings.offline;
    log.append(note);
  }
}

// A counsellor's replies arrive between the person's own messages: ask for them every few seconds.
async function collectUpdates() {
  try {
    const res = await fetch(`/webchat/api/updates?session=${encodeURIComponent(saved.session)}`);
    if (!res.ok) return;
    const data = await res.json();
    for (const event of data.events) {
      if (event.type === 'message') record({ from: 'bot', text: event.text, buttons: event.buttons });
    }
  } catch {
    // offline for a moment: the next round tries again
  }
}
setInterval(() => {
  busy = busy.then(collectUpdates);
}, 3000);

function quickExit() {
  log.replaceChildren();
  input.value = '';
  try {
    sessionStorage.clear();
    localStorage.clear();
  } catch {
    // storage may be blocked; the page is cleared either way
  }
  // replace(), not assign(): the Back button must not come back to the chat.
  location.replace(config.exitUrl);
}

document.getElementById('quick-exit').addEventListener('click', quickExit);
let escapes = 0;
document.addEventListener('keydown', (e) => {
  if (e.key !== 'Escape') return;
  escapes += 1;
  if (escapes >= 2) quickExit();
  setTimeout(() => (escapes = 0), 1500);
});

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  send({ text }, text);
});
input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey) {
    e.preventDefault();
    form.requestSubmit();
  }
});

applyLang(saved.lang ?? config.lang);
if (saved.items.length) for (const item of saved.items) show(item);
else send({ text: '' });
