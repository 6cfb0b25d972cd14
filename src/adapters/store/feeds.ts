/** The feeds Paperboy polls, in the `feeds` table: one row per URL. */
import type { FeedState } from '../../core/state.ts';
import type { Db } from './connection.ts';
import { asPromise, columns, FeedStateSchema, jsonColumn, replaceInto, validRow } from './state-schemas.ts';

/** Where the polled feeds are kept. Every method is async, so a networked database can stand behind it. */
export interface FeedRepository {
  get(url: string): Promise<FeedState | null>;
  put(feed: FeedState): Promise<void>;
  /**
   * Reads the feed (null when there is none) and stores what `change` makes of it (nothing when it
   * returns null), atomically. `change` runs inside the transaction, so it must not wait for anything.
   */
  update(url: string, change: (current: FeedState | null) => FeedState | null): Promise<{ before: FeedState | null; after: FeedState | null }>;
  remove(url: string): Promise<boolean>;
  /** Every feed, in URL order. */
  list(): Promise<FeedState[]>;
}

interface FeedRow {
  url: string;
  name: string;
  added_at: string;
  etag: string | null;
  last_modified: string | null;
  last_polled_at: string | null;
  last_ok_at: string | null;
  items: number;
  failures: number;
  last_error: string | null;
  retry_at: string | null;
  failing_since: string | null;
  problem: string | null;
  paused_at: string | null;
  paused_reason: string | null;
  noticed: string | null;
  problem_kind: string | null;
  /** A PendingNotice as JSON. */
  notice_pending: string | null;
}

const TABLE = 'feeds';

const COLUMNS = columns<FeedRow>({
  url: true,
  name: true,
  added_at: true,
  etag: true,
  last_modified: true,
  last_polled_at: true,
  last_ok_at: true,
  items: true,
  failures: true,
  last_error: true,
  retry_at: true,
  failing_since: true,
  problem: true,
  paused_at: true,
  paused_reason: true,
  noticed: true,
  problem_kind: true,
  notice_pending: true,
});

function toRow(f: FeedState): FeedRow {
  return {
    url: f.url,
    name: f.name,
    added_at: f.addedAt,
    etag: f.etag,
    last_modified: f.lastModified,
    last_polled_at: f.lastPolledAt,
    last_ok_at: f.lastOkAt,
    items: f.items,
    failures: f.failures,
    last_error: f.lastError,
    retry_at: f.retryAt,
    failing_since: f.failingSince ?? null,
    problem: f.problem ?? null,
    paused_at: f.pausedAt ?? null,
    paused_reason: f.pausedReason ?? null,
    noticed: f.noticed ?? null,
    problem_kind: f.problemKind ?? null,
    notice_pending: f.noticePending ? JSON.stringify(f.noticePending) : null,
  };
}

function fromRow(r: FeedRow): FeedState {
  const value = {
    url: r.url,
    name: r.name,
    addedAt: r.added_at,
    etag: r.etag,
    lastModified: r.last_modified,
    lastPolledAt: r.last_polled_at,
    lastOkAt: r.last_ok_at,
    items: r.items,
    failures: r.failures,
    lastError: r.last_error,
    retryAt: r.retry_at,
    // The health fields only when set: a feed that never failed reads back as it was written.
    ...(r.failing_since !== null && { failingSince: r.failing_since }),
    ...(r.problem !== null && { problem: r.problem }),
    ...(r.paused_at !== null && { pausedAt: r.paused_at }),
    ...(r.paused_reason !== null && { pausedReason: r.paused_reason }),
    ...(r.noticed !== null && { noticed: r.noticed }),
    ...(r.problem_kind !== null && { problemKind: r.problem_kind }),
    ...(r.notice_pending !== null && { noticePending: jsonColumn(r.notice_pending, TABLE, r.url, 'notice_pending') }),
  };
  return validRow(FeedStateSchema, value, TABLE, r.url);
}

/** The statement that stores a feed whole, replacing its URL's row. */
export function feedWriter(db: Db): (f: FeedState) => void {
  // The move from keyv (migration 4) writes feeds before migration 12 adds the health columns: only the columns there are.
  const present = new Set(db.prepare<[string], string>('SELECT name FROM pragma_table_info(?)').pluck().all(TABLE));
  const stmt = db.prepare<[FeedRow]>(
    replaceInto(
      TABLE,
      COLUMNS.filter((c) => present.has(c)),
    ),
  );
  return (f) => stmt.run(toRow(f));
}

export class SqliteFeedRepository implements FeedRepository {
  private readonly write;
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.write = feedWriter(db);
    this.stmts = {
      get: db.prepare<[string], FeedRow>('SELECT * FROM feeds WHERE url = ?'),
      all: db.prepare<[], FeedRow>('SELECT * FROM feeds'),
      delete: db.prepare<[string]>('DELETE FROM feeds WHERE url = ?'),
    };
  }

  private read(url: string): FeedState | null {
    const row = this.stmts.get.get(url);
    return row ? fromRow(row) : null;
  }

  get(url: string): Promise<FeedState | null> {
    return asPromise(() => this.read(url));
  }

  put(feed: FeedState): Promise<void> {
    return asPromise(() => this.write(feed));
  }

  update(url: string, change: (current: FeedState | null) => FeedState | null): Promise<{ before: FeedState | null; after: FeedState | null }> {
    return asPromise(() =>
      this.db
        .transaction(() => {
          const before = this.read(url);
          const after = change(before);
          if (after && after.url !== url) throw new Error(`feeds: a change to ${url} returned the feed ${after.url}`);
          if (after) this.write(after);
          return { before, after };
        })
        .immediate(),
    );
  }

  remove(url: string): Promise<boolean> {
    return asPromise(() => this.stmts.delete.run(url).changes > 0);
  }

  list(): Promise<FeedState[]> {
    return asPromise(() =>
      this.stmts.all
        .all()
        .map(fromRow)
        .sort((a, b) => a.url.localeCompare(b.url)),
    );
  }
}

/** The row form, shared with the PostgreSQL repository (postgres/), whose table has the same columns. */
export { COLUMNS as FEED_COLUMNS, fromRow as feedFromRow, toRow as feedToRow, type FeedRow };
