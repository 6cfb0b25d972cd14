/**
 * Discourse posts (as `/t/ID.json` and `/t/ID/posts.json` hold them in `post_stream.posts`) to
 * Comments. A post answers another through `reply_to_post_number`, a number within the topic, so
 * replies are resolved against every post known so far: the ones in the same response and those
 * passed in from earlier pages. Post 1 is the topic's own text and never a comment.
 */
import { Comment } from '../../core/model.ts';
import type { Block } from '../../core/model.ts';
import { linkCommentQuotes } from '../sources/comment-quotes.ts';
import { parseFeedDate } from '../feeds/dates.ts';
import { DELETED_BY_AUTHOR, cookedText } from './discourse-cooked.ts';

/** A response cannot hold more posts than this; the rest count as missing (Discourse pages by 20). */
export const MAX_POSTS = 20_000;
/** Cooked HTML longer than this is left out (Discourse's own limit on a post is 32,000 characters of markdown). */
export const MAX_COOKED_CHARS = 400_000;
/** Discourse's post_type for "small actions" (pinned, closed, split): notices, not anyone's words. */
const SMALL_ACTION = 3;
/** actions_summary id of a like. */
const LIKE = 2;

/** Where posts come from: names it in warnings and builds ids and links. */
export interface PostContext {
  readonly where: string;
  /** The forum's address without a trailing slash, or null for a saved file. */
  readonly base: string | null;
  /** The forum's host, or 'file': the middle part of comment ids. */
  readonly host: string;
  /** `/t/<slug>/<id>` when both are known, for the posts' links. */
  readonly topicPath: string | null;
  /** The topic's id, when known: quotes of other topics are not quotes of this article. */
  readonly topicId: number | null;
}

/** One post as read, before replies are resolved. */
export interface ReadPost {
  readonly id: number;
  readonly number: number;
  readonly author: string | null;
  readonly authorId: string | null;
  readonly postedAt: string | null;
  readonly editedAt: string | null;
  readonly rating: number | null;
  readonly cooked: string;
  readonly deleted: boolean;
  readonly replyToNumber: number | null;
}

type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function int(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** The posts of `post_stream.posts`, each checked; one that is not a post costs a warning, not the rest. */
export function readPosts(posts: readonly unknown[], ctx: PostContext, warnings: string[]): ReadPost[] {
  if (posts.length > MAX_POSTS) warnings.push(`${ctx.where}: ${posts.length} posts in one response; only the first ${MAX_POSTS} are read`);
  const out: ReadPost[] = [];
  const seen = new Set<number>();
  posts.slice(0, MAX_POSTS).forEach((value, index) => {
    const post = readPost(value, index, ctx, warnings);
    if (post === null) return;
    if (seen.has(post.id)) {
      warnings.push(`${ctx.where}: post ${post.id} appears twice; the second copy is left out`);
      return;
    }
    seen.add(post.id);
    out.push(post);
  });
  return out;
}

function readPost(value: unknown, index: number, ctx: PostContext, warnings: string[]): ReadPost | null {
  const where = `${ctx.where}: post_stream.posts[${index}]`;
  if (!isObject(value)) {
    warnings.push(`${where} is not a post (an object), left out`);
    return null;
  }
  const id = int(value.id);
  const number = int(value.post_number);
  if (id === null || number === null || number < 1) {
    warnings.push(
      `${where} has no numeric "id" and "post_number" (got ${JSON.stringify(value.id)?.slice(0, 40)}, ${JSON.stringify(value.post_number)?.slice(0, 40)}), left out`,
    );
    return null;
  }
  if (value.post_type === SMALL_ACTION) return null;
  let cooked = typeof value.cooked === 'string' ? value.cooked : '';
  if (cooked.length > MAX_COOKED_CHARS) {
    warnings.push(`${where} (post ${id}): its text is ${cooked.length} characters, over ${MAX_COOKED_CHARS}; left out`);
    cooked = '';
  }
  const deleted =
    (value.deleted_at !== null && value.deleted_at !== undefined) || value.user_deleted === true || cooked.trim() === `<p>${DELETED_BY_AUTHOR}</p>`;
  const postedAt = dateOf(value.created_at, `${where} created_at`, warnings);
  const updatedAt = parseFeedDate(typeof value.updated_at === 'string' ? value.updated_at : null);
  // updated_at also moves when a post is liked or rebaked; only a version above 1 says its text was edited.
  const edited = (int(value.version) ?? 1) > 1 && updatedAt !== null && postedAt !== null && Date.parse(updatedAt) > Date.parse(postedAt);
  const reply = int(value.reply_to_post_number);
  return {
    id,
    number,
    author: text(value.username) ?? text(value.name),
    authorId: int(value.user_id) === null ? null : String(value.user_id),
    postedAt,
    editedAt: edited ? updatedAt : null,
    rating: int(value.like_count) ?? likesOf(value.actions_summary),
    cooked: deleted ? '' : cooked,
    deleted,
    replyToNumber: reply !== null && reply >= 1 ? reply : null,
  };
}

function dateOf(value: unknown, where: string, warnings: string[]): string | null {
  if (value === null || value === undefined) return null;
  const date = typeof value === 'string' ? parseFeedDate(value) : null;
  if (date === null) warnings.push(`${where}: ${(JSON.stringify(value) ?? typeof value).slice(0, 40)} is not a date; left empty`);
  return date;
}

/** The like count from `actions_summary` (`[{id: 2, count: 3}]`), or null when it says nothing of likes. */
function likesOf(summary: unknown): number | null {
  if (!Array.isArray(summary)) return null;
  const like = summary.find((a): a is Json => isObject(a) && a.id === LIKE);
  return like ? (int(like.count) ?? 0) : null;
}

/** The comment id of a post: `discourse:<host>:<post id>`. */
export function postCommentId(ctx: Pick<PostContext, 'host'>, postId: number): string {
  return `discourse:${ctx.host}:${postId}`;
}

/**
 * Posts as Comments (post 1 excluded), replies resolved against these posts and `earlier` comments
 * (whose `number` is their post number). A reply to post 1 answers the topic: no parent. Paragraphs
 * that repeat `body` become quotes, unless they quote another topic.
 */
export function postsToComments(
  posts: readonly ReadPost[],
  earlier: readonly Comment[],
  ctx: PostContext,
  warnings: string[],
  body: readonly Block[],
): Comment[] {
  const otherTopics = new Map<string, ReadonlySet<number>>();
  const byNumber = new Map<number, string>();
  for (const c of earlier) if (c.number !== null) byNumber.set(c.number, c.id);
  for (const p of posts) byNumber.set(p.number, postCommentId(ctx, p.id));
  const out: Comment[] = [];
  for (const p of posts) {
    if (p.number === 1) continue;
    let replyTo: string | null = null;
    if (p.replyToNumber !== null && p.replyToNumber !== 1) {
      replyTo = byNumber.get(p.replyToNumber) ?? null;
      if (replyTo === null)
        warnings.push(`${ctx.where}: post ${p.id} (#${p.number}) answers #${p.replyToNumber}, which this copy does not hold; placed as a reply to the topic`);
    }
    const text = p.deleted ? null : cookedText(p.cooked, ctx.base, ctx.topicId);
    if (text && text.otherTopics.size > 0) otherTopics.set(postCommentId(ctx, p.id), text.otherTopics);
    const comment: Comment = {
      id: postCommentId(ctx, p.id),
      number: p.number,
      author: p.author,
      authorId: p.authorId,
      postedAt: p.postedAt,
      rating: p.rating,
      paragraphs: text ? text.blocks.map((b) => b.text) : [],
      quotes: [],
      replyTo,
      url: ctx.base !== null && ctx.topicPath !== null ? `${ctx.base}${ctx.topicPath}/${p.number}` : null,
      editedAt: p.editedAt,
      ...(p.deleted ? { deleted: true } : {}),
    };
    const checked = Comment.safeParse(comment);
    if (checked.success) out.push(checked.data);
    else {
      const issue = checked.error.issues[0];
      warnings.push(`${ctx.where}: post ${p.id} left out: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'not a valid comment'}`);
    }
  }
  return linkCommentQuotes(body, out).map((c) => {
    const other = otherTopics.get(c.id);
    return other ? { ...c, quotes: c.quotes.filter((q) => !other.has(q.paragraph)) } : c;
  });
}
