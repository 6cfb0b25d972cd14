/** Keeping full-text queries on the GIN indexes, whatever the planner would have chosen. */
import type { Client, Pool } from './pool.ts';

/**
 * Runs full-text queries in one read-only transaction whose planner may use neither plain index
 * scans nor sequential scans: that leaves the GIN index's bitmap scan. Left to itself, the planner
 * walks the position (or date) index newest first and tests every row's tsvector against the
 * query until it has its LIMIT: cheap for a word in most articles, but for a word in one article
 * of a hundred it reads and decompresses tens of thousands of tsvectors (75 ms and more at
 * 100,000 articles). The bitmap scan's cost grows with the matches instead, and COUNT_CAP and the
 * window bound what is ranked.
 */
export async function onGinIndex<T>(pool: Pool, work: (client: Client) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN READ ONLY; SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollback: unknown) => {
      broken = rollback instanceof Error ? rollback : new Error(String(rollback));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
