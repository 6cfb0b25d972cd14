/**
 * Feed polling shared by several processes (issue 15 point 5): two pollers, each with its own
 * handle on one database, poll the same 5 feeds at the same moment from a local site that counts
 * requests. Each feed is fetched once and each item stored once; a poller that comes later in the
 * same round leaves alone the feeds polled within `minIntervalMs`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllowList } from '../src/adapters/feeds/allow.ts';
import { type FeedParser, createFeedParser } from '../src/adapters/feeds/parse-worker.ts';
import { type PollOptions, pollFeeds, pollLeaseName } from '../src/app/feeds/poll.ts';
import { FeedRegistry } from '../src/app/feeds/registry.ts';
import { type Handle, sharedBackendNames, sharedBackends } from './delivery-leases-backends.ts';
import { everything } from './helpers/store-backends.ts';
import { type LocalSite, serveLocally } from './helpers/http.ts';

const local = { allow: parseAllowList('127.0.0.1') };
const FEEDS = 5;
const ITEMS = 3;
let site: LocalSite;
let parser: FeedParser;
const fetches = new Map<string, number>();

function rss(feed: string): string {
  const items = Array.from(
    { length: ITEMS },
    (_, i) =>
      `<item><title>${feed} item ${i}</title><link>https://example.org/${feed}/${i}</link><guid>https://example.org/${feed}/${i}</guid><description>Item ${i} of ${feed}.</description><pubDate>Mon, 0${i + 1} Nov 2026 06:00:00 GMT</pubDate></item>`,
  ).join('');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${feed}</title><link>https://example.org/${feed}</link><description>Notices</description>${items}</channel></rss>`;
}

beforeAll(async () => {
  parser = createFeedParser();
  site = await serveLocally((req, res) => {
    const feed = (req.url ?? '').slice(1);
    fetches.set(feed, (fetches.get(feed) ?? 0) + 1);
    // Slow enough that both pollers are under way at once.
    setTimeout(() => res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(rss(feed)), 150);
  });
});
afterAll(async () => {
  await site?.close();
  await parser?.close();
});

function optionsOf(h: Handle, holder: string, extra: Partial<PollOptions> = {}): PollOptions {
  return { parse: parser.parse, limits: local, lease: { repo: h.state.leases, holder, ttlMs: 10_000 }, ...extra };
}

describe.each(sharedBackendNames)('GIVEN two pollers on one %s database', (backend) => {
  it('THEN polling 5 feeds at the same moment fetches each feed once and stores each item once', async () => {
    const db = await sharedBackends[backend]();
    try {
      fetches.clear();
      const first = await db.open();
      const second = await db.open();
      const registryA = new FeedRegistry(first.state.feeds);
      const registryB = new FeedRegistry(second.state.feeds);
      const urls = Array.from({ length: FEEDS }, (_, i) => `${site.base}/feed-${i}`);
      for (const [i, url] of urls.entries()) await registryA.add(url, `Feed ${i}`, new Date());

      const [a, b] = await Promise.all([
        pollFeeds(registryA, first.store, optionsOf(first, 'poller-a')),
        pollFeeds(registryB, second.store, optionsOf(second, 'poller-b')),
      ]);

      expect([...fetches.values()]).toEqual(Array.from({ length: FEEDS }, () => 1));
      expect(fetches.size).toBe(FEEDS);
      for (const url of urls) {
        const outcomes = [a, b].map((results) => results.find((r) => r.url === url));
        // One stored it; the other found it held, or polled since it read the list.
        expect(outcomes.map((r) => r?.outcome).sort()).toEqual(['stored', 'waiting']);
        expect(outcomes.find((r) => r?.outcome === 'waiting')).toMatchObject({ elsewhere: true, error: null });
        expect(await first.state.leases.holderOf(pollLeaseName(url))).toBeNull();
      }
      const added = [...a, ...b].reduce((n, r) => n + r.added, 0);
      const updated = [...a, ...b].reduce((n, r) => n + r.updated, 0);
      expect({ added, updated }).toEqual({ added: FEEDS * ITEMS, updated: 0 });
      expect(await everything(second.store)).toHaveLength(FEEDS * ITEMS);
      for (const url of urls) expect((await registryB.get(url))?.items).toBe(ITEMS);

      // A poller whose schedule fires a little later in the same round leaves them be.
      const late = await pollFeeds(registryB, second.store, optionsOf(second, 'poller-b', { minIntervalMs: 60_000 }));
      expect(late.map((r) => r.outcome)).toEqual(Array.from({ length: FEEDS }, () => 'waiting'));
      expect([...fetches.values()]).toEqual(Array.from({ length: FEEDS }, () => 1));
      // Forced (/feed add, `paperboy feed poll`), it is read again.
      const forced = await pollFeeds(registryB, second.store, optionsOf(second, 'poller-b', { minIntervalMs: 60_000, force: true }));
      expect(forced.map((r) => r.outcome)).toEqual(Array.from({ length: FEEDS }, () => 'stored'));
    } finally {
      await db.close();
    }
  }, 60_000);
});
