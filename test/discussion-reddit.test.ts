/**
 * Reddit's JSON into a Discussion, on real recordings (test/fixtures/discussions/SOURCES.md): a post
 * listing of 485 loaded comments nested 9 deep with 177 `more` stubs, and a /api/morechildren
 * answer. The expected figures are worked out from the raw JSON by the test's own walk, not copied
 * from the parser. Hostile cases are small and hand-written.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRedditListing, parseRedditMoreChildren, looksLikeRedditListing, MAX_STUB_COUNT } from '../src/adapters/discussions/reddit.ts';
import type { Discussion } from '../src/adapters/discussions/types.ts';
import { Article } from '../src/core/model.ts';
import { treeOrder } from '../src/core/tree.ts';

const DIR = resolve(import.meta.dirname, 'fixtures/discussions');
const LISTING = resolve(DIR, 'reddit-n49rw-were-back.listing.json');
const CASSETTE = resolve(DIR, 'reddit-praw-TestMore.test_comments.cassette.json');
const NOW = new Date('2026-12-01T12:00:00Z');

interface RawThing {
  kind: string;
  data: {
    id: string;
    body?: string;
    author?: string;
    replies?: { data: { children: RawThing[] } } | '';
    count?: number;
    children?: string[];
    parent_id?: string;
  };
}

/** The raw listing's comments in pre-order with their nesting depth, and its stubs: the test's own walk. */
function rawWalk(listing: unknown): { comments: { id: string; depth: number; data: RawThing['data'] }[]; stubs: RawThing['data'][] } {
  const comments: { id: string; depth: number; data: RawThing['data'] }[] = [];
  const stubs: RawThing['data'][] = [];
  const visit = (things: RawThing[], depth: number): void => {
    for (const t of things) {
      if (t.kind === 'more') stubs.push(t.data);
      else {
        comments.push({ id: t.data.id, depth, data: t.data });
        if (t.data.replies) visit(t.data.replies.data.children, depth + 1);
      }
    }
  };
  visit((listing as { data: { children: RawThing[] } }[])[1]!.data.children, 0);
  return { comments, stubs };
}

describe('GIVEN the recorded listing of "We\'re back" (r/announcements, 2011)', () => {
  let json: unknown;
  let d: Discussion;
  let raw: ReturnType<typeof rawWalk>;
  beforeAll(() => {
    json = JSON.parse(readFileSync(LISTING, 'utf8'));
    d = parseRedditListing(LISTING, json, { now: NOW });
    raw = rawWalk(json);
  });

  it('THEN it is recognised, and the post is the article', () => {
    expect(looksLikeRedditListing(json)).toBe(true);
    const a = d.article;
    expect(Article.parse(a)).toEqual(a);
    expect(a).toMatchObject({
      title: "We're back",
      source: 'Reddit r/announcements',
      author: 'alienth',
      publishedAt: '2011-12-08T03:02:24.000Z',
      url: 'https://www.reddit.com/r/announcements/comments/n49rw/were_back/',
      commentsUrl: 'https://www.reddit.com/r/announcements/comments/n49rw/were_back/',
      declaredCommentCount: 1412,
      ingestedAt: NOW.toISOString(),
    });
    expect(d.kind).toBe('reddit');
    expect(d.url).toBe(a.commentsUrl);
    expect(a.body[0]).toEqual({ type: 'paragraph', text: 'Hey folks,' });
    // Verbatim: the markdown link stays as written.
    expect(a.body.at(-1)?.text).toContain('[thanks for the bananas](/r/downtimebananas)');
  });

  it('THEN every loaded comment is held, once, in the listing order', () => {
    expect(d.article.comments).toHaveLength(485);
    expect(raw.comments).toHaveLength(485);
    expect(d.article.comments.map((c) => c.id)).toEqual(raw.comments.map((c) => `reddit:${c.id}`));
    expect(d.warnings).toEqual([]);
  });

  it('THEN missing is what the stubs announce, and every stub is kept with its parent and children', () => {
    expect(d.more).toHaveLength(raw.stubs.length);
    expect(d.more).toHaveLength(177);
    const announced = raw.stubs.reduce((n, s) => n + (s.count ?? 0), 0);
    expect(d.missing).toBe(announced);
    expect(d.missing).toBe(1060);
    expect(d.more.map((m) => m.parent)).toEqual(raw.stubs.map((s) => s.parent_id));
    expect(d.more.map((m) => m.children)).toEqual(raw.stubs.map((s) => s.children));
    // One "continue this thread" stub: no children, count 0, recorded all the same.
    expect(d.more.filter((m) => m.count === 0 && m.children.length === 0)).toEqual([{ parent: 't1_c368bpa', children: [], count: 0 }]);
  });

  it('THEN every replyTo resolves or is null, and depths by treeOrder match the nesting', () => {
    const ids = new Set(d.article.comments.map((c) => c.id));
    for (const c of d.article.comments) if (c.replyTo !== null) expect(ids.has(c.replyTo)).toBe(true);
    expect(d.article.comments.filter((c) => c.replyTo === null)).toHaveLength(raw.comments.filter((c) => c.depth === 0).length);
    const depths = new Map(treeOrder(d.article.comments).map((n) => [n.comment.id, n.depth]));
    for (const c of raw.comments) expect(depths.get(`reddit:${c.id}`)).toBe(c.depth);
    expect(Math.max(...depths.values())).toBe(9);
  });

  it("THEN authors, scores, times and links are the source's", () => {
    const first = d.article.comments[0]!;
    expect(first).toMatchObject({
      id: 'reddit:c364vol',
      author: 'marcman84',
      rating: 645,
      postedAt: '2011-12-08T03:26:47.000Z',
      replyTo: null,
      url: 'https://www.reddit.com/r/announcements/comments/n49rw/were_back/c364vol/',
    });
    expect(d.article.comments[1]).toMatchObject({
      id: 'reddit:c364wqo',
      author: 'alienth',
      replyTo: 'reddit:c364vol',
      paragraphs: ["Sure. Why not. It's Unix, I know this."],
    });
  });

  it('THEN deleted comments keep their place with no text, and a deleted account keeps its words', () => {
    const deleted = d.article.comments.filter((c) => c.deleted);
    expect(deleted).toHaveLength(raw.comments.filter((c) => c.data.body === '[deleted]').length);
    expect(deleted).toHaveLength(10);
    for (const c of deleted) expect(c).toMatchObject({ author: null, paragraphs: [], quotes: [] });
    const orphanedWords = d.article.comments.find((c) => c.paragraphs[0] === 'Does hosting provider == Amazon ?');
    expect(orphanedWords).toMatchObject({ author: null });
    expect(orphanedWords?.deleted).toBeUndefined();
  });

  it('THEN paragraphs are the body verbatim, a `>` quote of the post its own paragraph and linked to the passage', () => {
    const bodies = new Map(raw.comments.map((c) => [`reddit:${c.id}`, c.data.body ?? '']));
    for (const c of d.article.comments) for (const p of c.paragraphs) expect(bodies.get(c.id)).toContain(p);
    const quoting = d.article.comments.find((c) => c.paragraphs[0]?.startsWith('>Memcached stores its entire dataset'));
    const passage = d.article.body.findIndex((b) => b.text.startsWith('Memcached stores its entire dataset'));
    expect(passage).toBeGreaterThan(0);
    expect(quoting?.quotes).toEqual([{ paragraph: 0, block: passage }]);
    expect(quoting?.paragraphs[1]).toMatch(/^\[Uhh huh/);
  });
});

describe('GIVEN the recorded /api/morechildren answer (praw, t3_3hahrw)', () => {
  const cassette = JSON.parse(readFileSync(CASSETTE, 'utf8')) as {
    interactions: { request: { uri: string; body: string | null }; response: { body: { string: string } } }[];
  };
  const call = cassette.interactions.find((i) => i.request.uri.includes('/api/morechildren'))!;
  const asked = decodeURIComponent(/children=([^&]+)/.exec(call.request.body ?? '')![1]!).split(',');

  it('THEN its comments come with their parents, links and no stubs left', () => {
    const got = parseRedditMoreChildren('morechildren', JSON.parse(call.response.body.string), { postPermalink: '/r/pics/comments/3hahrw/x/' });
    const things = (JSON.parse(call.response.body.string) as { json: { data: { things: RawThing[] } } }).json.data.things;
    expect(got.comments).toHaveLength(things.length);
    expect(got.comments).toHaveLength(7);
    expect(got.more).toEqual([]);
    for (const c of got.comments) expect(asked).toContain(c.id.slice('reddit:'.length));
    for (const [i, t] of things.entries()) {
      const parent = t.data.parent_id!;
      expect(got.comments[i]!.replyTo).toBe(parent.startsWith('t3_') ? null : `reddit:${parent.slice(3)}`);
      expect(got.comments[i]!.url).toBe(`https://www.reddit.com/r/pics/comments/3hahrw/x/${t.data.id}/`);
    }
  });

  it('THEN an error answer is refused, naming the call', () => {
    expect(() => parseRedditMoreChildren('morechildren', { json: { errors: [['RATELIMIT', 'slow down']] } })).toThrow(
      /morechildren: expected a \/api\/morechildren answer .*RATELIMIT/,
    );
  });
});

// ---- Hand-written hostile and edge cases (not captures) ----

function listing(children: unknown[], post: Record<string, unknown> = {}): unknown {
  const p = {
    id: 'abc',
    title: 'A post',
    subreddit: 'test',
    permalink: '/r/test/comments/abc/a_post/',
    is_self: true,
    selftext: '',
    created_utc: 1700000000,
    ...post,
  };
  return [
    { kind: 'Listing', data: { children: [{ kind: 't3', data: p }] } },
    { kind: 'Listing', data: { children } },
  ];
}
const t1 = (id: string, data: Record<string, unknown> = {}, replies: unknown[] = []): unknown => ({
  kind: 't1',
  data: {
    id,
    parent_id: 't3_abc',
    author: 'someone',
    body: 'text',
    score: 1,
    created_utc: 1700000100,
    edited: false,
    replies: replies.length ? { kind: 'Listing', data: { children: replies } } : '',
    ...data,
  },
});

describe('GIVEN hostile or odd listings (hand-written)', () => {
  it('THEN what is not a listing gives a clear error naming the file and what was wrong', () => {
    expect(() => parseRedditListing('bad.json', 42)).toThrow('bad.json: expected a Reddit post listing');
    expect(() =>
      parseRedditListing('bad.json', [
        { kind: 'Listing', data: { children: [] } },
        { kind: 'Listing', data: {} },
      ]),
    ).toThrow('bad.json: expected the first listing to hold the post');
    const noComments = listing([]) as unknown[];
    (noComments[1] as { data: unknown }).data = { children: 'x' };
    expect(() => parseRedditListing('bad.json', noComments)).toThrow('bad.json: expected the second listing to hold the comments');
    expect(() => parseRedditListing('bad.json', listing([], { title: '  ' }))).toThrow('bad.json: expected the post to have a `title`');
  });

  it('THEN a reply chain 100,000 deep is read without overflowing the stack', () => {
    const depth = 100_000;
    const open = (i: number): string =>
      `{"kind":"t1","data":{"id":"c${i.toString(36)}","parent_id":"${i === 0 ? 't3_abc' : `t1_c${(i - 1).toString(36)}`}","author":"a","body":"b","replies":{"kind":"Listing","data":{"children":[`;
    let text =
      '[{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"id":"abc","title":"Deep","subreddit":"test"}}]}},{"kind":"Listing","data":{"children":[';
    for (let i = 0; i < depth; i++) text += open(i);
    text += ']}}}}'.repeat(depth) + ']}}]';
    const d = parseRedditListing('deep.json', JSON.parse(text));
    expect(d.article.comments).toHaveLength(depth);
    expect(Math.max(...treeOrder(d.article.comments).map((n) => n.depth))).toBe(depth - 1);
  });

  it('THEN absurd stub counts are capped with a warning, and broken things are skipped with one', () => {
    const d = parseRedditListing(
      'odd.json',
      listing([
        { kind: 'more', data: { parent_id: 't3_abc', children: ['x1', 'not ok!', 7], count: 2 ** 60 } },
        { kind: 'more', data: { parent_id: 't3_abc', children: [], count: -5 } },
        { kind: 't1', data: { body: 'no id' } },
        'junk',
        t1('ok1'),
        t1('ok1'),
      ]),
    );
    expect(d.more[0]).toEqual({ parent: 't3_abc', children: ['x1'], count: MAX_STUB_COUNT });
    expect(d.more[1]?.count).toBe(0);
    expect(d.missing).toBe(MAX_STUB_COUNT);
    expect(d.article.comments.map((c) => c.id)).toEqual(['reddit:ok1']);
    expect(d.warnings).toEqual([
      expect.stringMatching(/^odd\.json: a `more` stub claims \d+ comments; counted as 1000000$/),
      'odd.json: a comment without a valid `id` was skipped, with its replies',
      'odd.json: a comment entry that is not a Reddit thing (`{kind, data}`) was skipped',
      'odd.json: comment ok1 appears twice; the second copy was skipped',
    ]);
  });

  it("THEN Reddit's escaping is undone only where it escaped, edits are dated, removed comments keep their replies", () => {
    const d = parseRedditListing(
      'x.json',
      listing([
        t1('esc', { body: 'fish &amp; chips &lt;3\n\n&gt; quoted\nreply', body_html: '&lt;div class="md"&gt;' }),
        t1('raw', { body: 'AT&amp;T as typed', body_html: '<div class="md">' }),
        t1('gone', { body: '[removed]', author: '[deleted]', edited: 1700000500 }, [t1('kid', { parent_id: 't1_gone', depth: 1 })]),
      ]),
    );
    const [esc, raw, gone, kid] = d.article.comments;
    expect(esc?.paragraphs).toEqual(['fish & chips <3', '> quoted', 'reply']);
    expect(raw?.paragraphs).toEqual(['AT&amp;T as typed']);
    expect(gone).toMatchObject({ deleted: true, author: null, paragraphs: [], editedAt: '2023-11-14T22:21:40.000Z' });
    expect(kid).toMatchObject({ replyTo: 'reddit:gone' });
    expect(treeOrder(d.article.comments).find((n) => n.comment.id === 'reddit:kid')?.depth).toBe(1);
  });

  it('THEN a morechildren answer that still holds stubs gives them back, with what they stand for', () => {
    const got = parseRedditMoreChildren('mc.json', {
      json: {
        errors: [],
        data: {
          things: [
            t1('m1', { parent_id: 't1_top', permalink: '/r/test/comments/abc/a_post/m1/' }),
            { kind: 'more', data: { parent_id: 't1_m1', children: ['m2', 'm3'], count: 5 } },
            { kind: 'more', data: { parent_id: 't1_m1', children: [], count: 0, id: '_' } },
          ],
        },
      },
    });
    expect(got.comments.map((c) => [c.id, c.replyTo, c.url])).toEqual([['reddit:m1', 'reddit:top', 'https://www.reddit.com/r/test/comments/abc/a_post/m1/']]);
    expect(got.more).toEqual([
      { parent: 't1_m1', children: ['m2', 'm3'], count: 5 },
      { parent: 't1_m1', children: [], count: 0 },
    ]);
  });

  it('THEN an array of articles is not taken for a listing', () => {
    expect(
      looksLikeRedditListing([
        { title: 'A', body: 'x' },
        { title: 'B', body: 'y' },
      ]),
    ).toBe(false);
    expect(looksLikeRedditListing([{ kind: 'Listing' }])).toBe(false);
  });

  it('THEN a link post points at its link, and its permalink is the discussion', () => {
    const d = parseRedditListing('link.json', listing([], { is_self: false, url: 'https://example.com/story' }));
    expect(d.article.url).toBe('https://example.com/story');
    expect(d.article.commentsUrl).toBe('https://www.reddit.com/r/test/comments/abc/a_post/');
    const js = parseRedditListing('link.json', listing([], { is_self: false, url: 'javascript:alert(1)' }));
    expect(js.article.url).toBe('https://www.reddit.com/r/test/comments/abc/a_post/');
  });
});
