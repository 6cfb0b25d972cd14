import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { discoursePostIdsToFetch, looksLikeDiscourseTopic, parseDiscoursePosts, parseDiscourseTopic } from '../src/adapters/discussions/discourse.ts';
import { linkCommentQuotes } from '../src/adapters/sources/comment-quotes.ts';
import { ParseError } from '../src/core/errors.ts';
import { Article } from '../src/core/model.ts';
import type { Comment } from '../src/core/model.ts';
import { commentDepths, treeOrder } from '../src/core/tree.ts';

// Captured responses; test/fixtures/discussions/SOURCES.md says where each comes from.
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./fixtures/discussions/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const SANDBOX = 'discourse-topic-try-sandbox.json';
const CF_TOPIC = 'discourse-topic-cf-2108-near-452.json';
const CF = 'https://discuss.criticalfallibilism.com';
const now = new Date('2026-12-01T12:00:00Z');

/** Every replyTo names a comment of the same discussion, or is null (a reply to the topic). */
function expectResolvedTree(comments: readonly Comment[]): void {
  const ids = new Set(comments.map((c) => c.id));
  for (const c of comments) if (c.replyTo !== null) expect(ids, `${c.id} answers ${c.replyTo}`).toContain(c.replyTo);
  expect(treeOrder(comments)).toHaveLength(comments.length);
}

describe('GIVEN try.discourse.org /t/57.json (discourse_api gem fixture)', () => {
  const json = fixture(SANDBOX);

  it('THEN it is a topic; post 1 is the article, the other posts its comments, with the forum as source and links under base', () => {
    expect(looksLikeDiscourseTopic(json)).toBe(true);
    const d = parseDiscourseTopic(SANDBOX, json, 'https://try.discourse.org/', { now });
    expect(d.kind).toBe('discourse');
    expect(Article.parse(d.article)).toEqual(d.article);
    const a = d.article;
    expect([a.title, a.author, a.source, a.publishedAt, a.declaredCommentCount]).toEqual([
      'THIS SITE IS A SANDBOX -- it is reset every day',
      'samsaffron',
      'try.discourse.org',
      '2013-02-04T20:26:25.977Z',
      3,
    ]);
    expect(a.url).toBe('https://try.discourse.org/t/this-site-is-a-sandbox-it-is-reset-every-day/57');
    expect(d.url).toBe(a.url);
    expect(a.commentsUrl).toBe(a.url);
    expect(a.body.slice(0, 2)).toEqual([
      { type: 'paragraph', text: 'Welcome!' },
      { type: 'heading', text: 'Try is a sandbox, a safe place to play with Discourse and its features.' },
    ]);
    expect(a.comments.map((c) => [c.id, c.number, c.author, c.rating, c.replyTo])).toEqual([
      ['discourse:try.discourse.org:84', 2, 'samsaffron', 0, null],
      ['discourse:try.discourse.org:86', 3, 'stienman', 5, null],
      // reply_to_post_number 1: an answer to the topic itself.
      ['discourse:try.discourse.org:226', 14, 'splattne', 5, null],
    ]);
    expect(a.comments[2]).toMatchObject({
      postedAt: '2013-02-05T17:14:17.364Z',
      editedAt: null,
      url: 'https://try.discourse.org/t/this-site-is-a-sandbox-it-is-reset-every-day/57/14',
      paragraphs: ['What? So I have to post this every day?'],
    });
    expect(a.comments.some((c) => c.deleted)).toBe(false);
    expect([d.missing, d.warnings]).toEqual([0, []]);
  });

  it('THEN a saved file without base has no links, ids say "file", and the source is what the caller names', () => {
    const d = parseDiscourseTopic(SANDBOX, json, null, { now, source: 'Try Discourse' });
    expect([d.url, d.article.url, d.article.source]).toEqual([null, null, 'Try Discourse']);
    expect(d.article.comments.map((c) => [c.id, c.url])).toEqual([
      ['discourse:file:84', null],
      ['discourse:file:86', null],
      ['discourse:file:226', null],
    ]);
    expect(parseDiscourseTopic(SANDBOX, json, null, { now }).article.source).toBeNull();
  });

  it('THEN without "title" the fancy_title is decoded, and a post deleted by its author keeps its place without text (edited copy of the fixture)', () => {
    const copy = structuredClone(json) as { title?: string; post_stream: { posts: Record<string, unknown>[] } };
    delete copy.title;
    const last = copy.post_stream.posts[3]!;
    Object.assign(last, { cooked: '<p>(post deleted by author)</p>', user_deleted: true });
    const d = parseDiscourseTopic(SANDBOX, copy, null, { now });
    expect(d.article.title).toBe('THIS SITE IS A SANDBOX – it is reset every day');
    expect(d.article.comments[2]).toMatchObject({ id: 'discourse:file:226', deleted: true, paragraphs: [], author: 'splattne' });
    Object.assign(last, { cooked: '<p>Gone</p>', user_deleted: false, deleted_at: '2013-02-06T10:00:00.000Z' });
    expect(parseDiscourseTopic(SANDBOX, copy, null, { now }).article.comments[2]).toMatchObject({ deleted: true, paragraphs: [] });
  });
});

describe('GIVEN discuss.criticalfallibilism.com /t/2108/452.json: 446 posts in the stream, 20 held, post 1 not among them', () => {
  const json = fixture(CF_TOPIC);
  const d = parseDiscourseTopic(CF_TOPIC, json, `${CF}/`, { now });
  const byNumber = (n: number): Comment => d.article.comments.find((c) => c.number === n)!;

  it('THEN 20 comments are held and the 426 others counted as missing, listed in stream order for posts.json', () => {
    expect(d.article.comments).toHaveLength(20);
    expect(d.missing).toBe(426);
    const ids = discoursePostIdsToFetch(json);
    expect(ids).toHaveLength(426);
    expect(ids[0]).toBe(18843);
    expect(ids).not.toContain(20181);
    expect(d.article.declaredCommentCount).toBe(445);
  });

  it('THEN the body is empty with a warning naming post 1, and the author comes from the topic details', () => {
    expect(d.article.body).toEqual([]);
    expect(d.article.author).toBe('Elliot');
    expect(d.warnings[0]).toBe(`${CF_TOPIC}: post 1 (the topic's own text) is not in this copy; the article body is left empty`);
  });

  it('THEN replies form a tree 8 deep; answers to posts not held are roots, each with a warning', () => {
    expectResolvedTree(d.article.comments);
    const depths = commentDepths(d.article.comments);
    expect(depths.get(byNumber(452).id)).toBe(7);
    expect(byNumber(452).replyTo).toBe(byNumber(451).id);
    expect(byNumber(449).replyTo).toBe(byNumber(447).id);
    expect(Math.max(...depths.values())).toBe(7);
    expect([byNumber(433).replyTo, byNumber(434).replyTo, byNumber(443).replyTo]).toEqual([null, null, null]);
    expect(d.warnings.filter((w) => w.includes('which this copy does not hold'))).toHaveLength(3);
    expect(d.warnings).toContain(`${CF_TOPIC}: post 20130 (#443) answers #149, which this copy does not hold; placed as a reply to the topic`);
  });

  it('THEN an edit counts only with a version above 1 (updated_at also moves on likes), and likes become the rating', () => {
    expect(byNumber(442)).toMatchObject({ author: 'Jarrod', postedAt: '2025-12-17T02:59:59.303Z', editedAt: '2025-12-17T03:08:35.631Z', rating: 1 });
    // Post 445: updated_at 47 s after created_at, version 1.
    expect(byNumber(445).editedAt).toBeNull();
    expect(byNumber(434).rating).toBeNull();
    expect(d.article.comments.filter((c) => c.editedAt !== null).map((c) => c.number)).toEqual([442, 446, 447, 448]);
    expect(byNumber(452).url).toBe(`${CF}/t/comments-on-the-boyfriends-introduction-to-feminism/2108/452`);
  });

  it('THEN a post of only an embedded video keeps its link as its text', () => {
    expect(byNumber(436).paragraphs).toEqual(['https://www.tiktok.com/@ollanicko/video/7583988830068313366']);
  });
});

describe('GIVEN /t/ID/posts.json pages (the stream fetched in parts)', () => {
  it('THEN post 1 in a page is the body and the other posts are comments; a quote of another topic never links to this article', () => {
    const page = parseDiscoursePosts('2108 posts', fixture('discourse-posts-cf-2108.json'), CF);
    expect(page.warnings).toEqual([]);
    expect(page.body?.[0]?.text).toBe(
      'This is a companion discussion topic for the original entry at https://curi.us/2599-comments-on-the-boyfriends-introduction-to-feminism',
    );
    expect(page.comments.map((c) => c.number)).toEqual(Array.from({ length: 19 }, (_, i) => i + 2));
    expectResolvedTree(page.comments);
    // An emoji is an image whose alt is what the author typed.
    expect(page.comments.find((c) => c.number === 13)?.paragraphs.some((p) => p.endsWith('12 years of democrat presidents, though :confused:'))).toBe(true);
    // Post 20 quotes post 1 of topic 2081, whose notice differs from this one's by its link only.
    const post20 = page.comments.find((c) => c.number === 20)!;
    expect(post20.paragraphs[2]).toMatch(/^This is a companion discussion topic for the original entry at https:\/\/curi\.us\/2590-/);
    expect(post20.quotes).toEqual([]);
    expect(linkCommentQuotes(page.body ?? [], [post20])[0]?.quotes).toEqual([{ paragraph: 2, block: 0 }]);
  });

  it('THEN a paragraph quoting the article (post 1 of this topic) links to the passage it repeats', () => {
    const json = fixture('discourse-posts-cf-2144.json');
    const quoted = parseDiscoursePosts('2144', json, CF).comments[0]!;
    // The blog post behind topic 2144 is not in the fixture: its passage as post 2 quotes it stands in for it.
    const passage = quoted.paragraphs[2]!;
    expect(passage).toMatch(/^People being different is pretty much the only thing people are dismissed for\./);
    const body = [
      { type: 'heading' as const, text: 'KPop Demon Hunters' },
      { type: 'paragraph' as const, text: passage },
    ];
    const withBody = parseDiscoursePosts('2144', json, CF, [], body).comments[0]!;
    expect(withBody.quotes).toEqual([{ paragraph: 2, block: 1 }]);
  });

  it('THEN a reply in a later page finds its parent among the comments of earlier pages; quote titles are not text', () => {
    const json = fixture('discourse-posts-cf-2144.json') as { post_stream: { posts: unknown[] } };
    const posts = json.post_stream.posts;
    const first = parseDiscoursePosts('page 1', { post_stream: { posts: posts.slice(0, 10) } }, CF);
    const second = parseDiscoursePosts('page 2', { post_stream: { posts: posts.slice(10) } }, CF, first.comments);
    const all = [...first.comments, ...second.comments];
    expect(all).toHaveLength(19);
    expect(second.warnings).toEqual([]);
    const post13 = second.comments.find((c) => c.number === 13)!;
    expect(post13.replyTo).toBe('discourse:discuss.criticalfallibilism.com:20104');
    expect(post13.paragraphs[0]).toBe('LoLE dynamics');
    expect(all.flatMap((c) => c.paragraphs).filter((p) => /^\w+:$/.test(p))).toEqual([]);
    expectResolvedTree(all);
    expect(Math.max(...commentDepths(all).values())).toBe(4);
    // Without the first page, post 13's parent (#3) is unknown.
    const alone = parseDiscoursePosts('page 2', { post_stream: { posts: posts.slice(10) } }, CF);
    expect(alone.comments.find((c) => c.number === 13)?.replyTo).toBeNull();
    expect(alone.warnings.some((w) => w.startsWith('page 2: post 20186 (#13) answers #3'))).toBe(true);
  });

  it("THEN the gem's anonymised posts.json reads too: likes from actions_summary", () => {
    const page = parseDiscoursePosts('gem', fixture('discourse-posts-api-gem.json'), null);
    expect(page.comments.map((c) => [c.id, c.author, c.rating, c.paragraphs])).toEqual([['discourse:file:123456', 'Some-username', 3, ['Some text.']]]);
    expect(page.body).toBeNull();
  });
});

describe('GIVEN hostile input (hand-written)', () => {
  it('THEN what is not a topic is refused, naming the file and what was expected', () => {
    expect(() => parseDiscourseTopic('t.json', [1, 2], null)).toThrow(ParseError);
    expect(() => parseDiscourseTopic('t.json', [1, 2], null)).toThrow(/^t\.json: expected a Discourse topic as \/t\/ID\.json returns it .*, got an array$/);
    expect(() => parseDiscourseTopic('t.json', { id: 1, title: 'x' }, null)).toThrow(
      't.json: expected a Discourse topic as /t/ID.json returns it (an object with "id", "title" and "post_stream.posts"), got no "post_stream.posts" array',
    );
    expect(() => parseDiscourseTopic('t.json', { id: 1, post_stream: { posts: [] } }, null)).toThrow(/got no "title" or "fancy_title"$/);
    expect(() => parseDiscourseTopic('t.json', { id: '1', title: 'x', post_stream: { posts: [] } }, null)).toThrow(/got "id" "1"$/);
    expect(() => parseDiscourseTopic('t.json', fixture(SANDBOX), 'javascript:alert(1)')).toThrow(
      `t.json: expected the forum's address to be an http(s) URL, got "javascript:alert(1)"`,
    );
    expect(() => parseDiscoursePosts('p.json', 'nope', null)).toThrow(/^p\.json: expected Discourse posts .*, got a string$/);
    expect(looksLikeDiscourseTopic({ post_stream: { posts: [] } })).toBe(false);
    expect(looksLikeDiscourseTopic(null)).toBe(false);
  });

  it('THEN bad posts cost a warning each and nothing else; a reply loop and a dangerous slug stay harmless', () => {
    const json = {
      id: 9,
      title: 'Loops',
      slug: '../../x?y',
      post_stream: {
        stream: [1, 2, 3, 4, 5, 'x'],
        posts: [
          { id: 1, post_number: 1, username: 'op', cooked: '<p>Hello</p><script>alert(1)</script>', created_at: 'yesterday' },
          {
            id: 2,
            post_number: 2,
            username: 'a',
            cooked: '<p>A, as <a class="mention" href="/u/sam">@sam</a> <a href="/t/x/1">said</a></p>',
            reply_to_post_number: 3,
          },
          { id: 3, post_number: 3, username: 'b', cooked: '<p>B</p>', reply_to_post_number: 2 },
          'not a post',
          { id: 'four', post_number: 4 },
          { id: 2, post_number: 2, cooked: '<p>again</p>' },
          { id: 6, post_number: 6, post_type: 3, cooked: '' },
        ],
      },
    };
    const d = parseDiscourseTopic('loops.json', json, 'https://forum.example');
    expect(d.article.comments[0]?.paragraphs).toEqual(['A, as @sam said (https://forum.example/t/x/1)']);
    expect(d.article.body).toEqual([{ type: 'paragraph', text: 'Hello' }]);
    expect(d.article.url).toBe('https://forum.example/t/..%2F..%2Fx%3Fy/9');
    expect(d.article.comments.map((c) => [c.id, c.replyTo])).toEqual([
      ['discourse:forum.example:2', 'discourse:forum.example:3'],
      ['discourse:forum.example:3', 'discourse:forum.example:2'],
    ]);
    expect(treeOrder(d.article.comments)).toHaveLength(2);
    expect(d.missing).toBe(2);
    expect(d.warnings).toEqual([
      'loops.json: post_stream.posts[0] created_at: "yesterday" is not a date; left empty',
      'loops.json: post_stream.posts[3] is not a post (an object), left out',
      'loops.json: post_stream.posts[4] has no numeric "id" and "post_number" (got "four", 4), left out',
      'loops.json: post 2 appears twice; the second copy is left out',
    ]);
  });
});
