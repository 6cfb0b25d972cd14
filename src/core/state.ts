import type { SubscriptionOptions, SubscriptionTally } from './subscription-options.ts';

/**
 * The bot's own state, as plain data: subscriptions, the feeds it polls, how far delivery got with
 * each article, and the threads it made. The store keeps them in tables (src/adapters/store/) and
 * checks every row it reads against these shapes; the application layer works on them.
 */

export type Backfill = { readonly kind: 'none' } | { readonly kind: 'all' } | { readonly kind: 'latest'; readonly count: number };

/** An article that cannot be posted as it is: kept with the reason, out of the way of the articles after it. */
export interface SetAside {
  readonly articleId: string;
  readonly title: string;
  /** Discord's refusal or the planning error, in its words. */
  readonly reason: string;
  readonly at: string;
  /** An admin asked for another try (/subscriptions retry): the next run delivers it again. */
  readonly retry: boolean;
}

/**
 * An article whose post and thread are made and whose comments go out a slice per run: the cursor
 * has moved past it, so the articles stored after it are not held up, and every run goes on with its
 * thread until it is complete.
 */
export interface Unfinished {
  readonly articleId: string;
  readonly title: string;
  /** Comment messages not yet posted, as of the last run that posted some. */
  readonly left: number;
  readonly at: string;
}

/**
 * Which channel gets which articles. It remembers how far through the store it has got (`cursor`, a
 * store position) rather than a list of every article it posted.
 */
export interface Subscription {
  readonly guildId: string;
  readonly channelId: string;
  /** A text channel gets a message and a thread from it; a forum gets a forum post. */
  readonly kind: 'text' | 'forum';
  readonly channelName: string;
  readonly source: string | null;
  /** The filter as typed: words, or `/regex/flags`. */
  readonly keywords: string | null;
  readonly backfill: Backfill;
  /** Articles stored at or before this store position are done (posted, or not matching). */
  readonly cursor: number;
  /** Articles updated after this time are checked for new comments and changed text. */
  readonly checkedAt: string;
  readonly createdAt: string;
  readonly createdBy: string;
  /** Why delivery stopped; an admin subscribes again to resume. */
  readonly paused: { readonly reason: string; readonly at: string } | null;
  readonly posted: number;
  readonly lastPostedAt: string | null;
  readonly lastRunAt: string | null;
  readonly lastError: string | null;
  /** Articles set aside, at most MAX_SET_ASIDE; absent in subscriptions stored before set-aside existed. */
  readonly setAside?: readonly SetAside[];
  /** Set-aside articles dropped from the list when it was full (each named in the log); absent when none. */
  readonly setAsideDropped?: number;
  /** Articles whose threads are still being posted; absent in subscriptions stored before threads went in slices. */
  readonly unfinished?: readonly Unfinished[];
  /**
   * Bumped by /subscribe whenever it changes the source, keywords, backfill or cursor. A run that read
   * another revision leaves the cursor and check time as /subscribe put them: what it scanned was
   * chosen by the old settings. Absent (0) in subscriptions stored before it existed.
   */
  readonly revision?: number;
  /**
   * Each article it delivers that links to a discussion elsewhere (a feed item's comments link) has
   * that discussion followed, so its comments come in as they are written there. Absent means no.
   */
  readonly followDiscussions?: boolean;
  /** Filter expression, template, mentions, destination, caps and digest (issue 17); absent: none. */
  readonly options?: SubscriptionOptions;
  /** What runs count for the caps and digests; absent until the first run that counts. */
  readonly tally?: SubscriptionTally;
}

/**
 * A feed Paperboy polls, with what it needs between polls: its validators for conditional requests,
 * and its failures, which back it off, with the last reason kept for `/feed list`.
 */
export interface FeedState {
  readonly url: string;
  /** The source name its articles get. */
  readonly name: string;
  readonly addedAt: string;
  /** The feed's ETag, sent back as If-None-Match. */
  readonly etag: string | null;
  /** The feed's Last-Modified, sent back as If-Modified-Since. */
  readonly lastModified: string | null;
  readonly lastPolledAt: string | null;
  readonly lastOkAt: string | null;
  /** Items read in the last poll that got the feed. */
  readonly items: number;
  readonly failures: number;
  readonly lastError: string | null;
  /** Not polled before this time (after failures). */
  readonly retryAt: string | null;
  /**
   * When the latest run of failures began. Kept after the feed recovers, so that the recovery notice
   * can say how long it was down; the next first failure replaces it. Absent: never failed.
   */
  readonly failingSince?: string | null;
  /** The last failure in words a server owner understands ("blocked by Cloudflare's bot check"); lastError keeps the detail. */
  readonly problem?: string | null;
  /** Not polled at all since this time (gone, or failing too long), until resumed by hand. */
  readonly pausedAt?: string | null;
  readonly pausedReason?: string | null;
  /**
   * The health notice last sent about it, so that each is sent once: `failing`, `paused`, or null
   * (healthy, or recovered and said so). Changed by compare-and-set before a notice goes out.
   */
  readonly noticed?: FeedNotice | null;
  /** The kind of the last failure (`bot-wall`, `gone`, `timeout`…: reasons.ts ProblemKind), which decides how soon it is told. */
  readonly problemKind?: string | null;
  /**
   * The health notice decided and not yet answered by Discord in every channel: set by the same
   * compare-and-set that moves `noticed`, emptied channel by channel as Discord answers. A round
   * finds it still here after a crash or a failed send and sends it again with the same nonce.
   */
  readonly noticePending?: PendingNotice | null;
}

/** Which health notice was sent last about a feed. */
export type FeedNotice = 'failing' | 'paused';

/** A health notice on its way: what it says, where it still has to go, and how often it was tried. */
export interface PendingNotice {
  readonly notice: FeedNotice | 'recovered';
  /** The message as decided: a resend says exactly the same, so a read-back recognises it. */
  readonly content: string;
  /** Names this notice (feed, notice, its time): with a channel id it makes the nonce. */
  readonly key: string;
  /** The health channels Discord has not answered yet. */
  readonly channels: readonly string[];
  /** Rounds that set out to send it: bumped by compare-and-set, so one process sends per round. */
  readonly attempts: number;
  /** When the latest round set out to send it (epoch ms): a read-back after a crash starts there. */
  readonly attemptedAt: number;
}

/** A Discord thread Paperboy made for an article: its replies are the article's discussion. */
export interface ArticleThread {
  readonly threadId: string;
  readonly articleId: string;
  readonly guildId: string;
  /** The channel or forum the thread is in. */
  readonly parentId: string;
  /** The newest message read from the thread: a restart reads on from here. */
  readonly lastMessageId: string | null;
}

/** How far delivery got with one article in one channel: what is made, and which comment messages are posted. */
export interface DeliveryProgress {
  postId: string | null;
  threadId: string | null;
  postHash: string | null;
  bodyHash: string;
  /** Comment step keys posted. */
  done: string[];
  /** The last message posted in the thread: where a resume starts reading. */
  lastId: string | null;
  /**
   * When the post was last attempted (epoch ms), saved before sending: a search for it after a crash
   * starts there. Null when Discord refused that attempt outright (nothing to look for); absent in older records.
   */
  attemptedAt?: number | null;
  /** The first delivery finished: later work is an append or an edit. */
  complete: boolean;
  /**
   * Times the article was posted afresh because its post or thread was deleted in Discord; absent
   * before the first. Part of the post's nonce, so Discord never answers a repost with the deleted post.
   */
  reposts?: number;
  /**
   * Who made the post, so it is edited the way it was made whatever the settings say since: the
   * bot's webhook with this id (a subscription with a webhook identity); absent, the bot itself.
   */
  via?: { webhookId: string };
}
