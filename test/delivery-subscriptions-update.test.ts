/** Changes to one subscription from two callers at once (a run's update and a /subscribe) both land. */
import { describe, expect, it } from 'vitest';
import { type Subscription, Subscriptions } from '../src/app/delivery/subscriptions.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import { ArticleStore } from '../src/adapters/store/store.ts';

const at = '2026-12-01T06:00:00.000Z';
const sub: Subscription = {
  guildId: '1',
  channelId: '2',
  kind: 'text',
  channelName: 'news',
  source: null,
  keywords: null,
  backfill: { kind: 'none' },
  cursor: 10,
  checkedAt: at,
  createdAt: at,
  createdBy: 'test',
  paused: null,
  posted: 0,
  lastPostedAt: null,
  lastRunAt: null,
  lastError: null,
};

describe('GIVEN one subscription in its SQLite table', () => {
  it('THEN twenty updates started together are each applied to what the one before wrote', async () => {
    const store = ArticleStore.open(':memory:');
    try {
      const subs = new Subscriptions(openBotState(store.db).subscriptions);
      await subs.put(sub);
      await Promise.all(Array.from({ length: 20 }, () => subs.update(sub, (s) => ({ ...s, posted: s.posted + 1 }))));
      expect((await subs.get(sub.guildId, sub.channelId))?.posted).toBe(20);
      // A change that throws does not stop the ones queued after it.
      const failed = subs.update(sub, () => {
        throw new Error('planning failed');
      });
      const after = subs.update(sub, (s) => ({ ...s, posted: s.posted + 1 }));
      await expect(failed).rejects.toThrow('planning failed');
      expect((await after)?.posted).toBe(21);
    } finally {
      store.close();
    }
  });
});
