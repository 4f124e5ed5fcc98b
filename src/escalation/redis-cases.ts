// The case queue in Redis. Every key carries the {esc} hash tag, so each script below runs in one slot
// (Redis Cluster too) and is atomic: ten counsellors pressing "take next" at once get ten different cases.
import type { Redis } from 'ioredis';
import { runScript } from '../store/scripts.ts';
import { newCase } from './memory-cases.ts';
import { caseSchema, higher, queueScore, type AuditEntry, type Case, type CaseStore, type NewEscalation, type Outcome, type TakeResult } from './types.ts';

const TAKE = `
local queue, held, leases, prefix = KEYS[1], KEYS[2], KEYS[3], ARGV[1]
local counsellor, capacity, leaseUntil, now = ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]
if redis.call('SCARD', held) >= capacity then return 'full' end
local popped = redis.call('ZPOPMIN', queue)
if #popped == 0 then return 'empty' end
local id = popped[1]
redis.call('HSET', prefix .. 'case:' .. id, 'status', 'held', 'counsellor', counsellor, 'leaseUntil', leaseUntil, 'takenAt', now)
redis.call('SADD', held, id)
redis.call('ZADD', leases, leaseUntil, id)
return id`;

// Back to the queue at the place its score keeps (priority, then first-asked time).
const REQUEUE = `
local prefix, id = ARGV[1], ARGV[2]
local key = prefix .. 'case:' .. id
local counsellor = redis.call('HGET', key, 'counsellor')
if redis.call('HGET', key, 'status') ~= 'held' then return false end
redis.call('HSET', key, 'status', 'queued')
redis.call('HDEL', key, 'counsellor', 'leaseUntil', 'takenAt')
if counsellor then redis.call('SREM', prefix .. 'held:' .. counsellor, id) end
redis.call('ZREM', prefix .. 'leases', id)
redis.call('ZADD', prefix .. 'queue', redis.call('HGET', key, 'score'), id)
return counsellor or ''`;

const HAND_OVER = `
local prefix, id, to, leaseUntil, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local key = prefix .. 'case:' .. id
if redis.call('HGET', key, 'status') ~= 'held' then return 0 end
local from = redis.call('HGET', key, 'counsellor')
if from then redis.call('SREM', prefix .. 'held:' .. from, id) end
redis.call('HSET', key, 'counsellor', to, 'leaseUntil', leaseUntil, 'takenAt', now)
redis.call('SADD', prefix .. 'held:' .. to, id)
redis.call('ZADD', prefix .. 'leases', leaseUntil, id)
return 1`;

const CLOSE = `
local prefix, id, outcome, now, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local key = prefix .. 'case:' .. id
local status = redis.call('HGET', key, 'status')
if status == false or status == 'closed' then return 0 end
local counsellor = redis.call('HGET', key, 'counsellor')
if counsellor then redis.call('SREM', prefix .. 'held:' .. counsellor, id) end
redis.call('ZREM', prefix .. 'queue', id)
redis.call('ZREM', prefix .. 'leases', id)
redis.call('HSET', key, 'status', 'closed', 'outcome', outcome, 'closedAt', now)
redis.call('HDEL', key, 'leaseUntil')
redis.call('DEL', prefix .. 'person:' .. redis.call('HGET', key, 'person'))
redis.call('PEXPIRE', key, ttl)
redis.call('PEXPIRE', prefix .. 'transcript:' .. id, ttl)
return 1`;

const AUDIT_KEEP = 100_000;

export class RedisCaseStore implements CaseStore {
  private readonly redis: Redis;
  /** `<prefix>{esc}:`: every key of the queue shares this hash tag. */
  private readonly k: string;

  constructor(redis: Redis, prefix: string) {
    this.redis = redis;
    this.k = `${prefix}{esc}:`;
  }

  async escalate(input: NewEscalation): Promise<{ case: Case; position: number; created: boolean }> {
    const open = await this.openCaseOf(input.person);
    if (open) {
      const priority = higher(open.priority, input.priority);
      const fields: Record<string, string | number> = {
        priority,
        sealedSummary: input.sealedSummary,
        lastUserAt: Math.max(open.lastUserAt, input.at),
        score: queueScore(priority, open.createdAt),
      };
      if (priority !== open.priority) fields['reason'] = input.reason;
      const tx = this.redis.multi().hset(this.caseKey(open.id), fields);
      if (open.status === 'queued') tx.zadd(`${this.k}queue`, 'XX', queueScore(priority, open.createdAt), open.id);
      await tx.exec();
      const updated = (await this.get(open.id)) ?? open;
      return { case: updated, position: await this.position(updated), created: false };
    }
    const c = newCase(input);
    const id = c.id;
    const score = queueScore(c.priority, c.createdAt);
    // SET NX on the person's key: two escalations racing for one person still open one case.
    const claimed = await this.redis.set(`${this.k}person:${input.person}`, id, 'NX');
    if (!claimed) return this.escalate(input);
    await this.redis
      .multi()
      .hset(this.caseKey(id), { ...c, score })
      .zadd(`${this.k}queue`, score, id)
      .exec();
    return { case: c, position: await this.position(c), created: true };
  }

  async get(id: string): Promise<Case | undefined> {
    const raw = await this.redis.hgetall(this.caseKey(id));
    if (!raw['id']) return undefined;
    const parsed = caseSchema.safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  }

  async openCaseOf(person: string): Promise<Case | undefined> {
    const id = await this.redis.get(`${this.k}person:${person}`);
    return id ? this.get(id) : undefined;
  }

  async queued(): Promise<Case[]> {
    return this.load(await this.redis.zrange(`${this.k}queue`, '0', '-1'));
  }

  async held(counsellor?: string): Promise<Case[]> {
    const ids = counsellor === undefined
      ? await this.redis.zrange(`${this.k}leases`, '0', '-1')
      : await this.redis.smembers(`${this.k}held:${counsellor}`);
    return this.load(ids);
  }

  async takeNext(counsellor: string, capacity: number, leaseMs: number, now: number): Promise<TakeResult> {
    const keys = [`${this.k}queue`, `${this.k}held:${counsellor}`, `${this.k}leases`];
    const res = (await runScript(this.redis, TAKE, keys, [this.k, counsellor, capacity, now + leaseMs, now])) as string;
    if (res === 'full') return { full: true };
    if (res === 'empty') return { empty: true };
    const taken = await this.get(res);
    if (!taken) throw new Error(`case ${res} vanished after it was taken`);
    return { taken };
  }

  async renew(counsellor: string, leaseMs: number, now: number): Promise<void> {
    const ids = await this.redis.smembers(`${this.k}held:${counsellor}`);
    if (ids.length === 0) return;
    const tx = this.redis.multi();
    for (const id of ids) {
      tx.zadd(`${this.k}leases`, 'XX', now + leaseMs, id);
      tx.hset(this.caseKey(id), 'leaseUntil', now + leaseMs);
    }
    await tx.exec();
  }

  async expire(now: number): Promise<Case[]> {
    const ids = await this.redis.zrangebyscore(`${this.k}leases`, '-inf', now);
    const out: Case[] = [];
    for (const id of ids) {
      const before = await this.get(id);
      const res = await runScript(this.redis, REQUEUE, [], [this.k, id]);
      if (res !== null && before) out.push(before);
    }
    return out;
  }

  async transfer(id: string, to: string | undefined, leaseMs: number, now: number): Promise<Case> {
    const res = to === undefined
      ? await runScript(this.redis, REQUEUE, [], [this.k, id])
      : await runScript(this.redis, HAND_OVER, [], [this.k, id, to, now + leaseMs, now]);
    if (res === null || res === 0) throw new Error(`case ${id} is not held`);
    const moved = await this.get(id);
    if (!moved) throw new Error(`case ${id} vanished`);
    return moved;
  }

  async touch(id: string, lastUserAt: number): Promise<void> {
    const c = await this.get(id);
    if (c && lastUserAt > c.lastUserAt) await this.redis.hset(this.caseKey(id), 'lastUserAt', lastUserAt);
  }

  async close(id: string, outcome: Outcome, now: number, retentionMs: number): Promise<Case> {
    if ((await runScript(this.redis, CLOSE, [], [this.k, id, outcome, now, Math.round(retentionMs)])) !== 1) {
      throw new Error(`case ${id} is not open`);
    }
    const closed = await this.get(id);
    if (!closed) throw new Error(`case ${id} vanished`);
    return closed;
  }

  async append(id: string, sealedLine: string): Promise<void> {
    await this.redis.rpush(`${this.k}transcript:${id}`, sealedLine);
  }

  async transcript(id: string): Promise<string[]> {
    return this.redis.lrange(`${this.k}transcript:${id}`, 0, -1);
  }

  async forget(person: string): Promise<string[]> {
    // Closed cases keep no person index: find them by scanning this prefix's cases (rare: /forget only).
    const ids = new Set<string>();
    const open = await this.redis.get(`${this.k}person:${person}`);
    if (open) ids.add(open);
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.k}case:*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) if ((await this.redis.hget(key, 'person')) === person) ids.add(key.slice(`${this.k}case:`.length));
    } while (cursor !== '0');
    for (const id of ids) {
      const c = await this.get(id);
      const tx = this.redis.multi().del(this.caseKey(id), `${this.k}transcript:${id}`).zrem(`${this.k}queue`, id).zrem(`${this.k}leases`, id);
      if (c?.counsellor) tx.srem(`${this.k}held:${c.counsellor}`, id);
      await tx.exec();
    }
    await this.redis.del(`${this.k}person:${person}`);
    return [...ids];
  }

  async audit(entry: AuditEntry): Promise<void> {
    const key = `${this.k}audit`;
    await this.redis.multi().lpush(key, JSON.stringify(entry)).ltrim(key, 0, AUDIT_KEEP - 1).exec();
  }

  async auditLog(limit: number): Promise<AuditEntry[]> {
    const raw = await this.redis.lrange(`${this.k}audit`, 0, limit - 1);
    return raw.map((r) => JSON.parse(r) as AuditEntry);
  }

  async notify(counsellor: string, notice: string): Promise<void> {
    const key = `${this.k}notices:${counsellor}`;
    await this.redis.multi().rpush(key, notice).ltrim(key, -100, -1).pexpire(key, 7 * 86_400_000).exec();
  }

  async takeNotices(counsellor: string): Promise<string[]> {
    const key = `${this.k}notices:${counsellor}`;
    const [[, kept] = [], ] = (await this.redis.multi().lrange(key, 0, -1).del(key).exec()) ?? [];
    return Array.isArray(kept) ? kept.map(String) : [];
  }

  async present(counsellor: string, until: number): Promise<void> {
    await this.redis.zadd(`${this.k}online`, until, counsellor);
  }

  async online(now: number): Promise<string[]> {
    await this.redis.zremrangebyscore(`${this.k}online`, '-inf', now);
    return (await this.redis.zrange(`${this.k}online`, '0', '-1')).sort();
  }

  private caseKey(id: string): string {
    return `${this.k}case:${id}`;
  }

  private async load(ids: string[]): Promise<Case[]> {
    const cases = await Promise.all(ids.map((id) => this.get(id)));
    return cases.filter((c): c is Case => c !== undefined);
  }

  private async position(c: Case): Promise<number> {
    if (c.status !== 'queued') return 0;
    const rank = await this.redis.zrank(`${this.k}queue`, c.id);
    return rank === null ? 0 : rank + 1;
  }
}
