/**
 * One Subscription for tests, written out once: a text channel taking every source with no filter,
 * nothing posted yet, created 2026-11-01. A test names only what it is about.
 *
 * @example subscriptionFixture({ guildId: '10', channelId: '11', source: 'Harbour' })
 */
import type { Subscription } from '../../src/core/state.ts';

const CREATED = '2026-11-01T00:00:00.000Z';

export function subscriptionFixture(overrides: Partial<Subscription> = {}): Subscription {
  return {
    guildId: '1',
    channelId: '2',
    kind: 'text',
    channelName: 'news',
    source: null,
    keywords: null,
    backfill: { kind: 'none' },
    cursor: 0,
    checkedAt: CREATED,
    createdAt: CREATED,
    createdBy: 'test',
    paused: null,
    posted: 0,
    lastPostedAt: null,
    lastRunAt: null,
    lastError: null,
    ...overrides,
  };
}
