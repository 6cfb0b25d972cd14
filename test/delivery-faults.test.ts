/**
 * Delivery through the whole bot while the local Discord fails 10% of requests with 500 and the
 * gateway drops in the middle of a run: runs are repeated as the schedule would, and in the end
 * every post, thread and comment is there exactly once, in order.
 */
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import type { Article } from '../src/core/model.ts';
import { article, comment } from './helpers/articles.ts';
import { type Harness, startHarness } from './helpers/bot.ts';
import { checkDelivered } from './helpers/delivery.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('GIVEN 10% of requests failing with 500 and a gateway drop during delivery', () => {
  it('THEN after the runs the schedule would make, everything is posted exactly once', async () => {
    const articles: Article[] = Array.from({ length: 12 }, (_, i) =>
      article({
        title: `Storm bulletin ${i}`,
        text: `Bulletin ${i}: the wind is rising.`,
        publishedAt: `2026-11-${String(10 + i).padStart(2, '0')}T08:00`,
        comments: Array.from({ length: 8 }, (_, c) => comment(c + 1, `Comment ${c} on bulletin ${i}.`)),
      }),
    );
    h = await startHarness({ articles, delivery: true, fake: { rateLimits: { channelMessages: { limit: 50, windowMs: 1000 } } } });
    const harness = h;
    const admin = harness.fake.createUser({ username: 'editor' });
    harness.fake.addMember(harness.guildId, admin.id, { permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel });
    const subscribed = await harness.fake
      .runCommand({
        guildId: harness.guildId,
        channelId: harness.channelId,
        userId: admin.id,
        name: 'subscribe',
        options: { channel: harness.channelId, backfill: 'all' },
      })
      .reply();
    expect(subscribed.content).toContain('Backfill: all');

    harness.fake.faults.failRatio(0.1, 42);
    let runs = 0;
    let dropped = false;
    const onRequest = (): void => {
      if (!dropped && harness.fake.requests.length > 40) {
        dropped = true;
        harness.fake.dropGateway();
      }
    };
    harness.fake.on('request', onRequest);
    for (;;) {
      runs++;
      const [result] = await harness.bot.runner.run();
      if (result && result.error === null && result.articles === 0) break;
      if (runs > 15) throw new Error(`delivery did not finish in 15 runs; last: ${JSON.stringify(result)}`);
    }
    harness.fake.off('request', onRequest);
    harness.fake.faults.clear();
    expect(dropped).toBe(true);
    expect(harness.fake.requests.filter((r) => r.fault).length).toBeGreaterThan(10);
    expect(checkDelivered(harness.fake, { guildId: harness.guildId, channelId: harness.channelId, kind: 'text' }, articles)).toEqual([]);
  }, 120_000);
});
