/**
 * The engine's thread slots, per target: threads post their comments side by side, at most 20 at
 * a time, and the next article is posted only when a slot is free for its thread. Seen from the
 * local Discord's request log, with every answer slowed so that a thread outlasts 20 posts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { article, comment } from './helpers/articles.ts';
import { checkDelivered, type EngineHarness, startEngine } from './helpers/delivery.ts';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const SLOTS = 20;
const fast = { limit: 100_000, windowMs: 1000 };

describe('GIVEN more articles with long threads than there are thread slots', () => {
  it('THEN 20 threads post at once, never more, and the 21st article is posted only after one of them has finished', async () => {
    h = await startEngine({ fake: { rateLimits: { channelMessages: fast, global: fast, default: fast } }, globalPerSecond: 100_000 });
    const t = h.target();
    // A thread of 80 messages takes about twice as long as 20 posts with their threads (40 requests), at any latency.
    const articles = Array.from({ length: SLOTS + 3 }, (_, i) =>
      article({
        title: `Harbour report ${i}`,
        text: `Ships in port on day ${i}.`,
        publishedAt: `2026-11-01T06:${String(i).padStart(2, '0')}`,
        comments: Array.from({ length: 80 }, (_, c) => comment(c + 1, `Seen from the pier, ${i}.${c}.`)),
      }),
    );
    for (const a of articles) await h.store.upsert(a);
    h.fake.faults.latency(15);
    const report = await h.engine.deliver(t, articles);
    expect(report.results.filter((r) => r.error !== null)).toEqual([]);
    expect(checkDelivered(h.fake, t, articles)).toEqual([]);

    const posts = h.fake.messages(t.channelId).map((m) => m.id);
    const requests = h.fake.requests.filter((r) => r.method === 'POST');
    // Each thread's comments, as the span of the request log from its first to its last message.
    const spans = posts.map((id) => {
      const at = requests.flatMap((r, i) => (r.path === `/channels/${id}/messages` ? [i] : []));
      return { first: at[0] ?? -1, last: at.at(-1) ?? -1 };
    });
    expect(spans.filter((s) => s.first < 0)).toEqual([]);
    const busiest = Math.max(...requests.map((_, i) => spans.filter((s) => s.first <= i && i <= s.last).length));
    expect(busiest).toBe(SLOTS);
    // The 21st post (the 21st POST to the channel itself) waited for one of the first 20 threads to finish.
    const channelPosts = requests.flatMap((r, i) => (r.path === `/channels/${t.channelId}/messages` ? [i] : []));
    expect(channelPosts).toHaveLength(articles.length);
    expect(channelPosts[SLOTS]).toBeGreaterThan(Math.min(...spans.slice(0, SLOTS).map((s) => s.last)));
  }, 60_000);
});
