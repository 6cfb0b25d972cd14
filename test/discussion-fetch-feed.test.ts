/**
 * Fetching an article's comment feed from a local blog serving a real one: the Blogger comment feed
 * of salmon-test.blogspot.com (feedparser's test suite; test/fixtures/discussions/SOURCES.md).
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommentFeed } from '../src/adapters/discussions/comment-feed.ts';
import { type DiscussionSite, NO_VALIDATORS, localFetcher, recordingClock, serveDiscussionSite } from './helpers/discussion-site.ts';

const FEED = readFileSync(new URL('./fixtures/discussions/comment-feed-blogger-salmon-test.atom', import.meta.url));
const VALIDATORS = { etag: '"c1"', lastModified: 'Tue, 01 Dec 2026 08:00:00 GMT' };

let site: DiscussionSite;
beforeEach(async () => {
  site = await serveDiscussionSite();
  site.route('/feeds/comments/default', (req) =>
    req.headers['if-none-match'] === VALIDATORS.etag && req.headers['if-modified-since'] === VALIDATORS.lastModified
      ? { status: 304 }
      : { headers: { 'Content-Type': 'application/atom+xml; charset=UTF-8', ETag: VALIDATORS.etag, 'Last-Modified': VALIDATORS.lastModified }, body: FEED },
  );
});
afterEach(() => site.close());

describe('GIVEN an article whose feed item links its comment feed', () => {
  it('THEN the feed is fetched as a feed is, parsed as a comment feed, and the next run asks conditionally', async () => {
    const fetcher = localFetcher(site.base, recordingClock());
    const url = `${site.base}/feeds/comments/default`;
    expect(fetcher.recognise(url)).toEqual({ kind: 'comment-feed', url });
    const got = await fetcher.fetch(url, NO_VALIDATORS, { remaining: 5 });
    const expected = parseCommentFeed(url, FEED, { now: new Date('2026-12-01T12:00:00Z') });
    expect(got).toEqual({ outcome: 'fresh', discussion: expected, validators: VALIDATORS, requests: 1 });
    expect(expected.article.comments.length).toBeGreaterThan(0);
    expect(site.requests[0]!.headers.accept).toMatch(/^application\/rss\+xml, application\/atom\+xml/);

    expect(await fetcher.fetch(url, VALIDATORS, { remaining: 5 })).toEqual({ outcome: 'not-modified', requests: 1 });
    expect(site.requests.length).toBe(2);
  });

  it("THEN a page that is no comment feed fails with the parser's reason, naming the address", async () => {
    site.route('/not-a-feed', { body: '<html><body>hello</body></html>' });
    const got = await localFetcher(site.base, recordingClock()).fetch(`${site.base}/not-a-feed`, NO_VALIDATORS, { remaining: 5 });
    expect(got).toMatchObject({ outcome: 'failed', retryAt: null, requests: 1 });
    expect(got.outcome === 'failed' && got.reason).toContain(`${site.base}/not-a-feed`);
  });
});
