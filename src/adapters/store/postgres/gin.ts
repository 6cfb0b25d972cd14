/** Keeping full-text queries on the GIN indexes, whatever the planner would have chosen. */
import type { QueryResultRow } from 'pg';
import type { Client, Pool } from './pool.ts';

const PLANNER = 'SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off; SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off';

/**
 * Runs full-text queries in one read-only transaction whose planner may use neither plain index
 * scans nor sequential scans: that leaves the GIN index's bitmap scan. Left to itself, the planner
 * walks the position (or date) index newest first and tests every row's tsvector against the
 * query until it has its LIMIT: cheap for a word in most articles, but for a word in one article
 * of a hundred it reads and decompresses tens of thousands of tsvectors (75 ms and more at
 * 100,000 articles). The bitmap scan's cost grows with the matches instead, and COUNT_CAP and the
 * window bound what is ranked. No parallel plans either: search's stretches of newest keys
 * (search-sql.ts) rely on a UNION ALL's branches running in order, which only a parallel append changes.
 * No JIT: a search's plan costs past jit_above_cost (the disabled scans alone make it look dear),
 * and compiling it took 15-20 ms of a query that runs in a few (EXPLAIN at 100,000 articles).
 *
 * `first`, when given, is constant SQL (no parameters) run in the same round trip as BEGIN and
 * before the settings, so that it may still use plain index scans; `work` gets its last rows.
 */
export async function onGinIndex<T, R extends QueryResultRow = QueryResultRow>(
  pool: Pool,
  work: (client: Client, first: readonly R[]) => Promise<T>,
  first?: string,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const started: unknown = await client.query(`BEGIN READ ONLY; ${first ? `${first}; ` : ''}${PLANNER}`);
    const results = Array.isArray(started) ? (started as { rows: R[] }[]) : [];
    // Results come in statement order: BEGIN, then `first`, then the settings.
    const result = await work(client, first ? (results[1]?.rows ?? []) : []);
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
