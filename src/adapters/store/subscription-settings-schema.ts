/**
 * The shapes of a subscription's operator settings and run tally (src/core/subscription-options.ts)
 * as stored: JSON in the `options` and `tally` columns (SQLite migration 11, PostgreSQL 9). Checked
 * on every read, like every state row: a hand-edited value is an error naming the row.
 */
import { z } from 'zod';
import type { SubscriptionOptions, SubscriptionTally } from '../../core/subscription-options.ts';

const filter = z.string().nullable();
const count = z.number().int().nonnegative();

export const SubscriptionOptionsSchema: z.ZodType<SubscriptionOptions> = z.strictObject({
  filter: filter.optional(),
  template: z
    .strictObject({
      content: z.string().optional(),
      title: z.string().optional(),
      description: z.string().optional(),
      threadName: z.string().optional(),
      dateFormat: z.string().optional(),
      timezone: z.string().optional(),
      locale: z.string().optional(),
    })
    .nullable()
    .optional(),
  mentions: z.array(z.strictObject({ kind: z.enum(['role', 'user']), id: z.string().regex(/^\d{1,20}$/u), filter })).optional(),
  webhook: z
    .strictObject({ name: z.string().min(1), avatarUrl: z.string().nullable(), id: z.string().optional(), token: z.string().optional() })
    .nullable()
    .optional(),
  tags: z.array(z.strictObject({ tagId: z.string().min(1), filter })).optional(),
  threadId: z.string().nullable().optional(),
  dailyCap: count.nullable().optional(),
  minSpacingMinutes: count.nullable().optional(),
  maxAgeHours: count.nullable().optional(),
  digest: z
    .strictObject({
      every: z.enum(['daily', 'weekly']),
      at: z.string().regex(/^\d{2}:\d{2}$/u),
      weekday: z.number().int().min(1).max(7).optional(),
      timezone: z.string().optional(),
      only: z.boolean(),
    })
    .nullable()
    .optional(),
});

export const SubscriptionTallySchema: z.ZodType<SubscriptionTally> = z.strictObject({
  day: z.string().optional(),
  postedToday: count.optional(),
  lastPostAt: z.string().optional(),
  digestThrough: z.string().optional(),
  digestAttempt: z.strictObject({ through: z.string(), at: count }).optional(),
});

/** The columns both backends add for them. */
export const subscriptionSettingsColumns = `ALTER TABLE subscriptions ADD COLUMN options TEXT;
ALTER TABLE subscriptions ADD COLUMN tally TEXT;`;
