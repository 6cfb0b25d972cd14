/**
 * How far delivery got with each article in each channel, in the `delivery_progress` table: one row
 * per channel and article, written after every message. The rows outlive the channel's
 * subscription, so subscribing again never posts an article twice.
 */
import type { DeliveryProgress } from '../../core/state.ts';
import type { Db } from './connection.ts';
import { asPromise, columns, DeliveryProgressSchema, jsonColumn, replaceInto, validRow } from './state-schemas.ts';

/** Where delivery progress is kept. Every method is async, so a networked database can stand behind it. */
export interface DeliveryProgressRepository {
  get(channelId: string, articleId: string): Promise<DeliveryProgress | null>;
  put(channelId: string, articleId: string, progress: DeliveryProgress): Promise<void>;
  /** Every record, in channel and article order (for `paperboy copy`). */
  list(): Promise<ChannelProgress[]>;
  /** How many records there are, counted by the database. */
  count(): Promise<number>;
  /**
   * Up to `limit` records after `after` (null: from the first), in the table's own key order (the
   * primary key's, so each page is an index range, not a sort of the whole table): `paperboy copy`
   * reads the table, channels × articles, the largest of the bot's state, a page at a time.
   */
  page(after: ProgressKey | null, limit: number): Promise<ChannelProgress[]>;
  /** Stores every record, each replacing its row, in one transaction. */
  putMany(records: readonly ChannelProgress[]): Promise<void>;
  /** The messages recorded for one article's steps in one channel (delivery_messages), in step key order. */
  messages(channelId: string, articleId: string): Promise<StepMessage[]>;
  /**
   * Stores the article's progress and the message one step made, in one transaction: a crash leaves
   * either both (the step is done, and its message known to its replies) or neither.
   */
  putStep(channelId: string, articleId: string, progress: DeliveryProgress, message: StepMessage): Promise<void>;
  /** Replaces one step's record alone: after an edit, its new digest. */
  putMessage(channelId: string, articleId: string, message: StepMessage): Promise<void>;
  /**
   * Up to `limit` step messages after `after` (null: from the first), in the primary key's order, as
   * `page` reads delivery_progress: `paperboy copy` reads delivery_messages (channels × articles ×
   * comment steps, larger still) a page at a time.
   */
  messagePage(after: MessageKey | null, limit: number): Promise<ChannelStepMessage[]>;
  /** How many step messages there are, all channels and articles, counted by the database. */
  countMessages(): Promise<number>;
  /** Stores every step message, each replacing its row, in one transaction (`paperboy copy`). */
  putMessages(records: readonly ChannelStepMessage[]): Promise<void>;
}

/** One step's message with the channel and article it belongs to. */
export interface ChannelStepMessage {
  readonly channelId: string;
  readonly articleId: string;
  readonly message: StepMessage;
}

/** The key of one step message: a channel, an article and a step. */
export interface MessageKey {
  readonly channelId: string;
  readonly articleId: string;
  readonly key: string;
}

/** The message one delivery step made in an article's thread (a comment's part, or the note that ends a capped run). */
export interface StepMessage {
  /** The step: `c:<comment id>:<part>`, or `more:<step key>` for the note. */
  readonly key: string;
  /** The thread it is in: an article posted afresh gets a new one, and the old thread's records are ignored. */
  readonly threadId: string;
  readonly messageId: string;
  /** Digest of the comment's words after its header (not its score or time), as sent or last edited to: a change at the source shows as a different digest. */
  readonly digest: string;
}

interface StepMessageRow {
  channel_id: string;
  article_id: string;
  step_key: string;
  thread_id: string;
  message_id: string;
  digest: string;
}

const MESSAGE_COLUMNS = columns<StepMessageRow>({ channel_id: true, article_id: true, step_key: true, thread_id: true, message_id: true, digest: true });

function messageToRow(channelId: string, articleId: string, m: StepMessage): StepMessageRow {
  return { channel_id: channelId, article_id: articleId, step_key: m.key, thread_id: m.threadId, message_id: m.messageId, digest: m.digest };
}

function messageFromRow(r: StepMessageRow): StepMessage {
  return { key: r.step_key, threadId: r.thread_id, messageId: r.message_id, digest: r.digest };
}

function channelStepMessage(r: StepMessageRow): ChannelStepMessage {
  return { channelId: r.channel_id, articleId: r.article_id, message: messageFromRow(r) };
}

/** The key of one record: a channel and an article. */
export type ProgressKey = Pick<ChannelProgress, 'channelId' | 'articleId'>;

/** The most records `page` returns at once. */
export const MAX_PROGRESS_PAGE = 5000;

/** `limit` checked for `page`: a whole number from 1 to MAX_PROGRESS_PAGE. */
export function pageLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PROGRESS_PAGE) {
    throw new Error(`delivery progress: expected \`limit\` to be a whole number from 1 to ${MAX_PROGRESS_PAGE}, got \`${limit}\``);
  }
  return limit;
}

/** One article's delivery progress in one channel, with its key. */
export interface ChannelProgress {
  readonly channelId: string;
  readonly articleId: string;
  readonly progress: DeliveryProgress;
}

interface ProgressRow {
  channel_id: string;
  article_id: string;
  post_id: string | null;
  thread_id: string | null;
  post_hash: string | null;
  body_hash: string;
  done: string;
  last_id: string | null;
  attempted_at: number | null;
  attempt_refused: number;
  complete: number;
  reposts: number | null;
  /** The webhook that made the post; null when the bot made it (or it is not made yet). */
  post_webhook_id: string | null;
}

const TABLE = 'delivery_progress';

const COLUMNS = columns<ProgressRow>({
  channel_id: true,
  article_id: true,
  post_id: true,
  thread_id: true,
  post_hash: true,
  body_hash: true,
  done: true,
  last_id: true,
  attempted_at: true,
  attempt_refused: true,
  complete: true,
  reposts: true,
  post_webhook_id: true,
});

/**
 * `attemptedAt` has three states, each meaning something to the engine: a time (look for the post
 * from then), null (Discord refused it outright: nothing to look for), absent (a record from before
 * attempts were timed: look from the start). `attempt_refused` tells the last two apart.
 */
function toRow(channelId: string, articleId: string, p: DeliveryProgress): ProgressRow {
  return {
    channel_id: channelId,
    article_id: articleId,
    post_id: p.postId,
    thread_id: p.threadId,
    post_hash: p.postHash,
    body_hash: p.bodyHash,
    done: JSON.stringify(p.done),
    last_id: p.lastId,
    attempted_at: p.attemptedAt ?? null,
    attempt_refused: p.attemptedAt === null ? 1 : 0,
    complete: p.complete ? 1 : 0,
    reposts: p.reposts ?? null,
    post_webhook_id: p.via?.webhookId ?? null,
  };
}

function fromRow(r: ProgressRow): DeliveryProgress {
  const key = `${r.channel_id}/${r.article_id}`;
  const attempted = r.attempted_at !== null ? { attemptedAt: r.attempted_at } : r.attempt_refused ? { attemptedAt: null } : {};
  const value = {
    postId: r.post_id,
    threadId: r.thread_id,
    postHash: r.post_hash,
    bodyHash: r.body_hash,
    done: jsonColumn(r.done, TABLE, key, 'done'),
    lastId: r.last_id,
    ...attempted,
    complete: r.complete === 1 ? true : r.complete === 0 ? false : r.complete,
    ...(r.reposts !== null && { reposts: r.reposts }),
    ...(r.post_webhook_id !== null && { via: { webhookId: r.post_webhook_id } }),
  };
  return validRow(DeliveryProgressSchema, value, TABLE, key);
}

/**
 * The statement that stores one article's progress in one channel whole, replacing its row. Into the
 * columns the table has so far: the data move of migration 5 writes before later migrations add theirs.
 */
export function progressWriter(db: Db): (channelId: string, articleId: string, p: DeliveryProgress) => void {
  const present = new Set(db.prepare<[string], string>('SELECT name FROM pragma_table_info(?)').pluck().all(TABLE));
  const names = COLUMNS.filter((c) => present.has(c));
  const stmt = db.prepare<[Partial<ProgressRow>]>(replaceInto(TABLE, names));
  return (channelId, articleId, p) => {
    const row: Partial<ProgressRow> = toRow(channelId, articleId, p);
    for (const c of COLUMNS) if (!present.has(c)) delete row[c as keyof ProgressRow];
    stmt.run(row);
  };
}

export class SqliteDeliveryProgressRepository implements DeliveryProgressRepository {
  private readonly write;
  private readonly writeMessage;
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.write = progressWriter(db);
    const message = db.prepare<[StepMessageRow]>(replaceInto('delivery_messages', MESSAGE_COLUMNS));
    this.writeMessage = (channelId: string, articleId: string, m: StepMessage): void => void message.run(messageToRow(channelId, articleId, m));
    this.stmts = {
      messages: db.prepare<[string, string], StepMessageRow>('SELECT * FROM delivery_messages WHERE channel_id = ? AND article_id = ? ORDER BY step_key'),
      countMessages: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM delivery_messages'),
      firstMessages: db.prepare<[number], StepMessageRow>('SELECT * FROM delivery_messages ORDER BY channel_id, article_id, step_key LIMIT ?'),
      messagesAfter: db.prepare<[string, string, string, number], StepMessageRow>(
        'SELECT * FROM delivery_messages WHERE (channel_id, article_id, step_key) > (?, ?, ?) ORDER BY channel_id, article_id, step_key LIMIT ?',
      ),
      get: db.prepare<[string, string], ProgressRow>('SELECT * FROM delivery_progress WHERE channel_id = ? AND article_id = ?'),
      all: db.prepare<[], ProgressRow>('SELECT * FROM delivery_progress ORDER BY channel_id, article_id'),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM delivery_progress'),
      first: db.prepare<[number], ProgressRow>('SELECT * FROM delivery_progress ORDER BY channel_id, article_id LIMIT ?'),
      after: db.prepare<[string, string, number], ProgressRow>(
        'SELECT * FROM delivery_progress WHERE (channel_id, article_id) > (?, ?) ORDER BY channel_id, article_id LIMIT ?',
      ),
    };
  }

  get(channelId: string, articleId: string): Promise<DeliveryProgress | null> {
    return asPromise(() => {
      const row = this.stmts.get.get(channelId, articleId);
      return row ? fromRow(row) : null;
    });
  }

  put(channelId: string, articleId: string, progress: DeliveryProgress): Promise<void> {
    return asPromise(() => this.write(channelId, articleId, progress));
  }

  list(): Promise<ChannelProgress[]> {
    return asPromise(() => this.stmts.all.all().map(channelProgress));
  }

  count(): Promise<number> {
    return asPromise(() => this.stmts.count.get()?.n ?? 0);
  }

  page(after: ProgressKey | null, limit: number): Promise<ChannelProgress[]> {
    return asPromise(() => {
      const n = pageLimit(limit);
      const rows = after === null ? this.stmts.first.all(n) : this.stmts.after.all(after.channelId, after.articleId, n);
      return rows.map(channelProgress);
    });
  }

  putMany(records: readonly ChannelProgress[]): Promise<void> {
    return asPromise(() =>
      this.db
        .transaction(() => {
          for (const r of records) this.write(r.channelId, r.articleId, r.progress);
        })
        .immediate(),
    );
  }

  messages(channelId: string, articleId: string): Promise<StepMessage[]> {
    return asPromise(() => this.stmts.messages.all(channelId, articleId).map(messageFromRow));
  }

  putStep(channelId: string, articleId: string, progress: DeliveryProgress, message: StepMessage): Promise<void> {
    return asPromise(() =>
      this.db
        .transaction(() => {
          this.write(channelId, articleId, progress);
          this.writeMessage(channelId, articleId, message);
        })
        .immediate(),
    );
  }

  putMessage(channelId: string, articleId: string, message: StepMessage): Promise<void> {
    return asPromise(() => this.writeMessage(channelId, articleId, message));
  }

  messagePage(after: MessageKey | null, limit: number): Promise<ChannelStepMessage[]> {
    return asPromise(() => {
      const n = pageLimit(limit);
      const rows = after === null ? this.stmts.firstMessages.all(n) : this.stmts.messagesAfter.all(after.channelId, after.articleId, after.key, n);
      return rows.map(channelStepMessage);
    });
  }

  countMessages(): Promise<number> {
    return asPromise(() => this.stmts.countMessages.get()?.n ?? 0);
  }

  putMessages(records: readonly ChannelStepMessage[]): Promise<void> {
    return asPromise(() =>
      this.db
        .transaction(() => {
          for (const r of records) this.writeMessage(r.channelId, r.articleId, r.message);
        })
        .immediate(),
    );
  }
}

function channelProgress(r: ProgressRow): ChannelProgress {
  return { channelId: r.channel_id, articleId: r.article_id, progress: fromRow(r) };
}

/** The row form, shared with the PostgreSQL repository (postgres/), whose table has the same columns. */
export {
  channelProgress,
  COLUMNS as PROGRESS_COLUMNS,
  fromRow as progressFromRow,
  toRow as progressToRow,
  type ProgressRow,
  channelStepMessage,
  MESSAGE_COLUMNS,
  messageFromRow,
  messageToRow,
  type StepMessageRow,
};
