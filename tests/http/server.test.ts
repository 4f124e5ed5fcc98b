import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/main.ts';
import { startTestServer } from '../helpers/server.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ QUICK_EXIT_URL: 'https://example.org/weather' });
});
afterAll(() => server.close());

const session = '3f1c2b9e-8d4a-4f6b-9c2d-1a2b3c4d5e6f';
const post = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(`${server.url}/webchat/api/messages`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('http server', () => {
  it('answers GET /healthz with 200', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('serves the chat page with its config, the quick-exit address and strict security headers', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const html = await res.text();
    expect(html).toContain('https://example.org/weather');
    expect(html).toContain('id="quick-exit"');
    expect(html).not.toMatch(/\{\{\w+\}\}/);
    expect((await fetch(`${server.url}/webchat/app.js`)).headers.get('content-type')).toContain('javascript');
  });

  it('runs a conversation over the JSON endpoint', async () => {
    const first = await post({ session, text: '', lang: 'en-US' });
    expect(first.status).toBe(200);
    const data = (await first.json()) as { lang: string; events: { type: string; text: string; buttons: { payload: string; label: string }[] }[] };
    expect(data.lang).toBe('en');
    const english = data.events.at(-1)?.buttons.find((b) => b.label === 'English');
    const second = (await (await post({ session, payload: english?.payload })).json()) as typeof data;
    expect(second.events.at(-1)?.buttons.map((b) => b.label)).toContain('🆘 Get help now');
  });

  it.each([
    ['invalid JSON', '{"session":', 400],
    ['a session that is not a UUID', { session: 'x', text: 'hi' }, 400],
    ['an unknown field', { session, text: 'hi', admin: true }, 400],
    ['an oversized payload', { session, payload: 'p'.repeat(65) }, 400],
    ['a body over 64 KiB', { session, text: 'a'.repeat(70_000) }, 413],
  ])('refuses %s with a 4xx and a clear error', async (_name, body, status) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: string }).error.length).toBeGreaterThan(0);
  });

  it('refuses a body that is not JSON, unknown paths and wrong methods', async () => {
    expect((await post('session=1', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    const wrong = await fetch(`${server.url}/healthz`, { method: 'POST' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
  });

  it('leaves no session behind for a refused request', async () => {
    const fresh = '11111111-2222-4333-8444-555555555555';
    expect((await post({ session: fresh, text: 'hi', extra: 1 })).status).toBe(400);
    // A new session answers with the greeting: the refused request stored nothing.
    const data = (await (await post({ session: fresh, text: 'hi', lang: 'en' })).json()) as { events: { text: string }[] };
    expect(data.events[0]?.text).toContain('Hello!');
  });
});
