/**
 * Issue 16's sync test: a local site serves a growing Hacker News discussion (Algolia's `items/ID`
 * shape, with an ETag), the real fetcher reads it, and three polls add, edit and delete comments;
 * the stored tree follows them with no duplicates, and a fourth poll finds nothing modified. On both
 * backends, the comments going to an article a feed stored first (its title and text untouched).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseAllowList } from '../src/adapters/feeds/allow.ts';
import { createDiscussionFetcher } from '../src/adapters/discussions/fetch-discussion.ts';
import { DiscussionFollows } from '../src/app/discussion/follow.ts';
import { syncDiscussions } from '../src/app/discussion/sync.ts';
import { treeOrder } from '../src/core/tree.ts';
import { type Opened, discussionBackends } from './helpers/discussion-backends.ts';
import { FERRY_LINK as LINK, ferryArticle } from './helpers/articles.ts';

const STORY = 8863;
const HN = `https://news.ycombinator.com/item?id=${STORY}`;

interface Node {
  readonly id: number;
  readonly author: string | null;
  readonly text: string | null;
  readonly children?: readonly Node[];
}

/** The discussion as the site serves it at each version: what readers did between polls. */
const versions: Record<number, { readonly live: number; readonly children: readonly Node[] }> = {
  1: {
    live: 3,
    children: [
      {
        id: 1,
        author: 'ana',
        text: 'The first ferry at half past six is a real change for commuters.',
        children: [{ id: 2, author: 'ben', text: 'Only on weekdays, mind.' }],
      },
      { id: 3, author: 'cy', text: 'Does anyone know about the winter timetable?' },
    ],
  },
  // 1 edited, 3 deleted at the source (its node stays, text and author gone), 4 answers 2.
  2: {
    live: 3,
    children: [
      {
        id: 1,
        author: 'ana',
        text: 'The first ferry at half past six is a real change for commuters. (Edit: from Monday.)',
        children: [{ id: 2, author: 'ben', text: 'Only on weekdays, mind.', children: [{ id: 4, author: 'dee', text: 'And Saturdays from May.' }] }],
      },
      { id: 3, author: null, text: null },
    ],
  },
  // 4 gone without a trace (a complete fetch no longer holds it); 5 answers the deleted 3.
  3: {
    live: 3,
    children: [
      {
        id: 1,
        author: 'ana',
        text: 'The first ferry at half past six is a real change for commuters. (Edit: from Monday.)',
        children: [{ id: 2, author: 'ben', text: 'Only on weekdays, mind.' }],
      },
      { id: 3, author: null, text: null, children: [{ id: 5, author: 'eli', text: 'It was posted at the harbour office.' }] },
    ],
  },
};

function algolia(node: Node, parent: number): object {
  return {
    id: node.id,
    created_at: '2026-12-01T06:00:00.000Z',
    created_at_i: 1_796_104_800,
    type: 'comment',
    author: node.author,
    text: node.text === null ? null : `<p>${node.text}</p>`,
    parent_id: parent,
    story_id: STORY,
    children: (node.children ?? []).map((c) => algolia(c, node.id)),
  };
}

let version = 1;
const requests: string[] = [];
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(`${req.url} ${req.headers['if-none-match'] ?? '-'}`);
    const v = versions[version];
    if (req.url !== `/algolia/items/${STORY}` || !v) return void res.writeHead(404).end();
    const etag = `"v${version}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { ETag: etag }).end();
    const story = {
      id: STORY,
      created_at: '2026-12-01T05:00:00.000Z',
      created_at_i: 1_796_101_200,
      type: 'story',
      author: 'harbourmaster',
      title: 'Ferries leave earlier from Monday',
      url: LINK,
      text: null,
      points: 42,
      num_comments: v.live,
      children: v.children.map((c) => algolia(c, STORY)),
    };
    res.writeHead(200, { 'Content-Type': 'application/json', ETag: etag }).end(JSON.stringify(story));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
});

const feedArticle = ferryArticle();

describe.each(Object.keys(discussionBackends) as (keyof typeof discussionBackends)[])(
  'GIVEN a growing Hacker News discussion on a local site, stored in %s',
  (name) => {
    let opened: Opened | undefined;
    afterEach(async () => {
      await opened?.close();
      opened = undefined;
    });

    it('THEN three polls add, edit and delete comments, the stored tree follows with no duplicates, and a fourth finds nothing new', async () => {
      opened = await discussionBackends[name]();
      const { store, state } = opened;
      version = 1;
      requests.length = 0;
      const fetcher = createDiscussionFetcher({ algoliaBase: `${base}/algolia`, limits: { allow: parseAllowList('127.0.0.1') } });
      await store.upsert(feedArticle);
      const follows = new DiscussionFollows(state.discussions, fetcher, store);
      expect((await follows.add(`https://news.ycombinator.com/item?id=${STORY}#comments`, { by: 'test', now: new Date() })).discussion.url).toBe(HN);
      const poll = async (v: number) => {
        version = v;
        const results = await syncDiscussions(state.discussions, store, { fetcher, requestsPerRun: 10 });
        expect(results).toHaveLength(1);
        return results[0];
      };
      const tree = async () => {
        const article = await store.get(feedArticle.id);
        return treeOrder(article?.comments ?? []).map(
          (n) => `${'  '.repeat(n.depth)}${n.comment.id} ${n.comment.author ?? '?'}${n.comment.deleted ? ' (deleted)' : `: ${n.comment.paragraphs.join(' ')}`}`,
        );
      };

      expect(await poll(1)).toMatchObject({
        outcome: 'synced',
        articleId: feedArticle.id,
        comments: 3,
        missing: 0,
        added: 3,
        edited: 0,
        deleted: 0,
        requests: 1,
        error: null,
      });
      expect(await tree()).toEqual([
        'hn:1 ana: The first ferry at half past six is a real change for commuters.',
        '  hn:2 ben: Only on weekdays, mind.',
        'hn:3 cy: Does anyone know about the winter timetable?',
      ]);

      expect(await poll(2)).toMatchObject({ outcome: 'synced', added: 1, edited: 1, deleted: 1 });
      expect(await tree()).toEqual([
        'hn:1 ana: The first ferry at half past six is a real change for commuters. (Edit: from Monday.)',
        '  hn:2 ben: Only on weekdays, mind.',
        '    hn:4 dee: And Saturdays from May.',
        'hn:3 cy (deleted)',
      ]);

      expect(await poll(3)).toMatchObject({ outcome: 'synced', added: 1, edited: 0, deleted: 1 });
      expect(await tree()).toEqual([
        'hn:1 ana: The first ferry at half past six is a real change for commuters. (Edit: from Monday.)',
        '  hn:2 ben: Only on weekdays, mind.',
        '    hn:4 dee (deleted)',
        'hn:3 cy (deleted)',
        '  hn:5 eli: It was posted at the harbour office.',
      ]);

      expect(await poll(3)).toMatchObject({ outcome: 'not-modified', requests: 1 });
      const stored = await store.get(feedArticle.id);
      expect(stored).toMatchObject({ title: feedArticle.title, body: feedArticle.body, source: 'Harbour News', commentsUrl: HN });
      const ids = stored?.comments.map((c) => c.id) ?? [];
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(['hn:1', 'hn:2', 'hn:3', 'hn:4', 'hn:5']);
      expect(stored?.comments.find((c) => c.id === 'hn:4')).toMatchObject({
        paragraphs: [],
        quotes: [],
        deleted: true,
        replyTo: 'hn:2',
        url: 'https://news.ycombinator.com/item?id=4',
      });
      // One request per poll, each after the first conditional on the last answer's ETag.
      expect(requests).toEqual([`/algolia/items/${STORY} -`, `/algolia/items/${STORY} "v1"`, `/algolia/items/${STORY} "v2"`, `/algolia/items/${STORY} "v3"`]);
      expect(await state.discussions.get(HN)).toMatchObject({
        articleId: feedArticle.id,
        ownsArticle: false,
        etag: '"v3"',
        comments: 4,
        failures: 0,
        commentIds: ['hn:1', 'hn:2', 'hn:3', 'hn:5'],
      });
    });
  },
);
