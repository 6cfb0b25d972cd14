/**
 * The parse steps of a discussion fetch, as jobs of plain data: the fetched bytes (or, for Hacker
 * News items already read one by one, their JSON) and what the parser needs beside them, in; a
 * Discussion or a part of one, out. The same function runs in the parse worker (parse-job.ts) and,
 * for tests, inline (parse-worker.ts): what a fetch gets never depends on where it was parsed.
 */
import type { Block, Comment } from '../../core/model.ts';
import { linkCommentQuotes } from '../sources/comment-quotes.ts';
import type { ParseOptions } from '../sources/parse-options.ts';
import { parseCommentFeed } from './comment-feed.ts';
import { type DiscoursePosts, discoursePostIdsToFetch, parseDiscoursePosts, parseDiscourseTopic } from './discourse.ts';
import { parseFirebaseItems, parseHackerNews } from './hackernews.ts';
import { parseRedditListing, parseRedditMoreChildren } from './reddit.ts';
import type { Things } from './reddit-things.ts';
import type { Discussion } from './types.ts';

/** One parse step. `where` is the address the bytes came from (after redirects), named in every message. */
export type DiscussionParseJob =
  | { readonly kind: 'reddit-listing'; readonly where: string; readonly bytes: Uint8Array; readonly options: ParseOptions }
  /** A /api/morechildren answer; its comments come back with their quotes of `articleBody` linked. */
  | {
      readonly kind: 'reddit-more';
      readonly where: string;
      readonly bytes: Uint8Array;
      readonly postPermalink: string | null;
      readonly articleBody: readonly Block[];
    }
  | { readonly kind: 'hn-algolia'; readonly where: string; readonly bytes: Uint8Array; readonly options: ParseOptions }
  /** Items of the official API, read one by one by the fetcher (it follows their `kids`). */
  | { readonly kind: 'hn-items'; readonly where: string; readonly items: readonly unknown[]; readonly rootId: number; readonly options: ParseOptions }
  | { readonly kind: 'discourse-topic'; readonly where: string; readonly bytes: Uint8Array; readonly origin: string; readonly options: ParseOptions }
  /**
   * A page of posts. `earlier` are the post numbers and comment ids already held (two arrays, cheap
   * to copy), which replies on this page may answer; `articleBody` for quotes, null when not known yet.
   */
  | {
      readonly kind: 'discourse-posts';
      readonly where: string;
      readonly bytes: Uint8Array;
      readonly origin: string;
      readonly earlier: { readonly numbers: readonly number[]; readonly ids: readonly string[] };
      readonly articleBody: readonly Block[] | null;
    }
  | { readonly kind: 'comment-feed'; readonly where: string; readonly bytes: Uint8Array; readonly options: ParseOptions };

/** What each kind of job gives back. */
export interface DiscussionParseResults {
  'reddit-listing': Discussion;
  'reddit-more': Things;
  'hn-algolia': Discussion;
  'hn-items': Discussion;
  /** The topic, and the ids of its posts still to ask for. */
  'discourse-topic': { readonly discussion: Discussion; readonly postIds: number[] };
  'discourse-posts': DiscoursePosts;
  'comment-feed': Discussion;
}

export type DiscussionParseKind = DiscussionParseJob['kind'];
export type JobOf<K extends DiscussionParseKind> = Extract<DiscussionParseJob, { kind: K }>;

/** Runs one job; throws (a ParseError, mostly) with a message naming `where` when its input cannot be read. */
export function runDiscussionParse(job: DiscussionParseJob): DiscussionParseResults[DiscussionParseKind] {
  switch (job.kind) {
    case 'reddit-listing':
      return parseRedditListing(job.where, jsonFrom(job.where, job.bytes), job.options);
    case 'reddit-more': {
      const things = parseRedditMoreChildren(job.where, jsonFrom(job.where, job.bytes), { postPermalink: job.postPermalink });
      return { ...things, comments: linkCommentQuotes(job.articleBody, things.comments) };
    }
    case 'hn-algolia':
      return parseHackerNews(job.where, jsonFrom(job.where, job.bytes), job.options);
    case 'hn-items':
      return parseFirebaseItems(job.where, job.items, job.rootId, job.options);
    case 'discourse-topic': {
      const json = jsonFrom(job.where, job.bytes);
      return { discussion: parseDiscourseTopic(job.where, json, job.origin, job.options), postIds: discoursePostIdsToFetch(json) };
    }
    case 'discourse-posts':
      return parseDiscoursePosts(job.where, jsonFrom(job.where, job.bytes), job.origin, earlierOf(job.earlier), job.articleBody);
    case 'comment-feed':
      return parseCommentFeed(job.where, asBuffer(job.bytes), job.options);
  }
}

/** The bytes as JSON; throws an Error naming the address when they are not JSON (as fetch-platform.ts's jsonOf words it). */
function jsonFrom(where: string, bytes: Uint8Array): unknown {
  try {
    return JSON.parse(asBuffer(bytes).toString('utf8')) as unknown;
  } catch (error) {
    throw new Error(`${where}: expected JSON, got ${bytes.length} bytes that are not (${(error as Error).message.slice(0, 120)})`, { cause: error });
  }
}

/** A Buffer over the same memory: bytes that crossed to a worker arrive as a plain Uint8Array. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The comments held so far, as much of them as a page's replies are resolved against: their number and id. */
function earlierOf(earlier: { readonly numbers: readonly number[]; readonly ids: readonly string[] }): Comment[] {
  return earlier.numbers.map((number, i) => ({
    id: earlier.ids[i] ?? '',
    number,
    author: null,
    authorId: null,
    postedAt: null,
    rating: null,
    paragraphs: [],
    quotes: [],
    replyTo: null,
    url: null,
    editedAt: null,
  }));
}
