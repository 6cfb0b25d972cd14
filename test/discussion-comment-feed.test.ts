import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_COMMENT_FEED_BYTES, looksLikeCommentFeed, parseCommentFeed } from '../src/adapters/discussions/comment-feed.ts';
import { ParseError } from '../src/core/errors.ts';
import { Article, articleId } from '../src/core/model.ts';
import type { Comment } from '../src/core/model.ts';
import { commentDepths, treeOrder } from '../src/core/tree.ts';

// test/fixtures/discussions/SOURCES.md says where each fixture comes from (and which is hand-written).
const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/discussions/${name}`, import.meta.url));
const now = new Date('2026-12-01T12:00:00Z');
const DATASETS = '/work/shared/datasets/feeds/';

function expectResolvedTree(comments: readonly Comment[]): void {
  const ids = new Set(comments.map((c) => c.id));
  for (const c of comments) if (c.replyTo !== null) expect(ids).toContain(c.replyTo);
  expect(treeOrder(comments)).toHaveLength(comments.length);
}

describe('GIVEN a Blogger comment feed (feedparser test suite, captured 2009)', () => {
  const bytes = fixture('comment-feed-blogger-salmon-test.atom');

  it('THEN it is a comment feed: its one entry answers the post through thr:in-reply-to', () => {
    expect(looksLikeCommentFeed(bytes)).toBe(true);
  });

  it('THEN the article is the post the feed links to, with an empty body, and the id its URL gives', () => {
    const d = parseCommentFeed('salmon.atom', bytes, { now });
    expect(d.kind).toBe('comment-feed');
    expect(Article.parse(d.article)).toEqual(d.article);
    expect([d.article.title, d.article.url, d.article.body, d.article.author]).toEqual([
      'salmon-test: Test post',
      'http://salmon-test.blogspot.com/2009/10/test-post.html',
      [],
      null,
    ]);
    expect(d.article.id).toBe(articleId({ url: 'http://salmon-test.blogspot.com/2009/10/test-post.html', source: 'the post feed', title: 'Test post' }));
    // A saved file has no address of its own.
    expect([d.url, d.article.commentsUrl]).toEqual([null, null]);
    const online = parseCommentFeed('https://salmon-test.blogspot.com/feeds/3861663258538857954/comments/default', bytes, { now });
    expect(online.url).toBe('https://salmon-test.blogspot.com/feeds/3861663258538857954/comments/default');
    expect(online.article.id).toBe(d.article.id);
  });

  it('THEN its comment keeps author, time, link and text; a reply to the post has no parent; OpenSearch says 29 more exist', () => {
    const d = parseCommentFeed('salmon.atom', bytes, { now });
    expect(d.article.comments).toEqual([
      {
        id: 'feed:tag:blogger.com,1999:blog-893591374313312737.post-4788628857625737701',
        number: null,
        author: 'John',
        authorId: null,
        postedAt: '2009-12-09T00:59:02.544Z',
        rating: null,
        paragraphs: ['bloffo bliff by te... (http://example.org/profile/te...)'],
        quotes: [],
        replyTo: null,
        url: 'http://salmon-test.blogspot.com/2009/10/test-post.html?showComment=1260320342544#c4788628857625737701',
        editedAt: null,
      },
    ]);
    expect([d.article.declaredCommentCount, d.missing, d.warnings]).toEqual([30, 29, []]);
  });
});

describe('GIVEN a WordPress RSS comment feed (hand-written after feed-rss2-comments.php)', () => {
  const bytes = fixture('comment-feed-handwritten-wordpress.rss');

  it('THEN "Comments on:" with every item at an anchor of the post makes it a comment feed; the title loses the prefix', () => {
    expect(looksLikeCommentFeed(bytes)).toBe(true);
    const d = parseCommentFeed('wp.rss', bytes, { now, source: 'Example Blog' });
    expect([d.article.title, d.article.url, d.article.source]).toEqual([
      'Council “moves” the bus depot',
      'https://blog.example.org/2024/05/bus-depot/',
      'Example Blog',
    ]);
  });

  it('THEN the comments come flat (RSS says nothing of replies), verbatim, by guid', () => {
    const d = parseCommentFeed('wp.rss', bytes, { now });
    expect(d.article.comments.map((c) => [c.id, c.author, c.postedAt, c.replyTo, c.url, c.paragraphs])).toEqual([
      [
        'feed:https://blog.example.org/?p=7#comment-12',
        'Ann',
        '2024-05-08T18:03:11Z',
        null,
        'https://blog.example.org/2024/05/bus-depot/#comment-12',
        ['Where will the night buses stop now?', 'Nobody at the meeting could say.'],
      ],
      [
        'feed:https://blog.example.org/?p=7#comment-13',
        'Bob',
        '2024-05-08T19:40:02Z',
        null,
        'https://blog.example.org/2024/05/bus-depot/#comment-13',
        ['In reply to Ann (https://blog.example.org/2024/05/bus-depot/#comment-12).', 'At the station, @everyone says.'],
      ],
    ]);
    expect([d.missing, d.article.declaredCommentCount]).toEqual([0, null]);
  });
});

describe("GIVEN RFC 4685's example feed (Rome's test resources): an entry and a reply to it", () => {
  const bytes = fixture('comment-feed-rfc4685-example.atom');

  it('THEN it is not taken for a comment feed (its first entry answers nothing), but parsed it is a tree', () => {
    expect(looksLikeCommentFeed(bytes)).toBe(false);
    const d = parseCommentFeed('rfc.atom', bytes, { now });
    expectResolvedTree(d.article.comments);
    expect(d.article.comments.map((c) => [c.id, c.replyTo])).toEqual([
      ['feed:tag:example.org,2005:1', null],
      ['feed:tag:example.org,2005:1,1', 'feed:tag:example.org,2005:1'],
    ]);
    expect([...commentDepths(d.article.comments).values()]).toEqual([0, 1]);
  });
});

describe('GIVEN article feeds', () => {
  it("THEN the project's ten real article feeds are not comment feeds", () => {
    const names = readdirSync(DATASETS);
    expect(names).toHaveLength(10);
    expect(names.filter((n) => looksLikeCommentFeed(readFileSync(DATASETS + n)))).toEqual([]);
  });

  it("THEN an article feed that declares thr and links each article's replies (intertwingly.net) is not one either", () => {
    expect(looksLikeCommentFeed(fixture('comment-feed-not-intertwingly-articles.atom'))).toBe(false);
  });

  it('THEN a "Comments on" title alone is not enough: its items must point at anchors (hand-written)', () => {
    const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>Comments on: the week</title><link>https://news.example/</link>
      <item><title>Budget</title><link>https://news.example/budget</link></item><item><title>Roads</title><link>https://news.example/roads</link></item></channel></rss>`;
    expect(looksLikeCommentFeed(rss)).toBe(false);
    expect(looksLikeCommentFeed(rss.replace('/budget', '/week#c1').replace('/roads', '/week#c2'))).toBe(true);
  });

  it('THEN what is no feed at all is never a comment feed, and reading one as such names the file and the problem', () => {
    for (const junk of [
      '',
      '{"a":1}',
      '<!DOCTYPE html><html><head><title>Hi</title></head></html>',
      '<rss version="2.0"><channel><title>Comments on: x</title>',
      '\u0000\u0001',
    ]) {
      expect(looksLikeCommentFeed(junk)).toBe(false);
    }
    expect(() => parseCommentFeed('page.html', '<!DOCTYPE html><html><head><title>Hi</title></head></html>')).toThrow(ParseError);
    expect(() => parseCommentFeed('page.html', '<!DOCTYPE html><html><head><title>Hi</title></head></html>')).toThrow(
      'page.html: expected a feed (RSS, Atom or JSON Feed), got an HTML page ("Hi")',
    );
    expect(() => parseCommentFeed('cut.rss', '<rss version="2.0"><channel><title>Comments on: x</title><item>')).toThrow(
      /^cut\.rss:1: expected the document to end with <\/rss>/,
    );
    const huge = Buffer.alloc(MAX_COMMENT_FEED_BYTES + 1, 32);
    expect(looksLikeCommentFeed(huge)).toBe(false);
    expect(() => parseCommentFeed('huge.rss', huge)).toThrow(`huge.rss: expected a comment feed of at most 10000000 bytes, got 10000001`);
    expect(() => parseCommentFeed('empty.xml', Buffer.alloc(0))).toThrow('empty.xml: expected a feed (RSS, Atom or JSON Feed), got an empty body');
    expect(() => parseCommentFeed('untitled.rss', '<rss version="2.0"><channel><description>d</description></channel></rss>')).toThrow(
      'untitled.rss: expected a comment feed that names its article: a title or a link to the post',
    );
  });
});

describe('GIVEN a threaded Atom comment feed (hand-written after WordPress feed-atom-comments.php)', () => {
  const atom = (entries: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">
  <title type="text">Comments on Roadworks</title><link rel="alternate" type="text/html" href="https://blog.example.org/roadworks/#comments"/>
  <id>https://blog.example.org/roadworks/feed/atom/</id><updated>2024-05-09T10:00:00Z</updated>${entries}</feed>`;
  const entry = (n: number, inReplyTo: string, extra = ''): string => `
  <entry><title>By: P${n}</title><link rel="alternate" href="https://blog.example.org/roadworks/#comment-${n}"/><author><name>P${n}</name></author>
    <id>https://blog.example.org/?p=5#comment-${n}</id><published>2024-05-0${n}T10:00:00Z</published><updated>2024-05-0${n}T10:00:00Z</updated>${extra}
    ${inReplyTo}<content type="html">&lt;p&gt;Comment ${n}&lt;/p&gt;</content></entry>`;
  const toPost = '<thr:in-reply-to ref="https://blog.example.org/?p=5" href="https://blog.example.org/roadworks/" type="text/html"/>';
  const to = (n: number): string =>
    `<thr:in-reply-to ref="https://blog.example.org/?p=5#comment-${n}" href="https://blog.example.org/roadworks/#comment-${n}" type="text/html"/>`;

  it('THEN refs become replies (by guid, else by link), a reply to the post has no parent, and a later updated is an edit', () => {
    const text = atom(
      entry(1, toPost) +
        entry(2, to(1)) +
        entry(3, `<thr:in-reply-to ref="urn:unknown" href="https://blog.example.org/roadworks/#comment-2"/>`) +
        entry(4, to(3)).replace('<updated>2024-05-04T10:00:00Z', '<updated>2024-05-05T08:30:00Z'),
    );
    expect(looksLikeCommentFeed(text)).toBe(true);
    const d = parseCommentFeed('threaded.atom', text, { now });
    expect(d.article.title).toBe('Roadworks');
    expect(d.article.url).toBe('https://blog.example.org/roadworks/');
    const id = (n: number): string => `feed:https://blog.example.org/?p=5#comment-${n}`;
    expect(d.article.comments.map((c) => [c.id, c.replyTo, c.author, c.paragraphs])).toEqual([
      [id(1), null, 'P1', ['Comment 1']],
      [id(2), id(1), 'P2', ['Comment 2']],
      [id(3), id(2), 'P3', ['Comment 3']],
      [id(4), id(3), 'P4', ['Comment 4']],
    ]);
    expect([...commentDepths(d.article.comments).values()]).toEqual([0, 1, 2, 3]);
    expect(d.article.comments.map((c) => c.editedAt)).toEqual([null, null, null, '2024-05-05T08:30:00Z']);
  });

  it('THEN hostile entries cost a warning each: no id or link, a repeated id; a reply loop and a reply to itself stay placeable', () => {
    const nameless = `<entry><title>x</title><content type="text">lost</content></entry>`;
    const loopA = entry(5, to(6));
    const loopB = entry(6, to(5));
    const selfish = entry(7, to(7));
    const d = parseCommentFeed('hostile.atom', atom(entry(1, toPost) + nameless + entry(1, toPost) + loopA + loopB + selfish), { now });
    expect(d.article.comments.map((c) => c.id.replace('feed:https://blog.example.org/?p=5#', ''))).toEqual([
      'comment-1',
      'comment-5',
      'comment-6',
      'comment-7',
    ]);
    expect(d.article.comments.find((c) => c.id.endsWith('comment-7'))?.replyTo).toBeNull();
    expect(treeOrder(d.article.comments)).toHaveLength(4);
    expect(d.warnings).toEqual([
      'hostile.atom: item 2 has no guid or link to know it by; left out',
      'hostile.atom: item 3 repeats the guid "https://blog.example.org/?p=5#comment-1"; left out',
    ]);
  });
});
