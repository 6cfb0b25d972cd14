/**
 * /subscribe's count and backfill read the filter with the request's clock, as a run does: a
 * relative date (`published > 12h`) counts back from the request's `now`, not from the wall clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import { countWaiting, subscribe } from '../src/app/delivery/subscribe.ts';
import { Subscriptions } from '../src/app/delivery/subscriptions.ts';
import { article } from './helpers/articles.ts';

describe('GIVEN articles published in 2018 and a request made then', () => {
  let store: SqliteStore;
  beforeAll(async () => {
    store = SqliteStore.open(':memory:');
    await store.upsert(article({ title: 'Harbour reopens', publishedAt: '2018-02-02T06:00:00Z' }));
    await store.upsert(article({ title: 'Harbour closed for the storm', publishedAt: '2018-01-20T06:00:00Z' }));
  });
  afterAll(() => store.close());

  it('THEN published > 12h counts the article of that morning, though it is years old by the wall clock', async () => {
    const subs = new Subscriptions(openBotState(store.db).subscriptions);
    const { after, filter } = await subscribe(subs, store, {
      guildId: 'g1',
      channel: { id: 'c1', name: 'news', kind: 'text' },
      filter: 'published > 12h',
      backfill: 'all',
      by: 'editor',
      now: new Date('2018-02-02T12:00:00Z'),
    });
    expect(await countWaiting(store, after, filter, after.cursor)).toBe(1);
  });
});
