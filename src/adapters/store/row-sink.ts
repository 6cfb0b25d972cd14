/**
 * Stores that take articles as rows already made (rows.ts ArticleRows): the ingest worker makes
 * them while it parses, and the thread that stores only inserts them. SQLite's alone for now; any
 * other sink takes articles as before.
 */
import type { ArticleSink, UpsertStatus } from './contract.ts';
import type { ArticleRows } from './rows.ts';
import { SqliteStore } from './sqlite-store.ts';

export interface RowSink {
  /** Stores many articles given as their rows in one transaction, deciding added, updated or unchanged as upsertMany does. */
  upsertRows(rows: readonly ArticleRows[], now?: Date): Promise<UpsertStatus[]>;
}

/** `sink`'s way to take rows, or null when it takes articles only. */
export function rowSinkOf(sink: ArticleSink): RowSink | null {
  // Found here rather than declared on the sink: ArticleSink is the contract both backends keep.
  if (!(sink instanceof SqliteStore)) return null;
  const engine = sink.engine;
  return { upsertRows: (rows, now) => new Promise((resolve) => resolve(engine.upsertRows(rows, now))) };
}
