/**
 * `paperboy copy` with a delivery_progress table of 20,000 rows (channels × articles): read and
 * written in pages of 1,000, one transaction each, counted with COUNT, never loaded whole; and
 * 12,000 delivery messages in pages of 5,000. SQLite →
 * PostgreSQL → SQLite on the real databases; the state is wrapped (not mocked) only to see which
 * repository methods the copy calls.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelProgress, ChannelStepMessage, DeliveryProgressRepository } from '../src/adapters/store/delivery-progress.ts';
import type { BotState } from '../src/adapters/store/state.ts';
import type { ThreadRepository } from '../src/adapters/store/threads.ts';
import { copyLibrary, type CopyEnd } from '../src/app/library/copy.ts';
import type { PostgresStore } from '../src/adapters/store/postgres/articles.ts';
import { openStorage } from '../src/ui/cli/context.ts';
import { type CliStorage, openPostgresStorage, openSqliteStorage } from '../src/ui/cli/storage.ts';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.ts';

const CHANNELS = 50;
const ARTICLES = 400;
const ROWS = CHANNELS * ARTICLES;

let dir: string;
let database: TestDatabase | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-copy-scale-'));
});
afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  await database?.drop();
  database = undefined;
});

/** Channel snowflakes of different lengths, and article ids in mixed case: an order to keep straight. */
function record(c: number, a: number): ChannelProgress {
  return {
    channelId: String(9 * 10 ** (c % 3) + c),
    articleId: `${a % 2 ? 'A' : 'b'}${a.toString(16).padStart(6, '0')}`,
    progress: {
      postId: a % 7 ? String(1_000_000 + a) : null,
      threadId: null,
      postHash: 'p',
      bodyHash: `b${a}`,
      done: a % 5 ? [] : ['c:n1:0'],
      lastId: null,
      ...(a % 11 === 0 ? { attemptedAt: null } : a % 3 ? { attemptedAt: 1_764_000_000_000 + a } : {}),
      complete: a % 4 !== 0,
      ...(a % 13 === 0 && { reposts: 2 }),
    },
  };
}

interface Calls {
  list: number;
  count: number;
  pages: number;
  written: number[];
  threadLists: number;
  threadCounts: number;
}

/** The state as it is, each call of interest counted; listing delivery progress whole fails the test. */
function watched(state: BotState, calls: Calls): BotState {
  const progress: DeliveryProgressRepository = {
    get: (c, a) => state.progress.get(c, a),
    put: (c, a, p) => state.progress.put(c, a, p),
    messages: (c, a) => state.progress.messages(c, a),
    putStep: (c, a, p, m) => state.progress.putStep(c, a, p, m),
    putMessage: (c, a, m) => state.progress.putMessage(c, a, m),
    messagePage: (after, limit) => state.progress.messagePage(after, limit),
    countMessages: () => state.progress.countMessages(),
    putMessages: (records) => state.progress.putMessages(records),
    list: () => {
      calls.list++;
      return Promise.reject(new Error('the copy listed delivery_progress whole'));
    },
    count: () => {
      calls.count++;
      return state.progress.count();
    },
    page: (after, limit) => {
      calls.pages++;
      return state.progress.page(after, limit);
    },
    putMany: (records) => {
      calls.written.push(records.length);
      return state.progress.putMany(records);
    },
  };
  const threads: ThreadRepository = {
    get: (t) => state.threads.get(t),
    put: (t) => state.threads.put(t),
    advance: (t, m) => state.threads.advance(t, m),
    list: () => {
      calls.threadLists++;
      return state.threads.list();
    },
    count: () => {
      calls.threadCounts++;
      return state.threads.count();
    },
  };
  return { ...state, progress, threads };
}

const noCalls = (): Calls => ({ list: 0, count: 0, pages: 0, written: [], threadLists: 0, threadCounts: 0 });

function end(storage: CliStorage, calls: Calls): CopyEnd {
  return { store: storage.store, state: watched(storage.state(), calls), name: storage.name };
}

async function rowsIn(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT COUNT(*) AS n FROM delivery_progress');
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

describe('GIVEN 20,000 delivery records (50 channels × 400 articles) in SQLite', () => {
  it('THEN SQLite → PostgreSQL → SQLite copies every record in pages of 1,000, counting with COUNT', async () => {
    const source = openSqliteStorage(join(dir, 'source.db'));
    const original: ChannelProgress[] = [];
    for (let c = 0; c < CHANNELS; c++) for (let a = 0; a < ARTICLES; a++) original.push(record(c, a));
    await source.state().progress.putMany(original);
    await source.state().threads.put({ threadId: '7001', articleId: 'A000001', guildId: '100', parentId: '9', lastMessageId: '7002' });
    database = await createTestDatabase();
    const middle = await openPostgresStorage(database.url, 'test', 4);
    const back = openSqliteStorage(join(dir, 'back.db'));
    try {
      const [fromCalls, toCalls] = [noCalls(), noCalls()];
      const started = performance.now();
      const there = await copyLibrary(end(source, fromCalls), end(middle, toCalls));
      const seconds = (performance.now() - started) / 1000;
      expect(there.differ).toStrictEqual([]);
      expect(there.counts.find((c) => c.kind === 'delivery records')).toStrictEqual({ kind: 'delivery records', source: ROWS, destination: ROWS });
      expect(await rowsIn(database.url)).toBe(ROWS);
      // 20 full pages and the empty one that ends it; 20 transactions of 1,000 written.
      expect(fromCalls.pages).toBe(21);
      expect(toCalls.written).toStrictEqual(Array.from({ length: 20 }, () => 1000));
      // Counted with COUNT: the destination before (is it empty?) and after, the source after.
      expect([fromCalls.list, toCalls.list]).toStrictEqual([0, 0]);
      expect([fromCalls.count, toCalls.count]).toStrictEqual([1, 2]);
      expect([fromCalls.threadCounts, toCalls.threadCounts, toCalls.threadLists]).toStrictEqual([1, 2, 0]);
      console.log(`copy: ${ROWS} delivery records SQLite → PostgreSQL in ${seconds.toFixed(1)} s`);

      // Back out of PostgreSQL, whose pages follow its own key order, in pages of 700.
      const backCalls = noCalls();
      const again = await copyLibrary(end(middle, noCalls()), end(back, backCalls), { statePage: 700 });
      expect(again.differ).toStrictEqual([]);
      expect(backCalls.written).toHaveLength(Math.ceil(ROWS / 700));
      expect(await back.state().progress.count()).toBe(ROWS);
      expect(await back.state().progress.list()).toStrictEqual(await source.state().progress.list());
      expect(await middle.state().progress.list()).toStrictEqual(await source.state().progress.list());
    } finally {
      await Promise.all([source.close(), middle.close(), back.close()]);
    }
  }, 120_000);

  it('THEN a page size out of range is refused, naming it', async () => {
    const source = openSqliteStorage(join(dir, 'source.db'));
    const target = openSqliteStorage(join(dir, 'target.db'));
    try {
      await expect(copyLibrary(end(source, noCalls()), end(target, noCalls()), { statePage: 0 })).rejects.toThrow(
        'expected `statePage` to be a whole number from 1 to 5000, got `0`',
      );
      await expect(source.state().progress.page(null, 5001)).rejects.toThrow('got `5001`');
      await expect(source.state().progress.messagePage(null, 0)).rejects.toThrow('got `0`');
      await expect(source.state().discussions.page(null, 1001)).rejects.toThrow(
        'discussions: expected `limit` to be a whole number from 1 to 1000, got `1001`',
      );
    } finally {
      await Promise.all([source.close(), target.close()]);
    }
  });
});

/** Every delivery message, read a page at a time, in one order for both backends (their key orders differ). */
async function allMessages(state: BotState): Promise<ChannelStepMessage[]> {
  const out: ChannelStepMessage[] = [];
  for (let page = await state.progress.messagePage(null, 5000); page.length > 0;) {
    out.push(...page);
    const last = page.at(-1)!;
    page = await state.progress.messagePage({ channelId: last.channelId, articleId: last.articleId, key: last.message.key }, 5000);
  }
  const key = (m: ChannelStepMessage) => JSON.stringify([m.channelId, m.articleId, m.message.key]);
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

describe('GIVEN 12,000 delivery messages (the step messages of issue 16) in mixed-case keys', () => {
  it('THEN they go across in pages of 5,000 (several INSERTs a page in PostgreSQL) and back, each once', async () => {
    const source = openSqliteStorage(join(dir, 'source.db'));
    database = await createTestDatabase();
    const middle = await openPostgresStorage(database.url, 'test', 4);
    const back = openSqliteStorage(join(dir, 'back.db'));
    try {
      const records: ChannelStepMessage[] = Array.from({ length: 12_000 }, (_, i) => ({
        channelId: String(9 * 10 ** (i % 3) + (i % 40)),
        articleId: `${i % 2 ? 'A' : 'b'}${(i % 300).toString(16).padStart(6, '0')}`,
        message: { key: `c:${i % 5 ? 'Q' : 'q'}${i}:${i % 2}`, threadId: String(7000 + (i % 300)), messageId: String(1_000_000 + i), digest: `d${i}` },
      }));
      await source.state().progress.putMessages(records);
      const there = await copyLibrary(end(source, noCalls()), end(middle, noCalls()), { statePage: 5000 });
      const again = await copyLibrary(end(middle, noCalls()), end(back, noCalls()), { statePage: 5000 });
      expect([there.differ, again.differ]).toStrictEqual([[], []]);
      expect(there.counts.find((c) => c.kind === 'delivery messages')).toStrictEqual({ kind: 'delivery messages', source: 12_000, destination: 12_000 });
      const original = await allMessages(source.state());
      expect(original).toHaveLength(12_000);
      expect(await allMessages(middle.state())).toStrictEqual(original);
      expect(await allMessages(back.state())).toStrictEqual(original);
    } finally {
      await Promise.all([source.close(), middle.close(), back.close()]);
    }
  }, 60_000);
});

describe('GIVEN DATABASE_URL and DATABASE_POOL_MAX', () => {
  it('THEN a CLI command’s pool opens as many connections as DATABASE_POOL_MAX says, not a fixed 4', async () => {
    database = await createTestDatabase();
    Object.assign(process.env, { DATABASE_URL: database.url, DATABASE_POOL_MAX: '7' });
    try {
      const storage = await openStorage(new Command('search'));
      try {
        expect((storage.store as PostgresStore).pool.options.max).toBe(7);
      } finally {
        await storage.close();
      }
    } finally {
      delete process.env.DATABASE_URL;
      delete process.env.DATABASE_POOL_MAX;
    }
  });
});
