/**
 * A followed comment-feed address that is the post's HTML page (a WordPress feed item's `<comments>`
 * link, `…/post/#comments`) is followed to the comment feed the page announces, and that address is
 * followed from then on; a page that announces none fails with that reason. Against a local blog
 * serving a WordPress-shaped post page and its comment feed, and both stores.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { announcedCommentFeed, isHtmlPage } from '../src/adapters/discussions/discover-comment-feed.ts';
import { discoveredFeedOf } from '../src/adapters/discussions/fetch-comment-feed.ts';
import { DiscussionFollows } from '../src/app/discussion/follow.ts';
import { syncDiscussions } from '../src/app/discussion/sync.ts';
import { article } from './helpers/articles.ts';
import { type Opened, discussionBackends } from './helpers/discussion-backends.ts';
import { type DiscussionSite, NO_VALIDATORS, localFetcher, recordingClock, serveDiscussionSite } from './helpers/discussion-site.ts';

/** Hand-written in the shape of WordPress's comment feed (see fixtures/discussions/SOURCES.md). */
const COMMENTS = readFileSync(new URL('./fixtures/discussions/comment-feed-handwritten-wordpress.rss', import.meta.url), 'utf8');

/**
 * HAND-WRITTEN for this test, not captured: the head of a single post as WordPress 6.5 prints it
 * (wp_head: the site's feed, the site's comments feed, then the post's own comment feed, REST and
 * oEmbed links), and the start of its body with the comments. Names and text invented.
 */
const wordpressPost = (base: string, post = '/2024/05/bus-depot/'): string => `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="UTF-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta name='robots' content='max-image-preview:large' />
<title>Council &#8220;moves&#8221; the bus depot &#8211; Local news</title>
<link rel="alternate" type="application/rss+xml" title="Local news &raquo; Feed" href="${base}/feed/" />
<link rel="alternate" type="application/rss+xml" title="Local news &raquo; Comments Feed" href="${base}/comments/feed/" />
<link rel="alternate" type="application/rss+xml" title="Local news &raquo; Council &#8220;moves&#8221; the bus depot Comments Feed" href="${base}${post}feed/" />
<link rel="https://api.w.org/" href="${base}/wp-json/" /><link rel="alternate" title="JSON" type="application/json" href="${base}/wp-json/wp/v2/posts/7" />
<link rel="EditURI" type="application/rsd+xml" title="RSD" href="${base}/xmlrpc.php?rsd" />
<meta name="generator" content="WordPress 6.5.3" />
<link rel="canonical" href="${base}${post}" />
<link rel='shortlink' href='${base}/?p=7' />
<link rel="alternate" title="oEmbed (XML)" type="text/xml+oembed" href="${base}/wp-json/oembed/1.0/embed?url=${encodeURIComponent(base + post)}&#038;format=xml" />
</head>
<body class="post-template-default single single-post postid-7 single-format-standard">
<article id="post-7"><h1 class="entry-title">Council &#8220;moves&#8221; the bus depot</h1><p>The depot moves to the old goods yard in June.</p></article>
<div id="comments" class="comments-area"><h2 class="comments-title">2 thoughts on &ldquo;Council &#8220;moves&#8221; the bus depot&rdquo;</h2>
<ol class="comment-list"><li id="comment-12" class="comment even thread-even depth-1"><p>Where will the night buses stop now?</p></li></ol></div>
</body>
</html>
`;

const HTML = { 'Content-Type': 'text/html; charset=UTF-8' };
const RSS = { 'Content-Type': 'application/rss+xml; charset=UTF-8' };

describe('GIVEN the HTML of a WordPress post', () => {
  const base = 'https://blog.example.org';
  it("THEN the post's own comment feed is the one announced, not the site's feed or the site's comments feed", () => {
    expect(announcedCommentFeed(`${base}/2024/05/bus-depot/#comments`, wordpressPost(base))).toBe(`${base}/2024/05/bus-depot/feed/`);
  });

  it('THEN a page that announces only the site-wide feeds (a home page, a post with comments closed) announces none', () => {
    const closed = wordpressPost(base).replace(/<link[^\n]*Council &#8220;moves&#8221; the bus depot Comments Feed[^\n]*\n/, '');
    expect(closed).not.toContain('bus-depot/feed/');
    expect(announcedCommentFeed(`${base}/2024/05/bus-depot/`, closed)).toBeNull();
    expect(announcedCommentFeed(`${base}/`, wordpressPost(base))).toBeNull();
  });

  it('THEN a post addressed by its query (/?p=7) announces its feed as /?p=7&feed=rss2, entities decoded', () => {
    const page = `<html><head><link rel="alternate" type="application/rss+xml" title="Local news &raquo; Feed" href="${base}/?feed=rss2" />
      <link rel="alternate" type="application/rss+xml" title="Comments Feed" href="${base}/?p=7&#038;feed=rss2" /></head><body></body></html>`;
    expect(announcedCommentFeed(`${base}/?p=7`, page)).toBe(`${base}/?p=7&feed=rss2`);
  });

  it('THEN a feed on another host, or linked after the head, is not taken', () => {
    const elsewhere = `<html><head><link rel="alternate" type="application/rss+xml" title="Comments" href="http://10.0.0.1/2024/05/bus-depot/feed/" /></head>
      <body><link rel="alternate" type="application/rss+xml" title="Comments" href="${base}/2024/05/bus-depot/feed/" /></body></html>`;
    expect(announcedCommentFeed(`${base}/2024/05/bus-depot/`, elsewhere)).toBeNull();
  });

  it('THEN a feed on another port of the same host is not taken; the same feed over https is', () => {
    const head = (href: string) => `<html><head><link rel="alternate" type="application/rss+xml" title="Comments" href="${href}" /></head></html>`;
    expect(announcedCommentFeed('http://blog.example/2024/05/bus-depot/', head('http://blog.example:6379/2024/05/bus-depot/feed/'))).toBeNull();
    expect(announcedCommentFeed('http://blog.example/2024/05/bus-depot/', head('https://blog.example/2024/05/bus-depot/feed/'))).toBe(
      'https://blog.example/2024/05/bus-depot/feed/',
    );
    expect(announcedCommentFeed('https://blog.example/2024/05/bus-depot/', head('http://blog.example/2024/05/bus-depot/feed/'))).toBeNull();
  });

  it('THEN a page is told from a feed by its body first (some servers label feeds text/html), else by its type', () => {
    expect(isHtmlPage('text/html; charset=UTF-8', Buffer.from(COMMENTS))).toBe(false);
    expect(isHtmlPage('text/plain', Buffer.from(wordpressPost(base)))).toBe(true);
    expect(isHtmlPage('text/html', Buffer.from('\n<!-- cached -->\n<div>hi</div>'))).toBe(true);
    expect(isHtmlPage(null, Buffer.from('{"version": 1}'))).toBe(false);
  });
});

let site: DiscussionSite;
beforeEach(async () => {
  site = await serveDiscussionSite();
});
afterEach(() => site.close());

describe('GIVEN a followed comment-feed address that answers with the post page', () => {
  it('THEN the fetch reads the comment feed the page announces and names it; each asked once', async () => {
    site.route('/2024/05/bus-depot/', { headers: HTML, body: wordpressPost(site.base) });
    site.route('/2024/05/bus-depot/feed/', { headers: { ...RSS, ETag: '"c7"' }, body: COMMENTS });
    const got = await localFetcher(site.base, recordingClock()).fetch(`${site.base}/2024/05/bus-depot/`, NO_VALIDATORS, { remaining: 5 });
    expect(got).toMatchObject({ outcome: 'fresh', requests: 2, validators: { etag: '"c7"' } });
    expect(discoveredFeedOf(got)).toBe(`${site.base}/2024/05/bus-depot/feed/`);
    expect(got.outcome === 'fresh' && got.discussion.article.comments.map((c) => c.author)).toEqual(['Ann', 'Bob']);
    expect(site.requests.map((r) => r.url)).toEqual(['/2024/05/bus-depot/', '/2024/05/bus-depot/feed/']);
  });

  it('THEN a page that announces no comment feed fails with that plain reason', async () => {
    site.route('/about/', { headers: HTML, body: wordpressPost(site.base).replace(/bus-depot\/feed\//g, 'elsewhere/') });
    const got = await localFetcher(site.base, recordingClock()).fetch(`${site.base}/about/`, NO_VALIDATORS, { remaining: 5 });
    expect(got).toEqual({
      outcome: 'failed',
      reason: `${site.base}/about/ is a web page, not a comment feed, and the page announces no comment feed`,
      retryAt: null,
      requests: 1,
    });
  });

  it('THEN an announced feed that is a web page too fails, without following it further', async () => {
    site.route('/2024/05/bus-depot/', { headers: HTML, body: wordpressPost(site.base) });
    site.route('/2024/05/bus-depot/feed/', { headers: HTML, body: wordpressPost(site.base, '/2024/05/bus-depot/feed/') });
    const got = await localFetcher(site.base, recordingClock()).fetch(`${site.base}/2024/05/bus-depot/`, NO_VALIDATORS, { remaining: 5 });
    expect(got).toMatchObject({ outcome: 'failed', requests: 2 });
    expect(got.outcome === 'failed' && got.reason).toContain('is a web page too');
    expect(site.requests.map((r) => r.url)).toEqual(['/2024/05/bus-depot/', '/2024/05/bus-depot/feed/']);
  });
});

describe.each(Object.entries(discussionBackends))('GIVEN a delivered article whose comments link is the post page (%s)', (_name, open) => {
  let opened: Opened;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(() => opened.close());

  it('THEN the sync brings the comments in and follows the comment feed from then on; the article still links the page', async () => {
    const { store, state } = opened;
    site.route('/2024/05/bus-depot/', { headers: HTML, body: wordpressPost(site.base) });
    site.route('/2024/05/bus-depot/feed/', { headers: RSS, body: COMMENTS });
    const page = `${site.base}/2024/05/bus-depot/#comments`;
    const feed = `${site.base}/2024/05/bus-depot/feed/`;
    const post = article({ title: 'Council moves the bus depot', text: 'The depot moves to the old goods yard in June.', commentsUrl: page });
    await store.upsert(post, new Date());
    const fetcher = localFetcher(site.base, recordingClock());
    const follows = new DiscussionFollows(state.discussions, fetcher, store);
    const { discussion } = await follows.add(page, { articleId: post.id, by: 'subscription:1', now: new Date() });
    expect(discussion.url).toBe(`${site.base}/2024/05/bus-depot/`);

    const [result] = await syncDiscussions(state.discussions, store, { fetcher, requestsPerRun: 10 });
    expect(result).toMatchObject({ url: discussion.url, outcome: 'synced', added: 2, followedAt: feed, error: null });
    expect(result?.warnings[0]).toContain(`${feed}, is followed from now on`);
    expect((await follows.list()).map((d) => [d.url, d.articleId, d.addedBy, d.comments])).toEqual([[feed, post.id, 'subscription:1', 2]]);
    const stored = await store.get(post.id);
    expect(stored?.comments.map((c) => c.author)).toEqual(['Ann', 'Bob']);
    expect(stored?.commentsUrl).toBe(page);

    // From then on only the feed is asked.
    const [again] = await syncDiscussions(state.discussions, store, { fetcher, requestsPerRun: 10, force: true });
    expect(again).toMatchObject({ url: feed, outcome: 'synced', added: 0 });
    expect(again?.followedAt).toBeUndefined();
    expect(site.hits('/2024/05/bus-depot/')).toBe(1);
    expect(site.hits('/2024/05/bus-depot/feed/')).toBe(2);
  });

  it('THEN a page whose feed is followed already leaves that row as it is and stops being followed itself', async () => {
    const { store, state } = opened;
    site.route('/2024/05/bus-depot/', { headers: HTML, body: wordpressPost(site.base) });
    site.route('/2024/05/bus-depot/feed/', { headers: RSS, body: COMMENTS });
    const post = article({ title: 'Council moves the bus depot', commentsUrl: `${site.base}/2024/05/bus-depot/` });
    await store.upsert(post, new Date());
    const fetcher = localFetcher(site.base, recordingClock());
    const follows = new DiscussionFollows(state.discussions, fetcher, store);
    const now = new Date('2026-12-01T08:00:00Z');
    await follows.add(`${site.base}/2024/05/bus-depot/feed/`, { articleId: post.id, by: 'cli', now });
    await follows.add(`${site.base}/2024/05/bus-depot/`, { articleId: post.id, by: 'subscription:1', now });

    const results = await syncDiscussions(state.discussions, store, { fetcher, requestsPerRun: 10 });
    expect(results.map((r) => r.outcome)).toEqual(['synced', 'synced']);
    expect((await follows.list()).map((d) => [d.url, d.addedBy])).toEqual([[`${site.base}/2024/05/bus-depot/feed/`, 'cli']]);
    expect((await store.get(post.id))?.comments).toHaveLength(2);
    // The feed was asked once in the run, though two rows led to it.
    expect(site.hits('/2024/05/bus-depot/feed/')).toBe(1);
  });
});
