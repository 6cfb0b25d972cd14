/**
 * For test/e2e-discussion-sync.test.ts: a Reddit post whose discussion grows between polls, served as
 * Reddit's `comments/ID.json` listing; the same tree rendered from the source and from the store so
 * the two compare line by line; and what the local Discord was asked to create or edit since a mark.
 */
import type { FakeDiscord } from '@paperboy/fake-discord';
import type { Comment } from '../../src/core/model.ts';
import { treeOrder } from '../../src/core/tree.ts';

export const POST = 'fr7';
export const PERMALINK = `/r/harbour/comments/${POST}/ferries_leave_earlier/`;
export const REDDIT = `https://www.reddit.com${PERMALINK}`;

/** A comment at the source: `body` '[deleted]' is Reddit's own mark for one deleted that has replies. */
export interface Node {
  readonly id: string;
  readonly author: string;
  readonly body: string;
  readonly score: number;
  /** Reddit's `edited`: false, or the time of the last edit in seconds. */
  readonly edited?: number;
  readonly replies?: readonly Node[];
}

const A = 'The first ferry at half past six is a real change for commuters.';
const n = (id: string, author: string, body: string, score: number, replies: Node[] = [], extra: Partial<Node> = {}): Node => ({
  id,
  author,
  body,
  score,
  replies,
  ...extra,
});

const v1: readonly Node[] = [
  n('a1', 'ana', A, 5, [n('b2', 'ben', 'Only on weekdays, mind.', 3, [n('c3', 'cy', 'Are you sure? The notice says every day.', 1)])]),
  n('d4', 'dee', 'Does anyone know about the winter timetable?', 2, [n('e5', 'eli', 'It was posted at the harbour office.', 4)]),
];
// a1 edited; b2's score alone moves; f6 answers the early a1, g7 is new at the top, h8 answers c3 (three deep).
const v2: readonly Node[] = [
  n(
    'a1',
    'ana',
    `${A} (Edit: from Monday.)`,
    5,
    [
      n('b2', 'ben', 'Only on weekdays, mind.', 9, [n('c3', 'cy', 'Are you sure? The notice says every day.', 1, [n('h8', 'hal', 'Every day from May.', 1)])]),
      n('f6', 'fay', 'Good news for the night shift at the yard.', 2),
    ],
    { edited: 1_796_108_400 },
  ),
  n('d4', 'dee', 'Does anyone know about the winter timetable?', 2, [n('e5', 'eli', 'It was posted at the harbour office.', 4)]),
  n('g7', 'gus', 'Will the bus from the station meet the first ferry? Ask the council, @everyone.', 1),
];
// d4 deleted at the source: Reddit keeps its node, "[deleted]", for its reply e5, which stays; e5's score alone moves.
const v3: readonly Node[] = v2.map((x) =>
  x.id === 'd4' ? { ...x, author: '[deleted]', body: '[deleted]', replies: (x.replies ?? []).map((r) => ({ ...r, score: 11 })) } : x,
);

/** The discussion at each poll: what readers did between them. */
export const VERSIONS = { 1: v1, 2: v2, 3: v3 } as const;

let created = 1_796_104_800;
const createdAt = new Map<string, number>();
function thing(x: Node, parent: string): object {
  if (!createdAt.has(x.id)) createdAt.set(x.id, (created += 60));
  const replies = x.replies ?? [];
  return {
    kind: 't1',
    data: {
      id: x.id,
      name: `t1_${x.id}`,
      author: x.author,
      body: x.body,
      parent_id: parent,
      link_id: `t3_${POST}`,
      permalink: `${PERMALINK}${x.id}/`,
      created_utc: createdAt.get(x.id),
      score: x.score,
      edited: x.edited ?? false,
      replies: replies.length === 0 ? '' : { kind: 'Listing', data: { children: replies.map((r) => thing(r, `t1_${x.id}`)) } },
    },
  };
}

/** Reddit's answer to `comments/ID.json`: the post, then the comment tree (no `more` stubs: the fetch is complete). */
export function listing(top: readonly Node[]): object {
  const post = {
    id: POST,
    name: `t3_${POST}`,
    title: 'Ferries leave earlier from Monday',
    subreddit: 'harbour',
    permalink: PERMALINK,
    url: 'https://harbour.example/news/ferry',
    selftext: '',
    is_self: false,
    author: 'harbourmaster',
    created_utc: 1_796_101_200,
    num_comments: count(top),
  };
  return [
    { kind: 'Listing', data: { children: [{ kind: 't3', data: post }] } },
    { kind: 'Listing', data: { children: top.map((t) => thing(t, `t3_${POST}`)) } },
  ];
}

const count = (nodes: readonly Node[]): number => nodes.reduce((k, x) => k + 1 + count(x.replies ?? []), 0);

/**
 * The source's tree, one line a comment: depth, id, author, score, then its text; a deleted one only
 * "(deleted)" (the store keeps the author it knew, by design: discussion-changes.ts deletedStub).
 */
export function sourceTree(top: readonly Node[], depth = 0): string[] {
  return top.flatMap((x) => [
    `${'  '.repeat(depth)}reddit:${x.id} ${x.body === '[deleted]' ? '(deleted)' : `${x.author} [${x.score}]: ${x.body}`}`,
    ...sourceTree(x.replies ?? [], depth + 1),
  ]);
}

/** The stored comments in the same lines as sourceTree. */
export function storedTree(comments: readonly Comment[]): string[] {
  return treeOrder(comments).map(
    ({ comment: c, depth }) =>
      `${'  '.repeat(depth)}${c.id} ${c.deleted ? `(deleted)${c.paragraphs.map((p) => ` ${p}`).join('')}` : `${c.author ?? '?'} [${c.rating ?? '-'}]: ${c.paragraphs.join(' ')}`}`,
  );
}

/** Where the local Discord's request log stands: what was created and edited after it. */
export function requestMark(fake: FakeDiscord): () => { created: string[]; edited: string[] } {
  const from = fake.requests.length;
  return () => {
    const since = fake.requests.slice(from).filter((r) => r.status === 200);
    return {
      // The channel a message was posted to.
      created: since.filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/u.test(r.path)).map((r) => r.path.split('/')[2] ?? ''),
      // The message edited.
      edited: since.filter((r) => r.method === 'PATCH' && /^\/channels\/\d+\/messages\/\d+$/u.test(r.path)).map((r) => r.path.split('/')[4] ?? ''),
    };
  };
}
