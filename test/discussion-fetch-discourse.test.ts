/**
 * Fetching a Discourse topic from a local forum serving real captures of discuss.criticalfallibilism.com
 * topic 2108 (test/fixtures/discussions/SOURCES.md): /t/2108.json holds 20 of the 446 posts in its
 * stream (433-452); /t/2108/posts.json answered posts 1-20.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDiscourseTopic } from '../src/adapters/discussions/discourse.ts';
import type { FetchedDiscussion } from '../src/adapters/discussions/fetch-types.ts';
import { type DiscussionSite, NO_VALIDATORS, type RecordingClock, localFetcher, recordingClock, serveDiscussionSite } from './helpers/discussion-site.ts';

const FIXTURES = new URL('./fixtures/discussions/', import.meta.url);
const TOPIC = readFileSync(new URL('discourse-topic-cf-2108-near-452.json', FIXTURES), 'utf8');
const POSTS_1_20 = readFileSync(new URL('discourse-posts-cf-2108.json', FIXTURES), 'utf8');
const stream = (JSON.parse(TOPIC) as { post_stream: { stream: number[]; posts: { id: number }[] } }).post_stream;
const held = new Set(stream.posts.map((p) => p.id));
const notHeld = stream.stream.filter((id) => !held.has(id));
const page1 = (JSON.parse(POSTS_1_20) as { post_stream: { posts: { id: number }[] } }).post_stream.posts.map((p) => p.id);

let site: DiscussionSite;
let clock: RecordingClock;
beforeEach(async () => {
  site = await serveDiscussionSite();
  clock = recordingClock();
  site.route('/t/2108.json', { headers: { ETag: 'W/"t2108"' }, body: TOPIC });
  // The page this capture answered; any other page an empty post stream, as a forum gives for posts it no longer has.
  site.route('/t/2108/posts.json', (req) => {
    const ids = new URL(req.url, site.base).searchParams.getAll('post_ids[]').map(Number);
    return ids.join() === page1.join() ? { body: POSTS_1_20 } : { body: { post_stream: { posts: [] } } };
  });
});
afterEach(() => site.close());

function fresh(result: FetchedDiscussion): Extract<FetchedDiscussion, { outcome: 'fresh' }> {
  if (result.outcome !== 'fresh') throw new Error(`expected a fresh discussion, got ${JSON.stringify(result)}`);
  return result;
}

describe('GIVEN a topic whose first answer holds 20 of its 446 posts', () => {
  it('THEN the rest of the stream is asked for 20 ids a request, in stream order, until the budget is spent; what is not fetched is counted', async () => {
    const budget = { remaining: 4 };
    const got = fresh(await localFetcher(site.base, clock).fetch(`${site.base}/t/some-slug/2108/452`, NO_VALIDATORS, budget));
    const topicOnly = parseDiscourseTopic('topic', JSON.parse(TOPIC), site.base);

    expect(budget.remaining).toBe(0);
    expect(got.requests).toBe(4);
    const pages = site.requests.slice(1).map((r) => new URL(r.url, site.base).searchParams.getAll('post_ids[]').map(Number));
    expect(pages).toEqual([notHeld.slice(0, 20), notHeld.slice(20, 40), notHeld.slice(40, 60)]);
    expect(site.requests[1]!.url).toMatch(/^\/t\/2108\/posts\.json\?post_ids\[\]=18843&post_ids\[\]=18845&/);

    // Posts 2-20 joined the 20 the topic held; post 1 became the article's text (this copy lacked it).
    const comments = got.discussion.article.comments;
    expect(comments.length).toBe(topicOnly.article.comments.length + 19);
    expect(new Set(comments.map((c) => c.id)).size).toBe(comments.length);
    expect(comments.map((c) => c.number)).toEqual(expect.arrayContaining([2, 3, 19, 20, 433, 452]));
    expect(topicOnly.article.body).toEqual([]);
    expect(got.discussion.article.body.length).toBeGreaterThan(0);
    for (const c of comments) if (c.replyTo !== null) expect(comments.map((x) => x.id)).toContain(c.replyTo);
    // Not asked: 426 - 60; asked but not sent back (pages two and three): 40.
    expect(got.discussion.missing).toBe(notHeld.length - 60 + 40);
    expect(got.validators).toEqual({ etag: 'W/"t2108"', lastModified: null });
  });

  it('THEN a budget of one brings the topic alone, its missing posts counted as the parser counts them', async () => {
    const got = fresh(await localFetcher(site.base, clock).fetch(`${site.base}/t/2108`, NO_VALIDATORS, { remaining: 1 }));
    expect(site.requests.length).toBe(1);
    expect(got.discussion.missing).toBe(notHeld.length);
  });

  it('THEN the topic is asked for conditionally, and a 304 is not-modified without paging', async () => {
    site.route('/t/2108.json', (req) => (req.headers['if-none-match'] === 'W/"t2108"' ? { status: 304 } : { body: TOPIC }));
    const fetched = await localFetcher(site.base, clock).fetch(`${site.base}/t/2108`, { etag: 'W/"t2108"', lastModified: null }, { remaining: 10 });
    expect(fetched).toEqual({ outcome: 'not-modified', requests: 1 });
    expect(site.requests.length).toBe(1);
  });
});
