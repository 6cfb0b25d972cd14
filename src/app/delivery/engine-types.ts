/**
 * The contract between the delivery job (subscriptions, schedule, which articles are due) and the
 * delivery engine (posting an article, its thread and its comments exactly once).
 */
import type { Article } from '../../core/model.ts';
import type { SubscriptionOptions } from '../../core/subscription-options.ts';

/** Where a subscription posts. */
export interface Target {
  readonly guildId: string;
  readonly channelId: string;
  /** A text channel gets a message and a thread from it; a forum gets a forum post. */
  readonly kind: 'text' | 'forum';
  /** The subscription's template, mentions and destination (a subscription is its own target). */
  readonly options?: SubscriptionOptions;
}

/** What the engine does with one article for one target. */
export type ArticleAction =
  /** Not posted there yet: the post, its thread, every comment. */
  | 'post'
  /** Posting started in an earlier run and stopped part way: the rest of it. */
  | 'resume'
  /** Posted, and comments arrived since: they are appended to its thread (and the post's count edited). */
  | 'append'
  /** Posted, and its text changed: the post is edited in place (comments appended too if new ones came). */
  | 'edit'
  /** Posted and up to date. */
  | 'none';

export interface ArticleWork {
  readonly articleId: string;
  readonly title: string;
  readonly action: ArticleAction;
  /** Messages it would create (post, comment messages); thread creation not counted. */
  readonly messages: number;
  /**
   * Why a run would set it aside instead (it cannot be laid out as messages); absent otherwise.
   * Its action is then 'post', and `messages` 0.
   */
  readonly setAside?: string;
}

export interface ArticleResult {
  readonly articleId: string;
  readonly action: ArticleAction;
  /** Messages created in this run. */
  readonly created: number;
  readonly edited: number;
  /** Why this article stopped part way, in plain words; null when it finished or has only comments left. */
  readonly error: string | null;
  /**
   * Comment messages left for the next run (a thread gets at most `commentsPerRun` per run, and stops
   * between two messages at shutdown). The post and thread are made: this is progress, not a failure,
   * and `error` is null. Absent or 0 when the article is finished.
   */
  readonly commentsLeft?: number;
  /**
   * The error will recur on every retry (Discord refused the request itself, the article cannot be
   * laid out, or a moderator deleted its post or thread): the article is set aside with `error` as
   * its reason, and the articles after it go on. One whose post or thread was deleted is posted
   * afresh (a new post, thread and every comment) when it is retried.
   */
  readonly setAside?: boolean;
}

export interface DeliveryReport {
  readonly results: readonly ArticleResult[];
  /**
   * Set when the target channel cannot take posts (deleted, access or permission lost there): the
   * job pauses the subscription with this reason instead of retrying forever. One article's post or
   * thread deleted sets that article aside instead.
   */
  readonly pause: { readonly reason: string } | null;
}

export interface DeliveryEngine {
  /** What delivering these articles to the target would do, in order, without doing anything. */
  plan(target: Target, articles: readonly Article[]): Promise<ArticleWork[]>;
  /**
   * Posts, resumes, appends or edits each article in the order given (oldest first), exactly once
   * across crashes and retries. When making an article's post fails, the articles after it wait for
   * the next run, so posts stay in order; a failure after its post exists (editing it, its thread or
   * comments) stops only that article. A failure
   * that would recur on every retry sets the article aside (`setAside`) and the run goes on.
   */
  deliver(
    target: Target,
    articles: readonly Article[],
    /** `now`: the run's clock, from which mention and tag rules read relative dates; default the engine's clock. */
    options?: { readonly signal?: AbortSignal; readonly now?: () => Date },
  ): Promise<DeliveryReport>;
  /** Whether posting this article to this target has started (new-article detection uses it). */
  delivered(target: Target, articleId: string): Promise<boolean>;
}
