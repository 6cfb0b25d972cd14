/**
 * Store positions: each article's place in the order it was first stored (its rowid, which
 * updates keep). Delivery walks the store by position, so "what is new since" is one indexed range.
 */
import type { Db } from './db.ts';

export interface Positioned {
  readonly position: number;
  readonly id: string;
  readonly source: string | null;
}

export interface Positions {
  /** The highest position (0 when the store is empty). */
  last(): number;
  /** Articles stored after `position`, in order, at most `limit`. */
  after(position: number, limit: number): Positioned[];
  /** Articles stored before `position`, newest first, at most `limit`. */
  before(position: number, limit: number): Positioned[];
  /** Ids of articles at or before `position` changed after `since` (ISO time), oldest change first. */
  updatedSince(since: string, position: number, limit: number): string[];
}

export function positions(db: Db): Positions {
  const last = db.prepare<[], { n: number | null }>('SELECT max(rowid) AS n FROM articles');
  const after = db.prepare<[number, number], Positioned>('SELECT rowid AS position, id, source FROM articles WHERE rowid > ? ORDER BY rowid LIMIT ?');
  const before = db.prepare<[number, number], Positioned>('SELECT rowid AS position, id, source FROM articles WHERE rowid < ? ORDER BY rowid DESC LIMIT ?');
  const updated = db.prepare<[string, number, number], { id: string }>(
    'SELECT id FROM articles WHERE updated_at > ? AND rowid <= ? ORDER BY updated_at, rowid LIMIT ?',
  );
  return {
    last: () => last.get()?.n ?? 0,
    after: (position, limit) => after.all(position, limit),
    before: (position, limit) => before.all(position, limit),
    updatedSince: (since, position, limit) => updated.all(since, position, limit).map((r) => r.id),
  };
}
