/** Where a quoted passage comes from, as one line of Discord markdown under the block quote. */
import { truncate } from '../../core/text/truncate.ts';
import type { Citation } from '../library/quote.ts';
import { commentLabel, commentTime, showTime } from './format.ts';
import { escape } from './markdown.ts';

/** An article's title in a thread's citation is cut here: the thread is about that article, so the title only reminds. */
const THREAD_TITLE_CHARS = 150;

/**
 * The citation line: the article's title in italics with the place of the passage, or a comment by
 * its label, author and time. On its own (`quote`, as /quote shows it) a comment's citation also
 * gives its rating and the article it is on; in the article's own thread (`thread`) that goes
 * without saying, so the line stays short.
 */
export function citationLine(c: Citation, where: 'quote' | 'thread'): string {
  if (c.kind === 'article') {
    const title = where === 'thread' ? truncate(c.title, THREAD_TITLE_CHARS, '…').text : c.title;
    return `— *${escape(title)}*, ${escape(c.place)}`;
  }
  // A comment from elsewhere is known by its author and platform: its id means nothing to a reader.
  if (where === 'quote' && c.source && c.source !== 'Discord') {
    const parts = [`${escape(c.author ?? 'unknown author')} on ${escape(c.source)}`];
    if (c.postedAt) parts.push(commentTime(c.postedAt));
    if (c.rating !== null) parts.push(`score ${c.rating}`);
    return `— ${parts.join(', ')}, on *${escape(c.title)}*`;
  }
  const parts = [escape(commentLabel(c.comment))];
  if (c.author) parts.push(`by ${escape(c.author)}`);
  if (where === 'thread') return `— ${parts.join(' ')}${c.postedAt ? `, ${showTime(c.postedAt)}` : ''}`;
  if (c.postedAt) parts.push(showTime(c.postedAt));
  if (c.rating !== null) parts.push(`rating ${c.rating}`);
  return `— ${parts.join(', ')}, on *${escape(c.title)}*`;
}

/** A link to the quoted comment where it was written, on a line of its own; null when it has none. */
export function citationLink(c: Citation): string | null {
  if (c.kind !== 'comment' || !c.url) return null;
  return `[Open on ${escape(c.source ?? 'the source')}](${c.url.replace(/\)/g, '%29')})`;
}
