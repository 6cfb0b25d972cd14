/**
 * HTML from feeds (titles, descriptions, content:encoded, Atom content) to the Article model's
 * blocks: block elements and a double <br> end paragraphs, h1–h6 become headings and blockquotes
 * quotes; scripts, styles, iframes and images are dropped; entities are decoded and whitespace
 * collapsed. The bot escapes markdown, so a link is kept as "text (https://url)", or as the bare
 * URL when that is its text. htmlparser2 does the tokenizing because feed HTML is rarely well-formed.
 */
import { Parser } from 'htmlparser2';
import type { Block } from '../../core/model.ts';

// prettier-ignore
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'caption', 'center', 'dd', 'details', 'div', 'dl', 'dt', 'fieldset', 'figcaption',
  'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section',
  'summary', 'table', 'tbody', 'tfoot', 'thead', 'tr', 'ul',
]);
/** Elements whose content is not text a reader sees. */
const DROPPED = new Set([
  'applet',
  'audio',
  'button',
  'canvas',
  'embed',
  'head',
  'iframe',
  'map',
  'math',
  'noscript',
  'object',
  'script',
  'select',
  'style',
  'svg',
  'template',
  'textarea',
  'title',
  'video',
]);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Stands for a single <br> until whitespace is collapsed; then it becomes a line break. */
const LINE_BREAK = '\uE000';
/** A run of line breaks with the spaces around them: one line break. */
const LINE_BREAKS = new RegExp(` ?${LINE_BREAK}[ ${LINE_BREAK}]*`, 'g');

interface OpenLink {
  readonly href: string | null;
  readonly block: number;
  readonly start: number;
}

/** Plain text (no tags) is split into paragraphs at blank lines; HTML goes through the parser. */
export function looksLikeHtml(text: string): boolean {
  return /<[A-Za-z!/]|&(?:#\d+|#x[\da-fA-F]+|[A-Za-z][A-Za-z\d]*);/.test(text);
}

/**
 * The blocks of an HTML fragment. Relative links are resolved against `base` (the item's link);
 * links that are still not http(s) keep only their text.
 */
export function htmlToBlocks(html: string, base: string | null = null): Block[] {
  const blocks: Block[] = [];
  let text = '';
  let inHeading = false;
  let quoteDepth = 0;
  // A list item's marker waits for the item's first text, which may come in a nested <p>.
  let marker = '';
  let dropDepth = 0;
  let breaks = 0;
  const links: OpenLink[] = [];
  const lists: { ordered: boolean; count: number }[] = [];

  const flush = (): void => {
    const clean = collapse(text);
    text = '';
    breaks = 0;
    if (clean === '') return;
    const full = marker + clean;
    marker = '';
    if (inHeading) blocks.push({ type: 'heading', text: full });
    else if (quoteDepth > 0) blocks.push({ type: 'quote', text: full, attribution: null });
    else blocks.push({ type: 'paragraph', text: full });
  };

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (DROPPED.has(name)) dropDepth++;
        if (dropDepth > 0) return;
        if (name === 'br') {
          // Two <br> with nothing but whitespace between them are how many feeds separate paragraphs.
          breaks++;
          if (breaks >= 2) flush();
          else text += LINE_BREAK;
          return;
        }
        if (BLOCKS.has(name)) {
          flush();
          if (HEADINGS.has(name)) inHeading = true;
          if (name === 'blockquote') quoteDepth++;
          if (name === 'ul' || name === 'ol') lists.push({ ordered: name === 'ol', count: 0 });
          if (name === 'li') {
            const list = lists[lists.length - 1];
            if (list) list.count++;
            marker = list?.ordered ? `${list.count}. ` : '• ';
          }
        }
        // Cells of one row stay on one line.
        if (name === 'td' || name === 'th') text += ' ';
        if (name === 'a') links.push({ href: absoluteHttp(attributes.href, base), block: blocks.length, start: text.length });
      },
      ontext(chunk) {
        if (dropDepth > 0) return;
        text += chunk;
        if (/\S/.test(chunk)) breaks = 0;
      },
      onclosetag(name) {
        if (DROPPED.has(name)) {
          dropDepth = Math.max(0, dropDepth - 1);
          return;
        }
        if (dropDepth > 0) return;
        if (name === 'a') {
          const link = links.pop();
          if (link?.href) text += linkSuffix(link.block === blocks.length ? text.slice(link.start) : text, link.href);
          return;
        }
        if (!BLOCKS.has(name)) return;
        flush();
        if (HEADINGS.has(name)) inHeading = false;
        if (name === 'li') marker = '';
        if (name === 'blockquote') quoteDepth = Math.max(0, quoteDepth - 1);
        if (name === 'ul' || name === 'ol') lists.pop();
      },
    },
    { decodeEntities: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  flush();
  return blocks;
}

/** Plain text: paragraphs at blank lines, whitespace inside a paragraph collapsed. */
export function textToBlocks(text: string): Block[] {
  return text
    .split(/\r?\n[ \t]*\r?\n/)
    .map(collapse)
    .filter((t) => t !== '')
    .map((t) => ({ type: 'paragraph', text: t }));
}

/** One line of text from an HTML title: tags dropped, entities decoded, whitespace collapsed. */
export function htmlToLine(html: string): string {
  if (!looksLikeHtml(html)) return collapse(html);
  return htmlToBlocks(html)
    .map((b) => b.text.replace(/\n/g, ' '))
    .join(' ');
}

/** Whitespace runs to one space, single <br> to a line break, no space at either end. */
export function collapse(text: string): string {
  const spaced = text.replace(/\s+/g, ' ');
  return (spaced.includes(LINE_BREAK) ? spaced.replace(LINE_BREAKS, '\n') : spaced).trim();
}

/** " (url)" after a link's text, or nothing when the text already is the URL or is empty. */
function linkSuffix(linkText: string, href: string): string {
  const shown = collapse(linkText);
  if (shown === '') return '';
  // Trailing slashes trimmed by hand: `/\/+$/` retries every slash of a long run (quadratic).
  const bare = (u: string): string => trimEndOf(u.replace(/^https?:\/\/(www\.)?/i, ''), '/');
  return bare(shown) === bare(href) ? '' : ` (${href})`;
}

/** `href` resolved against `base` when it is an http(s) URL; null for anything else (javascript:, mailto:, nonsense). */
export function absoluteHttp(href: string | null | undefined, base: string | null): string | null {
  if (!href) return null;
  try {
    const url = base ? new URL(href.trim(), base) : new URL(href.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** `text` without the run of `chars` at its end, e.g. trimEndOf('a/b//', '/') is 'a/b'. */
export function trimEndOf(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text.charAt(end - 1))) end--;
  return text.slice(0, end);
}
