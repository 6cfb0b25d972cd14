/**
 * A comment feed read with the project's feed readers (feedsmith through formats.ts), plus what
 * they leave out because an article feed never needs it: each entry's RFC 4685 `thr:in-reply-to`,
 * Atom's separate published and updated times, and OpenSearch's `totalResults` (Blogger's comment
 * feeds page by 25 and say how many there are).
 */
import { parseAtomFeed, parseRdfFeed, parseRssFeed } from 'feedsmith';
import { decodeFeed } from '../feeds/decode.ts';
import type { FeedEntry, FeedInfo } from '../feeds/entry.ts';
import { present } from '../feeds/entry.ts';
import { readAtom, readRdf, readRss } from '../feeds/formats.ts';
import { formatOfRoot, rootElement } from '../feeds/parse.ts';
import { endsWithClosedRoot } from '../feeds/xml-edges.ts';

/** One `thr:in-reply-to`: `ref` is the id (guid) of what the entry answers, `href` where it can be read. */
export interface InReplyTo {
  readonly ref: string | null;
  readonly href: string | null;
}

export interface CommentFeedEntry {
  /** The entry as every feed format is read (guid, link, authors, dates, texts). */
  readonly entry: FeedEntry;
  readonly inReplyTo: readonly InReplyTo[];
  /** Atom's published and updated, unparsed; null in RSS, which has one date. */
  readonly published: string | null;
  readonly updated: string | null;
}

export interface CommentFeedDocument {
  readonly info: FeedInfo;
  /** OpenSearch totalResults: how many comments the site has, of which this page holds some. */
  readonly totalResults: number | null;
  readonly entries: readonly CommentFeedEntry[];
}

/** The text of a feed's bytes, decoded as the feed parser decodes it. */
export function feedText(bytes: Buffer | string, name: string): { text: string; warnings: string[] } {
  const decoded = typeof bytes === 'string' ? { text: bytes, warnings: [] } : decodeFeed(bytes, null, name);
  return { text: decoded.text.replace(/^\uFEFF/, ''), warnings: decoded.warnings };
}

/**
 * Reads a feed's text. Throws whatever feedsmith throws for a document that is not a feed: callers
 * either ran parseFeed first (which names the problem) or only ask whether it is a comment feed.
 */
export function readCommentFeed(text: string): CommentFeedDocument | null {
  const root = rootElement(text);
  const format = root === null ? null : formatOfRoot(root);
  if (format === 'rss') {
    const feed = parseRssFeed(text);
    const read = readRss(feed);
    const items = feed.items ?? [];
    const entries = read.entries.map((entry, i) => ({ entry, inReplyTo: repliesOf(items[i]?.thr?.inReplyTos), published: null, updated: null }));
    return { info: read.info, totalResults: total(feed.opensearch?.totalResults), entries };
  }
  if (format === 'atom') {
    const feed = parseAtomFeed(text);
    const read = readAtom(feed);
    const items = feed.entries ?? [];
    const entries = read.entries.map((entry, i) => ({
      entry,
      inReplyTo: repliesOf(items[i]?.thr?.inReplyTos),
      published: present(items[i]?.published),
      updated: present(items[i]?.updated),
    }));
    return { info: read.info, totalResults: total(feed.opensearch?.totalResults), entries };
  }
  if (format === 'rdf') {
    const read = readRdf(parseRdfFeed(text));
    return { info: read.info, totalResults: null, entries: read.entries.map((entry) => ({ entry, inReplyTo: [], published: null, updated: null })) };
  }
  return null;
}

/**
 * The feed read in one pass when it is a whole RSS, Atom or RDF document, else null (the caller
 * then asks parseFeed what is wrong). The checks are parseFeed's own that come before reading:
 * feedsmith reads a document cut off between two items, or an HTML page with an <rss> in it, as if
 * it were whole, and those are no comment feed.
 */
export function readWholeCommentFeed(text: string): CommentFeedDocument | null {
  const root = rootElement(text);
  if (root === null || formatOfRoot(root) === null || /^\s*<!DOCTYPE\s+html/i.test(text) || !endsWithClosedRoot(text, root)) return null;
  try {
    return readCommentFeed(text);
  } catch {
    return null;
  }
}

function repliesOf(list: readonly { ref?: string; href?: string }[] | undefined): InReplyTo[] {
  return (list ?? []).map((r) => ({ ref: present(r.ref), href: present(r.href) })).filter((r) => r.ref !== null || r.href !== null);
}

function total(value: number | undefined): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}
