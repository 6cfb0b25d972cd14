/**
 * Store positions on PostgreSQL: each article's `position` (an identity column, SQLite's rowid),
 * which updates keep. Article writes commit in position order (articles.ts), so walking by
 * position misses nothing.
 */
import type { StorePositions } from '../contract.ts';
import type { Positioned } from '../positions.ts';
import type { Pool } from './pool.ts';

/** SQLite reads a negative LIMIT as "no limit"; PostgreSQL's form of it is LIMIT NULL. */
export function sqlLimit(limit: number): number | null {
  return limit < 0 ? null : limit;
}

export function postgresPositions(pool: Pool): StorePositions {
  return {
    async last() {
      const { rows } = await pool.query<{ n: number | null }>('SELECT max(position) AS n FROM articles');
      return rows[0]?.n ?? 0;
    },
    async after(position, limit) {
      const { rows } = await pool.query<Positioned>('SELECT position, id, source FROM articles WHERE position > $1 ORDER BY position LIMIT $2', [
        position,
        sqlLimit(limit),
      ]);
      return rows;
    },
    async before(position, limit) {
      const { rows } = await pool.query<Positioned>('SELECT position, id, source FROM articles WHERE position < $1 ORDER BY position DESC LIMIT $2', [
        position,
        sqlLimit(limit),
      ]);
      return rows;
    },
    async updatedSince(since, position, limit) {
      const { rows } = await pool.query<{ id: string }>(
        'SELECT id FROM articles WHERE updated_at > $1 AND position <= $2 ORDER BY updated_at, position LIMIT $3',
        [since, position, sqlLimit(limit)],
      );
      return rows.map((r) => r.id);
    },
  };
}
