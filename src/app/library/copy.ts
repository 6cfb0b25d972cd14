/**
 * `paperboy copy`: every article (with its position, times and comments), subscription, feed,
 * delivery record, delivery message, article thread and followed discussion from one store into
 * another, SQLite or PostgreSQL either way.
 *
 * Faithful: positions are kept, since subscriptions' cursors and delivery refer to them (renumbered,
 * a moved bot would post some articles again and skip others). Resumable: articles go in batches,
 * one transaction each, in position order, so after an interruption the destination holds a
 * prefix of the source and the copy goes on after its highest position. The bot's state follows,
 * each row written over its key, so doing that again changes nothing: delivery progress (channels ×
 * articles) and the messages delivery made (channels × articles × comment steps, the largest) in
 * pages, one transaction each, followed discussions in pages (a row holds every comment id its
 * discussion had), then the rest. Subscriptions go last: one
 * visible in the destination before its channel's progress could post again what was posted, were
 * a bot started on the destination mid-copy. Counts are the databases' own (COUNT), never a table
 * read whole. A note in the destination marks a copy under way: without it, a destination holding
 * anything is someone else's data and is refused.
 */
import type { Store, StoreCopier, StoredArticle } from '../../adapters/store/contract.ts';
import type { BotState } from '../../adapters/store/state.ts';
import type { InvalidSubscription } from '../../adapters/store/subscriptions.ts';
import {
  type ChannelProgress,
  type ChannelStepMessage,
  MAX_PROGRESS_PAGE as MAX_STATE_PAGE,
  type MessageKey,
  type ProgressKey,
} from '../../adapters/store/delivery-progress.ts';
import type { DiscussionState } from '../../adapters/store/discussions.ts';
import { UserError } from '../../core/errors.ts';

/** Articles per transaction when not told. */
export const DEFAULT_BATCH = 500;

/** Delivery records and delivery messages per page (one read, one transaction) when not told. */
export const DEFAULT_STATE_PAGE = 1000;

/** Followed discussions per page: fewer, since a row carries its discussion's comment ids. */
const DISCUSSION_PAGE = 100;

export interface CopyEnd {
  readonly store: Store & StoreCopier;
  readonly state: BotState;
  /** The file's path or host:port/database: how messages and the note name it. */
  readonly name: string;
}

export interface CopyOptions {
  /** Continue an interrupted copy into the destination. */
  readonly resume?: boolean;
  /** Articles per transaction. @default DEFAULT_BATCH */
  readonly batch?: number;
  /** Delivery records and delivery messages per page. @default DEFAULT_STATE_PAGE */
  readonly statePage?: number;
  /** Told once before the first batch (done = what an earlier run copied) and after each batch. */
  readonly onProgress?: (done: number, total: number) => void;
}

export const KINDS = [
  'articles',
  'comments',
  'subscriptions',
  'feeds',
  'delivery records',
  'delivery messages',
  'article threads',
  'followed discussions',
] as const;
export type Kind = (typeof KINDS)[number];

export interface KindCount {
  readonly kind: Kind;
  readonly source: number;
  readonly destination: number;
}

export interface CopyReport {
  /** The destination's highest position when the copy resumed, or null for a fresh copy. */
  readonly resumedAfter: number | null;
  /** Articles this run wrote. */
  readonly copied: number;
  readonly counts: readonly KindCount[];
  /** The kinds whose counts differ (the copy is then left marked unfinished). */
  readonly differ: readonly Kind[];
  /**
   * The source's subscriptions that do not read back, so were not copied (counted in the source, not
   * in the destination): each must be fixed or removed in the source before a --resume can finish.
   */
  readonly unreadable: readonly InvalidSubscription[];
}

async function countAll(end: CopyEnd): Promise<Record<Kind, number>> {
  // Subscriptions and feeds are a row per channel and per feed: few, and listing subscriptions is
  // how a row that does not read back is counted at all.
  const [articles, comments, subscriptions, feeds, progress, messages, threads, discussions] = await Promise.all([
    end.store.count(),
    end.store.countComments(),
    end.state.subscriptions.list(),
    end.state.feeds.list(),
    end.state.progress.count(),
    end.state.progress.countMessages(),
    end.state.threads.count(),
    end.state.discussions.count(),
  ]);
  return {
    articles,
    comments,
    subscriptions: subscriptions.subscriptions.length + subscriptions.invalid.length,
    feeds: feeds.length,
    'delivery records': progress,
    'delivery messages': messages,
    'article threads': threads,
    'followed discussions': discussions,
  };
}

function noteFor(from: CopyEnd): string {
  return JSON.stringify({ from: from.name });
}

/** Refuses a destination that holds anything not from an unfinished copy of this same source. */
async function checkDestination(from: CopyEnd, to: CopyEnd, resume: boolean): Promise<void> {
  const note = await to.store.copyNote();
  if (note !== null) {
    if (note !== noteFor(from)) {
      throw new UserError('bad-input', `${to.name} holds an unfinished copy from somewhere else (${note.slice(0, 200)}): copy into an empty database instead`);
    }
    if (!resume) throw new UserError('bad-input', `${to.name} holds an unfinished copy from ${from.name}: add --resume to continue it`);
    return;
  }
  const counts = await countAll(to);
  const held = KINDS.filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${k}`);
  if (held.length > 0) {
    throw new UserError(
      'bad-input',
      `${to.name} already holds ${held.join(', ')}, not from a copy of ${from.name} under way: copy into an empty database` +
        (resume ? ' (--resume only continues a copy that was interrupted)' : ''),
    );
  }
}

/** Copies everything from `from` into `to`, then counts each kind on both sides. */
export async function copyLibrary(from: CopyEnd, to: CopyEnd, options: CopyOptions = {}): Promise<CopyReport> {
  const batch = options.batch ?? DEFAULT_BATCH;
  if (!Number.isInteger(batch) || batch < 1) throw new UserError('bad-option', `copy: expected \`batch\` to be a whole number from 1 up, got \`${batch}\``);
  const statePage = options.statePage ?? DEFAULT_STATE_PAGE;
  if (!Number.isInteger(statePage) || statePage < 1 || statePage > MAX_STATE_PAGE) {
    throw new UserError('bad-option', `copy: expected \`statePage\` to be a whole number from 1 to ${MAX_STATE_PAGE}, got \`${statePage}\``);
  }
  if (from.name === to.name) throw new UserError('bad-input', `${from.name} is the store being copied: name another destination`);
  await checkDestination(from, to, options.resume ?? false);
  await to.store.setCopyNote(noteFor(from));

  const after = await to.store.positions.last();
  const resumedAfter = options.resume ? after : null;
  const total = await from.store.count();
  // What an earlier run copied: the destination holds exactly the source's articles up to `after`.
  let done = await to.store.count();
  let copied = 0;
  options.onProgress?.(done, total);
  let pending: StoredArticle[] = [];
  const flush = async (): Promise<void> => {
    await to.store.restore(pending);
    done += pending.length;
    copied += pending.length;
    pending = [];
    options.onProgress?.(done, total);
  };
  for await (const record of from.store.allStored(after)) {
    pending.push(record);
    if (pending.length >= batch) await flush();
  }
  if (pending.length > 0) await flush();

  const unreadable = await copyState(from.state, to.state, statePage);

  const [source, destination] = await Promise.all([countAll(from), countAll(to)]);
  const counts = KINDS.map((kind) => ({ kind, source: source[kind], destination: destination[kind] }));
  const differ = counts.filter((c) => c.source !== c.destination).map((c) => c.kind);
  if (differ.length === 0) await to.store.setCopyNote(null);
  return { resumedAfter, copied, counts, differ, unreadable };
}

/**
 * The bot's state through the repositories, each row written over its key, so a second pass changes
 * nothing. Subscriptions last (see the top of this file). Returns the subscriptions that do not read
 * back, which are left behind.
 */
async function copyState(from: BotState, to: BotState, page: number): Promise<InvalidSubscription[]> {
  await inPages<ProgressKey, ChannelProgress>(
    (after) => from.progress.page(after, page),
    (records) => to.progress.putMany(records),
    (last) => ({ channelId: last.channelId, articleId: last.articleId }),
    page,
  );
  // After the progress they belong to, before the subscriptions: a reply is posted answering its
  // parent's message only when that message is known.
  await inPages<MessageKey, ChannelStepMessage>(
    (after) => from.progress.messagePage(after, page),
    (records) => to.progress.putMessages(records),
    (last) => ({ channelId: last.channelId, articleId: last.articleId, key: last.message.key }),
    page,
  );
  await inPages<string, DiscussionState>(
    (after) => from.discussions.page(after, DISCUSSION_PAGE),
    async (discussions) => {
      for (const d of discussions) await to.discussions.put(d);
    },
    (last) => last.url,
    DISCUSSION_PAGE,
  );
  for (const t of await from.threads.list()) await to.threads.put(t);
  for (const f of await from.feeds.list()) await to.feeds.put(f);
  const subscriptions = await from.subscriptions.list();
  for (const s of subscriptions.subscriptions) await to.subscriptions.put(s);
  return subscriptions.invalid;
}

/** Reads a table a page at a time after the last key read, writing each page before reading the next. */
async function inPages<Key, Row>(
  read: (after: Key | null) => Promise<readonly Row[]>,
  write: (rows: readonly Row[]) => Promise<void>,
  keyOf: (last: Row) => Key,
  page: number,
): Promise<void> {
  let after: Key | null = null;
  for (;;) {
    const rows = await read(after);
    if (rows.length === 0) return;
    await write(rows);
    if (rows.length < page) return;
    after = keyOf(rows[rows.length - 1]!);
  }
}
