/**
 * What an operator sets on a subscription beyond its source and keywords (issue 17): a filter
 * expression, how a post looks (a template), who it pings, where it goes (a webhook identity, forum
 * tags, an existing thread), caps, and a digest. Plain data, checked on save by the application
 * layer (src/app/delivery/settings.ts) and on read by the store (subscription-settings-schema.ts).
 * Every field is optional: a subscription without them posts as it always has.
 */

/** A filter expression as typed (src/app/filters/expression.ts): `title contains "x" and not source = "y"`. */
export type FilterText = string;

/**
 * How a post looks. Each text is a template with placeholders (`{title}`, `{summary:2}`,
 * `{published}`, …; src/app/templates/); absent fields keep today's post.
 */
export interface PostTemplate {
  /** The message text above the embed; absent means none. */
  readonly content?: string;
  readonly title?: string;
  readonly description?: string;
  /** Thread (or forum post) name. */
  readonly threadName?: string;
  /** How `{published}` is written: a Luxon format (`yyyy-LL-dd HH:mm`) or a preset (`short`, `medium`, `long`, `full`). */
  readonly dateFormat?: string;
  /** IANA time zone for `{published}`, e.g. `Europe/Berlin`; default UTC. */
  readonly timezone?: string;
  /** BCP 47 locale for `{published}`, e.g. `de-DE`; default `en-GB`. */
  readonly locale?: string;
}

/** A role or user pinged in a post when the article passes `filter` (every article when null). */
export interface MentionRule {
  readonly kind: 'role' | 'user';
  readonly id: string;
  readonly filter: FilterText | null;
}

/** A forum tag applied to a forum post when the article passes `filter`. */
export interface TagRule {
  readonly tagId: string;
  readonly filter: FilterText | null;
}

/** The name and avatar a webhook destination posts under; `id`/`token` once the bot has made the webhook. */
export interface WebhookIdentity {
  readonly name: string;
  readonly avatarUrl: string | null;
  readonly id?: string;
  readonly token?: string;
}

export interface DigestSettings {
  readonly every: 'daily' | 'weekly';
  /** Local time of day, `HH:MM`, in `timezone`. */
  readonly at: string;
  /** For weekly digests: 1 = Monday … 7 = Sunday (ISO). */
  readonly weekday?: number;
  /** IANA time zone; default UTC. */
  readonly timezone?: string;
  /** Digest instead of one post per article (true), or as well (false). */
  readonly only: boolean;
}

export interface SubscriptionOptions {
  readonly filter?: FilterText | null;
  readonly template?: PostTemplate | null;
  readonly mentions?: readonly MentionRule[];
  readonly webhook?: WebhookIdentity | null;
  readonly tags?: readonly TagRule[];
  /** Post into this existing thread instead of making a post and thread per article. */
  readonly threadId?: string | null;
  /** Articles posted per day (UTC day) at most. */
  readonly dailyCap?: number | null;
  /** Minutes between two posts at least. */
  readonly minSpacingMinutes?: number | null;
  /** Articles published (or stored) longer ago than this are skipped. */
  readonly maxAgeHours?: number | null;
  readonly digest?: DigestSettings | null;
}

/** What runs keep about a subscription for its caps and digests; written by delivery, never by an operator. */
export interface SubscriptionTally {
  /** The UTC day (`YYYY-MM-DD`) `postedToday` counts. */
  readonly day?: string;
  readonly postedToday?: number;
  /** When the last article was posted (ISO), for the minimum spacing. */
  readonly lastPostAt?: string;
  /** The end (ISO) of the last period a digest was posted for. */
  readonly digestThrough?: string;
  /** The last digest send set out on (saved before sending): the period's end (ISO) and when (epoch ms), where a read-back after a crash starts. */
  readonly digestAttempt?: { readonly through: string; readonly at: number };
}
