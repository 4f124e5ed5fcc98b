// The recorder: every method lands in the store and in Prometheus, only fixed words become labels, and a
// failing store never reaches the caller.
import { describe, expect, it } from 'vitest';
import { Analytics, within } from '../../src/analytics/recorder.ts';
import { MemoryAnalyticsStore, type AnalyticsStore } from '../../src/analytics/store.ts';
import { Metrics } from '../../src/http/metrics.ts';
import { createLogger } from '../../src/log.ts';

// 2025-05-30 20:00 UTC: already the 31st at the desk in Vientiane.
const NOW = Date.UTC(2025, 4, 30, 20, 0);
const DAY = '2025-05-31';

function setup(store: AnalyticsStore = new MemoryAnalyticsStore({ now: () => NOW })) {
  const logs: string[] = [];
  const metrics = new Metrics();
  const analytics = new Analytics({
    store,
    timeZone: 'Asia/Vientiane',
    log: createLogger('debug', (l) => logs.push(l)),
    metrics,
    flows: ['job-check', 'safe-migration', 'get-help'],
    now: () => NOW,
  });
  return { analytics, store, metrics, logs };
}

const counters = async (store: AnalyticsStore) => (await store.read([DAY]))[0]?.counters ?? [];

describe('Analytics recorder', () => {
  it('counts every kind of event on the desk’s day, in the store and in Prometheus', async () => {
    const { analytics, store, metrics } = setup();
    await analytics.conversationStarted('lo', 'telegram');
    await analytics.conversationStarted('lo', 'telegram');
    await analytics.conversationStarted('th', 'webchat');
    await analytics.flowCompleted('job-check');
    await analytics.riskResult('high');
    await analytics.escalated('urgent', 'messenger');
    await analytics.waited(42.4);
    await analytics.waited(90);
    await analytics.closed('referred');
    await analytics.optedIn('tips');
    await analytics.optedOut('checkins');

    expect(await counters(store)).toEqual([
      { name: 'closed', labels: { outcome: 'referred' }, value: 1 },
      { name: 'conversations', labels: { channel: 'telegram', lang: 'lo' }, value: 2 },
      { name: 'conversations', labels: { channel: 'webchat', lang: 'th' }, value: 1 },
      { name: 'escalations', labels: { channel: 'messenger', priority: 'urgent' }, value: 1 },
      { name: 'flow_completed', labels: { flow: 'job-check' }, value: 1 },
      { name: 'opt_in', labels: { kind: 'tips' }, value: 1 },
      { name: 'opt_out', labels: { kind: 'checkins' }, value: 1 },
      { name: 'risk', labels: { risk: 'high' }, value: 1 },
    ]);
    expect((await store.read([DAY]))[0]?.observations).toEqual({ wait_seconds: [42, 90] });
    expect((await store.read(['2025-05-30']))[0]?.counters).toEqual([]);

    expect(metrics.get('hotline_conversations_total', { lang: 'lo', channel: 'telegram' })).toBe(2);
    expect(metrics.get('hotline_flow_completions_total', { flow: 'job-check' })).toBe(1);
    expect(metrics.get('hotline_risk_results_total', { risk: 'high' })).toBe(1);
    expect(metrics.get('hotline_escalations_total', { priority: 'urgent', channel: 'messenger' })).toBe(1);
    expect(metrics.get('hotline_queue_waits_total')).toBe(2);
    expect(metrics.get('hotline_queue_wait_seconds_total')).toBe(132);
    expect(metrics.get('hotline_cases_closed_total', { outcome: 'referred' })).toBe(1);
    expect(metrics.get('hotline_opt_ins_total', { kind: 'tips' })).toBe(1);
    expect(metrics.get('hotline_opt_outs_total', { kind: 'checkins' })).toBe(1);
    const text = metrics.render();
    expect(text).toContain('# TYPE hotline_conversations_total counter');
    for (const line of text.split('\n').filter((l) => l.startsWith('hotline_'))) expect(line.split(' ')[0]).toMatch(/^hotline_[a-z_]+_total(\{.*\})?$/);
  });

  it('puts anything outside the vocabularies down as "other": no id, text or number becomes a label', async () => {
    const { analytics, store, metrics } = setup();
    const sneaky = ['+8562055512345', 'tg:123456789', 'they took my passport', 'LO', 'fr', '', 'lo|x=y', '__proto__'];
    for (const s of sneaky) {
      await analytics.conversationStarted(s, s);
      await analytics.flowCompleted(s);
      await analytics.riskResult(s);
      await analytics.escalated(s, s);
      await analytics.closed(s);
      await analytics.optedIn(s as 'tips');
      await analytics.optedOut(s as 'checkins');
    }
    const n = sneaky.length;
    expect(await counters(store)).toEqual([
      { name: 'closed', labels: { outcome: 'other' }, value: n },
      { name: 'conversations', labels: { channel: 'other', lang: 'other' }, value: n },
      { name: 'escalations', labels: { channel: 'other', priority: 'other' }, value: n },
      { name: 'flow_completed', labels: { flow: 'other' }, value: n },
      { name: 'opt_in', labels: { kind: 'other' }, value: n },
      { name: 'opt_out', labels: { kind: 'other' }, value: n },
      { name: 'risk', labels: { risk: 'other' }, value: n },
    ]);
    const text = metrics.render();
    for (const s of sneaky.filter(Boolean)) expect(text).not.toContain(s);
    // A flow id outside the recorder's list is "other" too; the list defaults to the real flows.
    expect(within(['a', 'b'], 'a')).toBe('a');
    expect(within(['a', 'b'], undefined)).toBe('other');
  });

  it('knows the real flows by default', async () => {
    const store = new MemoryAnalyticsStore({ now: () => NOW });
    const analytics = new Analytics({ store, timeZone: 'Asia/Vientiane', log: createLogger('silent'), now: () => NOW });
    await analytics.flowCompleted('job-check');
    await analytics.flowCompleted('no-such-flow');
    expect(await counters(store)).toEqual([
      { name: 'flow_completed', labels: { flow: 'job-check' }, value: 1 },
      { name: 'flow_completed', labels: { flow: 'other' }, value: 1 },
    ]);
  });

  it('ignores a wait that is not a wait', async () => {
    const { analytics, store, metrics, logs } = setup();
    for (const bad of [Number.NaN, -5, Number.POSITIVE_INFINITY, 40 * 86_400]) await analytics.waited(bad);
    expect((await store.read([DAY]))[0]?.observations).toEqual({});
    expect(metrics.get('hotline_queue_waits_total')).toBe(0);
    expect(logs.join('')).toContain('wait out of range');
  });

  it('swallows and logs store failures: every method resolves', async () => {
    const broken: AnalyticsStore = {
      incr: () => Promise.reject(new Error('connection is closed')),
      observe: () => Promise.reject(new Error('connection is closed')),
      read: () => Promise.reject(new Error('connection is closed')),
    };
    const { analytics, logs, metrics } = setup(broken);
    await expect(analytics.conversationStarted('lo', 'telegram')).resolves.toBeUndefined();
    await expect(analytics.flowCompleted('job-check')).resolves.toBeUndefined();
    await expect(analytics.riskResult('low')).resolves.toBeUndefined();
    await expect(analytics.escalated('high', 'webchat')).resolves.toBeUndefined();
    await expect(analytics.waited(10)).resolves.toBeUndefined();
    await expect(analytics.closed('no_contact')).resolves.toBeUndefined();
    await expect(analytics.optedIn('tips')).resolves.toBeUndefined();
    await expect(analytics.optedOut('tips')).resolves.toBeUndefined();
    const lines = logs.map((l) => JSON.parse(l) as { level: string; msg: string; event: string; error: string });
    expect(lines).toHaveLength(8);
    expect(lines.every((l) => l.level === 'warn' && l.msg === 'analytics not recorded' && l.error === 'connection is closed')).toBe(true);
    expect(lines.map((l) => l.event)).toContain('escalated');
    // Prometheus still counts: it lives in the process.
    expect(metrics.get('hotline_conversations_total', { lang: 'lo', channel: 'telegram' })).toBe(1);

    // Even a store that throws before returning a promise, or a bad time zone.
    const throwing: AnalyticsStore = {
      incr: () => {
        throw new Error('sync failure');
      },
      observe: () => {
        throw new Error('sync failure');
      },
      read: () => Promise.resolve([]),
    };
    await expect(setup(throwing).analytics.closed('referred')).resolves.toBeUndefined();
    const badZone = new Analytics({ store: new MemoryAnalyticsStore(), timeZone: 'Not/AZone', log: createLogger('silent') });
    await expect(badZone.conversationStarted('lo', 'telegram')).resolves.toBeUndefined();
  });
});
