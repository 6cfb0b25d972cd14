/**
 * Reddit's JSON (a post's `.json` listing, /api/morechildren) into a Discussion: the post as the
 * article (its own text as the body, the linked URL for a link post), its comments as a tree with
 * `reddit:<id>` ids, and the `more` stubs Reddit held back, counted and kept for the fetcher.
 */
import { ParseError } from '../../core/errors.ts';
import { Article, articleId, isHttpUrl } from '../../core/model.ts';
import { linkCommentQuotes } from '../sources/comment-quotes.ts';
import type { ParseOptions } from '../sources/parse-options.ts';
import { decodeRedditEntities, isEscaped, markdownBlocks } from './reddit-markdown.ts';
import { MAX_STUB_COUNT, type Things, listingChildren, readThings, redditUrl } from './reddit-things.ts';
import { type JsonObject, describe, int, isObject, isoFromSeconds, num, str } from './markup-json.ts';
import type { Discussion, MoreStub } from './types.ts';

export { MAX_STUB_COUNT, REDDIT_ORIGIN, redditUrl } from './reddit-things.ts';

const POST_ID = /^[a-z0-9]{1,16}$/i;
const SUBREDDIT = /^[A-Za-z0-9_]{1,32}$/;

/** Whether `json` is a Reddit post listing: `[postListing, commentListing]`. */
export function looksLikeRedditListing(json: unknown): boolean {
  if (!Array.isArray(json) || json.length !== 2) return false;
  const [post, comments] = json as unknown[];
  return isObject(post) && post.kind === 'Listing' && isObject(comments) && comments.kind === 'Listing';
}

/** A post's listing as a Discussion; `where` names the file or URL in messages. */
export function parseRedditListing(where: string, json: unknown, options: ParseOptions = {}): Discussion {
  if (!looksLikeRedditListing(json)) {
    throw new ParseError(
      where,
      null,
      `a Reddit post listing (an array of two \`{"kind": "Listing"}\` objects: the post, then its comments), got ${describe(json)}`,
    );
  }
  const [postListing, commentListing] = json as unknown[];
  const posts = listingChildren(postListing);
  const first = posts?.[0];
  if (!isObject(first) || first.kind !== 't3' || !isObject(first.data)) {
    throw new ParseError(where, null, 'the first listing to hold the post (a thing of kind `t3` with `data`), but it does not');
  }
  const post = first.data;
  const postId = str(post, 'id');
  if (postId === null || !POST_ID.test(postId)) throw new ParseError(where, null, 'the post to have an `id` of letters and digits');
  const permalink = postPermalink(post, postId);
  const things = listingChildren(commentListing);
  if (things === null) throw new ParseError(where, null, 'the second listing to hold the comments (`data.children`, an array)');
  const read = readThings(things, `t3_${postId}`, { where, postPermalink: permalink });
  return toDiscussion(where, post, permalink, read, options);
}

/** The post's permalink path: as given, else built from its subreddit and id (what Reddit's own links look like). */
function postPermalink(post: JsonObject, id: string): string | null {
  const given = str(post, 'permalink');
  if (given !== null && redditUrl(given) !== null) return given;
  const sub = str(post, 'subreddit');
  return sub !== null && SUBREDDIT.test(sub) ? `/r/${sub}/comments/${id}/` : null;
}

function toDiscussion(where: string, post: JsonObject, permalink: string | null, read: Things, options: ParseOptions): Discussion {
  const escaped = isEscaped(post.selftext_html);
  const decode = (text: string): string => (escaped ? decodeRedditEntities(text) : text);
  const title = decode(str(post, 'title') ?? '').trim();
  if (title === '') throw new ParseError(where, null, 'the post to have a `title`');
  const warnings = [...read.warnings];
  const selftext = str(post, 'selftext') ?? '';
  let body = markdownBlocks(decode(selftext));
  if (selftext.trim() === '[deleted]' || selftext.trim() === '[removed]') {
    warnings.push(`${where}: the post's own text was ${selftext.trim().slice(1, -1)} at the source`);
    body = [];
  }
  const discussionUrl = redditUrl(permalink);
  const linked = str(post, 'url');
  const isSelf = post.is_self === true;
  const url = !isSelf && linked !== null && isHttpUrl(linked) ? linked : discussionUrl;
  const sub = str(post, 'subreddit');
  const author = str(post, 'author');
  const source = sub !== null && SUBREDDIT.test(sub) ? `Reddit r/${sub}` : 'Reddit';
  const declared = int(post, 'num_comments');
  const candidate = {
    id: articleId({ url, source, title }),
    title,
    url,
    source,
    author: author === null || author === '[deleted]' ? null : author,
    publishedAt: isoFromSeconds(num(post, 'created_utc')),
    language: null,
    body,
    comments: linkCommentQuotes(body, read.comments),
    declaredCommentCount: declared !== null && declared >= 0 ? declared : null,
    commentsUrl: discussionUrl,
    ingestedAt: (options.now ?? new Date()).toISOString(),
  };
  const parsed = Article.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ParseError(where, null, `a post Paperboy can store, but ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'it is not'}`);
  }
  return { kind: 'reddit', url: discussionUrl, article: parsed.data, missing: missingOf(read.more), more: read.more, warnings };
}

/**
 * The comments the stubs stand for: each stub's count, or the children it lists when it lists more
 * (Reddit sends stubs with count 0 that still name children; each named child is a comment not
 * held). A "continue this thread" stub (count 0, no children) adds none, its size being unknown; a
 * fetch left with any stub is partial all the same (the sync tells that from `more`, not from this).
 */
export function missingOf(more: readonly MoreStub[]): number {
  let sum = 0;
  for (const stub of more) sum += Math.min(Math.max(stub.count, stub.children.length), MAX_STUB_COUNT);
  return sum;
}

export interface MoreChildrenOptions {
  /** The post's permalink (`/r/sub/comments/id/slug/`), to link comments that carry none. */
  readonly postPermalink?: string | null;
}

/**
 * /api/morechildren's answer (`{json: {data: {things: [t1…, more…]}}}`) as comments and the stubs
 * still left. Quotes are not linked here: the caller has the article (linkCommentQuotes).
 */
export function parseRedditMoreChildren(where: string, json: unknown, options: MoreChildrenOptions = {}): Things {
  const data = isObject(json) && isObject(json.json) ? json.json.data : undefined;
  const things = isObject(data) ? data.things : undefined;
  if (!Array.isArray(things)) {
    const errors =
      isObject(json) && isObject(json.json) && Array.isArray(json.json.errors) && json.json.errors.length > 0
        ? ` (Reddit said: ${JSON.stringify(json.json.errors).slice(0, 200)})`
        : '';
    throw new ParseError(where, null, `a /api/morechildren answer (\`{"json": {"data": {"things": [...]}}}\`), got ${describe(json)}${errors}`);
  }
  return readThings(things, null, { where, postPermalink: options.postPermalink ?? null });
}
