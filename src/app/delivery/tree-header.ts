/**
 * The header of an imported comment's message (a Reddit, Hacker News, Discourse or comment-feed
 * comment, which carries the link to where it can be read): its place in the tree, its author, its
 * score and that link. Comments without a link keep the header they always had (commentHeader), so
 * threads posted before keep matching their messages when read back after a crash.
 */
import { type Comment, isHttpUrl } from '../../core/model.ts';
import { truncate } from '../../core/text/truncate.ts';
import { escape } from '../views/markdown.ts';

/** An author's name is outside text of any length: a header holds at most this much of it. */
const AUTHOR_CHARS = 100;
/** A longer link is left out rather than cut (a cut link leads nowhere); the comment is still attributed. */
const LINK_CHARS = 300;

/** What a comment deleted at its source shows: its text is gone, its place in the tree (and the replies to it) stay. */
export const DELETED_AT_SOURCE = '*(deleted at the source)*';

/** The link to show, in `<>` so Discord shows no preview, or null when there is none fit to show. */
export function sourceLink(url: string | null | undefined): string | null {
  if (!url || !isHttpUrl(url)) return null;
  const href = new URL(url).href;
  // The URL serialiser encodes `<` and `>`; checked all the same, since one would end the link early.
  if (href.length > LINK_CHARS || /[<>\s]/u.test(href)) return null;
  return `<${href}>`;
}

/**
 * A time to the minute: `2011-12-08 03:26 UTC`. Sources give seconds and milliseconds
 * (`2011-12-08T03:26:47.000Z`), which a header has no room for. `iso` is checked at ingest.
 */
export function shortTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/u.exec(iso);
  if (!m) return escape(iso);
  const [, day, time, zone] = m;
  return [day, time, zone === 'Z' ? 'UTC' : zone].filter((part) => part !== undefined).join(' ');
}

/** The depth, compactly: nothing for a root, "↳" for a reply, "↳3" for a reply three levels down. */
export function depthMark(depth: number): string {
  if (depth <= 0) return '';
  return depth === 1 ? '↳' : `↳${depth}`;
}

/**
 * `↳ **author** · ▲ 12 · 2011-05-05 10:00 UTC · <https://…>` for a comment with a link at its
 * source, or null for one without (the caller uses commentHeader then). Outside text is escaped and
 * capped, so nothing in it formats, links or pings.
 */
export function treeHeader(c: Comment, depth: number): string | null {
  const link = sourceLink(c.url);
  if (link === null) return null;
  // One line: a name with line breaks in it would break the header in two.
  const who = escape(truncate((c.author ?? c.id).replace(/\s+/gu, ' ').trim() || c.id, AUTHOR_CHARS, '…').text);
  const parts = [`${depthMark(depth)}${depth > 0 ? ' ' : ''}**${who}**`];
  if (c.rating !== null) parts.push(`▲ ${c.rating}`);
  if (c.postedAt) parts.push(shortTime(c.postedAt));
  parts.push(link);
  return parts.join(' · ');
}

/** Whether `comment` is shown with a tree header: it came from a discussion that links to each comment. */
export function hasTreeHeader(c: Comment): boolean {
  return sourceLink(c.url) !== null;
}
