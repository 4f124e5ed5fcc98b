// The broadcast composer: preview the audience, schedule, and follow progress (sent, failed, remaining).
// Its words come from the page's config block, in the language the server rendered the page in.
let csrf = '';
const $ = (id) => document.getElementById(id);
const form = $('compose');
const config = JSON.parse($('broadcasts-config').textContent);
const s = (key) => config.strings[key] ?? key;

async function api(method, path, body) {
  const res = await fetch(`/console/api${path}`, {
    method,
    headers: method === 'POST' ? { 'content-type': 'application/json', 'x-csrf-token': csrf } : {},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json();
  if (res.status === 401) location.assign('/console');
  if (!res.ok) throw new Error(data.error ?? res.statusText);
  return data;
}

function chosen(name) {
  return [...form.querySelectorAll(`input[name=${name}]:checked`)].map((i) => i.value);
}

function input() {
  const langs = chosen('lang');
  const texts = {};
  for (const lang of langs) {
    const text = form.elements[`text-${lang}`].value.trim();
    if (text) texts[lang] = text;
  }
  const at = form.elements.at.value ? new Date(form.elements.at.value).toISOString() : '';
  return { texts, langs, channels: chosen('channel'), at };
}

$('preview').addEventListener('click', async () => {
  $('error').textContent = '';
  try {
    const { langs, channels } = input();
    const p = await api('POST', '/broadcasts/preview', { langs, channels });
    $('preview-result').textContent = `${s('reaches')} ${p.reachable} ${s('people')} · ${s('unreachable')} ${p.unreachable}`;
  } catch (e) {
    $('error').textContent = e.message;
  }
});

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  $('error').textContent = '';
  try {
    await api('POST', '/broadcasts', input());
    form.reset();
    await refresh();
  } catch (err) {
    $('error').textContent = err.message;
  }
});

async function refresh() {
  const { broadcasts } = await api('GET', '/broadcasts');
  $('list').replaceChildren(
    ...broadcasts.map((b) => {
      const li = document.createElement('li');
      li.dataset.testid = 'broadcast';
      li.dataset.status = b.status;
      const remaining = Math.max(0, b.total - b.queued - b.failed);
      const counts = `${s('sent')} ${b.queued}, ${s('failed')} ${b.failed}, ${s('remaining')} ${b.status === 'scheduled' ? '—' : remaining}, ${s('cannot_reach')} ${b.unreachable}`;
      li.textContent = `${new Date(b.at).toLocaleString(config.lang, { calendar: 'gregory', numberingSystem: 'latn' })} · ${b.langs.join('/')} · ${b.channels.join('/')} · ${s(`status_${b.status}`)} · ${counts} · "${(b.texts[config.lang] ?? b.texts.en ?? b.texts.lo ?? b.texts.th ?? '').slice(0, 60)}"`;
      return li;
    }),
  );
}

const me = await fetch('/console/api/me');
if (me.status !== 200) location.assign('/console');
else {
  csrf = (await me.json()).csrf;
  await refresh();
  setInterval(() => void refresh(), 2000);
}
