import { personKey } from '../conversation/service.ts';
import { shardOf, type InboxStore } from './inbox-store.ts';
import type { Inbox, InboxItem } from './types.ts';

/** What webhooks call: the item goes to its person's shard, keyed for deduplication per channel. */
export class ShardedInbox implements Inbox {
  private readonly store: InboxStore;

  constructor(store: InboxStore) {
    this.store = store;
  }

  accept(item: InboxItem, dedupeId: string): Promise<'stored' | 'duplicate'> {
    const shard = shardOf(personKey(item.channel, item.userId), this.store.shards);
    return this.store.append(shard, `${item.channel}:${dedupeId}`, JSON.stringify(item));
  }
}
