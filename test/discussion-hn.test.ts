/**
 * Hacker News items into a Discussion. The real responses are the official API's own examples in
 * HackerNews/API's README (test/fixtures/discussions/SOURCES.md): a story, a comment, an Ask HN, a
 * job with code and a link, a poll; and one recorded Algolia `items/ID` answer (item 17, a comment
 * with two replies, from fraction/node-hacker-news-api's fixtures). No recorded story tree was found
 * in a public repository, so whole trees and hostile cases are small and HAND-WRITTEN.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hnParagraphs } from '../src/adapters/discussions/hackernews-html.ts';
import { algoliaComments, looksLikeHackerNews, parseFirebaseItems, parseHackerNews } from '../src/adapters/discussions/hackernews.ts';
import { Article } from '../src/core/model.ts';
import { treeOrder } from '../src/core/tree.ts';

const README = resolve(import.meta.dirname, 'fixtures/discussions/hn-HackerNews-API-README.md');
const NOW = new Date('2026-12-01T12:00:00Z');
/** The README's example responses, by item id. */
const REAL = new Map<number, Record<string, unknown>>(
  [...readFileSync(README, 'utf8').matchAll(/```javascript\n([\s\S]*?)\n```/g)]
    .map((m) => m[1]!.trim())
    .filter((block) => block.startsWith('{') && block.includes('"type"'))
    .map((block) => JSON.parse(block) as Record<string, unknown>)
    .map((item) => [item.id as number, item]),
);
const real = (id: number): Record<string, unknown> => REAL.get(id) ?? expect.fail(`item ${id} is not in the README`);

describe("GIVEN the official API's example items (HackerNews/API README)", () => {
  it('THEN each item is recognised; the user and the id lists are not', () => {
    expect([...REAL.keys()]).toEqual([8863, 2921983, 121003, 192327, 126809, 160705]);
    for (const item of REAL.values()) expect(looksLikeHackerNews(item)).toBe(true);
    expect(looksLikeHackerNews({ about: 'This is a test', created: 1173923446, id: 'jl', karma: 2937 })).toBe(false);
    expect(looksLikeHackerNews([9129911, 9129199])).toBe(false);
  });

  it('THEN a link story saved alone is the article, with its 71 comments counted as missing', () => {
    const d = parseHackerNews('8863.json', real(8863), { now: NOW });
    expect(Article.parse(d.article)).toEqual(d.article);
    expect(d.article).toMatchObject({
      title: 'My YC app: Dropbox - Throw away your USB drive',
      url: 'http://www.getdropbox.com/u/2/screencast.html',
      source: 'Hacker News',
      author: 'dhouston',
      publishedAt: '2007-04-04T19:16:40.000Z',
      body: [],
      comments: [],
      declaredCommentCount: 71,
      commentsUrl: 'https://news.ycombinator.com/item?id=8863',
    });
    expect(d).toMatchObject({ kind: 'hackernews', url: 'https://news.ycombinator.com/item?id=8863', missing: 71, more: [], warnings: [] });
  });

  it('THEN an Ask HN is its own page, its text the body, `<i>` dropped and `<p>` splitting paragraphs', () => {
    const d = parseHackerNews('121003.json', real(121003));
    expect(d.article.url).toBe('https://news.ycombinator.com/item?id=121003');
    expect(d.article.body.map((b) => b.type)).toEqual(['paragraph', 'paragraph', 'paragraph', 'paragraph']);
    expect(d.article.body[0]?.text).toBe('or HN: the Next Iteration');
    expect(d.article.body[1]?.text).toMatch(/^I get the impression that with Arc being released/);
    expect(d.missing).toBe(16);
  });

  it("THEN a job keeps its code's spacing and its link, and an empty url falls back to the item page", () => {
    const d = parseHackerNews('192327.json', real(192327));
    expect(d.article.url).toBe('https://news.ycombinator.com/item?id=192327');
    const texts = d.article.body.map((b) => b.text);
    expect(texts).toContain('Responsibilities');
    expect(texts).toContain(
      '    * Contribute to product design and implementation discussions\n    * Implement projects from the idea phase to production\n    * Test and iterate code before and after production release',
    );
    expect(texts.at(-1)).toContain('Completing the technical problem at http://www.justin.tv/problems/bml will go a long way with us. Cheers!');
  });

  it("THEN a comment's HTML becomes its paragraphs, entities and all", () => {
    expect(hnParagraphs(real(2921983).text as string).map((p) => p.text)).toEqual([
      'Aw shucks, guys ... you make me blush with your compliments.',
      "Tell you what, Ill make a deal: I'll keep writing if you keep reading. K?",
    ]);
  });

  it('THEN a comment saved alone is refused: it is no discussion', () => {
    expect(() => parseHackerNews('2921983.json', real(2921983))).toThrow(
      /^2921983\.json: expected the story among the Hacker News items|2921983\.json: expected the story \(item 2921983\) to have a `title`/,
    );
  });

  it('THEN a story with a real comment not answering it keeps the comment, answering its own parent', () => {
    const d = parseHackerNews('pair.json', [real(121003), real(2921983)]);
    expect(d.article.comments).toHaveLength(1);
    expect(d.article.comments[0]).toMatchObject({
      id: 'hn:2921983',
      author: 'norvig',
      postedAt: '2011-08-24T18:38:47.000Z',
      rating: null,
      replyTo: 'hn:2921506',
      url: 'https://news.ycombinator.com/item?id=2921983',
    });
    expect(d.missing).toBe(15);
  });
});

describe("GIVEN a recorded Algolia items/17 answer (a comment of pg's with two replies, 2014)", () => {
  const recording = JSON.parse(readFileSync(resolve(import.meta.dirname, 'fixtures/discussions/hn-fraction-algolia-fixtures.json'), 'utf8')) as {
    url: string;
    reply: unknown;
  }[];
  const item17 = recording.find((r) => r.url === '/api/v1/items/17')!.reply;

  it('THEN it is recognised, but a subthread alone is no article: the error says why', () => {
    expect(looksLikeHackerNews(item17)).toBe(true);
    expect(() => parseHackerNews('17.json', item17)).toThrow(
      '17.json: expected the story (item 17) to have a `title`; a comment alone is not a discussion Paperboy can store',
    );
  });

  it("THEN its replies are comments answering it, with Algolia's <p>-wrapped text as paragraphs", () => {
    const { comments, warnings } = algoliaComments('17.json', item17);
    expect(warnings).toEqual([]);
    expect(comments).toEqual([
      {
        id: 'hn:1079',
        number: null,
        author: 'dmon',
        authorId: null,
        postedAt: '2007-02-25T22:18:23.000Z',
        rating: null,
        paragraphs: ['sure'],
        quotes: [],
        replyTo: 'hn:17',
        url: 'https://news.ycombinator.com/item?id=1079',
      },
      {
        id: 'hn:454426',
        number: null,
        author: 'Arrington',
        authorId: null,
        postedAt: '2009-01-28T20:32:27.000Z',
        rating: null,
        paragraphs: ["This is why we can't have nice things."],
        quotes: [],
        replyTo: 'hn:17',
        url: 'https://news.ycombinator.com/item?id=454426',
      },
    ]);
  });
});

// ---- Hand-written trees and hostile cases (not captures) ----

const STORY_TEXT = 'We rewrote the scheduler in Rust and cut tail latency by half across every region we run.';
const firebase = [
  { id: 1, type: 'story', by: 'op', time: 1700000000, title: 'Show HN: A scheduler', text: STORY_TEXT, kids: [3, 2], score: 42, descendants: 6 },
  { id: 2, type: 'comment', by: 'amy', time: 1700000100, parent: 1, text: 'Second in rank.', kids: [4] },
  {
    id: 3,
    type: 'comment',
    by: 'bob',
    time: 1700000200,
    parent: 1,
    text: `<i>cut tail latency by half across every region we run</i><p>How did you measure it?`,
    kids: [5],
  },
  { id: 4, type: 'comment', deleted: true, time: 1700000300, parent: 2, kids: [6] },
  { id: 5, type: 'comment', by: 'cat', dead: true, time: 1700000400, parent: 3, text: 'flagged words' },
  { id: 6, type: 'comment', by: 'dan', time: 1700000500, parent: 4, text: '&gt; deleted parent<p>Still here &amp; replying' },
];

describe('GIVEN a story and its comments as official API items (hand-written)', () => {
  it('THEN comments follow the kids order depth first, every replyTo resolves, deleted and dead keep their place', () => {
    const d = parseFirebaseItems('thread.json', [...firebase].reverse(), 1);
    expect(d.article.comments.map((c) => c.id)).toEqual(['hn:3', 'hn:5', 'hn:2', 'hn:4', 'hn:6']);
    const ids = new Set(d.article.comments.map((c) => c.id));
    for (const c of d.article.comments) if (c.replyTo !== null) expect(ids.has(c.replyTo)).toBe(true);
    expect(treeOrder(d.article.comments).map((n) => n.depth)).toEqual([0, 1, 0, 1, 2]);
    const byId = new Map(d.article.comments.map((c) => [c.id, c]));
    expect(byId.get('hn:4')).toMatchObject({ deleted: true, author: null, paragraphs: [] });
    expect(byId.get('hn:5')).toMatchObject({ deleted: true, author: 'cat', paragraphs: [] });
    expect(byId.get('hn:6')?.paragraphs).toEqual(['> deleted parent', 'Still here & replying']);
    // 6 announced, 3 still readable held.
    expect(d.missing).toBe(3);
  });

  it('THEN an `<i>` paragraph that repeats the story is a quote of it', () => {
    const d = parseFirebaseItems('thread.json', firebase, 1);
    expect(d.article.comments.find((c) => c.id === 'hn:3')?.quotes).toEqual([{ paragraph: 0, block: 0 }]);
    expect(hnParagraphs(firebase[2]!.text!).map((p) => p.quoted)).toEqual([true, false]);
  });

  it('THEN loops in kids, repeats and strangers end without hanging, each said', () => {
    const loop = [
      { id: 1, type: 'story', title: 'Loop', kids: [2] },
      { id: 2, type: 'comment', parent: 1, text: 'a', kids: [3, 2] },
      { id: 3, type: 'comment', parent: 2, text: 'b', kids: [2] },
      { id: 3, type: 'comment', parent: 2, text: 'again' },
      { id: 9, type: 'story', title: 'another story' },
      'junk',
    ];
    const d = parseHackerNews('loop.json', loop);
    expect(d.article.comments.map((c) => c.id)).toEqual(['hn:2', 'hn:3']);
    expect(d.warnings).toEqual([
      'loop.json: item 3 appears twice; the second copy was skipped',
      'loop.json: an entry that is not a Hacker News item (a string) was skipped',
      'loop.json: item 9 is a story, not a comment; it was skipped',
    ]);
  });
});

const algolia = {
  id: 10,
  created_at: '2024-03-01T10:00:00.000Z',
  created_at_i: 1709287200,
  type: 'story',
  author: 'op',
  title: 'An essay',
  url: 'https://example.com/essay',
  text: null,
  points: 99,
  parent_id: null,
  story_id: 10,
  children: [
    {
      id: 11,
      created_at: '2024-03-01T10:05:00.000Z',
      type: 'comment',
      author: 'amy',
      text: 'See <a href="https://example.com/a/very/long/path/to/a/page">https://example.com/a/very/long/pa...</a> and <a href="javascript:alert(1)">this</a>',
      parent_id: 10,
      story_id: 10,
      children: [
        {
          id: 12,
          created_at: '2024-03-01T10:06:00.000Z',
          type: 'comment',
          author: null,
          text: null,
          parent_id: 11,
          story_id: 10,
          children: [{ id: 13, type: 'comment', created_at_i: 1709287600, author: 'bob', text: 'Reply to a deleted one', parent_id: 12, children: [] }],
        },
      ],
    },
    { id: 14, type: 'comment', author: 'cy', text: '<pre><code>  x = 1\n  y = 2\n</code></pre>', parent_id: 10, children: [] },
  ],
};

describe('GIVEN an Algolia items/ID tree (hand-written)', () => {
  it('THEN it is one discussion: nesting, deleted nodes, links and code kept', () => {
    expect(looksLikeHackerNews(algolia)).toBe(true);
    const d = parseHackerNews('algolia.json', algolia);
    expect(d.article).toMatchObject({
      title: 'An essay',
      url: 'https://example.com/essay',
      author: 'op',
      publishedAt: '2024-03-01T10:00:00.000Z',
      commentsUrl: 'https://news.ycombinator.com/item?id=10',
    });
    expect(d.article.comments.map((c) => [c.id, c.replyTo])).toEqual([
      ['hn:11', null],
      ['hn:12', 'hn:11'],
      ['hn:13', 'hn:12'],
      ['hn:14', null],
    ]);
    const [amy, gone, bob, cy] = d.article.comments;
    expect(amy?.paragraphs).toEqual(['See https://example.com/a/very/long/path/to/a/page and this']);
    expect(gone).toMatchObject({ deleted: true, author: null, paragraphs: [] });
    expect(bob?.postedAt).toBe('2024-03-01T10:06:40.000Z');
    expect(cy?.paragraphs).toEqual(['  x = 1\n  y = 2']);
    expect(d.missing).toBe(0);
  });

  it('THEN a tree 100,000 deep is read without overflowing the stack', () => {
    const depth = 100_000;
    let text = '{"id":1,"type":"story","title":"Deep","author":"a","story_id":1,"children":[';
    for (let i = 2; i < depth + 2; i++) text += `{"id":${i},"type":"comment","author":"a","text":"t","parent_id":${i - 1},"children":[`;
    text += ']}'.repeat(depth) + ']}';
    const d = parseHackerNews('deep.json', JSON.parse(text));
    expect(d.article.comments).toHaveLength(depth);
    expect(treeOrder(d.article.comments).at(-1)?.depth).toBe(depth - 1);
  });

  it('THEN what is no HN item gives a clear error naming the file', () => {
    expect(() => parseHackerNews('x.json', 'hello')).toThrow('x.json: expected a Hacker News item');
    expect(() => parseHackerNews('x.json', { ...algolia, title: null })).toThrow('x.json: expected the story (item 10) to have a `title`');
    expect(() => parseFirebaseItems('x.json', firebase, 77)).toThrow('x.json: expected the story, item 77, among the items');
    // A count past what an integer holds is not believed.
    expect(parseHackerNews('x.json', { ...firebase[0], descendants: 1e300 }).missing).toBe(0);
  });
});
