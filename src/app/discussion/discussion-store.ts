/**
 * Where a fetched discussion goes in the store. A discussion of an article stored from elsewhere (the
 * one it was followed for, or one with the same URL, such as a feed's item) adds only its comments
 * there: that article's title and text stay as its own source gave them. Otherwise the discussion's
 * own article is stored (a Reddit self post, an Ask HN), and followed whole from then on.
 */
import type { Discussion } from '../../adapters/discussions/types.ts';
import { linkCommentQuotes } from '../../adapters/sources/comment-quotes.ts';
import type { Store } from '../../adapters/store/contract.ts';
import type { DiscussionState } from '../../adapters/store/discussions.ts';
import type { Article, Comment } from '../../core/model.ts';
import { type CommentChanges, commentChanges, isPartial, syncComments } from './discussion-changes.ts';

export interface StoredDiscussion {
  readonly articleId: string;
  readonly ownsArticle: boolean;
  /** Comments the fetch held, and those it announced without holding. */
  readonly comments: number;
  readonly missing: number;
  /** The ids the next sync compares against (see syncComments). */
  readonly seen: string[];
  readonly changes: CommentChanges;
}

/** The article the comments go to, and whether it is the discussion's own. */
async function target(
  store: Store,
  d: DiscussionState,
  discussion: Discussion,
): Promise<{ article: Article | null; owns: true } | { article: Article; owns: false }> {
  if (d.articleId !== null && !d.ownsArticle) {
    const named = await store.get(d.articleId);
    // Deleted since it was named: the discussion's own article stands in, rather than losing the comments.
    if (named) return { article: named, owns: false };
  }
  const same = await store.get(discussion.article.id);
  if (!same) return { article: null, owns: true };
  // Stored by an earlier sync of this discussion: still its own. Otherwise someone else's article with the same URL.
  return d.ownsArticle && d.articleId === same.id ? { article: same, owns: true } : { article: same, owns: false };
}

/**
 * What goes to an article stored from elsewhere: its comments only. Its body, author and the rest
 * are left to its own source: an empty body and null fields are what the store's merge keeps as
 * stored, so a feed poll (here or in another process) that changed them after `stored` was read is
 * not undone, and delivery does not edit its post back.
 *
 * The merge always replaces the title, and an Article needs one: it gets the title just read. That
 * leaves one narrow window: a feed poll that changes the title between that read and this write (one
 * round trip, nothing awaited between them) has its title, and its title only, put back; the feed's
 * next change stores it again, since a poll stores every item of a changed feed. Closing it takes a
 * store write of comments alone, which the Store does not offer yet.
 */
function commentsOnly(stored: Article, comments: Comment[], discussionUrl: string | null): Article {
  return {
    id: stored.id,
    title: stored.title,
    url: null,
    source: null,
    author: null,
    publishedAt: null,
    language: null,
    body: [],
    // Quote links point into an article's body: the discussion's were found against its own post, not this article.
    comments: linkCommentQuotes(stored.body, comments),
    declaredCommentCount: null,
    // Set only where the article had none; null keeps what is stored.
    commentsUrl: stored.commentsUrl === null ? discussionUrl : null,
    ingestedAt: stored.ingestedAt,
  };
}

/** Stores `discussion` as fetched for the followed `d`, and says what changed. */
export async function storeDiscussion(store: Store, d: DiscussionState, discussion: Discussion, now: Date): Promise<StoredDiscussion> {
  const into = await target(store, d, discussion);
  const before = into.article?.comments ?? [];
  const fetched = discussion.article.comments;
  // A comment feed holds only the latest few comments: one that leaves it has not been deleted.
  const windowed = discussion.kind === 'comment-feed';
  const synced = windowed ? { comments: [...fetched], seen: [] } : syncComments(fetched, isPartial(discussion), d.commentIds, before);
  const changes = commentChanges(before, synced.comments);
  const article: Article = into.owns ? { ...discussion.article, comments: synced.comments } : commentsOnly(into.article, synced.comments, discussion.url);
  await store.upsert(article, now);
  return {
    articleId: article.id,
    ownsArticle: into.owns,
    comments: fetched.length,
    missing: discussion.missing,
    seen: synced.seen,
    changes,
  };
}
