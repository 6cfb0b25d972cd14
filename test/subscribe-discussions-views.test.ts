/**
 * /subscriptions as a view: the discussions option shown on the subscriptions that have it and not on
 * the others, and times to the minute (08:00 once showed as "08": showTime took its `:00` for seconds).
 */
import { describe, expect, it } from 'vitest';
import { subscriptionsView } from '../commands/subscriptions.ts';
import type { Subscription } from '../src/core/state.ts';

const sub: Subscription = {
  guildId: '1',
  channelId: '20',
  kind: 'text',
  channelName: 'news',
  source: null,
  keywords: null,
  backfill: { kind: 'none' },
  cursor: 4,
  checkedAt: '2026-12-01T08:00:00.000Z',
  createdAt: '2026-11-30T12:00:00.000Z',
  createdBy: 'editor',
  paused: null,
  posted: 2,
  lastPostedAt: '2026-12-01T08:00:41.512Z',
  lastRunAt: '2026-12-01T08:00:41.512Z',
  lastError: null,
};

describe('GIVEN subscriptions with the discussions option on, off and never given', () => {
  it('THEN only the one with it on says discussions are followed, and times show hours and minutes', () => {
    const subs = [
      { ...sub, followDiscussions: true },
      { ...sub, channelId: '21', channelName: 'off', followDiscussions: false, paused: { reason: 'Missing Access', at: '2026-12-01T09:00:00.000Z' } },
      { ...sub, channelId: '22', channelName: 'older' },
    ];
    const values = (subscriptionsView(subs, null).embeds?.[0]?.fields ?? []).map((f) => f.value);
    expect(values.map((v) => v.split('\n')[0])).toEqual([
      '<#20> (text): every article; backfill none; discussions followed',
      '<#21> (text): every article; backfill none',
      '<#22> (text): every article; backfill none',
    ]);
    expect(values[0]).toContain('Posted 2 articles, last at 2026-12-01 08:00 UTC.');
    expect(values[1]).toContain('⏸ **Paused** since 2026-12-01 09:00 UTC: Missing Access.');
  });
});
