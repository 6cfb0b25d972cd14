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
} from '../delivery-progress.ts';
import { type Pool, rowValues, upsertInto } from './pool.ts';

const UPSERT = upsertInto('delivery_progress', PROGRESS_COLUMNS, ['channel_id', 'article_id']);

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
}
