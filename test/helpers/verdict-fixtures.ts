/**
 * What the verdict tests (test/verdict.test.ts, test/verdict-runs.test.ts) share: their clock, a
 * dated harbour article, and the subscription they run.
 */
import type { Article } from '../../src/core/model.ts';
import type { Subscription } from '../../src/core/state.ts';
import type { SubscriptionOptions } from '../../src/core/subscription-options.ts';
import { article } from './articles.ts';
import { subscriptionFixture } from './subscription-fixture.ts';

export const NOON = new Date('2026-12-01T12:00:00Z');

export function harbour(i: number, publishedAt: string | null = `2026-12-01T0${i}:00:00Z`): Article {
  return article({ title: `Harbour news ${i}`, source: 'Coast Gazette', text: `The harbour opened berth ${i} on Monday.`, publishedAt });
}

/** The subscription these tests run: every article of the store from the start, with `options`. */
export function subscription(options: SubscriptionOptions = {}, extra: Partial<Subscription> = {}): Subscription {
  return subscriptionFixture({
    guildId: '100',
    channelId: '200',
    backfill: { kind: 'all' },
    checkedAt: '2026-12-01T00:00:00Z',
    createdAt: '2026-12-01T00:00:00Z',
    options,
    ...extra,
  });
}
