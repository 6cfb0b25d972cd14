/**
 * Markdown for Discord: source text is escaped so that it shows exactly as written (an asterisk
 * stays an asterisk), and only the formatting Paperboy adds (bold highlights, block quotes) applies.
 */
import { isHttpUrl } from '../../core/model.ts';
import { isLineEnd, isSpace } from '../../core/text/space.ts';

/**
 * Discord's autolink: a URL runs to whitespace or `<` and does not end in punctuation. Discord reads
 * no markdown inside one, so a backslash or `**` there would become part of the address.
 */
const URL_PATTERN = /https?:\/\/[^\s<]+[^<.,:;"')\]\s]/g;

/**
 * Text shown verbatim. Discord reads a backslash before any punctuation as an escape, so escaping
 * a character never shows the backslash; URLs are left whole, as Discord links them. Written here
 * rather than taken from discord.js's escapeMarkdown, which measured 216 ms on one 15,000-character
 * paragraph (its patterns rescan the text); this is one linear pass.
 */
export function escape(text: string): string {
  return escapeLineStarts(escapeInline(text));
}

/** Emphasis, code, strike-through, spoilers, masked links, tags and the backslash itself, outside URLs. */
function escapeInline(text: string): string {
  let out = '';
  let at = 0;
  for (const url of text.matchAll(URL_PATTERN)) {
    out += escapeChars(text.slice(at, url.index)) + url[0];
    at = url.index + url[0].length;
  }
  return out + escapeChars(text.slice(at));
}

function escapeChars(text: string): string {
  return text.replace(/[\\*_~`|[\]<]/g, '\\$&');
}

/**
 * Block quotes, headings and lists, only at the start of a line. A numbered item's dot is escaped,
 * not its digit: Discord drops a backslash only before punctuation.
 *
 * One pass by hand: the patterns this replaces (`/^(\s*)([>#+-])/gm`, `/^(\s*\d+)\.(?=\s)/gm`) tried
 * every line start of a run of blank lines to its end, quadratic time (6 s on 40,000 newlines). As
 * there, the first character after white space that holds a line start is what is looked at.
 */
function escapeLineStarts(text: string): string {
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    let lineStart = i === 0;
    for (; i < text.length && isSpace(text.charCodeAt(i)); i++) if (isLineEnd(text.charCodeAt(i))) lineStart = true;
    if (lineStart && i < text.length) {
      let digits = i;
      while (digits < text.length && text.charCodeAt(digits) >= 0x30 && text.charCodeAt(digits) <= 0x39) digits++;
      const at = '>#+-'.includes(text.charAt(i))
        ? i
        : digits > i && text[digits] === '.' && digits + 1 < text.length && isSpace(text.charCodeAt(digits + 1))
          ? digits
          : -1;
      if (at >= 0) {
        out += `${text.slice(copied, at)}\\`;
        copied = at;
      }
    }
    while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
  }
  return out + text.slice(copied);
}

/**
 * `text` escaped, with the `[start, end)` ranges in bold. A range inside a URL stays plain: bold
 * marks there would break the link. Line starts are escaped on the whole, so text right after a
 * bold word is not mistaken for the start of a line.
 */
export function highlight(text: string, ranges: readonly (readonly [number, number])[]): string {
  const urls = [...text.matchAll(URL_PATTERN)].map((m) => [m.index, m.index + m[0].length] as const);
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at || end <= start || urls.some(([s, e]) => start < e && end > s)) continue;
    out += `${escapeInline(text.slice(at, start))}**${escapeInline(text.slice(start, end))}**`;
    at = end;
  }
  return escapeLineStarts(out + escapeInline(text.slice(at)));
}

/** Every line of `text` (escaped) as a block quote. */
export function blockQuote(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${escape(line)}`)
    .join('\n');
}

/** One line, whitespace collapsed: for list entries and snippets. */
export function oneLine(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** A title as a link when there is a URL (escaping covers brackets, which would end the link text). */
export function link(title: string, url: string | null): string {
  const text = escape(title);
  // Only http(s): a stored javascript: or data: URL must not become a link.
  return url && isHttpUrl(url) ? `[${text}](${url.replace(/\)/g, '%29')})` : text;
}

/** `oneLine(text)` with the `[start, end)` ranges of `text` in bold, escaped. */
export function highlightOneLine(text: string, ranges: readonly (readonly [number, number])[]): string {
  // Map each position of the original to its position once whitespace runs become one space.
  const at: number[] = [];
  let flat = '';
  for (let i = 0; i < text.length; i++) {
    at.push(flat.length);
    const ch = text[i] ?? '';
    if (/\s/u.test(ch)) {
      if (!flat.endsWith(' ')) flat += ' ';
    } else flat += ch;
  }
  at.push(flat.length);
  const lead = flat.length - flat.trimStart().length;
  const trimmed = flat.trim();
  const moved = ranges.map(([s, e]) => [Math.max((at[s] ?? 0) - lead, 0), Math.min((at[e] ?? 0) - lead, trimmed.length)] as const);
  return highlight(trimmed, moved);
}
