/**
 * Delivery progress in PostgreSQL's `delivery_progress` table: the same rows as SQLite's, written
 * whole after every message. The rows outlive the channel's subscription.
 */
import type { DeliveryProgress } from '../../../core/state.ts';
import {
  type ChannelProgress,
  channelProgress,
  type DeliveryProgressRepository,
  PROGRESS_COLUMNS,
  type ProgressRow,
  progressFromRow,
  progressToRow,
  type ProgressKey,
  pageLimit,
  type ChannelStepMessage,
  channelStepMessage,
  type MessageKey,
  MESSAGE_COLUMNS,
  messageFromRow,
  messageToRow,
  type StepMessage,
  type StepMessageRow,
} from '../delivery-progress.ts';
import { type Pool, rowValues, transaction, upsertInto } from './pool.ts';

const UPSERT = upsertInto('delivery_progress', PROGRESS_COLUMNS, ['channel_id', 'article_id']);
const UPSERT_MESSAGE = upsertInto('delivery_messages', MESSAGE_COLUMNS, ['channel_id', 'article_id', 'step_key']);

/**
 * Rows per INSERT in putMany: 13 columns each, so 13,000 parameters, well under PostgreSQL's
 * 65,535 a statement.
 */
const ROWS_PER_INSERT = 1000;

/** A multi-row upsert of `rows` rows: `upsert`'s statement (over `names`) with one VALUES tuple per row. */
function upsertRows(rows: number, upsert = UPSERT, names: readonly string[] = PROGRESS_COLUMNS): string {
  const width = names.length;
  const tuples = Array.from({ length: rows }, (_, r) => `(${names.map((_, c) => `$${r * width + c + 1}`).join(', ')})`);
  const single = `(${names.map((_, c) => `$${c + 1}`).join(', ')})`;
  return upsert.replace(`VALUES ${single}`, `VALUES ${tuples.join(', ')}`);
}

export class PostgresDeliveryProgressRepository implements DeliveryProgressRepository {
  constructor(private readonly pool: Pool) {}

  async get(channelId: string, articleId: string): Promise<DeliveryProgress | null> {
    const { rows } = await this.pool.query<ProgressRow>('SELECT * FROM delivery_progress WHERE channel_id = $1 AND article_id = $2', [channelId, articleId]);
    return rows[0] ? progressFromRow(rows[0]) : null;
  }

  async put(channelId: string, articleId: string, progress: DeliveryProgress): Promise<void> {
    await this.pool.query(UPSERT, rowValues(progressToRow(channelId, articleId, progress), PROGRESS_COLUMNS));
  }

  async list(): Promise<ChannelProgress[]> {
    // COLLATE "C": byte order, as SQLite's ORDER BY gives.
    const { rows } = await this.pool.query<ProgressRow>('SELECT * FROM delivery_progress ORDER BY channel_id COLLATE "C", article_id COLLATE "C"');
    return rows.map(channelProgress);
  }

  async count(): Promise<number> {
    // COUNT is a BIGINT, read back as a number (pool.ts).
    const { rows } = await this.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM delivery_progress');
    return rows[0]?.n ?? 0;
  }

  async page(after: ProgressKey | null, limit: number): Promise<ChannelProgress[]> {
    // The primary key's own order (no COLLATE "C", unlike list): each page is a range of its index.
    const n = pageLimit(limit);
    const { rows } =
      after === null
        ? await this.pool.query<ProgressRow>('SELECT * FROM delivery_progress ORDER BY channel_id, article_id LIMIT $1', [n])
        : await this.pool.query<ProgressRow>(
            'SELECT * FROM delivery_progress WHERE (channel_id, article_id) > ($1, $2) ORDER BY channel_id, article_id LIMIT $3',
            [after.channelId, after.articleId, n],
          );
    return rows.map(channelProgress);
  }

  async putMany(records: readonly ChannelProgress[]): Promise<void> {
    // One row per key, the last given: one INSERT … ON CONFLICT may not touch a row twice.
    const byKey = new Map(records.map((r) => [JSON.stringify([r.channelId, r.articleId]), r]));
    const unique = [...byKey.values()];
    if (unique.length === 0) return;
    await transaction(this.pool, async (client) => {
      for (let i = 0; i < unique.length; i += ROWS_PER_INSERT) {
        const chunk = unique.slice(i, i + ROWS_PER_INSERT);
        const values = chunk.flatMap((r) => rowValues(progressToRow(r.channelId, r.articleId, r.progress), PROGRESS_COLUMNS));
        await client.query(upsertRows(chunk.length), values);
      }
    });
  }

  async messages(channelId: string, articleId: string): Promise<StepMessage[]> {
    // COLLATE "C": byte order, as SQLite's ORDER BY gives.
    const { rows } = await this.pool.query<StepMessageRow>(
      'SELECT * FROM delivery_messages WHERE channel_id = $1 AND article_id = $2 ORDER BY step_key COLLATE "C"',
      [channelId, articleId],
    );
    return rows.map(messageFromRow);
  }

  async putStep(channelId: string, articleId: string, progress: DeliveryProgress, message: StepMessage): Promise<void> {
    await transaction(this.pool, async (client) => {
      await client.query(UPSERT, rowValues(progressToRow(channelId, articleId, progress), PROGRESS_COLUMNS));
      await client.query(UPSERT_MESSAGE, rowValues(messageToRow(channelId, articleId, message), MESSAGE_COLUMNS));
    });
  }

  async putMessage(channelId: string, articleId: string, message: StepMessage): Promise<void> {
    await this.pool.query(UPSERT_MESSAGE, rowValues(messageToRow(channelId, articleId, message), MESSAGE_COLUMNS));
  }

  async messagePage(after: MessageKey | null, limit: number): Promise<ChannelStepMessage[]> {
    // The primary key's own order, as page() reads: each page is a range of its index.
    const n = pageLimit(limit);
    const { rows } =
      after === null
        ? await this.pool.query<StepMessageRow>('SELECT * FROM delivery_messages ORDER BY channel_id, article_id, step_key LIMIT $1', [n])
        : await this.pool.query<StepMessageRow>(
            'SELECT * FROM delivery_messages WHERE (channel_id, article_id, step_key) > ($1, $2, $3) ORDER BY channel_id, article_id, step_key LIMIT $4',
            [after.channelId, after.articleId, after.key, n],
          );
    return rows.map(channelStepMessage);
  }

  async countMessages(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM delivery_messages');
    return rows[0]?.n ?? 0;
  }

  async putMessages(records: readonly ChannelStepMessage[]): Promise<void> {
    // One row per key, the last given, as in putMany; 6 columns a row, well under 65,535 parameters.
    const byKey = new Map(records.map((r) => [JSON.stringify([r.channelId, r.articleId, r.message.key]), r]));
    const unique = [...byKey.values()];
    if (unique.length === 0) return;
    await transaction(this.pool, async (client) => {
      for (let i = 0; i < unique.length; i += ROWS_PER_INSERT) {
        const chunk = unique.slice(i, i + ROWS_PER_INSERT);
        const values = chunk.flatMap((r) => rowValues(messageToRow(r.channelId, r.articleId, r.message), MESSAGE_COLUMNS));
        await client.query(upsertRows(chunk.length, UPSERT_MESSAGE, MESSAGE_COLUMNS), values);
      }
    });
  }
}
