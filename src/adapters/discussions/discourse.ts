/**
 * A Discourse topic (`/t/ID.json` with its post stream) into a Discussion. Post 1 is the article,
 * every other post a comment. `/t/ID.json` holds only the first 20 or so posts; `post_stream.stream`
 * lists the ids of all of them, so what is not held is counted as `missing`, and the fetcher asks
 * for it through `/t/ID/posts.json?post_ids[]=…` ({@link discoursePostIdsToFetch}, {@link parseDiscoursePosts}).
 */
import { ParseError } from '../../core/errors.ts';
import { Article, articleId, isHttpUrl } from '../../core/model.ts';
import type { Block, Comment } from '../../core/model.ts';
import { parseFeedDate } from '../feeds/dates.ts';
import { collapse, htmlToLine, trimEndOf } from '../feeds/html.ts';
import type { ParseOptions } from '../sources/parse-options.ts';
import { cookedToBlocks } from './discourse-cooked.ts';
import { isObject, postsToComments, readPosts } from './discourse-posts.ts';
import type { PostContext } from './discourse-posts.ts';
import type { Discussion } from './types.ts';

const EXPECTED = 'a Discourse topic as /t/ID.json returns it (an object with "id", "title" and "post_stream.posts")';

/** Whether `json` is a Discourse topic as `/t/ID.json` returns it. */
export function looksLikeDiscourseTopic(json: unknown): boolean {
  if (!isObject(json) || !isObject(json.post_stream) || !Array.isArray(json.post_stream.posts)) return false;
  return typeof json.id === 'number' && (typeof json.title === 'string' || typeof json.fancy_title === 'string');
}

/**
 * A topic as a Discussion; `base` is the forum's address (https://meta.discourse.org), which a saved
 * file does not hold: null leaves links out. `where` names the file or URL in messages.
 */
export function parseDiscourseTopic(where: string, json: unknown, base: string | null, options: ParseOptions = {}): Discussion {
  if (!isObject(json)) throw new ParseError(where, null, `${EXPECTED}, got ${kindOf(json)}`);
  const stream = json.post_stream;
  if (!isObject(stream) || !Array.isArray(stream.posts)) throw new ParseError(where, null, `${EXPECTED}, got no "post_stream.posts" array`);
  const topicId = json.id;
  if (typeof topicId !== 'number' || !Number.isSafeInteger(topicId))
    throw new ParseError(where, null, `${EXPECTED}, got "id" ${JSON.stringify(topicId)?.slice(0, 40) ?? 'missing'}`);
  const title = titleOf(json);
  if (title === null) throw new ParseError(where, null, `${EXPECTED}, got no "title" or "fancy_title"`);

  const warnings: string[] = [];
  const ctx = contextOf(where, base, json);
  const posts = readPosts(stream.posts, ctx, warnings);
  const first = posts.find((p) => p.number === 1);
  if (!first) warnings.push(`${where}: post 1 (the topic's own text) is not in this copy; the article body is left empty`);
  const body: Block[] = first ? cookedToBlocks(first.cooked, ctx.base) : [];
  const comments = postsToComments(posts, [], ctx, warnings, body);
  const url = ctx.base !== null && ctx.topicPath !== null ? `${ctx.base}${ctx.topicPath}` : null;
  const source = options.source ?? (ctx.host === 'file' ? null : ctx.host);
  const postsCount = typeof json.posts_count === 'number' && Number.isSafeInteger(json.posts_count) && json.posts_count >= 1 ? json.posts_count : null;

  const article: Article = {
    id: articleId({ url, source, title }),
    title,
    url,
    source,
    author: first?.author ?? creatorOf(json),
    publishedAt: parseFeedDate(typeof json.created_at === 'string' ? json.created_at : null) ?? first?.postedAt ?? null,
    language: null,
    body,
    comments,
    declaredCommentCount: postsCount === null ? null : postsCount - 1,
    commentsUrl: url,
    ingestedAt: (options.now ?? new Date()).toISOString(),
  };
  const checked = Article.safeParse(article);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new ParseError(where, null, `${EXPECTED}; ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'it does not make a valid article'}`);
  }
  return { kind: 'discourse', url, article: checked.data, missing: discoursePostIdsToFetch(json).length, more: [], warnings };
}

/** Ids in `post_stream.stream` whose posts the response does not hold, in stream order: what to ask posts.json for. */
export function discoursePostIdsToFetch(json: unknown): number[] {
  if (!isObject(json) || !isObject(json.post_stream)) return [];
  const { stream, posts } = json.post_stream;
  if (!Array.isArray(stream)) return [];
  const held = new Set(Array.isArray(posts) ? posts.map((p) => (isObject(p) ? p.id : undefined)) : []);
  const ids = stream.filter((id): id is number => typeof id === 'number' && Number.isSafeInteger(id) && !held.has(id));
  return [...new Set(ids)];
}

/** What one `/t/ID/posts.json?post_ids[]=…` response holds. */
export interface DiscoursePosts {
  /** Its posts other than post 1, as comments; replies resolved against these and `earlier`, quotes against the body. */
  readonly comments: Comment[];
  /** Post 1's text when this response holds it (a topic saved without it), else null. */
  readonly body: Block[] | null;
  readonly warnings: string[];
}

/**
 * A page of posts (`{post_stream: {posts: […]}}`), to add to a topic's Discussion. `earlier` are the
 * comments already known (the topic's and previous pages'), so that a reply to one of them finds its
 * parent; `body` is the article's, for quotes (default: post 1's when this page holds it). `base` as for the topic.
 */
export function parseDiscoursePosts(
  where: string,
  json: unknown,
  base: string | null,
  earlier: readonly Comment[] = [],
  body: readonly Block[] | null = null,
): DiscoursePosts {
  if (!isObject(json) || !isObject(json.post_stream) || !Array.isArray(json.post_stream.posts)) {
    throw new ParseError(
      where,
      null,
      `Discourse posts as /t/ID/posts.json returns them (an object with "post_stream.posts"), got ${isObject(json) ? 'no "post_stream.posts" array' : kindOf(json)}`,
    );
  }
  const warnings: string[] = [];
  const ctx = contextOf(where, base, json);
  const posts = readPosts(json.post_stream.posts, ctx, warnings);
  const first = posts.find((p) => p.number === 1);
  const own = first ? cookedToBlocks(first.cooked, ctx.base) : null;
  return { comments: postsToComments(posts, earlier, ctx, warnings, body ?? own ?? []), body: own, warnings };
}

function contextOf(where: string, base: string | null, json: Record<string, unknown>): PostContext {
  const forum = forumBase(where, base);
  const topicId = typeof json.id === 'number' && Number.isSafeInteger(json.id) ? json.id : firstPostField(json, 'topic_id');
  const slugValue = typeof json.slug === 'string' ? json.slug : firstPostField(json, 'topic_slug');
  const slug = typeof slugValue === 'string' && slugValue.trim() !== '' ? encodeURIComponent(slugValue.trim()) : null;
  return {
    where,
    base: forum,
    host: forum === null ? 'file' : new URL(forum).host,
    topicPath: typeof topicId === 'number' ? `/t/${slug ?? '-'}/${topicId}` : null,
    topicId: typeof topicId === 'number' && Number.isSafeInteger(topicId) ? topicId : null,
  };
}

/** posts.json responses name their topic only in each post. */
function firstPostField(json: Record<string, unknown>, key: string): unknown {
  const posts = isObject(json.post_stream) && Array.isArray(json.post_stream.posts) ? json.post_stream.posts : [];
  const post: unknown = posts[0];
  return isObject(post) ? post[key] : undefined;
}

/** The forum's address without query, fragment or trailing slash (a forum may live under a path: /forum). */
function forumBase(where: string, base: string | null): string | null {
  if (base === null) return null;
  if (!isHttpUrl(base)) throw new ParseError(where, null, `the forum's address to be an http(s) URL, got "${base.slice(0, 80)}"`);
  const url = new URL(base);
  return `${url.origin}${trimEndOf(url.pathname, '/')}`;
}

function titleOf(json: Record<string, unknown>): string | null {
  const plain = typeof json.title === 'string' ? collapse(json.title) : '';
  if (plain !== '') return plain;
  // fancy_title is HTML-escaped with typographic entities (&ndash;, &rsquo;).
  const fancy = typeof json.fancy_title === 'string' ? htmlToLine(json.fancy_title) : '';
  return fancy === '' ? null : fancy;
}

function creatorOf(json: Record<string, unknown>): string | null {
  const details = json.details;
  const creator = isObject(details) ? details.created_by : undefined;
  const name = isObject(creator) ? (creator.username ?? creator.name) : undefined;
  return typeof name === 'string' && name.trim() !== '' ? name.trim() : null;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
