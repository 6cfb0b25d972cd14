/**
 * A discussion from where it happens (Reddit, Hacker News, Discourse, an article's comment feed) as
 * Paperboy keeps it: an Article whose comments form a tree. Parsers turn each platform's response
 * into this and nothing else knows the platforms' shapes; fetching (conditional requests, rate
 * limits, Reddit's `more` stubs) and following live in the sibling files.
 *
 * Comment ids carry their platform, so that discussions of one article from several places never
 * collide: `reddit:<id>` (the t1 id without `t1_`), `hn:<id>`, `discourse:<host>:<post id>`,
 * `feed:<guid or link>`.
 */
import type { Article } from '../../core/model.ts';

export type DiscussionKind = 'reddit' | 'hackernews' | 'discourse' | 'comment-feed';

/** A Reddit `more` stub: comments held back from a listing, to be asked for through /api/morechildren. */
export interface MoreStub {
  /** The fullname of what they answer: a comment (`t1_…`) or the post (`t3_…`). */
  readonly parent: string;
  /** Their ids without `t1_`, as Reddit lists them; empty for a "continue this thread" stub. */
  readonly children: readonly string[];
  /** How many comments Reddit says the stub stands for. */
  readonly count: number;
}

export interface Discussion {
  readonly kind: DiscussionKind;
  /** The discussion's own address: the Reddit permalink, the HN item page, the Discourse topic, the comment feed. */
  readonly url: string | null;
  /**
   * The article: the post's title, the URL it links to (else the discussion's own), its own text as
   * the body (empty for a link post or a comment feed), the source ('Reddit r/news', 'Hacker News',
   * the forum's name), author and time; `commentsUrl` is the discussion's address; `comments` the tree.
   */
  readonly article: Article;
  /** Comments the source announced that this copy does not hold (unexpanded stubs, items not fetched): counted, never dropped silently. */
  readonly missing: number;
  /** Reddit's stubs still to expand; empty for the other kinds. */
  readonly more: readonly MoreStub[];
  /** Each names where (`file: …`) and what was odd, as the other parsers' warnings do. */
  readonly warnings: readonly string[];
}
