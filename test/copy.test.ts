/**
 * `paperboy copy`: SQLite → PostgreSQL → SQLite keeps every record (positions included), an
 * interrupted copy (kill -9) resumes without duplicates, and the refusals say what to do. Real
 * SQLite files and real PostgreSQL databases, no mocks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store, StoreCopier, StoredArticle } from '../src/adapters/store/contract.ts';
import { lockDatabaseFile } from '../src/adapters/store/lock.ts';
import { openPostgresStore } from '../src/adapters/store/postgres/articles.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { type BotState, openBotState } from '../src/adapters/store/state.ts';
import type { Subscription } from '../src/core/state.ts';
import { run } from '../src/ui/cli/main.ts';
import { openPostgresStorage } from '../src/ui/cli/storage.ts';
import { article, comment } from './helpers/articles.ts';
import { capture } from './helpers/cli.ts';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.ts';
import { spawnPaperboy } from './helpers/process.ts';

let dir: string;
const databases: TestDatabase[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-copy-'));
});
afterEach(async () => {
  delete process.env.DATABASE_URL;
  rmSync(dir, { recursive: true, force: true });
  await Promise.all(databases.splice(0).map((d) => d.drop()));
});

async function database(): Promise<string> {
  const d = await createTestDatabase();
  databases.push(d);
  return d.url;
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  Object.assign(process.env, env);
  const io = capture();
  try {
    const code = await run(args, io);
    return { code, stdout: io.stdout, stderr: io.stderr };
  } finally {
    for (const k of Object.keys(env)) delete process.env[k];
  }
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 28, 8, minute));

const subscription = (channelId: string, cursor: number): Subscription => ({
  guildId: '100',
  channelId,
  kind: channelId === '201' ? 'forum' : 'text',
  channelName: `news-${channelId}`,
  source: channelId === '201' ? 'Harbour Times' : null,
  keywords: channelId === '200' ? 'tide OR ferry' : null,
  backfill: { kind: 'latest', count: 5 },
  cursor,
  checkedAt: at(50).toISOString(),
  createdAt: at(1).toISOString(),
  createdBy: '42',
  paused: null,
  posted: cursor,
  lastPostedAt: at(49).toISOString(),
  lastRunAt: at(50).toISOString(),
  lastError: null,
  setAside: [{ articleId: 'x', title: 'Too long', reason: 'embed too large', at: at(30).toISOString(), retry: false }],
  unfinished: [],
  revision: 2,
});

/** A library with gaps in its positions, comments, updates after ingest, and the bot's state beside it. */
async function library(path: string, count: number): Promise<void> {
  const store = SqliteStore.open(path);
  try {
    const articles = Array.from({ length: count }, (_, i) =>
      article({
        title: `Harbour report ${i}: the ferry and the tide`,
        url: `https://news.example/${i}`,
        source: i % 3 === 0 ? 'Harbour Times' : 'Coast Daily',
        author: i % 2 ? 'Ana Ribeiro' : null,
        publishedAt: `2026-11-${String(1 + (i % 27)).padStart(2, '0')}T07:00:00Z`,
        language: i % 5 === 0 ? 'ru' : 'en',
        text: `The ferry left at dawn number ${i}.\n\nНовости порта: прилив ${i}.`,
        declaredCommentCount: i % 4,
        ingestedAt: at(i % 60).toISOString(),
        comments: Array.from({ length: i % 4 }, (_, n) =>
          comment(n + 1, `Reader ${n} on report ${i}: the quay was flooded.`, { author: `reader${n}`, rating: n - 1, replyTo: n ? `n${n}` : null }),
        ),
      }),
    );
    for (let i = 0; i < articles.length; i += 250) await store.upsertMany(articles.slice(i, i + 250), at(10));
    // Gaps: deleted articles, a deleted comment, and a later change (its updated_at moves).
    for (const i of [3, 4, 17, Math.floor(count / 2)]) await store.delete(articles[i]!.id);
    await store.deleteComment(articles[7]!.id, 'n1');
    await store.upsert({ ...articles[5]!, comments: [comment(9, 'A late reply.')] }, at(40));
    const state = openBotState(store.db);
    await state.subscriptions.put(subscription('200', 12));
    await state.subscriptions.put(subscription('201', Math.floor(count / 3)));
    await state.feeds.put({
      url: 'https://news.example/feed.xml',
      name: 'Harbour Times',
      addedAt: at(0).toISOString(),
      etag: '"abc"',
      lastModified: null,
      lastPolledAt: at(20).toISOString(),
      lastOkAt: at(20).toISOString(),
      items: 30,
      failures: 0,
      lastError: null,
      retryAt: null,
    });
    await state.progress.put('200', articles[1]!.id, {
      postId: '900',
      threadId: '901',
      postHash: 'p',
      bodyHash: 'b',
      done: ['c:n1:0'],
      lastId: '902',
      complete: true,
    });
    await state.progress.put('201', articles[2]!.id, {
      postId: null,
      threadId: null,
      postHash: null,
      bodyHash: 'b2',
      done: [],
      lastId: null,
      attemptedAt: null,
      complete: false,
      reposts: 1,
    });
    await state.threads.put({ threadId: '901', articleId: articles[1]!.id, guildId: '100', parentId: '200', lastMessageId: '950' });
  } finally {
    await store.close();
  }
}

async function stored(store: Store & StoreCopier): Promise<StoredArticle[]> {
  const all: StoredArticle[] = [];
  for await (const r of store.allStored()) all.push(r);
  return all;
}

async function stateOf(state: BotState): Promise<unknown> {
  return {
    subscriptions: await state.subscriptions.list(),
    feeds: await state.feeds.list(),
    progress: await state.progress.list(),
    threads: await state.threads.list(),
  };
}

/** Every record of a SQLite file or a PostgreSQL database, read through the Store and the repositories. */
async function contents(target: string): Promise<{ articles: StoredArticle[]; comments: number; state: unknown }> {
  if (target.startsWith('postgres')) {
    const s = await openPostgresStorage(target, 'test', 2);
    try {
      return { articles: await stored(s.store), comments: await s.store.countComments(), state: await stateOf(s.state()) };
    } finally {
      await s.close();
    }
  }
  const store = SqliteStore.open(target);
  try {
    return { articles: await stored(store), comments: await store.countComments(), state: await stateOf(openBotState(store.db)) };
  } finally {
    await store.close();
  }
}

describe('GIVEN a SQLite library with gaps in its positions, comments and the bot’s state', () => {
  it('THEN SQLite → PostgreSQL → a new SQLite file keeps every record, positions included, and prints the counts', async () => {
    const source = join(dir, 'source.db');
    await library(source, 120);
    const url = await database();
    const there = await cli(['--db', source, 'copy', '--to', url]);
    expect(there.stderr).toBe('');
    expect(there.code).toBe(0);
    expect(there.stdout).toMatch(/articles\s+116\s+116/);
    expect(there.stdout).toMatch(/delivery records\s+2\s+2/);
    const back = join(dir, 'back.db');
    const again = await cli(['copy', '--to', back], { DATABASE_URL: url });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/comments\s+(\d+)\s+\1/);

    const original = await contents(source);
    expect(original.articles.map((a) => a.position)).not.toContain(4);
    expect(original.comments).toBeGreaterThan(100);
    const inPostgres = await contents(url);
    const inSqlite = await contents(back);
    expect(inPostgres).toStrictEqual(original);
    expect(inSqlite).toStrictEqual(original);
    // Search works on what was copied, on both.
    const found = await cli(['search', 'flooded', '--json'], { DATABASE_URL: url });
    expect(found.code).toBe(0);
    expect((JSON.parse(found.stdout) as { total: number }).total).toBeGreaterThan(0);
  });

  it('THEN a new article stored in PostgreSQL after the copy gets a position above every copied one', async () => {
    const source = join(dir, 'source.db');
    await library(source, 40);
    const url = await database();
    expect((await cli(['--db', source, 'copy', '--to', url])).code).toBe(0);
    const store = await openPostgresStore(url, { max: 2 });
    try {
      const highest = await store.positions.last();
      expect(highest).toBe(40);
      await store.upsert(article({ title: 'After the move', url: 'https://news.example/after' }));
      const [latest] = await store.positions.before(Number.MAX_SAFE_INTEGER, 1);
      expect(latest?.id).toBe(article({ title: 'After the move', url: 'https://news.example/after' }).id);
      expect(latest!.position).toBeGreaterThan(highest);
    } finally {
      await store.close();
    }
  });

  it('THEN a copy killed mid-way (kill -9) continues with --resume: every count equal, nothing twice', async () => {
    const source = join(dir, 'source.db');
    await library(source, 1500);
    const url = await database();
    const child = spawnPaperboy(['--db', source, 'copy', '--to', url, '--batch', '10'], { ...process.env, DATABASE_URL: '' }, dir);
    await child.waitFor((l) => typeof l.text === 'string' && /^copied [3-9]\d\d of/.test(l.text), 60_000);
    child.child.kill('SIGKILL');
    expect(await child.exited).toBeNull();

    const refused = await cli(['--db', source, 'copy', '--to', url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('add --resume to continue it');
    const resumed = await cli(['--db', source, 'copy', '--to', url, '--resume']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/resumed after position [1-9]\d+/);
    expect(resumed.stdout).toMatch(/articles\s+1496\s+1496/);
    const copied = await contents(url);
    expect(copied).toStrictEqual(await contents(source));
    // Finished: a second run finds a destination that is no longer a copy under way.
    const rerun = await cli(['--db', source, 'copy', '--to', url, '--resume']);
    expect(rerun.code).toBe(1);
    expect(rerun.stderr).toContain('already holds 1496 articles');
  }, 120_000);
});

describe('GIVEN a source with a subscription row that does not read back', () => {
  it('THEN the copy exits 1 naming the channel, why and what to do; once it is removed, --resume finishes', async () => {
    const source = join(dir, 'source.db');
    await library(source, 30);
    const sql = async (statement: string) => {
      const raw = SqliteStore.open(source);
      raw.db.prepare(statement).run();
      await raw.close();
    };
    await sql(`UPDATE subscriptions SET set_aside = '[{"articleId": 5}]' WHERE channel_id = '200'`);
    const target = join(dir, 'target.db');
    const copied = await cli(['--db', source, 'copy', '--to', target]);
    expect(copied.code).toBe(1);
    expect(copied.stdout).toMatch(/articles\s+26\s+26\n(.|\n)*subscriptions\s+2\s+1\s+differs/);
    expect(copied.stderr).toContain(`a subscription in ${source} does not read back, so it was not copied:\n  guild 100, channel 200: setAside.0.`);
    expect(copied.stderr).toMatch(/Fix or remove that subscription in .* then run the same command with --resume/);
    expect(copied.stderr).not.toContain('the counts differ'); // the only difference is explained
    expect((await cli(['--db', source, 'copy', '--to', target])).stderr).toContain('add --resume to continue it');

    await sql(`DELETE FROM subscriptions WHERE channel_id = '200'`);
    const resumed = await cli(['--db', source, 'copy', '--to', target, '--resume']);
    expect([resumed.code, resumed.stderr]).toStrictEqual([0, '']);
    expect(resumed.stdout).toMatch(/subscriptions\s+1\s+1\n/);
  });
});

describe('GIVEN a destination the copy must not write into', () => {
  it('THEN the store itself, a destination holding other data, and an unreachable server are refused, naming why and no password', async () => {
    const source = join(dir, 'source.db');
    await library(source, 30);
    const self = await cli(['--db', source, 'copy', '--to', source]);
    expect(self.code).toBe(1);
    expect(self.stderr).toContain('names the store being copied');

    const other = join(dir, 'other.db');
    const otherStore = SqliteStore.open(other);
    await otherStore.upsert(article({ title: 'Someone else’s article' }));
    await otherStore.close();
    const full = await cli(['--db', source, 'copy', '--to', other]);
    expect(full.code).toBe(1);
    expect(full.stderr).toContain('already holds 1 articles');
    expect(full.stderr).toContain('copy into an empty database');
    const fullResume = await cli(['--db', source, 'copy', '--to', other, '--resume']);
    expect(fullResume.code).toBe(1);
    expect(fullResume.stderr).toContain('--resume only continues a copy that was interrupted');

    // A bot running on the source (its lock held by another live process) is detected.
    const bot = lockDatabaseFile(source, { pid: process.ppid, heartbeatMs: 0 });
    try {
      const busy = await cli(['--db', source, 'copy', '--to', join(dir, 'new.db')]);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain(`is in use by another Paperboy (pid ${process.ppid}`);
    } finally {
      bot.release();
    }

    const down = await cli(['--db', source, 'copy', '--to', 'postgres://paperboy:s3cret-pw@127.0.0.1:1/nowhere']);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('127.0.0.1:1/nowhere');
    expect(down.stderr + down.stdout).not.toContain('s3cret-pw');
  });
});
