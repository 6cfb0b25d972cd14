/**
 * Fetching Reddit discussions from a local Reddit serving real captured answers: PRAW's recorded
 * listing of post 3hahrw with the /api/morechildren answer it got (test/fixtures/discussions/SOURCES.md),
 * and the listing of r/announcements n49rw (1,412 comments, 177 `more` stubs).
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FetchedDiscussion } from '../src/adapters/discussions/fetch-types.ts';
import { missingOf, parseRedditListing } from '../src/adapters/discussions/reddit.ts';
import { type DiscussionSite, NO_VALIDATORS, type RecordingClock, localFetcher, recordingClock, serveDiscussionSite } from './helpers/discussion-site.ts';

const FIXTURES = new URL('./fixtures/discussions/', import.meta.url);
const cassette = JSON.parse(readFileSync(new URL('reddit-praw-TestMore.test_comments.cassette.json', FIXTURES), 'utf8')) as {
  interactions: { request: { uri: string }; response: { body: { string: string } } }[];
};
const answerTo = (uri: string): string => cassette.interactions.find((i) => i.request.uri.includes(uri))!.response.body.string;
const PRAW_LISTING = answerTo('/comments/3hahrw/');
const PRAW_MORE = answerTo('/api/morechildren');
const N49RW = readFileSync(new URL('reddit-n49rw-were-back.listing.json', FIXTURES), 'utf8');
const NOTHING_MORE = { json: { errors: [], data: { things: [] } } };
const JSON_TYPE = { 'Content-Type': 'application/json; charset=UTF-8' };

let site: DiscussionSite;
let clock: RecordingClock;
beforeEach(async () => {
  site = await serveDiscussionSite();
  clock = recordingClock();
});
afterEach(() => site.close());

function fresh(result: FetchedDiscussion): Extract<FetchedDiscussion, { outcome: 'fresh' }> {
  if (result.outcome !== 'fresh') throw new Error(`expected a fresh discussion, got ${JSON.stringify(result)}`);
  return result;
}

/** The children= ids of each morechildren request, in order. */
function askedChildren(): string[][] {
  return site.requests.filter((r) => r.url.startsWith('/api/morechildren.json')).map((r) => new URL(r.url, site.base).searchParams.get('children')!.split(','));
}

describe('GIVEN a post whose listing holds back comments in `more` stubs', () => {
  it('THEN the stubs are expanded through /api/morechildren, the comments join the tree under their parents, and what did not come back is counted', async () => {
    site.route('/comments/3hahrw.json', { headers: { ...JSON_TYPE, ETag: '"listing-1"' }, body: PRAW_LISTING });
    site.route('/api/morechildren.json', { headers: JSON_TYPE, body: PRAW_MORE });
    const listing = parseRedditListing('listing', JSON.parse(PRAW_LISTING));
    const budget = { remaining: 10 };

    const got = fresh(await localFetcher(site.base, clock).fetch('https://old.reddit.com/r/test/comments/3hahrw/slug/', NO_VALIDATORS, budget));

    // All the stubs' children fit in one request of at most 100 ids.
    const stubChildren = listing.more.flatMap((s) => s.children);
    expect(askedChildren()).toEqual([stubChildren]);
    const query = new URL(site.requests[1]!.url, site.base).searchParams;
    expect([query.get('api_type'), query.get('raw_json'), query.get('link_id')]).toEqual(['json', '1', 't3_3hahrw']);
    expect(site.requests[0]!.url).toBe('/comments/3hahrw.json?raw_json=1&limit=500');
    expect(got.requests).toBe(2);
    expect(budget.remaining).toBe(8);
    expect(got.validators).toEqual({ etag: '"listing-1"', lastModified: null });

    // Reddit sent 7 of the 9 top-level comments asked for; each is now in the tree, once.
    const more = JSON.parse(PRAW_MORE) as { json: { data: { things: { data: { id: string } }[] } } };
    const sent = more.json.data.things.map((t) => `reddit:${t.data.id}`);
    const ids = got.discussion.article.comments.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(sent));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(listing.article.comments.length + sent.length);
    for (const c of got.discussion.article.comments) if (c.replyTo !== null) expect(ids).toContain(c.replyTo);
    // A reply comes after its parent (tree order).
    const at = new Map(ids.map((id, i) => [id, i]));
    for (const c of got.discussion.article.comments) if (c.replyTo !== null) expect(at.get(c.replyTo)!).toBeLessThan(at.get(c.id)!);

    // Left: the "continue this thread" stubs (no ids to ask for); missing: the 2 top-level comments
    // that did not come back, and every other stub's comments (this capture answered the post's stub only).
    expect(got.discussion.more.every((s) => s.children.length === 0)).toBe(true);
    const topStub = listing.more.find((s) => s.parent === 't3_3hahrw')!;
    const otherStubs = listing.more.filter((s) => s !== topStub);
    expect(got.discussion.missing).toBe(topStub.children.length - sent.length + missingOf(otherStubs));
  });

  it('THEN expansion stops at the run budget: never more requests than it allows, 100 ids a request, and the rest kept as stubs and counted', async () => {
    site.route('/comments/n49rw.json', { headers: JSON_TYPE, body: N49RW });
    site.route('/api/morechildren.json', { headers: JSON_TYPE, body: NOTHING_MORE });
    const listing = parseRedditListing('listing', JSON.parse(N49RW));
    const budget = { remaining: 4 };

    const got = fresh(await localFetcher(site.base, clock).fetch('https://www.reddit.com/comments/n49rw', NO_VALIDATORS, budget));

    expect(site.requests.length).toBe(4);
    expect(got.requests).toBe(4);
    expect(budget.remaining).toBe(0);
    const asked = askedChildren();
    expect(asked.map((ids) => ids.length)).toEqual([100, 100, 100]);
    expect(asked.flat()).toEqual(listing.more.flatMap((s) => s.children).slice(0, 300));
    // Nothing came back, so every comment the listing held back is still missing, none twice.
    expect(got.discussion.missing).toBe(listing.missing);
    expect(got.discussion.article.comments.length).toBe(listing.article.comments.length);
    const stillHeld = got.discussion.more.flatMap((s) => s.children);
    expect(stillHeld).toEqual(listing.more.flatMap((s) => s.children).slice(300));
  });
  it('THEN ids an answer holds back again are not asked for twice', async () => {
    site.route('/comments/3hahrw.json', { headers: JSON_TYPE, body: PRAW_LISTING });
    // The recorded answer, plus a stub (made here) that lists again the ids just asked for.
    const more = JSON.parse(PRAW_MORE) as { json: { data: { things: unknown[] } } };
    const listing = parseRedditListing('listing', JSON.parse(PRAW_LISTING));
    const again = {
      kind: 'more',
      data: { id: 'x', name: 't1__', parent_id: 't3_3hahrw', count: 9, depth: 0, children: listing.more.find((s) => s.parent === 't3_3hahrw')!.children },
    };
    more.json.data.things.push(again);
    site.route('/api/morechildren.json', { headers: JSON_TYPE, body: more });
    const got = fresh(await localFetcher(site.base, clock).fetch('https://www.reddit.com/comments/3hahrw', NO_VALIDATORS, { remaining: 10 }));
    expect(site.hits('/api/morechildren.json')).toBe(1);
    expect(got.requests).toBe(2);
  });
  it('THEN a failed expansion keeps the listing, its stubs and their count, and says what was not fetched', async () => {
    site.route('/comments/3hahrw.json', { headers: JSON_TYPE, body: PRAW_LISTING });
    site.route('/api/morechildren.json', { status: 500 });
    const listing = parseRedditListing('listing', JSON.parse(PRAW_LISTING));
    const got = fresh(await localFetcher(site.base, clock).fetch('https://www.reddit.com/comments/3hahrw', NO_VALIDATORS, { remaining: 10 }));
    expect(got.discussion.article.comments).toEqual(listing.article.comments);
    expect(got.discussion.more).toEqual(listing.more);
    expect(got.discussion.missing).toBe(listing.missing);
    const ids = listing.more.flatMap((s) => s.children).length;
    expect(got.discussion.warnings.at(-1)).toBe(
      `${site.base}/api/morechildren.json (post 3hahrw): ${ids} comments held back in \`more\` stubs were not fetched: HTTP 500 Internal Server Error from ${site.base}${site.requests[1]!.url}`,
    );
  });
});

describe('GIVEN a Reddit that limits its callers', () => {
  it('THEN a 429 with Retry-After is waited out (within the limit) and asked again, each try paid from the budget', async () => {
    site.route('/comments/3hahrw.json', { headers: JSON_TYPE, body: PRAW_LISTING });
    site.route('/api/morechildren.json', (_req, before) =>
      before === 0 ? { status: 429, headers: { 'Retry-After': '7' }, body: 'Too Many Requests' } : { headers: JSON_TYPE, body: PRAW_MORE },
    );
    const budget = { remaining: 10 };
    const got = fresh(await localFetcher(site.base, clock).fetch('https://www.reddit.com/comments/3hahrw', NO_VALIDATORS, budget));
    expect(clock.slept).toEqual([7000]);
    expect(site.hits('/api/morechildren.json')).toBe(2);
    expect(got.requests).toBe(3);
    expect(budget.remaining).toBe(7);
  });

  it('THEN a 429 without Retry-After waits for x-ratelimit-reset, and one with neither for a pause that grows', async () => {
    site.route('/comments/3hahrw.json', { headers: JSON_TYPE, body: PRAW_LISTING });
    site.route('/api/morechildren.json', (_req, before) =>
      before === 0
        ? { status: 429, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '5' } }
        : before < 3
          ? { status: 429 }
          : { headers: JSON_TYPE, body: PRAW_MORE },
    );
    const got = fresh(await localFetcher(site.base, clock).fetch('https://www.reddit.com/comments/3hahrw', NO_VALIDATORS, { remaining: 10 }));
    // 5 s from the reset; then the default pause after a failure, doubled (three tries per URL, so the third 429 ends it).
    expect(clock.slept).toEqual([5000, 2000]);
    expect(site.hits('/api/morechildren.json')).toBe(3);
    expect(got.discussion.warnings.at(-1)).toMatch(/not fetched: HTTP 429 Too Many Requests/);
  });

  it('THEN a Retry-After beyond the longest wait ends the fetch with retryAt, and the host is not asked again in the meantime', async () => {
    site.route('/comments/3hahrw.json', { status: 429, headers: { 'Retry-After': '3600' } });
    site.route('/comments/n49rw.json', { headers: JSON_TYPE, body: N49RW });
    const fetcher = localFetcher(site.base, clock);
    const budget = { remaining: 10 };
    const first = await fetcher.fetch('https://www.reddit.com/comments/3hahrw', NO_VALIDATORS, budget);
    expect(first).toMatchObject({ outcome: 'failed', retryAt: '2026-12-01T13:00:00.000Z', requests: 1 });
    const second = await fetcher.fetch('https://www.reddit.com/comments/n49rw', NO_VALIDATORS, budget);
    expect(second).toEqual({
      outcome: 'failed',
      reason: `${new URL(site.base).host} is not asked again until 2026-12-01T13:00:00.000Z (its rate limit or backoff)`,
      retryAt: '2026-12-01T13:00:00.000Z',
      requests: 0,
    });
    expect(site.requests.length).toBe(1);
    expect(budget.remaining).toBe(9);
    expect(clock.slept).toEqual([]);
  });

  it('THEN x-ratelimit-remaining 0 waits for x-ratelimit-reset; a reset beyond the longest wait leaves the stubs for the next run', async () => {
    const spent = { ...JSON_TYPE, 'x-ratelimit-remaining': '0.0', 'x-ratelimit-used': '600', 'x-ratelimit-reset': '42' };
    site.route('/comments/3hahrw.json', { headers: spent, body: PRAW_LISTING });
    site.route('/api/morechildren.json', { headers: JSON_TYPE, body: PRAW_MORE });
    fresh(await localFetcher(site.base, clock).fetch('https://www.reddit.com/comments/3hahrw', NO_VALIDATORS, { remaining: 10 }));
    expect(clock.slept).toEqual([42_000]);
    expect(site.hits('/api/morechildren.json')).toBe(1);

    site.route('/comments/n49rw.json', { headers: { ...spent, 'x-ratelimit-reset': '580' }, body: N49RW });
    const listing = parseRedditListing('listing', JSON.parse(N49RW));
    const got = fresh(await localFetcher(site.base, recordingClock()).fetch('https://www.reddit.com/comments/n49rw', NO_VALIDATORS, { remaining: 10 }));
    expect(got.requests).toBe(1);
    expect(site.hits('/api/morechildren.json')).toBe(1);
    expect(got.discussion.missing).toBe(listing.missing);
    expect(got.discussion.more).toEqual(listing.more);
    expect(got.discussion.warnings.at(-1)).toMatch(/not fetched: .* is not asked again until 2026-12-01T12:09:40.000Z/);
  });

  it('THEN requests to one host are spaced by its spacing (2 s for Reddit by default)', async () => {
    site.route('/comments/3hahrw.json', { headers: JSON_TYPE, body: PRAW_LISTING });
    site.route('/api/morechildren.json', { headers: JSON_TYPE, body: PRAW_MORE });
    await localFetcher(site.base, clock, { spacingMs: {} }).fetch('https://www.reddit.com/comments/3hahrw', NO_VALIDATORS, { remaining: 10 });
    expect(clock.slept).toEqual([2000]);
  });
});

describe('GIVEN one run, then the next', () => {
  it('THEN the same post is fetched once per run however it is written, and a later run asks conditionally and gets not-modified', async () => {
    site.route('/comments/3hahrw.json', (req) =>
      req.headers['if-none-match'] === '"listing-1"' ? { status: 304 } : { headers: { ...JSON_TYPE, ETag: '"listing-1"' }, body: PRAW_LISTING },
    );
    site.route('/api/morechildren.json', { headers: JSON_TYPE, body: PRAW_MORE });
    const fetcher = localFetcher(site.base, clock);
    const run = { remaining: 10 };
    const first = fresh(await fetcher.fetch('https://redd.it/3hahrw', NO_VALIDATORS, run));
    const again = fresh(await fetcher.fetch(fetcher.recognise('https://new.reddit.com/r/x/comments/3hahrw/y/')!.url, NO_VALIDATORS, run));
    expect(again.requests).toBe(0);
    expect(again.discussion.article.comments).toEqual(first.discussion.article.comments);
    expect(site.requests.length).toBe(2);
    expect(run.remaining).toBe(8);

    const nextRun = { remaining: 10 };
    expect(await fetcher.fetch('https://www.reddit.com/comments/3hahrw', first.validators, nextRun)).toEqual({ outcome: 'not-modified', requests: 1 });
    expect(site.requests.at(-1)!.headers['if-none-match']).toBe('"listing-1"');
    expect(nextRun.remaining).toBe(9);
  });

  it('THEN a spent budget sends nothing, and a budget of one brings the listing alone with its stubs counted', async () => {
    site.route('/comments/n49rw.json', { headers: JSON_TYPE, body: N49RW });
    const fetcher = localFetcher(site.base, clock);
    expect(await fetcher.fetch('https://www.reddit.com/comments/n49rw', NO_VALIDATORS, { remaining: 0 })).toEqual({
      outcome: 'failed',
      reason: "the run's request budget is spent",
      retryAt: null,
      requests: 0,
    });
    expect(site.requests.length).toBe(0);
    const budget = { remaining: 1 };
    const got = fresh(await fetcher.fetch('https://www.reddit.com/comments/n49rw', NO_VALIDATORS, budget));
    expect(budget.remaining).toBe(0);
    expect(got.discussion.missing).toBe(parseRedditListing('listing', JSON.parse(N49RW)).missing);
    expect(site.requests.length).toBe(1);
  });
});
