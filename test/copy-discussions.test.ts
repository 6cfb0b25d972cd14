/**
 * `paperboy copy` carries issue 16's state: imported comments (url, editedAt, deleted, replyTo), the
 * messages delivery made for each comment step (delivery_messages), followed discussions and a
 * subscription's followDiscussions. SQLite → PostgreSQL → SQLite on real databases, each test its own;
 * the state is wrapped (not mocked) only to see which repository methods the copy calls, or to stop
 * it mid-way as a lost connection would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelStepMessage } from '../src/adapters/store/delivery-progress.ts';
import type { BotState } from '../src/adapters/store/state.ts';
import { DiscussionFollows } from '../src/app/discussion/follow.ts';
import { syncDiscussions } from '../src/app/discussion/sync.ts';
import { copyLibrary, type CopyEnd } from '../src/app/library/copy.ts';
import type { Subscription } from '../src/core/state.ts';
import { run } from '../src/ui/cli/main.ts';
import { type CliStorage, openPostgresStorage, openSqliteStorage } from '../src/ui/cli/storage.ts';
import { capture } from './helpers/cli.ts';
import { ITEM, ScriptedFetcher, fresh, hnComment, hnDiscussion } from './helpers/discussions.ts';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.ts';
import { redditThread } from './helpers/reddit-thread.ts';

let dir: string;
const databases: TestDatabase[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-copy-discussions-'));
});
afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  await Promise.all(databases.splice(0).map((d) => d.drop()));
});

async function database(): Promise<string> {
  const d = await createTestDatabase();
  databases.push(d);
  return d.url;
}

const T0 = new Date('2026-12-01T06:00:00Z');
/** Followed discussions besides the synced one: more than two of the copy's pages of 100. */
const FOLLOWED = 230;

const subscription = (channelId: string, followDiscussions: boolean | undefined): Subscription => ({
  guildId: '100',
  channelId,
  kind: 'text',
  channelName: `news-${channelId}`,
  source: null,
  keywords: null,
  backfill: { kind: 'latest', count: 5 },
  cursor: 2,
  checkedAt: T0.toISOString(),
  createdAt: T0.toISOString(),
  createdBy: '42',
  paused: null,
  posted: 2,
  lastPostedAt: T0.toISOString(),
  lastRunAt: T0.toISOString(),
  lastError: null,
  ...(followDiscussions !== undefined && { followDiscussions }),
});

/**
 * A library as the bot leaves it: a Hacker News discussion followed and synced twice (an edit, a
 * deletion at the source, one gone from a complete fetch, a late reply), the real Reddit thread
 * (485 comments with their links, 10 deleted), more discussions followed, the messages delivery made
 * for every comment step in two channels, and subscriptions with and without followDiscussions.
 */
async function library(storage: CliStorage): Promise<{ messages: number }> {
  const { store } = storage;
  const state = storage.state();
  const fetcher = new ScriptedFetcher();
  const follows = new DiscussionFollows(state.discussions, fetcher, store);
  await follows.add(`${ITEM}20`, { by: 'cli', now: T0 });
  const first = hnDiscussion(20, [hnComment(21, null, 'First.'), hnComment(22, 21, 'A reply.'), hnComment(23, null, 'Another.')], { title: 'Ask: ferries?' });
  const second = hnDiscussion(
    20,
    [hnComment(21, null, 'First, edited.', { editedAt: '2026-12-01T06:10:00Z' }), hnComment(23, null, '', { deleted: true }), hnComment(24, 22, 'Late reply.')],
    { title: 'Ask: ferries? (updated)' },
  );
  fetcher.answer(`${ITEM}20`, fresh(first, '"1"'), fresh(second, '"2"'));
  const sync = (at: Date) => syncDiscussions(state.discussions, store, { fetcher, requestsPerRun: 5, now: () => at, urls: [`${ITEM}20`] });
  expect(await sync(T0)).toMatchObject([{ outcome: 'synced', added: 3 }]);
  expect(await sync(new Date(T0.getTime() + 600_000))).toMatchObject([{ outcome: 'synced', added: 1, edited: 1, deleted: 2 }]);
  const reddit = redditThread();
  await store.upsert(reddit, T0);
  for (let i = 0; i < FOLLOWED; i++) await follows.add(`${ITEM}${1000 + i * 7}`, { by: String(400 + (i % 3)), now: T0 });

  const hn = (await store.get(first.article.id))!;
  let messages = 0;
  const deliver = async (channelId: string, articleId: string, commentIds: readonly string[], thread: string) => {
    for (const [i, id] of commentIds.entries()) {
      const progress = {
        postId: thread,
        threadId: thread,
        postHash: 'p',
        bodyHash: 'b',
        done: commentIds.slice(0, i + 1).map((c) => `c:${c}:0`),
        lastId: null,
        complete: false,
      };
      await state.progress.putStep(channelId, articleId, progress, { key: `c:${id}:0`, threadId: thread, messageId: `${thread}${i}`, digest: `d${i}` });
      messages++;
    }
    await state.progress.putMessage(channelId, articleId, { key: 'more:c:x:0', threadId: thread, messageId: `${thread}999`, digest: 'note' });
    messages++;
  };
  await deliver(
    '200',
    hn.id,
    hn.comments.map((c) => c.id),
    '7100',
  );
  await deliver(
    '201',
    hn.id,
    hn.comments.map((c) => c.id),
    '7200',
  );
  await deliver(
    '200',
    reddit.id,
    reddit.comments.map((c) => c.id),
    '7300',
  );
  await state.subscriptions.put(subscription('200', true));
  await state.subscriptions.put(subscription('201', false));
  await state.subscriptions.put(subscription('202', undefined));
  return { messages };
}

async function open(target: string): Promise<CliStorage> {
  return target.startsWith('postgres') ? openPostgresStorage(target, 'test', 4) : openSqliteStorage(target);
}

/** Every step message, read a page at a time, in one order for both backends (their key orders differ). */
async function allMessages(state: BotState): Promise<ChannelStepMessage[]> {
  const out: ChannelStepMessage[] = [];
  for (let page = await state.progress.messagePage(null, 100); page.length > 0;) {
    out.push(...page);
    const last = page.at(-1)!;
    page = await state.progress.messagePage({ channelId: last.channelId, articleId: last.articleId, key: last.message.key }, 100);
  }
  const key = (m: ChannelStepMessage) => JSON.stringify([m.channelId, m.articleId, m.message.key]);
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Everything the copy carries, read through the Store and the repositories. */
async function contents(target: string): Promise<Record<string, unknown>> {
  const s = await open(target);
  try {
    const state = s.state();
    const articles = [];
    for await (const r of s.store.allStored()) articles.push(r);
    return {
      articles,
      discussions: await state.discussions.list(),
      messages: await allMessages(state),
      progress: await state.progress.list(),
      subscriptions: await state.subscriptions.list(),
    };
  } finally {
    await s.close();
  }
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = capture();
  const code = await run(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('GIVEN a SQLite library with an imported discussion, its delivery messages and followed discussions', () => {
  it('THEN paperboy copy SQLite → PostgreSQL → SQLite keeps every field, and the count table names the new kinds', async () => {
    const source = join(dir, 'source.db');
    const s = openSqliteStorage(source);
    const { messages } = await library(s).finally(() => s.close());
    const url = await database();
    const there = await cli(['--db', source, 'copy', '--to', url]);
    expect([there.code, there.stderr]).toStrictEqual([0, '']);
    expect(there.stdout).toMatch(new RegExp(`delivery messages\\s+${messages}\\s+${messages}\\n`));
    expect(there.stdout).toMatch(new RegExp(`followed discussions\\s+${FOLLOWED + 1}\\s+${FOLLOWED + 1}\\n`));
    expect(there.stdout).toMatch(/subscriptions\s+3\s+3\n/);
    const back = join(dir, 'back.db');
    process.env.DATABASE_URL = url;
    const again = await cli(['copy', '--to', back]).finally(() => delete process.env.DATABASE_URL);
    expect([again.code, again.stderr]).toStrictEqual([0, '']);
    expect(again.stdout).toMatch(new RegExp(`delivery messages\\s+${messages}\\s+${messages}\\n`));

    const original = await contents(source);
    // The library holds what the test is about, so that equal copies mean it was carried.
    const hn = (original.articles as { article: { title: string; comments: unknown[] } }[]).find((a) => a.article.title === 'Ask: ferries? (updated)');
    expect(hn?.article.comments).toMatchObject([
      { id: 'hn:21', editedAt: '2026-12-01T06:10:00Z', url: `${ITEM}21`, replyTo: null },
      { id: 'hn:22', deleted: true, paragraphs: [], replyTo: 'hn:21' },
      { id: 'hn:23', deleted: true, paragraphs: [] },
      { id: 'hn:24', replyTo: 'hn:22', paragraphs: ['Late reply.'] },
    ]);
    expect(original.messages).toHaveLength(messages);
    expect(original.discussions).toContainEqual(
      expect.objectContaining({
        url: `${ITEM}20`,
        ownsArticle: true,
        etag: '"2"',
        commentIds: ['hn:21', 'hn:23', 'hn:24'],
        lastOkAt: '2026-12-01T06:10:00.000Z',
      }),
    );
    expect((original.subscriptions as { subscriptions: Subscription[] }).subscriptions.map((x) => x.followDiscussions)).toStrictEqual([true, false, undefined]);
    expect(await contents(url)).toStrictEqual(original);
    expect(await contents(back)).toStrictEqual(original);
  }, 60_000);
});

interface Calls {
  messagePages: number;
  messagesWritten: number[];
  discussionPages: number;
  perArticle: number;
}

/** The state as it is, with the calls of interest counted; `failAfter` pages of messages written, the next write fails as a dropped connection would. */
function watched(state: BotState, calls: Calls, failAfter = Infinity): BotState {
  const progress: BotState['progress'] = Object.create(state.progress) as BotState['progress'];
  Object.assign(progress, {
    messagePage: (after: Parameters<BotState['progress']['messagePage']>[0], limit: number) => {
      calls.messagePages++;
      return state.progress.messagePage(after, limit);
    },
    putMessages: (records: readonly ChannelStepMessage[]) => {
      if (calls.messagesWritten.length >= failAfter) return Promise.reject(Object.assign(new Error('Connection terminated'), { code: '57P01' }));
      calls.messagesWritten.push(records.length);
      return state.progress.putMessages(records);
    },
    messages: () => {
      calls.perArticle++;
      return Promise.reject(new Error('the copy read delivery messages article by article'));
    },
  });
  const discussions: BotState['discussions'] = Object.create(state.discussions) as BotState['discussions'];
  Object.assign(discussions, {
    page: (after: string | null, limit: number) => {
      calls.discussionPages++;
      return state.discussions.page(after, limit);
    },
    list: () => Promise.reject(new Error('the copy listed discussions whole')),
  });
  return { ...state, progress, discussions };
}

const noCalls = (): Calls => ({ messagePages: 0, messagesWritten: [], discussionPages: 0, perArticle: 0 });

function end(storage: CliStorage, calls: Calls, failAfter?: number): CopyEnd {
  return { store: storage.store, state: watched(storage.state(), calls, failAfter), name: storage.name };
}

describe('GIVEN the same library copied in small pages', () => {
  it('THEN messages and discussions go a page at a time both ways; a copy stopped mid-way finishes with resume, nothing twice', async () => {
    const source = openSqliteStorage(join(dir, 'source.db'));
    const middle = await openPostgresStorage(await database(), 'test', 4);
    const back = openSqliteStorage(join(dir, 'back.db'));
    try {
      const { messages } = await library(source);
      const pages = Math.ceil(messages / 50);
      // Stopped after three pages of messages: the destination keeps what was written and the note.
      const stopped = noCalls();
      await expect(copyLibrary(end(source, noCalls()), end(middle, stopped, 3), { statePage: 50 })).rejects.toThrow('Connection terminated');
      expect(stopped.messagesWritten).toStrictEqual([50, 50, 50]);
      expect(await middle.state().progress.countMessages()).toBe(150);
      await expect(copyLibrary(end(source, noCalls()), end(middle, noCalls()), { statePage: 50 })).rejects.toThrow('add --resume to continue it');

      const [from, to] = [noCalls(), noCalls()];
      const resumed = await copyLibrary(end(source, from), end(middle, to), { statePage: 50, resume: true });
      expect(resumed.differ).toStrictEqual([]);
      expect(resumed.counts.filter((c) => c.kind === 'delivery messages' || c.kind === 'followed discussions')).toStrictEqual([
        { kind: 'delivery messages', source: messages, destination: messages },
        { kind: 'followed discussions', source: FOLLOWED + 1, destination: FOLLOWED + 1 },
      ]);
      expect(from.messagePages).toBe(messages % 50 === 0 ? pages + 1 : pages);
      expect(to.messagesWritten).toHaveLength(pages);
      expect(from.discussionPages).toBe(Math.ceil((FOLLOWED + 1) / 100));
      expect(from.perArticle + to.perArticle).toBe(0);

      const out = noCalls();
      const again = await copyLibrary(end(middle, out), end(back, noCalls()), { statePage: 70 });
      expect(again.differ).toStrictEqual([]);
      expect(out.messagePages).toBe(Math.ceil(messages / 70) + (messages % 70 === 0 ? 1 : 0));
      const [a, b, c] = [source, middle, back].map((x) => x.state());
      expect(await allMessages(b!)).toStrictEqual(await allMessages(a!));
      expect(await allMessages(c!)).toStrictEqual(await allMessages(a!));
      expect(await c!.discussions.list()).toStrictEqual(await a!.discussions.list());
      expect(await b!.discussions.list()).toStrictEqual(await a!.discussions.list());
    } finally {
      await Promise.all([source.close(), middle.close(), back.close()]);
    }
  }, 60_000);
});
