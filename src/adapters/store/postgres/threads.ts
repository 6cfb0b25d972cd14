/** The Discord threads Paperboy made for articles, in PostgreSQL's `article_threads` table: the same rows as SQLite's. */
import type { ArticleThread } from '../../../core/state.ts';
import { newerMessage, THREAD_COLUMNS, type ThreadRepository, type ThreadRow, threadFromRow, threadToRow } from '../threads.ts';
import { type Pool, rowValues, transaction, upsertInto } from './pool.ts';

const UPSERT = upsertInto('article_threads', THREAD_COLUMNS, ['thread_id']);

export class PostgresThreadRepository implements ThreadRepository {
  constructor(private readonly pool: Pool) {}

  async get(threadId: string): Promise<ArticleThread | null> {
    const { rows } = await this.pool.query<ThreadRow>('SELECT * FROM article_threads WHERE thread_id = $1', [threadId]);
    return rows[0] ? threadFromRow(rows[0]) : null;
  }

  async put(thread: ArticleThread): Promise<void> {
    await this.pool.query(UPSERT, rowValues(threadToRow(thread), THREAD_COLUMNS));
  }

  advance(threadId: string, messageId: string): Promise<void> {
    // The row locked while it is compared, so two readers of one thread never move it backwards.
    return transaction(this.pool, async (client) => {
      const { rows } = await client.query<ThreadRow>('SELECT * FROM article_threads WHERE thread_id = $1 FOR UPDATE', [threadId]);
      const thread = rows[0] ? threadFromRow(rows[0]) : null;
      if (thread && newerMessage(messageId, thread.lastMessageId)) {
        await client.query('UPDATE article_threads SET last_message_id = $2 WHERE thread_id = $1', [threadId, messageId]);
      }
    });
  }

  async list(): Promise<ArticleThread[]> {
    // COLLATE "C": byte order, as SQLite's ORDER BY gives.
    const { rows } = await this.pool.query<ThreadRow>('SELECT * FROM article_threads ORDER BY thread_id COLLATE "C"');
    return rows.map(threadFromRow);
  }

  async count(): Promise<number> {
    // COUNT is a BIGINT, read back as a number (pool.ts).
    const { rows } = await this.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM article_threads');
    return rows[0]?.n ?? 0;
  }
}
