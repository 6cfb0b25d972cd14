/** A generated comment feed for test/discussion-worker.test.ts: big, and hostile in one way that costs a warning an item. */

/**
 * An RSS comment feed (WordPress's shape: "Comments on: …", the post as the channel link) of `items`
 * items, every second one repeating the guid of the one before it (the repeats are left out, each
 * a warning). 100,000 items are about 7 MB, under the fetcher's 10 MB cap.
 */
export function bigCommentFeed(items: number): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < items; i++) parts.push(`<item><guid>c${i - (i % 2)}</guid><description>Comment ${i}</description></item>`);
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Comments on: Big</title><link>https://blog.example.org/big/</link>${parts.join('')}</channel></rss>`,
  );
}
