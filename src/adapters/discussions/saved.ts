/**
 * Saved discussion files for `paperboy ingest`: a `.json` that is a Reddit listing, a Hacker News
 * item (either API) or a Discourse topic goes to its parser, and the Discussion's article (the post
 * with its comment tree) is what gets stored. What the file does not hold is said, not dropped
 * silently: the comments in Reddit's `more` stubs, or a story's comments that were not saved.
 */
import type { ParseOptions, ParseResult } from '../sources/parse-options.ts';
import { looksLikeDiscourseTopic, parseDiscourseTopic } from './discourse.ts';
import { looksLikeHackerNews, parseHackerNews } from './hackernews.ts';
import { isObject } from './markup-json.ts';
import { looksLikeRedditListing, parseRedditListing } from './reddit.ts';
import type { Discussion } from './types.ts';

/**
 * Keys that only discussion JSON has (with their quotes, as JSON writes keys): an article file
 * without any is not parsed a second time. A hint that is wrong costs one JSON.parse, nothing else.
 * Looked for in the whole text (a plain substring search, fast), since a key may come late.
 */
const HINTS = ['"kind"', '"kids"', '"story_id"', '"children"', '"post_stream"', '"parent_id"', '"by"'];

/**
 * The article of a saved discussion, or null when `text` is not one (or not JSON at all: the
 * article parser then reports the syntax error with its line).
 */
export function parseDiscussionJson(file: string, text: string, options: ParseOptions = {}): ParseResult | null {
  if (!HINTS.some((hint) => text.includes(hint))) return null;
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return null;
  }
  const discussion = parseDiscussion(file, json, options);
  return discussion && discussionResult(file, discussion);
}

/** The Discussion in parsed JSON, or null when it is none of the kinds Paperboy reads. */
export function parseDiscussion(where: string, json: unknown, options: ParseOptions = {}): Discussion | null {
  if (looksLikeRedditListing(json)) return parseRedditListing(where, json, options);
  if (looksLikeHackerNews(json)) return parseHackerNews(where, json, options);
  if (looksLikeDiscourseTopic(json)) return parseDiscourseTopic(where, json, null, options);
  return null;
}

/**
 * Whether the first element of a `.json` array starts a discussion (a Reddit listing is an array
 * of two Listings, a saved HN thread an array of items), so that the file is read whole rather
 * than streamed as articles.
 */
export function startsDiscussionArray(first: unknown): boolean {
  return (isObject(first) && first.kind === 'Listing') || looksLikeHackerNews([first]);
}

/** The article to store, with the Discussion's warnings and what it left unread. */
export function discussionResult(file: string, discussion: Discussion): ParseResult {
  return { articles: [discussion.article], warnings: [...discussion.warnings, ...unreadWarnings(file, discussion)] };
}

export function unreadWarnings(file: string, d: Discussion): string[] {
  const out: string[] = [];
  if (d.kind === 'reddit') {
    if (d.missing > 0) out.push(`${file}: ${d.missing} comments left in Reddit's \`more\` stubs were not read: follow the discussion to fetch them`);
    const deeper = d.more.filter((m) => m.count === 0 && m.children.length === 0).length;
    if (deeper > 0)
      out.push(
        `${file}: ${deeper} "continue this thread" links (replies deeper than the listing goes, how many is not said) were not read: follow the discussion to fetch them`,
      );
    return out;
  }
  if (d.missing > 0) {
    const stated = d.article.declaredCommentCount;
    const of = stated === null ? '' : ` of the ${stated} the source counts`;
    out.push(`${file}: ${d.missing} comments${of} are not in the file: follow the discussion to fetch them`);
  }
  return out;
}
