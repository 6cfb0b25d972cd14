/**
 * Subscriptions in the `subscriptions` table: one row per channel. A change is a read, modify and
 * write inside one IMMEDIATE transaction, so no other writer (a /subscribe during a delivery run, or
 * another process on the same file) can slip in between and have its change written over.
 */
import type { Subscription } from '../../core/state.ts';
import type { Db } from './connection.ts';
import { asPromise, columns, InvalidStateRow, jsonColumn, replaceInto, SubscriptionSchema, validRow } from './state-schemas.ts';

export interface SubscriptionKey {
  readonly guildId: string;
  readonly channelId: string;
}

/** What a change to one subscription saw and left; `after` is null when there is none. */
export interface SubscriptionChange {
  readonly before: Subscription | null;
  readonly after: Subscription | null;
}

/** A stored subscription that does not read back valid: its channel, and what is wrong with the row. */
export interface InvalidSubscription {
  readonly guildId: string;
  readonly channelId: string;
  readonly error: InvalidStateRow;
}

/** The subscriptions that read back, and apart from them the rows that do not. */
export interface SubscriptionList {
  readonly subscriptions: Subscription[];
  readonly invalid: InvalidSubscription[];
}

/** Where subscriptions are kept. Every method is async, so a networked database can stand behind it. */
export interface SubscriptionRepository {
  get(key: SubscriptionKey): Promise<Subscription | null>;
  put(sub: Subscription): Promise<void>;
  /**
   * Reads the subscription (null when there is none) and stores what `change` makes of it (nothing
   * when it returns null), atomically: no other change to it lands in between, from this process or
   * another. `change` runs inside the transaction, so it must not wait for anything.
   */
  update(key: SubscriptionKey, change: (current: Subscription | null) => Subscription | null): Promise<SubscriptionChange>;
  /** Removes the subscription; the channel's delivery progress stays, so subscribing again does not post the same articles again. */
  remove(key: SubscriptionKey): Promise<boolean>;
  /**
   * Every subscription, or a guild's, in guild and channel order. A row that does not read back is
   * listed in `invalid` rather than thrown: one damaged row must not hide every other channel's.
   */
  list(guildId?: string): Promise<SubscriptionList>;
}

interface SubscriptionRow {
  guild_id: string;
  channel_id: string;
  kind: string;
  channel_name: string;
  source: string | null;
  keywords: string | null;
  backfill_kind: string;
  backfill_count: number | null;
  cursor: number;
  checked_at: string;
  created_at: string;
  created_by: string;
  paused_reason: string | null;
  paused_at: string | null;
  posted: number;
  last_posted_at: string | null;
  last_run_at: string | null;
  last_error: string | null;
  set_aside: string | null;
  set_aside_dropped: number | null;
  unfinished: string | null;
  revision: number | null;
  follow_discussions: number | null;
  options: string | null;
  tally: string | null;
}

const TABLE = 'subscriptions';

/** The subscription as a row; an absent optional field is NULL, so it reads back absent. */
export function subscriptionRow(s: Subscription): SubscriptionRow {
  return {
    guild_id: s.guildId,
    channel_id: s.channelId,
    kind: s.kind,
    channel_name: s.channelName,
    source: s.source,
    keywords: s.keywords,
    backfill_kind: s.backfill.kind,
    backfill_count: s.backfill.kind === 'latest' ? s.backfill.count : null,
    cursor: s.cursor,
    checked_at: s.checkedAt,
    created_at: s.createdAt,
    created_by: s.createdBy,
    paused_reason: s.paused?.reason ?? null,
    paused_at: s.paused?.at ?? null,
    posted: s.posted,
    last_posted_at: s.lastPostedAt,
    last_run_at: s.lastRunAt,
    last_error: s.lastError,
    set_aside: s.setAside === undefined ? null : JSON.stringify(s.setAside),
    set_aside_dropped: s.setAsideDropped ?? null,
    unfinished: s.unfinished === undefined ? null : JSON.stringify(s.unfinished),
    revision: s.revision ?? null,
    follow_discussions: s.followDiscussions === undefined ? null : Number(s.followDiscussions),
    options: s.options === undefined ? null : JSON.stringify(s.options),
    tally: s.tally === undefined ? null : JSON.stringify(s.tally),
  };
}

function fromRow(r: SubscriptionRow): Subscription {
  const key = `${r.guild_id}/${r.channel_id}`;
  const value = {
    guildId: r.guild_id,
    channelId: r.channel_id,
    kind: r.kind,
    channelName: r.channel_name,
    source: r.source,
    keywords: r.keywords,
    backfill: r.backfill_kind === 'latest' ? { kind: r.backfill_kind, count: r.backfill_count } : { kind: r.backfill_kind },
    cursor: r.cursor,
    checkedAt: r.checked_at,
    createdAt: r.created_at,
    createdBy: r.created_by,
    paused: r.paused_reason === null && r.paused_at === null ? null : { reason: r.paused_reason, at: r.paused_at },
    posted: r.posted,
    lastPostedAt: r.last_posted_at,
    lastRunAt: r.last_run_at,
    lastError: r.last_error,
    ...(r.set_aside !== null && { setAside: jsonColumn(r.set_aside, TABLE, key, 'set_aside') }),
    ...(r.set_aside_dropped !== null && { setAsideDropped: r.set_aside_dropped }),
    ...(r.unfinished !== null && { unfinished: jsonColumn(r.unfinished, TABLE, key, 'unfinished') }),
    ...(r.revision !== null && { revision: r.revision }),
    // 0 and 1 only (the column's CHECK); anything else is left for the schema to name.
    ...(r.follow_discussions !== null && { followDiscussions: r.follow_discussions === 1 ? true : r.follow_discussions === 0 ? false : r.follow_discussions }),
    ...(r.options !== null && r.options !== undefined && { options: jsonColumn(r.options, TABLE, key, 'options') }),
    ...(r.tally !== null && r.tally !== undefined && { tally: jsonColumn(r.tally, TABLE, key, 'tally') }),
  };
  return validRow(SubscriptionSchema, value, TABLE, key);
}

const COLUMNS = columns<SubscriptionRow>({
  guild_id: true,
  channel_id: true,
  kind: true,
  channel_name: true,
  source: true,
  keywords: true,
  backfill_kind: true,
  backfill_count: true,
  cursor: true,
  checked_at: true,
  created_at: true,
  created_by: true,
  paused_reason: true,
  paused_at: true,
  posted: true,
  last_posted_at: true,
  last_run_at: true,
  last_error: true,
  set_aside: true,
  set_aside_dropped: true,
  unfinished: true,
  revision: true,
  follow_discussions: true,
  options: true,
  tally: true,
});

/**
 * The statement that stores a subscription whole, replacing its channel's row. Migration 4 moves
 * keyv subscriptions into the table through it before later migrations have added their columns
 * (follow_discussions in 10, options and tally in 11); those records never had them, so the
 * columns the table lacks yet are left out.
 */
export function subscriptionWriter(db: Db): (s: Subscription) => void {
  const present = new Set(
    db
      .prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)')
      .all(TABLE)
      .map((c) => c.name),
  );
  const names = COLUMNS.filter((c) => present.has(c));
  const stmt = db.prepare<[Partial<SubscriptionRow>]>(replaceInto(TABLE, names));
  return (s) => {
    const row: Partial<SubscriptionRow> = subscriptionRow(s);
    for (const c of COLUMNS) if (!present.has(c)) delete row[c as keyof SubscriptionRow];
    stmt.run(row);
  };
}

export class SqliteSubscriptionRepository implements SubscriptionRepository {
  private readonly write;
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.write = subscriptionWriter(db);
    this.stmts = {
      get: db.prepare<[string, string], SubscriptionRow>('SELECT * FROM subscriptions WHERE guild_id = ? AND channel_id = ?'),
      all: db.prepare<[], SubscriptionRow>('SELECT * FROM subscriptions'),
      guild: db.prepare<[string], SubscriptionRow>('SELECT * FROM subscriptions WHERE guild_id = ?'),
      delete: db.prepare<[string, string]>('DELETE FROM subscriptions WHERE guild_id = ? AND channel_id = ?'),
    };
  }

  private read(key: SubscriptionKey): Subscription | null {
    const row = this.stmts.get.get(key.guildId, key.channelId);
    return row ? fromRow(row) : null;
  }

  get(key: SubscriptionKey): Promise<Subscription | null> {
    return asPromise(() => this.read(key));
  }

  put(sub: Subscription): Promise<void> {
    return asPromise(() => this.write(sub));
  }

  update(key: SubscriptionKey, change: (current: Subscription | null) => Subscription | null): Promise<SubscriptionChange> {
    return asPromise(() =>
      this.db
        .transaction((): SubscriptionChange => {
          const before = this.read(key);
          const after = change(before);
          if (after && (after.guildId !== key.guildId || after.channelId !== key.channelId)) {
            throw new Error(`subscriptions: a change to ${key.guildId}/${key.channelId} returned the subscription of ${after.guildId}/${after.channelId}`);
          }
          if (after) this.write(after);
          return { before, after };
        })
        .immediate(),
    );
  }

  remove(key: SubscriptionKey): Promise<boolean> {
    // The channel's delivery progress stays: subscribing again must not post what was posted before.
    return asPromise(() => this.stmts.delete.run(key.guildId, key.channelId).changes > 0);
  }

  list(guildId?: string): Promise<SubscriptionList> {
    return asPromise(() => {
      const rows = guildId === undefined ? this.stmts.all.all() : this.stmts.guild.all(guildId);
      const byChannel = (a: SubscriptionKey, b: SubscriptionKey) => a.guildId.localeCompare(b.guildId) || a.channelId.localeCompare(b.channelId);
      const subscriptions: Subscription[] = [];
      const invalid: InvalidSubscription[] = [];
      for (const row of rows) {
        try {
          subscriptions.push(fromRow(row));
        } catch (error) {
          if (!(error instanceof InvalidStateRow)) throw error;
          invalid.push({ guildId: row.guild_id, channelId: row.channel_id, error });
        }
      }
      return { subscriptions: subscriptions.sort(byChannel), invalid: invalid.sort(byChannel) };
    });
  }
}

/** The row form, shared with the PostgreSQL repository (postgres/), whose table has the same columns. */
export { COLUMNS as SUBSCRIPTION_COLUMNS, fromRow as subscriptionFromRow, type SubscriptionRow };
