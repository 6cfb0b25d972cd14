/**
 * subscribe() works out a backfill's cursor from the store before its transaction (the store is
 * async, the transaction's change is not). When another /subscribe changes the subscription in
 * between, the cursor is worked out again from what was stored, not from what was read.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import type { SubscriptionRepository } from '../src/adapters/store/subscriptions.ts';
import { type SubscribeRequest, subscribe } from '../src/app/delivery/subscribe.ts';
import { Subscriptions } from '../src/app/delivery/subscriptions.ts';
import { article } from './helpers/articles.ts';

let store: SqliteStore;
let repo: SubscriptionRepository;
beforeEach(() => {
  store = SqliteStore.open(':memory:');
  repo = openBotState(store.db).subscriptions;
});
afterEach(() => store.close());

const request = (fields: Partial<SubscribeRequest>): SubscribeRequest => ({
  guildId: 'g1',
  channel: { id: 'c1', name: 'news', kind: 'text' },
  by: 'editor',
  now: new Date('2026-12-01T10:00:00Z'),
  ...fields,
});

/** The repository, with `meddle` run before each transaction: another admin's change landing just then. */
function racing(meddle: () => Promise<void>): Subscriptions {
  return new Subscriptions({
    get: (key) => repo.get(key),
    put: (sub) => repo.put(sub),
    remove: (key) => repo.remove(key),
    list: (guildId) => repo.list(guildId),
    update: async (key, change) => {
      await meddle();
      return repo.update(key, change);
    },
  });
}

describe('GIVEN a channel subscribed to one source, and articles from two', () => {
  beforeEach(async () => {
    // Stored in this order: Gazette, Wire, Gazette, Wire.
    for (const [i, source] of ['Coast Gazette', 'Wire', 'Coast Gazette', 'Wire'].entries())
      await store.upsert(article({ title: `Harbour news ${i}`, source, text: `Day ${i} at the harbour.` }));
    await subscribe(new Subscriptions(repo), store, request({ source: 'Wire', backfill: 'none' }));
  });

  it('THEN a backfill asked for while another admin changes the source is counted in the new source', async () => {
    let changed = false;
    const subs = racing(async () => {
      if (changed) return;
      changed = true;
      await subscribe(new Subscriptions(repo), store, request({ source: 'Coast Gazette' }));
    });
    const { after } = await subscribe(subs, store, request({ backfill: 'latest 1' }));
    const gazette = (await store.positions.after(0, 10)).filter((p) => p.source === 'Coast Gazette');
    expect(after.source).toBe('Coast Gazette');
    // Just before the latest Gazette article, so that it is posted; the Wire's latest would have skipped it.
    expect(after.cursor).toBe((gazette.at(-1)?.position ?? 0) - 1);
    expect(after.backfill).toEqual({ kind: 'latest', count: 1 });
  });

  it('THEN a subscription that changes before every try is given up on, naming the channel', async () => {
    let flip = false;
    const subs = racing(async () => {
      flip = !flip;
      await subscribe(new Subscriptions(repo), store, request({ source: flip ? 'Coast Gazette' : 'Wire' }));
    });
    await expect(subscribe(subs, store, request({ backfill: 'latest 1' }))).rejects.toThrow(
      'subscribe: the subscription of channel c1 kept changing while it was being written (5 tries)',
    );
  });

  it('THEN a change that leaves the cursor as worked out needs no second try', async () => {
    let meddled = 0;
    const subs = racing(async () => {
      meddled++;
      // The same source again: nothing the cursor depends on changes.
      await subscribe(new Subscriptions(repo), store, request({ source: 'Wire' }));
    });
    const { after } = await subscribe(subs, store, request({ backfill: 'latest 1' }));
    const wire = (await store.positions.after(0, 10)).filter((p) => p.source === 'Wire');
    expect(meddled).toBe(1);
    expect(after.cursor).toBe((wire.at(-1)?.position ?? 0) - 1);
  });
});
