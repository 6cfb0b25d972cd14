/**
 * Issue 16's review, point 1: a fetch that did not reach every comment must not mark the rest
 * deleted. The real fetcher reads a local Reddit and a local Algolia (which, like the real one, gives
 * no comment count); syncs run on both backends. A Reddit listing that ends a branch in a "continue
 * this thread" stub, a stub of count 0 that still names its children, and an Algolia tree missing a
 * whole subtree each leave every stored comment as it was; a complete fetch still marks a vanished
 * leaf deleted. Also the stub's children counted as missing (the parser alone), and point 2: a
 * body a feed poll stores between the sync's read and its write stays.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRedditListing } from '../src/adapters/discussions/reddit.ts';
import type { Store } from '../src/adapters/store/contract.ts';
import { DiscussionFollows } from '../src/app/discussion/follow.ts';
import { syncDiscussions } from '../src/app/discussion/sync.ts';
import { type Opened, discussionBackends } from './helpers/discussion-backends.ts';
import { type DiscussionSite, localFetcher, recordingClock, serveDiscussionSite } from './helpers/discussion-site.ts';
import { FERRY_LINK as LINK, ferryArticle } from './helpers/articles.ts';

const POST = 'pq1';
const REDDIT = `https://www.reddit.com/comments/${POST}`;
const STORY = 9100;
const HN = `https://news.ycombinator.com/item?id=${STORY}`;

interface Node {
  readonly id: string;
  readonly text: string;
  readonly replies?: readonly (Node | Stub)[];
}
interface Stub {
  readonly stub: { readonly count: number; readonly children: readonly string[] };
}

const TEXT: Record<string, string> = {
  a: 'The first ferry at half past six is a real change for commuters.',
  b: 'Only on weekdays, mind.',
  c: 'And Saturdays from May.',
  d: 'Does anyone know about the winter timetable?',
  e: 'It was posted at the harbour office.',
};
const n = (id: string, replies: (Node | Stub)[] = []): Node => ({ id, text: TEXT[id]!, replies });

/** A thing of Reddit's listing: a t1 comment under `parent` (a fullname), or a `more` stub. */
function thing(x: Node | Stub, parent: string): object {
  if ('stub' in x) return { kind: 'more', data: { count: x.stub.count, name: 't1__', id: '_', parent_id: parent, children: x.stub.children } };
  const replies = x.replies ?? [];
  return {
    kind: 't1',
    data: {
      id: x.id,
      author: `reader_${x.id}`,
      body: x.text,
      parent_id: parent,
      created_utc: 1_796_104_800,
      score: 3,
      edited: false,
      replies: replies.length === 0 ? '' : { kind: 'Listing', data: { children: replies.map((r) => thing(r, `t1_${x.id}`)) } },
    },
  };
}

function listing(top: (Node | Stub)[]): object {
  const post = {
    id: POST,
    title: 'Ferries leave earlier from Monday',
    subreddit: 'harbour',
    permalink: `/r/harbour/comments/${POST}/ferries/`,
    selftext: 'The timetable changes on Monday.',
    is_self: true,
    author: 'harbourmaster',
    created_utc: 1_796_101_200,
    num_comments: 5,
  };
  return [
    { kind: 'Listing', data: { children: [{ kind: 't3', data: post }] } },
    { kind: 'Listing', data: { children: top.map((t) => thing(t, `t3_${POST}`)) } },
  ];
}

/** The whole tree: a ← b ← c, d, e. */
const whole = (): Node[] => [n('a', [n('b', [n('c')])]), n('d'), n('e')];

interface HnNode {
  readonly id: number;
  readonly children?: readonly HnNode[];
}
function algolia(node: HnNode, parent: number): object {
  return {
    id: node.id,
    created_at: '2026-12-01T06:00:00.000Z',
    created_at_i: 1_796_104_800,
    type: 'comment',
    author: `reader${node.id}`,
    text: `<p>Comment number ${node.id} on the ferries.</p>`,
    parent_id: parent,
    story_id: STORY,
    children: (node.children ?? []).map((c) => algolia(c, node.id)),
  };
}
/** Algolia's items/ID as it answers: no comment count anywhere. */
function algoliaStory(children: HnNode[]): object {
  return {
    id: STORY,
    created_at: '2026-12-01T05:00:00.000Z',
    created_at_i: 1_796_101_200,
    type: 'story',
    author: 'harbourmaster',
    title: 'Ferries leave earlier from Monday',
    url: LINK,
    text: null,
    points: 42,
    children: children.map((c) => algolia(c, STORY)),
  };
}

const feedArticle = ferryArticle();

describe('GIVEN a Reddit `more` stub of count 0 that names its children', () => {
  it('THEN the listing counts its children as missing', () => {
    const d = parseRedditListing('listing', listing([n('a'), { stub: { count: 0, children: ['d', 'e'] } }]));
    expect(d.more).toEqual([{ parent: `t3_${POST}`, children: ['d', 'e'], count: 0 }]);
    expect(d.missing).toBe(2);
    // A "continue this thread" stub names none: its size is unknown, and it counts none.
    expect(parseRedditListing('listing', listing([n('a', [{ stub: { count: 0, children: [] } }])])).missing).toBe(0);
  });
});

describe.each(Object.keys(discussionBackends) as (keyof typeof discussionBackends)[])('GIVEN discussions synced from a local site into %s', (name) => {
  let opened: Opened | undefined;
  let site: DiscussionSite;
  beforeEach(async () => {
    site = await serveDiscussionSite();
  });
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
    await site.close();
  });

  const setUp = async (store?: (real: Store) => Store) => {
    opened = await discussionBackends[name]();
    const fetcher = localFetcher(site.base, recordingClock(), { algoliaBase: `${site.base}/algolia` });
    const used = store ? store(opened.store) : opened.store;
    const follows = new DiscussionFollows(opened.state.discussions, fetcher, opened.store);
    const sync = (requestsPerRun = 20) => syncDiscussions(opened!.state.discussions, used, { fetcher, requestsPerRun, force: true });
    return { ...opened, follows, sync };
  };

  /** Each stored comment's id, whether deleted, and its text. */
  const tree = async (store: Store, id: string) => (await store.get(id))?.comments.map((c) => [c.id, c.deleted ?? false, c.paragraphs.join(' ')]);

  it('THEN a Reddit fetch left with a "continue this thread" stub, or a stub of count 0 with children, marks nothing deleted; a complete one marks a vanished leaf', async () => {
    const { follows, sync, store, state } = await setUp();
    let version: (Node | Stub)[] = whole();
    site.route(`/comments/${POST}.json`, () => ({ body: listing(version) }));
    // Asking for a stub's children answers nothing back: they stay missing this run.
    site.route('/api/morechildren.json', { status: 503, body: 'busy' });
    await follows.add(`https://old.reddit.com/r/harbour/comments/${POST}/ferries/`, { now: new Date() });
    expect(await sync()).toMatchObject([{ outcome: 'synced', added: 5, deleted: 0, missing: 0 }]);
    const id = (await state.discussions.get(REDDIT))!.articleId!;
    const full = await tree(store, id);
    expect(full?.map((c) => c[0])).toEqual(['reddit:a', 'reddit:b', 'reddit:c', 'reddit:d', 'reddit:e']);
    expect(full?.every((c) => c[1] === false && c[2] !== '')).toBe(true);

    // c sits behind a "continue this thread" stub (count 0, no children): its parent b is held, yet the fetch is partial.
    version = [n('a', [n('b', [{ stub: { count: 0, children: [] } }])]), n('d'), n('e')];
    expect(await sync()).toMatchObject([{ outcome: 'synced', comments: 4, added: 0, edited: 0, deleted: 0 }]);
    expect(await tree(store, id)).toEqual(full);

    // d and e held back in a stub that says count 0 but names them: two missing, nothing deleted.
    version = [n('a', [n('b', [n('c')])]), { stub: { count: 0, children: ['d', 'e'] } }];
    expect(await sync()).toMatchObject([{ outcome: 'synced', comments: 3, missing: 2, deleted: 0 }]);
    expect(await tree(store, id)).toEqual(full);
    expect((await state.discussions.get(REDDIT))?.commentIds).toEqual(expect.arrayContaining(['reddit:c', 'reddit:d', 'reddit:e']));

    // Complete again, without the leaf e: e alone is deleted at the source, its text gone.
    version = [n('a', [n('b', [n('c')])]), n('d')];
    expect(await sync()).toMatchObject([{ outcome: 'synced', comments: 4, missing: 0, deleted: 1 }]);
    expect(await tree(store, id)).toEqual([...full!.slice(0, 4), ['reddit:e', true, '']]);
  });

  it('THEN an Algolia tree missing a whole subtree marks nothing deleted; when it is back, a vanished leaf is', async () => {
    const { follows, sync, store, state } = await setUp();
    let children: HnNode[] = [{ id: 1, children: [{ id: 2, children: [{ id: 3 }] }] }, { id: 4 }, { id: 5, children: [{ id: 6 }] }];
    site.route(`/algolia/items/${STORY}`, () => ({ body: algoliaStory(children) }));
    await follows.add(HN, { now: new Date() });
    expect(await sync()).toMatchObject([{ outcome: 'synced', added: 6, deleted: 0 }]);
    const id = (await state.discussions.get(HN))!.articleId!;
    const full = await tree(store, id);
    expect(full?.map((c) => c[0])).toEqual(['hn:1', 'hn:2', 'hn:3', 'hn:4', 'hn:5', 'hn:6']);

    // Algolia lags on the subtree under 1 (1 itself included): no count says so, the tree's shape does.
    children = [{ id: 4 }, { id: 5, children: [{ id: 6 }] }];
    expect(await sync()).toMatchObject([{ outcome: 'synced', comments: 3, missing: 0, deleted: 0 }]);
    expect(await tree(store, id)).toEqual(full);
    // Not known to be gone: still compared against next time.
    expect((await state.discussions.get(HN))?.commentIds).toEqual(expect.arrayContaining(['hn:1', 'hn:2', 'hn:3']));

    // The subtree is back, and the leaf 6 under 5 is gone without a trace: 6 alone is deleted.
    children = [{ id: 1, children: [{ id: 2, children: [{ id: 3 }] }] }, { id: 4 }, { id: 5 }];
    expect(await sync()).toMatchObject([{ outcome: 'synced', comments: 5, deleted: 1 }]);
    expect(await tree(store, id)).toEqual([...full!.slice(0, 5), ['hn:6', true, '']]);
  });

  it("THEN a body a feed poll stores between the sync's read and its write stays, with the title", async () => {
    const changed = {
      ...feedArticle,
      body: [{ type: 'paragraph' as const, text: 'Correction: from Monday the first ferry leaves the harbour at a quarter to seven.' }],
    };
    let race: ((real: Store) => Promise<void>) | null = null;
    // The store the sync uses: as the real one, except that right after the sync reads the feed's
    // article, another process's feed poll stores the corrected body.
    const racing = (real: Store): Store =>
      new Proxy(real, {
        get(target, prop) {
          if (prop === 'get')
            return async (articleIdToRead: string) => {
              const read = await target.get(articleIdToRead);
              const now = race;
              race = null;
              if (now && articleIdToRead === feedArticle.id) await now(target);
              return read;
            };
          const value: unknown = Reflect.get(target, prop, target);
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      });
    const { follows, sync, store } = await setUp(racing);
    await store.upsert(feedArticle);
    site.route(`/algolia/items/${STORY}`, { body: algoliaStory([{ id: 1 }, { id: 2 }]) });
    await follows.add(HN, { now: new Date() });
    race = async (real) => void (await real.upsert(changed));
    expect(await sync()).toMatchObject([{ outcome: 'synced', articleId: feedArticle.id, added: 2 }]);
    expect(race).toBeNull();
    const stored = await store.get(feedArticle.id);
    expect(stored).toMatchObject({ title: feedArticle.title, body: changed.body, source: 'Harbour News', commentsUrl: HN });
    expect(stored?.comments.map((c) => c.id)).toEqual(['hn:1', 'hn:2']);
  });
});
