/**
 * The two ends of an XML document, read by hand in one pass: where its prolog ends (the root
 * element starts) and whether it ends with its root closed. Feeds are outside text, and the regular
 * expressions these replace backtracked: `</rss\s*>(?:\s|<!--[\s\S]*?-->)*$` took quadratic time on
 * a body repeating `</rss><!--` (42 s at 1.6 MB) on the bot's only thread. Each scan here reads
 * each character a bounded number of times.
 */

import { isSpace } from '../../core/text/space.ts';

function skipSpace(text: string, at: number): number {
  while (at < text.length && isSpace(text.charCodeAt(at))) at++;
  return at;
}

/**
 * Where the prolog ends: after white space, the declaration and processing instructions, comments
 * and a doctype (with its internal subset). An unterminated one ends the prolog where it starts.
 */
export function prologEnd(text: string): number {
  let at = 0;
  for (;;) {
    at = skipSpace(text, at);
    const close = text.startsWith('<?', at)
      ? closeOf(text, at + 2, '?>')
      : text.startsWith('<!--', at)
        ? closeOf(text, at + 4, '-->')
        : isDoctype(text, at)
          ? doctypeEnd(text, at)
          : -1;
    if (close < 0) return at;
    at = close;
  }
}

/** The index after `end` found from `from`, or -1. */
function closeOf(text: string, from: number, end: string): number {
  const found = text.indexOf(end, from);
  return found < 0 ? -1 : found + end.length;
}

function isDoctype(text: string, at: number): boolean {
  return text.slice(at, at + 9).toUpperCase() === '<!DOCTYPE';
}

/** The index after a doctype's `>`, its `[ … ]` internal subset skipped whole; -1 when unterminated. */
function doctypeEnd(text: string, at: number): number {
  for (let i = at + 9; i < text.length; i++) {
    const c = text[i];
    if (c === '>') return i + 1;
    if (c === '[') {
      const end = text.indexOf(']', i + 1);
      if (end < 0) return -1;
      i = end;
    }
  }
  return -1;
}

/**
 * Whether the text ends with `</root>` (white space allowed before the `>`) followed by nothing but
 * white space and comments: either the close tag is last, or a close tag followed by a comment's
 * `<!--` comes before a final `-->`. The earliest such close tag is the one to look at, and each
 * candidate is checked over its own few characters, so the whole text is read once.
 */
export function endsWithClosedRoot(text: string, root: string): boolean {
  let end = text.length;
  while (end > 0 && isSpace(text.charCodeAt(end - 1))) end--;
  const tag = `</${root}`;
  const last = text.lastIndexOf(tag, end - tag.length);
  if (last >= 0 && skipSpace(text, last + tag.length) === end - 1 && text[end - 1] === '>') return true;
  if (end < 3 || !text.startsWith('-->', end - 3)) return false;
  for (let at = text.indexOf(tag); at >= 0; at = text.indexOf(tag, at + tag.length)) {
    const close = skipSpace(text, at + tag.length);
    if (text[close] !== '>') continue;
    const comment = skipSpace(text, close + 1);
    if (!text.startsWith('<!--', comment)) continue;
    // The comment's "<!--" and its final "-->" may not overlap ("<!-->" is no comment).
    return comment + 4 <= end - 3;
  }
  return false;
}

/** The text of an HTML page's first `<title>`, for naming the page in an error; null when it has none. */
export function htmlTitle(text: string): string | null {
  // Only the head matters, and a page's head is near its start.
  const head = text.slice(0, 64_000);
  const lower = head.toLowerCase();
  const open = lower.indexOf('<title');
  if (open < 0) return null;
  const contentStart = head.indexOf('>', open);
  if (contentStart < 0) return null;
  const contentEnd = lower.indexOf('</title>', contentStart);
  const content = head.slice(contentStart + 1, contentEnd < 0 ? undefined : contentEnd);
  return contentEnd < 0 || content.includes('<') ? null : content;
}
