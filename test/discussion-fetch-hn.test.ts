/**
 * Fetching a Hacker News story from a local Hacker News. The story is item 8863 as the official
 * API's README shows it (test/fixtures/discussions/hn-HackerNews-API-README.md: 33 kids, 71
 * descendants). No capture of its comments exists here, so two levels of replies under its first
 * kid are HAND-WRITTEN (ids from 90001, one listed twice as bad data would); its other kids answer
 * `null`, as the API does for an item it does not have.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FetchedDiscussion } from '../src/adapters/discussions/fetch-types.ts';
import { type DiscussionSite, NO_VALIDATORS, type RecordingClock, localFetcher, recordingClock, serveDiscussionSite } from './helpers/discussion-site.ts';

const README = readFileSync(new URL('./fixtures/discussions/hn-HackerNews-API-README.md', import.meta.url), 'utf8');
/** The README's story example: the first JSON block after "story:". */
const STORY = JSON.parse(/story: \S+\s+```javascript\n([\s\S]*?)\n```/.exec(README)![1]!) as { id: number; kids: number[]; descendants: number };
const HAND_WRITTEN = [
  { by: 'hand', id: 8952, kids: [90001, 90002], parent: 8863, text: 'A hand-written reply to the story.', time: 1175714300, type: 'comment' },
  { by: 'written', id: 90001, kids: [90003], parent: 8952, text: 'A hand-written reply to it.', time: 1175714400, type: 'comment' },
  { by: 'hand', id: 90002, kids: [90003], parent: 8952, text: 'Another, listing the same kid.', time: 1175714500, type: 'comment' },
  { by: 'written', id: 90003, parent: 90001, text: 'The deepest hand-written reply.', time: 1175714600, type: 'comment' },
];
const ITEMS = [...new Set([STORY.id, ...STORY.kids, ...HAND_WRITTEN.map((i) => i.id)])];

let site: DiscussionSite;
let clock: RecordingClock;
beforeEach(async () => {
  site = await serveDiscussionSite();
  clock = recordingClock();
  site.route(`/v0/item/${STORY.id}.json`, (req) =>
    req.headers['if-none-match'] === '"8863"' ? { status: 304 } : { headers: { ETag: '"8863"' }, body: STORY },
  );
  // A short delay, so that requests overlap and the concurrency limit is what keeps them few.
  for (const kid of STORY.kids) site.route(`/v0/item/${kid}.json`, { body: null, delayMs: 15 });
  for (const item of HAND_WRITTEN) site.route(`/v0/item/${item.id}.json`, { body: item, delayMs: 15 });
});
afterEach(() => site.close());

function fresh(result: FetchedDiscussion): Extract<FetchedDiscussion, { outcome: 'fresh' }> {
  if (result.outcome !== 'fresh') throw new Error(`expected a fresh discussion, got ${JSON.stringify(result)}`);
  return result;
}

describe('GIVEN a story read through the official API, item by item', () => {
  it('THEN every kid is fetched once, recursively, never more at once than the limit, and what is not held is counted', async () => {
    const budget = { remaining: 100 };
    const got = fresh(
      await localFetcher(site.base, clock, { hackerNewsConcurrency: 3 }).fetch(`https://news.ycombinator.com/item?id=${STORY.id}`, NO_VALIDATORS, budget),
    );
    for (const id of ITEMS) expect([id, site.hits(`/v0/item/${id}.json`)]).toEqual([id, 1]);
    expect(site.requests.length).toBe(ITEMS.length);
    expect(got.requests).toBe(ITEMS.length);
    expect(budget.remaining).toBe(100 - ITEMS.length);
    expect(site.maxInFlight).toBeLessThanOrEqual(3);
    expect(site.maxInFlight).toBeGreaterThan(1);
    expect(got.discussion.article.comments.map((c) => [c.id, c.replyTo])).toEqual([
      ['hn:8952', null],
      ['hn:90001', 'hn:8952'],
      ['hn:90003', 'hn:90001'],
      ['hn:90002', 'hn:8952'],
    ]);
    expect(got.discussion.article.title).toBe('My YC app: Dropbox - Throw away your USB drive');
    expect(got.discussion.missing).toBe(STORY.descendants - 4);
    expect(got.validators).toEqual({ etag: '"8863"', lastModified: null });
  });

  it('THEN the budget stops the walk: exactly as many requests as it allows, none twice', async () => {
    const budget = { remaining: 6 };
    const got = fresh(
      await localFetcher(site.base, clock, { hackerNewsConcurrency: 4 }).fetch(`https://news.ycombinator.com/item?id=${STORY.id}`, NO_VALIDATORS, budget),
    );
    expect(budget.remaining).toBe(0);
    expect(site.requests.length).toBe(6);
    expect(got.requests).toBe(6);
    expect(new Set(site.requests.map((r) => r.url)).size).toBe(6);
    expect(got.discussion.missing).toBe(STORY.descendants - got.discussion.article.comments.length);
  });

  it('THEN the story is asked for conditionally, and a 304 is not-modified without walking the kids', async () => {
    const fetched = await localFetcher(site.base, clock).fetch(
      `https://news.ycombinator.com/item?id=${STORY.id}`,
      { etag: '"8863"', lastModified: null },
      { remaining: 10 },
    );
    expect(fetched).toEqual({ outcome: 'not-modified', requests: 1 });
    expect(site.requests.length).toBe(1);
  });
  it('THEN an item Hacker News does not have (null) fails, naming it, without further requests', async () => {
    site.route('/v0/item/1.json', { body: null });
    const got = await localFetcher(site.base, clock).fetch('https://news.ycombinator.com/item?id=1', NO_VALIDATORS, { remaining: 10 });
    expect(got).toEqual({ outcome: 'failed', reason: `${site.base}/v0/item/1.json: Hacker News has no item 1 (it answered null)`, retryAt: null, requests: 1 });
  });
});

describe('GIVEN Algolia configured', () => {
  /** The same hand-written replies as Algolia nests them under the story. */
  const tree = {
    id: STORY.id,
    created_at_i: 1175714200,
    type: 'story',
    author: 'dhouston',
    title: 'My YC app: Dropbox - Throw away your USB drive',
    url: 'http://www.getdropbox.com/u/2/screencast.html',
    text: null,
    children: [
      { id: 8952, created_at_i: 1175714300, type: 'comment', author: 'hand', text: 'A hand-written reply to the story.', parent_id: 8863, children: [] },
    ],
  };

  it('THEN the whole tree comes in one request', async () => {
    site.route(`/algolia/items/${STORY.id}`, { body: tree });
    const fetcher = localFetcher(site.base, clock, { algoliaBase: `${site.base}/algolia` });
    const got = fresh(await fetcher.fetch(`https://news.ycombinator.com/item?id=${STORY.id}`, NO_VALIDATORS, { remaining: 10 }));
    expect(got.requests).toBe(1);
    expect(site.requests.map((r) => r.url)).toEqual([`/algolia/items/${STORY.id}`]);
    expect(got.discussion.article.comments.map((c) => c.id)).toEqual(['hn:8952']);
  });

  it('THEN when Algolia fails the official API is read instead, and the warning says why', async () => {
    site.route(`/algolia/items/${STORY.id}`, { status: 502 });
    const fetcher = localFetcher(site.base, clock, { algoliaBase: `${site.base}/algolia` });
    const got = fresh(await fetcher.fetch(`https://news.ycombinator.com/item?id=${STORY.id}`, NO_VALIDATORS, { remaining: 100 }));
    expect(got.requests).toBe(1 + ITEMS.length);
    expect(got.discussion.article.comments.length).toBe(4);
    expect(got.discussion.warnings[0]).toBe(
      `${site.base}/algolia/items/${STORY.id}: the whole tree was not fetched: HTTP 502 Bad Gateway from ${site.base}/algolia/items/${STORY.id}; read through the official API instead`,
    );
  });
});
