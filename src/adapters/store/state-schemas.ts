/**
 * What a row of the bot's state must be to be used: every record read from the state tables (and
 * every keyv record the migration copies into them) is checked here, so a damaged or hand-edited
 * row is an error naming it, never a value cast into shape. Strict objects: a field this code does
 * not know is refused rather than dropped.
 */
import { z } from 'zod';
import { SubscriptionOptionsSchema, SubscriptionTallySchema } from './subscription-settings-schema.ts';
import type { ArticleThread, Backfill, DeliveryProgress, FeedState, SetAside, Subscription, Unfinished } from '../../core/state.ts';

const count = z.number().int().nonnegative();

export const BackfillSchema: z.ZodType<Backfill> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('latest'), count: z.number().int().positive() }),
]);

export const SetAsideSchema: z.ZodType<SetAside> = z.strictObject({
  articleId: z.string(),
  title: z.string(),
  reason: z.string(),
  at: z.string(),
  retry: z.boolean(),
});

export const UnfinishedSchema: z.ZodType<Unfinished> = z.strictObject({ articleId: z.string(), title: z.string(), left: count, at: z.string() });

export const SubscriptionSchema: z.ZodType<Subscription> = z.strictObject({
  guildId: z.string().min(1),
  channelId: z.string().min(1),
  kind: z.enum(['text', 'forum']),
  channelName: z.string(),
  source: z.string().nullable(),
  keywords: z.string().nullable(),
  backfill: BackfillSchema,
  cursor: count,
  checkedAt: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  paused: z.strictObject({ reason: z.string(), at: z.string() }).nullable(),
  posted: count,
  lastPostedAt: z.string().nullable(),
  lastRunAt: z.string().nullable(),
  lastError: z.string().nullable(),
  setAside: z.array(SetAsideSchema).optional(),
  setAsideDropped: count.optional(),
  unfinished: z.array(UnfinishedSchema).optional(),
  revision: count.optional(),
  followDiscussions: z.boolean().optional(),
  options: SubscriptionOptionsSchema.optional(),
  tally: SubscriptionTallySchema.optional(),
});

export const FeedStateSchema: z.ZodType<FeedState> = z.strictObject({
  url: z.string().min(1),
  name: z.string(),
  addedAt: z.string(),
  etag: z.string().nullable(),
  lastModified: z.string().nullable(),
  lastPolledAt: z.string().nullable(),
  lastOkAt: z.string().nullable(),
  items: count,
  failures: count,
  lastError: z.string().nullable(),
  retryAt: z.string().nullable(),
  failingSince: z.string().nullable().optional(),
  problem: z.string().nullable().optional(),
  pausedAt: z.string().nullable().optional(),
  pausedReason: z.string().nullable().optional(),
  noticed: z.enum(['failing', 'paused']).nullable().optional(),
  problemKind: z.string().max(40).nullable().optional(),
  noticePending: z
    .strictObject({
      notice: z.enum(['failing', 'paused', 'recovered']),
      content: z.string().max(2_000),
      key: z.string().min(1).max(64),
      channels: z.array(z.string().min(1).max(32)).max(100_000),
      attempts: count,
      attemptedAt: count,
    })
    .nullable()
    .optional(),
});

export const ArticleThreadSchema: z.ZodType<ArticleThread> = z.strictObject({
  threadId: z.string().min(1),
  articleId: z.string().min(1),
  guildId: z.string().min(1),
  parentId: z.string().min(1),
  lastMessageId: z.string().nullable(),
});

export const DeliveryProgressSchema: z.ZodType<DeliveryProgress> = z.strictObject({
  postId: z.string().nullable(),
  threadId: z.string().nullable(),
  postHash: z.string().nullable(),
  bodyHash: z.string(),
  done: z.array(z.string()),
  lastId: z.string().nullable(),
  attemptedAt: z.number().int().nullable().optional(),
  complete: z.boolean(),
  reposts: count.optional(),
  via: z.strictObject({ webhookId: z.string().regex(/^\d{1,20}$/) }).optional(),
});

/** A state row that is not what this code needs (damaged, hand-edited, or from an unknown version). */
export class InvalidStateRow extends Error {
  override readonly name = 'InvalidStateRow';
  constructor(
    readonly table: string,
    readonly key: string,
    readonly problem: string,
  ) {
    super(`${table} row ${key} is not valid: ${problem}; fix or delete that row (sqlite3 DATABASE) for Paperboy to use it`);
  }
}

/** The issues zod found, in one line: `cursor: expected number, received string; …`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : 'record'}: ${i.message}`).join('; ');
}

/** `value` checked against `schema`; an InvalidStateRow naming the table and key when it does not fit. */
export function validRow<T>(schema: z.ZodType<T>, value: unknown, table: string, key: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidStateRow(table, key, describeIssues(parsed.error));
  return parsed.data;
}

/** A JSON column's text parsed; an InvalidStateRow when it is not JSON. */
export function jsonColumn(text: string, table: string, key: string, column: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidStateRow(table, key, `its ${column} column is not JSON`);
  }
}

/**
 * `work`'s result as a promise, its throw as a rejection. The repositories are async so that a
 * database with an asynchronous driver can stand behind the same interfaces; SQLite's answer is
 * already there.
 */
export function asPromise<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** A row type's column names, from an object naming each (the type checker makes sure none is missing). */
export function columns<Row>(all: Record<keyof Row, true>): readonly string[] {
  return Object.keys(all);
}

/** `INSERT OR REPLACE` of a whole row, with one named parameter per column. */
export function replaceInto(table: string, names: readonly string[]): string {
  return `INSERT OR REPLACE INTO ${table} (${names.join(', ')}) VALUES (${names.map((c) => `@${c}`).join(', ')})`;
}
