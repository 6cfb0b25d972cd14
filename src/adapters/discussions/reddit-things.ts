/**
 * Reddit's "things" (t1 comments and `more` stubs) into comments and stubs, shared by a post's
 * listing and /api/morechildren's answer. The walk is iterative: a hostile listing nested a million
 * deep must not overflow the call stack. What cannot be read (a thing with no id, an unknown kind,
 * a repeated id) is left out and said in a warning; nothing is invented.
 */
import type { Comment } from '../../core/model.ts';
import { decodeRedditEntities, isEscaped, markdownParagraphs } from './reddit-markdown.ts';
import { type JsonObject, int, isObject, isoFromSeconds, num, str } from './markup-json.ts';
import type { MoreStub } from './types.ts';
import { CappedWarnings } from './warnings.ts';

export const REDDIT_ORIGIN = 'https://www.reddit.com';
/** A stub claiming more comments than this is not believed: its count is taken as this. */
export const MAX_STUB_COUNT = 1_000_000;
const ID = /^[a-z0-9]{1,16}$/i;
/** Text Reddit puts in place of a deleted or removed comment's body. */
const GONE = new Set(['[deleted]', '[removed]']);

export interface ThingContext {
  /** The file or URL, for warnings. */
  readonly where: string;
  /** The post's permalink (`/r/sub/comments/id/slug/`), to link comments that carry none. */
  readonly postPermalink: string | null;
}

export interface Things {
  readonly comments: Comment[];
  readonly more: MoreStub[];
  readonly warnings: string[];
}

/** An https://www.reddit.com address for a permalink, or null unless it is a path on reddit.com. */
export function redditUrl(permalink: string | null): string | null {
  if (permalink === null || !permalink.startsWith('/') || permalink.startsWith('//')) return null;
  try {
    const url = new URL(permalink, REDDIT_ORIGIN);
    return url.origin === REDDIT_ORIGIN ? url.href : null;
  } catch {
    return null;
  }
}

/** Counts warnings by kind so a hostile file with a million bad things gives twenty lines and a total. */

interface Pending {
  readonly thing: unknown;
  /** The fullname of what the thing sits under in the listing (`t1_…`, `t3_…`), or null at the top. */
  readonly under: string | null;
}

/** The children array of a Listing (`{kind: 'Listing', data: {children: [...]}}`), or null. */
export function listingChildren(listing: unknown): unknown[] | null {
  if (!isObject(listing) || !isObject(listing.data)) return null;
  const children = listing.data.children;
  return Array.isArray(children) ? children : null;
}

/** Comments and stubs in listing order (each comment, then its replies, depth first). */
export function readThings(things: readonly unknown[], under: string | null, ctx: ThingContext): Things {
  const warnings = new CappedWarnings(ctx.where);
  const comments: Comment[] = [];
  const more: MoreStub[] = [];
  const seen = new Set<string>();
  const stack: Pending[] = [];
  const pushAll = (list: readonly unknown[], parent: string | null): void => {
    for (let i = list.length - 1; i >= 0; i--) stack.push({ thing: list[i], under: parent });
  };
  pushAll(things, under);
  while (stack.length > 0) {
    const { thing, under: parent } = stack.pop()!;
    if (!isObject(thing) || !isObject(thing.data)) {
      warnings.add('not a thing', 'a comment entry that is not a Reddit thing (`{kind, data}`) was skipped');
      continue;
    }
    const data = thing.data;
    if (thing.kind === 'more') {
      more.push(readStub(data, parent, warnings));
      continue;
    }
    if (thing.kind !== 't1') {
      warnings.add('kind', `a thing of kind ${JSON.stringify(String(thing.kind)).slice(0, 40)} among the comments was skipped`);
      continue;
    }
    const id = str(data, 'id');
    if (id === null || !ID.test(id)) {
      warnings.add('id', 'a comment without a valid `id` was skipped, with its replies');
      continue;
    }
    if (seen.has(id)) {
      warnings.add('repeat', `comment ${id} appears twice; the second copy was skipped`);
      continue;
    }
    seen.add(id);
    comments.push(readComment(id, data, parent, ctx));
    const replies = listingChildren(data.replies);
    if (replies) pushAll(replies, `t1_${id}`);
  }
  return { comments, more, warnings: warnings.done() };
}

/** `reddit:<id>` for a comment's fullname, null for the post (or anything else). */
function replyTarget(fullname: string | null): string | null {
  if (fullname === null || !fullname.startsWith('t1_')) return null;
  const id = fullname.slice(3);
  return ID.test(id) ? `reddit:${id}` : null;
}

function readComment(id: string, data: JsonObject, under: string | null, ctx: ThingContext): Comment {
  const rawBody = str(data, 'body') ?? '';
  const author = str(data, 'author');
  const deleted = GONE.has(rawBody.trim());
  const body = isEscaped(data.body_html) ? decodeRedditEntities(rawBody) : rawBody;
  const edited = num(data, 'edited');
  const permalink = str(data, 'permalink') ?? (ctx.postPermalink === null ? null : `${ctx.postPermalink.replace(/\/?$/, '/')}${id}/`);
  const parent = str(data, 'parent_id') ?? under;
  const comment: Comment = {
    id: `reddit:${id}`,
    number: null,
    author: author === null || author === '[deleted]' ? null : author,
    authorId: str(data, 'author_fullname'),
    postedAt: isoFromSeconds(num(data, 'created_utc')),
    rating: int(data, 'score'),
    paragraphs: deleted ? [] : markdownParagraphs(body),
    quotes: [],
    replyTo: replyTarget(parent),
    url: redditUrl(permalink),
  };
  // `edited` is false, or the time of the last edit; old listings say only `true`, with no time.
  // Absent when unknown, as the store gives it back.
  const editedAt = isoFromSeconds(edited);
  if (editedAt !== null) comment.editedAt = editedAt;
  if (deleted) comment.deleted = true;
  return comment;
}

function readStub(data: JsonObject, under: string | null, warnings: CappedWarnings): MoreStub {
  const children = Array.isArray(data.children) ? data.children.filter((c): c is string => typeof c === 'string' && ID.test(c)) : [];
  // A count past what an integer holds exactly is still a claim to cap, not to ignore.
  const claimed = num(data, 'count') ?? 0;
  let count = claimed > 0 ? Math.floor(claimed) : 0;
  if (count > MAX_STUB_COUNT) {
    warnings.add('count', `a \`more\` stub claims ${claimed} comments; counted as ${MAX_STUB_COUNT}`);
    count = MAX_STUB_COUNT;
  }
  return { parent: str(data, 'parent_id') ?? under ?? '', children, count };
}
