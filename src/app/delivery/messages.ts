/**
 * What gets posted for an article, as views: the post (an embed with a short verbatim summary),
 * the thread's title, and the comments, each split at sentence ends into messages within a budget.
 * Every step has a stable key, so nonces and progress survive comments being added later. The
 * delivery poster renders the views (src/ui/discord/render.ts); nothing here knows Discord's shapes.
 */
import { createHash } from 'node:crypto';
import type { Article, Comment } from '../../core/model.ts';
import type { MessageView } from '../../core/view.ts';
import type { SubscriptionOptions } from '../../core/subscription-options.ts';
import { truncate } from '../../core/text/truncate.ts';
import { chunk, pack } from '../../core/text/chunk.ts';
import { commentHeader } from '../views/article-pages.ts';
import { postView } from '../templates/post.ts';
import { isThreadReply } from '../../core/comments.ts';
import { blockQuote, escape } from '../views/markdown.ts';
import type { Poster } from './poster.ts';
import { treeOrder } from '../../core/tree.ts';
import { DELETED_AT_SOURCE, hasTreeHeader, sourceLink, treeHeader } from './tree-header.ts';

export interface Step {
  /** Stable across runs and re-ingests: `c:<comment id>:<part>`. */
  readonly key: string;
  readonly message: MessageView;
  readonly commentId: string;
  /** 0 for a comment's first message, 1 for its first continuation, and so on. */
  readonly part: number;
  /** The comment it answers when that comment is in the thread's plan too (tree order puts it earlier); null for a root. */
  readonly parentId: string | null;
  /**
   * A digest of the comment's words in this message (or that it was deleted): the text after the
   * header, not the header's score or time. Stored with the message it made, so an edit or deletion
   * at the source is edited in, and a score that moves at every sync is not: a message shows the
   * score it was posted (or last edited) with.
   */
  readonly digest: string;
  /** Whether the comment was deleted at its source: its parts past the first then say so (tree-comments.ts). */
  readonly deleted: boolean;
  /**
   * The link in its header (`<https://…>`), for a comment imported from a discussion: how its message
   * is recognised when read back, whatever score its header showed. Null for other comments, whose
   * messages are recognised by their whole text, as in threads posted before trees had links.
   */
  readonly link: string | null;
}

/** The key of a comment's `part`th message. */
export function stepKey(commentId: string, part: number): string {
  return `c:${commentId}:${part}`;
}

export interface ArticleViews {
  readonly post: MessageView;
  /** The thread's title, on one line; the poster cuts it to the length Discord allows. */
  readonly threadName: string;
  /** In tree order: each comment after the one it answers, its replies depth first. */
  readonly comments: readonly Step[];
  /**
   * Imported comments (ones that link to their source) are among them: a run stopped at the cap
   * then ends with a note of how many replies follow. Threads of other articles read as they always have.
   */
  readonly imported: boolean;
}

export interface ArticlePlan extends ArticleViews {
  /** The post's digest as the poster sends it: changes when the post would look different (text, title, comment count). */
  readonly postHash: string;
}

const CONTINUED = ' (continued)';
/** A comment header longer than this is cut, leaving most of a message for the comment itself. */
const MAX_HEADER = 500;

/**
 * The most one comment message holds: all of Discord's 2,000 characters for a message's text, so a
 * long comment takes as few messages as it can. Kept within that limit (test/payload-fit.test.ts),
 * so the renderer sends each comment message exactly as built here: the engine recognises one it
 * posted before a crash by that text (an imported comment's by the link in its header, see
 * postedAs). Part keys count with it: a change renumbers the parts of comments posted already.
 */
export const COMMENT_MESSAGE_CHARS = 2000;

// The post and the thread's name come from the subscription's template (src/app/templates/); with
// none, from DEFAULT_TEMPLATE, which is today's post: a title, a three-sentence summary, the fields.
export { DEFAULT_TEMPLATE, postFooter } from '../templates/render.ts';
export { threadTitle } from '../templates/fields.ts';

const escapedLength = (s: string): number => escape(s).length;
const quotedLength = (s: string): number => blockQuote(s).length;

function commentSteps(c: Comment, depth: number, parentId: string | null, linkShared: boolean): Step[] {
  // commentHeader caps the outside text in it; the cut here is a last guard, so `room` is never too small.
  const tree = treeHeader(c, depth);
  const header = truncate(tree ?? commentHeader(c), MAX_HEADER).text;
  // A header cut at MAX_HEADER lost its link at the end: such a message is recognised by its whole text.
  // So is one whose link another comment has too (a comment feed may give several the same <link>):
  // the link would not tell their messages apart.
  const link = !linkShared && tree !== null && header === tree ? sourceLink(c.url) : null;
  const room = COMMENT_MESSAGE_CHARS - header.length - CONTINUED.length - 1;
  const quoted = new Set(c.quotes.map((q) => q.paragraph));
  const units = c.deleted
    ? [DELETED_AT_SOURCE]
    : c.paragraphs.flatMap((p, i) => (quoted.has(i) ? chunk(p, room, quotedLength).map(blockQuote) : chunk(p, room, escapedLength).map(escape)));
  const parts = pack(units.length > 0 ? units : ['*(no text)*'], room, (s) => s.length, '\n\n');
  // Every part repeats the header so a reader who lands on part 2 knows whose words these are.
  // Each fits the budget as packed; the cut is a last guard.
  return parts.map((text, i) => {
    const head = i === 0 ? header : header + CONTINUED;
    const content = truncate(`${head}\n${text}`, COMMENT_MESSAGE_CHARS).text;
    const digest = textDigest(content.slice(head.length + 1));
    return { key: stepKey(c.id, i), message: { content }, commentId: c.id, part: i, parentId, digest, deleted: c.deleted === true, link };
  });
}

/**
 * Whether `content`, a message of the bot's read back from the thread, is `step`'s message as
 * posted: for an imported comment, one whose header ends with the comment's link (and says
 * "continued" for a later part), whatever score, author or time it showed then; for another
 * comment, the same text.
 */
export function postedAs(step: Step, content: string): boolean {
  if (step.link === null) return content === step.message.content;
  const [first = ''] = content.split('\n', 1);
  return first.endsWith(` · ${step.link}${step.part > 0 ? CONTINUED : ''}`);
}

/**
 * The digest of a message read back as `step`'s (postedAs): of what it shows after its header, which
 * may be older words than the step's. Recorded as it is, a text changed since is edited in.
 */
export function postedDigest(step: Step, content: string): string {
  if (step.link === null) return step.digest;
  const cut = content.indexOf('\n');
  return textDigest(cut < 0 ? '' : content.slice(cut + 1));
}

/** A digest of a message's text (a reply's target is not something an edit can change). */
export function textDigest(content: string): string {
  return createHash('sha256').update(content).digest('base64url').slice(0, 16);
}

/**
 * The post, the thread's title and the comment messages of `article`, as views. `options`: the
 * subscription's template shapes the post and the thread's title (src/app/templates/).
 */
export function articleViews(article: Article, options?: SubscriptionOptions): ArticleViews {
  const { post, threadName } = postView(article, options?.template);
  const comments = article.comments.filter((c) => !isThreadReply(c));
  const links = new Map<string, number>();
  for (const c of comments) if (c.url) links.set(c.url, (links.get(c.url) ?? 0) + 1);
  return {
    post,
    threadName,
    // Replies written in the thread are there already. Tree order: a parent's message exists before its replies answer it.
    comments: treeOrder(comments).flatMap((n) => commentSteps(n.comment, n.depth, n.parentId, (links.get(n.comment.url ?? '') ?? 0) > 1)),
    imported: article.comments.some(hasTreeHeader),
  };
}

/** What the engine works from: the views, and the post's digest as `poster` will send it. */
export function planArticle(article: Article, poster: Pick<Poster, 'digest'>, options?: SubscriptionOptions): ArticlePlan {
  const views = articleViews(article, options);
  return { ...views, postHash: poster.digest(views.post) };
}

/**
 * A stable id for one message, the same on every resend of it: the poster makes Discord's nonce
 * from it, so a resend within Discord's window returns the message already made.
 */
export function nonceFor(channelId: string, articleId: string, key: string): string {
  return createHash('sha256').update(`${channelId}|${articleId}|${key}`).digest('base64url');
}
