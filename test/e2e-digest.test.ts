/**
 * End to end: the real bot (discord.js client, scheduled delivery job) against the local Discord,
 * with the clock faked so that the schedule's minutes come when the test says. A subscription with a
 * daily digest at 08:00 Europe/Berlin gets its articles posted with their threads as usual, and at
 * 08:00 one digest linking to those threads; the runs after it post no second one.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { article, comment } from './helpers/articles.ts';
import { type Harness, startHarness } from './helpers/bot.ts';
import { subscriptionFixture } from './helpers/subscription-fixture.ts';

let h: Harness | undefined;
afterAll(async () => {
  // The bot stops on real timers.
  vi.useRealTimers();
  await h?.close();
});

const at = (iso: string) => ({ postedAt: iso });

describe('GIVEN a subscription with a daily digest at 08:00 in Europe/Berlin and the delivery job every minute', () => {
  it('THEN the digest posts at 08:00 local (07:00 UTC in winter), once, ranked by discussion, linking each thread, pinging no one', async () => {
    // node-cron's clock is the test's; Discord, the gateway and the store stay real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(new Date('2026-11-30T06:58:30Z'));
    const harness = await startHarness({ delivery: { cron: '* * * * *' } });
    h = harness;
    const quiet = article({
      title: 'Harbour dues unchanged',
      text: 'The harbour board kept its dues for next year. Fishing boats pay the same as before.',
      publishedAt: '2026-11-29T09:00:00Z',
      comments: [comment(1, 'Good.', at('2026-11-29T10:00:00Z'))],
    });
    const lively = article({
      title: 'Ferry moves to the north pier',
      text: 'The ferry leaves from the north pier from Monday. The old quay closes for repairs @everyone should know.\n\nRepairs take until March.',
      publishedAt: '2026-11-29T15:00:00Z',
      comments: [
        comment(1, 'Repairs take until March.\n\nToo long.', { ...at('2026-11-29T16:00:00Z'), quotes: [{ paragraph: 0, block: 1 }] }),
        comment(2, 'Repairs take until March.\n\nFine by me.', { ...at('2026-11-29T17:00:00Z'), quotes: [{ paragraph: 0, block: 1 }] }),
        comment(3, 'Which pier again?', at('2026-11-30T05:00:00Z')),
      ],
    });
    const outside = article({ title: 'Last week’s storm', publishedAt: '2026-11-20T12:00:00Z', comments: [comment(1, 'Wild.', at('2026-11-29T12:00:00Z'))] });
    for (const a of [quiet, lively, outside]) await harness.store.upsert(a);
    const state = harness.botOptions.state;
    const sub = subscriptionFixture({
      guildId: harness.guildId,
      channelId: harness.channelId,
      backfill: { kind: 'all' },
      checkedAt: '2026-11-29T12:00:00.000Z',
      createdAt: '2026-11-29T12:00:00.000Z',
      options: { digest: { every: 'daily', at: '08:00', timezone: 'Europe/Berlin', only: false } },
    });
    await state.subscriptions.put(sub);
    const channel = () => harness.fake.messages(harness.channelId);
    const digests = () => channel().filter((m) => m.embeds[0]?.footer?.text.includes('digest'));

    // 06:59 UTC: the articles go out with their threads, as for any subscription; no digest yet.
    await vi.advanceTimersByTimeAsync(30_000);
    await harness.bot.runner.idle();
    const posts = channel();
    expect(posts.map((m) => m.embeds[0]?.title).sort()).toEqual(['Ferry moves to the north pier', 'Harbour dues unchanged', 'Last week’s storm']);
    expect(digests()).toEqual([]);
    const threadOf = (title: string) => posts.find((m) => m.embeds[0]?.title === title)?.id;

    // 07:00 UTC is 08:00 in Berlin: the digest of 29 Nov 08:00 – 30 Nov 08:00.
    await vi.advanceTimersByTimeAsync(60_000);
    await harness.bot.runner.idle();
    const [digest] = digests();
    expect(digest?.content).toBe('**Daily digest**, 29 Nov 2026 08:00 – 30 Nov 2026 08:00 (Europe/Berlin): 2 articles, most discussed first.');
    expect(digest?.embeds.map((e) => e.title)).toEqual(['Ferry moves to the north pier', 'Harbour dues unchanged']);
    const [top, second] = digest?.embeds ?? [];
    expect(top?.description).toBe('The ferry leaves from the north pier from Monday. The old quay closes for repairs @everyone should know.');
    expect(top?.fields?.map((f) => [f.name, f.value])).toEqual([
      ['Discussion', `3 comments this day · 3 stored\nThread: <#${threadOf('Ferry moves to the north pier')}>`],
      ['Most quoted, by 2 comments', '> Repairs take until March.'],
    ]);
    expect(second?.fields?.[0]?.value).toBe(`1 comment this day · 1 stored\nThread: <#${threadOf('Harbour dues unchanged')}>`);
    expect(top?.footer?.text).toBe('Paperboy · daily digest through 2026-11-30T08:00+01:00');
    expect(digest?.mention_everyone).toBe(false);
    expect(harness.fake.sentWith(digest?.id ?? '')?.allowedMentions).toEqual({ parse: [] });
    expect((await state.subscriptions.get(sub))?.tally?.digestThrough).toBe('2026-11-30T07:00:00.000Z');

    // The runs at 07:01 and 07:02 post nothing more.
    await vi.advanceTimersByTimeAsync(120_000);
    await harness.bot.runner.idle();
    expect(digests()).toHaveLength(1);
    expect(harness.fake.violations).toEqual([]);
  }, 30_000);
});
