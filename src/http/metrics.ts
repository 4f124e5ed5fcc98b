import { timingSafeEqual } from 'node:crypto';
import type { Route } from './server.ts';

// Counters for operators, in the Prometheus text format. Labels are channel names and outcomes only:
// never ids or texts.
export class Metrics {
  private readonly counters = new Map<string, { help: string; values: Map<string, number> }>();

  inc(name: string, help: string, labels: Record<string, string> = {}, by = 1): void {
    let counter = this.counters.get(name);
    if (!counter) {
      counter = { help, values: new Map() };
      this.counters.set(name, counter);
    }
    const key = Object.entries(labels)
      .map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`)
      .join(',');
    counter.values.set(key, (counter.values.get(key) ?? 0) + by);
  }

  get(name: string, labels: Record<string, string> = {}): number {
    const key = Object.entries(labels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(',');
    return this.counters.get(name)?.values.get(key) ?? 0;
  }

  render(): string {
    const lines: string[] = [];
    for (const [name, { help, values }] of this.counters) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const [labels, value] of values) lines.push(`${name}${labels ? `{${labels}}` : ''} ${value}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

/** GET /metrics for Prometheus, behind a bearer token (the counters say how busy the hotline is). */
export function metricsRoute(metrics: Metrics, token: string): Route {
  const expected = Buffer.from(`Bearer ${token}`);
  return {
    method: 'GET',
    path: '/metrics',
    handler: (req) => {
      const given = Buffer.from(req.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return { status: 401, body: 'unauthorized', headers: { 'www-authenticate': 'Bearer' } };
      }
      return { status: 200, body: metrics.render(), type: 'text/plain; version=0.0.4; charset=utf-8' };
    },
  };
}
