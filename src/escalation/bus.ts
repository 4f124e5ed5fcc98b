// Live events for consoles. Every server process publishes and hears them (Redis pub/sub), so a console
// connected to one process sees a message that arrived through another.
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { z } from 'zod';

export const lineSchema = z.object({
  at: z.number(),
  from: z.enum(['person', 'counsellor', 'bot', 'system', 'note']),
  text: z.string(),
  by: z.string().optional(),
});
export type Line = z.infer<typeof lineSchema>;

export const deskEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('queue') }),
  z.object({ type: z.literal('message'), caseId: z.string(), counsellor: z.string().optional(), line: lineSchema }),
  z.object({ type: z.literal('returned'), caseId: z.string(), counsellor: z.string() }),
  z.object({ type: z.literal('assigned'), caseId: z.string(), counsellor: z.string() }),
  z.object({ type: z.literal('closed'), caseId: z.string(), counsellor: z.string() }),
  z.object({ type: z.literal('undeliverable'), caseId: z.string(), counsellor: z.string(), reason: z.string() }),
]);
export type DeskEvent = z.infer<typeof deskEventSchema>;

export interface Bus {
  publish(event: DeskEvent): Promise<void>;
  subscribe(listener: (event: DeskEvent) => void): () => void;
  close(): Promise<void>;
}

export class MemoryBus implements Bus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  async publish(event: DeskEvent): Promise<void> {
    this.emitter.emit('event', event);
  }

  subscribe(listener: (event: DeskEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

export class RedisBus implements Bus {
  private readonly redis: Redis;
  private readonly channel: string;
  private readonly local = new MemoryBus();
  private subscriber: Redis | undefined;

  constructor(redis: Redis, prefix: string) {
    this.redis = redis;
    this.channel = `${prefix}desk-events`;
  }

  async publish(event: DeskEvent): Promise<void> {
    await this.redis.publish(this.channel, JSON.stringify(event));
  }

  subscribe(listener: (event: DeskEvent) => void): () => void {
    if (!this.subscriber) {
      const sub = this.redis.duplicate();
      this.subscriber = sub;
      void sub.subscribe(this.channel);
      sub.on('message', (_channel: string, raw: string) => {
        try {
          const parsed = deskEventSchema.safeParse(JSON.parse(raw));
          if (parsed.success) void this.local.publish(parsed.data);
        } catch {
          // not ours: ignore
        }
      });
    }
    return this.local.subscribe(listener);
  }

  async close(): Promise<void> {
    this.subscriber?.disconnect();
    await this.local.close();
  }
}
