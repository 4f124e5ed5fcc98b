// Jobs due at a time (tips, later check-ins): a sorted set by time and the jobs' payloads. Every process
// ticks; a job is claimed by exactly one of them.
import type { Redis } from 'ioredis';
import { runScript } from '../store/scripts.ts';

export interface ScheduleStore {
  /** Adds or moves a job. */
  put(id: string, at: number, payload: string): Promise<void>;
  cancel(id: string): Promise<void>;
  /** Takes out, atomically, up to `limit` jobs due by `now`. */
  claimDue(now: number, limit: number): Promise<{ id: string; payload: string }[]>;
}

const CLAIM = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
local out = {}
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[1], id)
  local payload = redis.call('HGET', KEYS[2], id)
  redis.call('HDEL', KEYS[2], id)
  if payload then table.insert(out, id); table.insert(out, payload) end
end
return out`;

export class RedisScheduleStore implements ScheduleStore {
  private readonly redis: Redis;
  private readonly due: string;
  private readonly jobs: string;

  constructor(redis: Redis, prefix: string) {
    this.redis = redis;
    this.due = `${prefix}{sched}:due`;
    this.jobs = `${prefix}{sched}:jobs`;
  }

  async put(id: string, at: number, payload: string): Promise<void> {
    await this.redis.multi().zadd(this.due, at, id).hset(this.jobs, id, payload).exec();
  }

  async cancel(id: string): Promise<void> {
    await this.redis.multi().zrem(this.due, id).hdel(this.jobs, id).exec();
  }

  async claimDue(now: number, limit: number): Promise<{ id: string; payload: string }[]> {
    const flat = (await runScript(this.redis, CLAIM, [this.due, this.jobs], [now, limit])) as string[];
    const out: { id: string; payload: string }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) out.push({ id: flat[i] ?? '', payload: flat[i + 1] ?? '' });
    return out;
  }
}

export class MemoryScheduleStore implements ScheduleStore {
  private readonly jobs = new Map<string, { at: number; payload: string }>();

  async put(id: string, at: number, payload: string): Promise<void> {
    this.jobs.set(id, { at, payload });
  }

  async cancel(id: string): Promise<void> {
    this.jobs.delete(id);
  }

  async claimDue(now: number, limit: number): Promise<{ id: string; payload: string }[]> {
    const due = [...this.jobs].filter(([, j]) => j.at <= now).sort((a, b) => a[1].at - b[1].at).slice(0, limit);
    for (const [id] of due) this.jobs.delete(id);
    return due.map(([id, j]) => ({ id, payload: j.payload }));
  }
}
