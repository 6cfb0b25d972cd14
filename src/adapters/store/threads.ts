/** The Discord threads Paperboy made for articles, in the `article_threads` table: one row per thread. */
import type { ArticleThread } from '../../core/state.ts';
import type { Db } from './connection.ts';
import { ArticleThreadSchema, asPromise, columns, replaceInto, validRow } from './state-schemas.ts';

/** Where article threads are kept. Every method is async, so a networked database can stand behind it. */
export interface ThreadRepository {
  get(threadId: string): Promise<ArticleThread | null>;
  put(thread: ArticleThread): Promise<void>;
  /** Records that `messageId` was read in the thread, if it is newer than what was; atomically. */
  advance(threadId: string, messageId: string): Promise<void>;
  /** Every thread, in thread id order. */
  list(): Promise<ArticleThread[]>;
  /** How many threads there are, counted by the database. */
  count(): Promise<number>;
}

interface ThreadRow {
  thread_id: string;
  article_id: string;
  guild_id: string;
  parent_id: string;
  last_message_id: string | null;
}

const TABLE = 'article_threads';

const COLUMNS = columns<ThreadRow>({ thread_id: true, article_id: true, guild_id: true, parent_id: true, last_message_id: true });

function toRow(t: ArticleThread): ThreadRow {
  return { thread_id: t.threadId, article_id: t.articleId, guild_id: t.guildId, parent_id: t.parentId, last_message_id: t.lastMessageId };
}

function fromRow(r: ThreadRow): ArticleThread {
  const value = { threadId: r.thread_id, articleId: r.article_id, guildId: r.guild_id, parentId: r.parent_id, lastMessageId: r.last_message_id };
  return validRow(ArticleThreadSchema, value, TABLE, r.thread_id);
}

/** The statement that stores a thread whole, replacing its row. */
export function threadWriter(db: Db): (t: ArticleThread) => void {
  const stmt = db.prepare<[ThreadRow]>(replaceInto(TABLE, COLUMNS));
  return (t) => stmt.run(toRow(t));
}

/** Message ids are snowflakes: compared as numbers, since a later one can be longer. */
function newer(messageId: string, than: string | null): boolean {
  return than === null || BigInt(messageId) > BigInt(than);
}

export class SqliteThreadRepository implements ThreadRepository {
  private readonly write;
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.write = threadWriter(db);
    this.stmts = {
      get: db.prepare<[string], ThreadRow>('SELECT * FROM article_threads WHERE thread_id = ?'),
      all: db.prepare<[], ThreadRow>('SELECT * FROM article_threads ORDER BY thread_id'),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM article_threads'),
    };
  }

  private read(threadId: string): ArticleThread | null {
    const row = this.stmts.get.get(threadId);
    return row ? fromRow(row) : null;
  }

  get(threadId: string): Promise<ArticleThread | null> {
    return asPromise(() => this.read(threadId));
  }

  put(thread: ArticleThread): Promise<void> {
    return asPromise(() => this.write(thread));
  }

  advance(threadId: string, messageId: string): Promise<void> {
    return asPromise(() =>
      this.db
        .transaction(() => {
          const t = this.read(threadId);
          if (t && newer(messageId, t.lastMessageId)) this.write({ ...t, lastMessageId: messageId });
        })
        .immediate(),
    );
  }

  list(): Promise<ArticleThread[]> {
    return asPromise(() => this.stmts.all.all().map(fromRow));
  }

  count(): Promise<number> {
    return asPromise(() => this.stmts.count.get()?.n ?? 0);
  }
}

/** The row form, shared with the PostgreSQL repository (postgres/), whose table has the same columns. */
export { COLUMNS as THREAD_COLUMNS, fromRow as threadFromRow, toRow as threadToRow, newer as newerMessage, type ThreadRow };
