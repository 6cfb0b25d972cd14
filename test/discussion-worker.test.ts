/**
 * Discussion parsing off the thread that answers Discord (issue 16): the product's fetcher parses
 * in a worker thread, whose results are the inline parse's; a parse over its limits, or cut off by
 * shutdown, fails that discussion with the reason and the next fetch works. Real worker threads,
 * real captured answers served from a local site, and a generated 100,000-item comment feed.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommentFeed } from '../src/adapters/discussions/comment-feed.ts';
import type { DiscussionFetcherOptions } from '../src/adapters/discussions/fetch-discussion.ts';
import type { FetchedDiscussion } from '../src/adapters/discussions/fetch-types.ts';
import {
  type DiscussionParser,
  type DiscussionParserWorker,
  INLINE_DISCUSSION_PARSER,
  createDiscussionParser,
} from '../src/adapters/discussions/parse-worker.ts';
import { loadConfig } from '../src/config.ts';
import { deliveryOptions } from '../src/ui/discord/delivery-wiring.ts';
import { bigCommentFeed } from './discussion-worker-feeds.ts';
import { type DiscussionSite, NO_VALIDATORS, localFetcher, recordingClock, serveDiscussionSite } from './helpers/discussion-site.ts';

const FIXTURES = new URL('./fixtures/discussions/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8');
const RSS = { 'Content-Type': 'application/rss+xml; charset=UTF-8' };
/**
 * 30,000 items, every second one repeating the guid before it: 15,000 comments and 15,000 warnings'
 * worth, parsed in some 0.5 s on a quiet machine (100,000 took 2 s, and 9 s under load, twice a test
 * with its inline parse to compare, for nothing more seen).
 */
const FEED = bigCommentFeed(30_000);
/** 100,000 items (about 7 MB, under the fetcher's 10 MB cap): more than the stopped parser's time and memory limits allow. */
const BIG = bigCommentFeed(100_000);

let site: DiscussionSite;
const parsers: DiscussionParserWorker[] = [];
const intervals: NodeJS.Timeout[] = [];
beforeEach(async () => {
  site = await serveDiscussionSite();
});
afterEach(async () => {
  for (const i of intervals.splice(0)) clearInterval(i);
  for (const p of parsers.splice(0)) await p.close();
  await site.close();
});

function workerParser(limits: Parameters<typeof createDiscussionParser>[0] = {}): DiscussionParserWorker {
  const parser = createDiscussionParser(limits);
  parsers.push(parser);
  return parser;
}

function fresh(result: FetchedDiscussion): Extract<FetchedDiscussion, { outcome: 'fresh' }> {
  if (result.outcome !== 'fresh') throw new Error(`expected a fresh discussion, got ${JSON.stringify(result).slice(0, 300)}`);
  return result;
}

/** Counts timer ticks on this thread while `work` runs: a stalled thread counts none. */
async function ticksDuring<T>(work: () => Promise<T>): Promise<{ result: T; ticks: number }> {
  let ticks = 0;
  const interval = setInterval(() => ticks++, 10);
  try {
    return { result: await work(), ticks };
  } finally {
    clearInterval(interval);
  }
}

/** `inner`, counting the ticks of a 10 ms timer on this thread between the start and the end of each parse. */
function tickCounting(inner: DiscussionParser): DiscussionParser & { ticksInParse: number; parses: number } {
  let ticks = 0;
  const interval = setInterval(() => ticks++, 10);
  const counting = {
    ticksInParse: 0,
    parses: 0,
    async parse(job: Parameters<DiscussionParser['parse']>[0]) {
      const before = ticks;
      try {
        return await inner.parse(job);
      } finally {
        counting.ticksInParse += ticks - before;
        counting.parses += 1;
      }
    },
  };
  intervals.push(interval);
  return counting as DiscussionParser & { ticksInParse: number; parses: number };
}

describe("GIVEN the product's discussion fetcher (deliveryOptions) and a 30,000-item comment feed", () => {
  it("THEN the feed is parsed in the worker: this thread's timers keep turning, the result is the inline parse's, and the warnings are capped", async () => {
    site.route('/big/feed/', { headers: RSS, body: FEED });
    const options = deliveryOptions(loadConfig({ FEED_ALLOW_HOSTS: '127.0.0.1' }));
    parsers.push(options.discussions!.parser!);
    const url = `${site.base}/big/feed/`;

    const { result, ticks } = await ticksDuring(() => options.discussions!.fetcher!.fetch(url, NO_VALIDATORS, { remaining: 5 }));

    const got = fresh(result);
    // About 0.5 s of parsing and the worker's start: some 50 ticks of 10 ms; a thread held by the parse would count a handful.
    expect(ticks).toBeGreaterThan(20);
    expect(got.discussion).toEqual(parseCommentFeed(url, FEED, { now: new Date(got.discussion.article.ingestedAt) }));
    expect(got.discussion.article.comments).toHaveLength(15_000);
    expect(got.discussion.warnings).toHaveLength(21);
    expect(got.discussion.warnings[0]).toBe(`${url}: item 2 repeats the guid "c0"; left out`);
    expect(got.discussion.warnings[20]).toBe(`${url}: 14,980 more like that (repeated items) not listed`);
  });
});

describe('GIVEN a fetcher that parses in a worker and one that parses inline', () => {
  const both = (options: DiscussionFetcherOptions = {}) => {
    const worker = tickCounting(workerParser());
    const inline = tickCounting(INLINE_DISCUSSION_PARSER);
    return {
      worker,
      inline,
      fetchBoth: async (url: string) => ({
        inWorker: await localFetcher(site.base, recordingClock(), { ...options, parser: worker }).fetch(url, NO_VALIDATORS, { remaining: 50 }),
        inline: await localFetcher(site.base, recordingClock(), { ...options, parser: inline }).fetch(url, NO_VALIDATORS, { remaining: 50 }),
      }),
    };
  };

  it("THEN this thread's timers turn while the worker parses the big feed, and never while it is parsed inline", async () => {
    site.route('/big/feed/', { headers: RSS, body: FEED });
    const { worker, inline, fetchBoth } = both();
    const got = await fetchBoth(`${site.base}/big/feed/`);
    expect(fresh(got.inWorker).discussion).toEqual(fresh(got.inline).discussion);
    expect([worker.parses, inline.parses]).toEqual([1, 1]);
    expect(worker.ticksInParse).toBeGreaterThan(20);
    expect(inline.ticksInParse).toBe(0);
  });

  it("THEN what cannot be read fails with the parser's own reason from both: a feed cut off, and JSON that is not", async () => {
    site.route('/cut-feed', { headers: RSS, body: '<rss version="2.0"><channel><title>Comments on: x</title><item>' });
    site.route('/comments/abc123.json', { body: '{"truncated": ' });
    const { fetchBoth } = both();
    const page = await fetchBoth(`${site.base}/cut-feed`);
    expect(page.inWorker).toEqual(page.inline);
    expect(page.inWorker).toMatchObject({ outcome: 'failed', retryAt: null, requests: 1 });
    expect(page.inWorker.outcome === 'failed' && page.inWorker.reason).toMatch(/\/cut-feed:1: expected the document to end with <\/rss>/);
    const cut = await fetchBoth('https://www.reddit.com/r/x/comments/abc123/');
    expect(cut.inWorker).toEqual(cut.inline);
    expect(cut.inWorker.outcome === 'failed' && cut.inWorker.reason).toMatch(
      /\/comments\/abc123\.json\?raw_json=1&limit=500: expected JSON, got 14 bytes that are not/,
    );
  });

  it('THEN Reddit (listing and morechildren), Hacker News (Algolia, and the official API item by item), Discourse (topic and pages) come out the same from both', async () => {
    const cassette = JSON.parse(fixture('reddit-praw-TestMore.test_comments.cassette.json')) as {
      interactions: { request: { uri: string }; response: { body: { string: string } } }[];
    };
    const answerTo = (uri: string): string => cassette.interactions.find((i) => i.request.uri.includes(uri))!.response.body.string;
    site.route('/comments/3hahrw.json', { body: answerTo('/comments/3hahrw/') });
    site.route('/api/morechildren.json', { body: answerTo('/api/morechildren') });
    site.route('/comments/n49rw.json', { body: fixture('reddit-n49rw-were-back.listing.json') });
    const story = {
      by: 'pg',
      descendants: 2,
      id: 8863,
      kids: [8952],
      score: 10,
      time: 1175714200,
      title: 'A story',
      type: 'story',
      url: 'http://example.com/',
    };
    // Algolia's shape (items/<id>: the story with its children, recursively), written by hand after the story above.
    const child = (id: number, parent: number, children: unknown[]) => ({
      id,
      created_at_i: 1175714300,
      type: 'comment',
      author: 'hand',
      text: `<p>Comment ${id}</p>`,
      parent_id: parent,
      children,
    });
    const tree = { ...story, author: story.by, created_at_i: story.time, text: null, children: [child(8952, 8863, [child(9000, 8952, [])])] };
    site.route('/algolia/items/8863', { body: tree });
    site.route('/v0/item/8863.json', { body: story });
    site.route('/v0/item/8952.json', { body: { by: 'hand', id: 8952, kids: [9000], parent: 8863, text: 'A reply.', time: 1175714300, type: 'comment' } });
    site.route('/v0/item/9000.json', { body: { by: 'hand', id: 9000, parent: 8952, text: 'Its reply.', time: 1175714400, type: 'comment' } });
    site.route('/t/2108.json', { body: fixture('discourse-topic-cf-2108-near-452.json') });
    site.route('/t/2108/posts.json', { body: fixture('discourse-posts-cf-2108.json') });

    const { worker, fetchBoth } = both();
    for (const url of [
      'https://old.reddit.com/r/test/comments/3hahrw/slug/',
      'https://www.reddit.com/r/announcements/comments/n49rw/',
      `${site.base}/t/2108`,
    ]) {
      const got = await fetchBoth(url);
      expect(fresh(got.inWorker)).toEqual(fresh(got.inline));
      expect(fresh(got.inWorker).discussion.article.comments.length).toBeGreaterThan(10);
    }
    const official = await fetchBoth('https://news.ycombinator.com/item?id=8863');
    expect(fresh(official.inWorker)).toEqual(fresh(official.inline));
    expect(fresh(official.inWorker).discussion.article.comments.map((c) => c.id)).toEqual(['hn:8952', 'hn:9000']);
    const viaAlgolia = await both({ algoliaBase: `${site.base}/algolia` }).fetchBoth('https://news.ycombinator.com/item?id=8863');
    expect(fresh(viaAlgolia.inWorker)).toEqual(fresh(viaAlgolia.inline));
    expect(fresh(viaAlgolia.inWorker).requests).toBe(1);
    expect(fresh(viaAlgolia.inWorker).discussion.article.comments.map((c) => c.paragraphs)).toEqual([['Comment 8952'], ['Comment 9000']]);
    // Listings, morechildren pages, topic and posts pages, the story and its items: each a job of its own.
    expect(worker.parses).toBeGreaterThan(6);
  });
});

describe('GIVEN a worker parser stopped under a parse', () => {
  const small = `<?xml version="1.0"?><rss version="2.0"><channel><title>Comments on: Small</title><link>https://blog.example.org/small/</link>
    <item><guid>s1</guid><description>One comment.</description></item></channel></rss>`;
  beforeEach(() => {
    site.route('/big/feed/', { headers: RSS, body: BIG });
    site.route('/small/feed/', { headers: RSS, body: small });
  });

  it('THEN a parse over the time limit fails that discussion with the reason, and the next fetch parses in a fresh worker', async () => {
    const fetcher = localFetcher(site.base, recordingClock(), { parser: workerParser({ timeoutMs: 200 }) });
    const slow = await fetcher.fetch(`${site.base}/big/feed/`, NO_VALIDATORS, { remaining: 5 });
    expect(slow).toEqual({ outcome: 'failed', reason: 'the discussion parser took longer than 0.2 s and was stopped', retryAt: null, requests: 1 });
    const next = fresh(await fetcher.fetch(`${site.base}/small/feed/`, NO_VALIDATORS, { remaining: 5 }));
    expect(next.discussion.article.comments.map((c) => c.paragraphs)).toEqual([['One comment.']]);
  });

  it('THEN a parse over the memory limit fails that discussion with the reason, and the next fetch works', async () => {
    const fetcher = localFetcher(site.base, recordingClock(), { parser: workerParser({ maxMemoryMb: 48 }) });
    const hog = await fetcher.fetch(`${site.base}/big/feed/`, NO_VALIDATORS, { remaining: 5 });
    expect(hog).toEqual({ outcome: 'failed', reason: 'the discussion parser ran out of memory (48 MB)', retryAt: null, requests: 1 });
    expect(fresh(await fetcher.fetch(`${site.base}/small/feed/`, NO_VALIDATORS, { remaining: 5 })).discussion.article.title).toBe('Small');
  });

  it('THEN closing it (shutdown) ends the parse in hand with the reason at once, and the parser works again after', async () => {
    const parser = workerParser();
    let started!: () => void;
    const parsing = new Promise<void>((resolve) => (started = resolve));
    const watched: DiscussionParser = {
      parse(job) {
        const result = parser.parse(job);
        started();
        return result;
      },
    };
    const fetcher = localFetcher(site.base, recordingClock(), { parser: watched });
    const cut = fetcher.fetch(`${site.base}/big/feed/`, NO_VALIDATORS, { remaining: 5 });
    await parsing;
    await parser.close();
    expect(await cut).toEqual({ outcome: 'failed', reason: 'the discussion parser was closed', retryAt: null, requests: 1 });
    expect(fresh(await fetcher.fetch(`${site.base}/small/feed/`, NO_VALIDATORS, { remaining: 5 })).discussion.article.title).toBe('Small');
  });
});
