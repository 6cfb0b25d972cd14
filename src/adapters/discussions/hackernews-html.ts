/**
 * Hacker News's comment HTML into paragraphs of plain text. HN writes a small dialect: `<p>` starts
 * a paragraph (usually never closed), `<i>` is emphasis and, by habit, quotation, `<a href>` is a
 * link whose shown text HN shortens ("https://example.com/a-long-pa..."), `<pre><code>` is code.
 * The bot escapes markdown, so a link is kept as "text (https://url)" (or the bare URL when that is
 * its text), code keeps its spacing, entities are decoded, and other tags keep only their text.
 */
import { Parser } from 'htmlparser2';
import { collapse } from '../feeds/html.ts';

export interface HnParagraph {
  readonly text: string;
  /**
   * Whether the paragraph is quoted text by HN habit: it starts with `>` or all of it is in `<i>`.
   * Such a paragraph repeating the article is a quote of it.
   */
  readonly quoted: boolean;
}

/** Only http(s) links keep their address; HN writes relative links for its own pages. */
function linkTarget(href: string | undefined): string | null {
  if (!href) return null;
  try {
    const url = new URL(href.trim(), 'https://news.ycombinator.com/');
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Whether HN's shortened link text stands for `href` (it keeps the start and adds "..."). */
function showsAddress(text: string, href: string): boolean {
  if (text === href) return true;
  const shown = text.endsWith('...') ? text.slice(0, -3) : text;
  return shown.length >= 8 && href.startsWith(shown);
}

function trimLeadingNewlines(text: string): string {
  let start = 0;
  while (text.charAt(start) === '\n' || text.charAt(start) === '\r') start++;
  return text.slice(start);
}

/** The paragraphs of one HN text (a comment's or an Ask HN story's `text`). */
export function hnParagraphs(html: string): HnParagraph[] {
  const out: HnParagraph[] = [];
  let text = '';
  // Characters (not spaces) inside and outside <i>, to tell a paragraph that is all in italics.
  let italicChars = 0;
  let plainChars = 0;
  let italicDepth = 0;
  let preDepth = 0;
  // The paragraph is code (`<pre>`): its spacing is kept when it is flushed.
  let code = false;
  const links: { href: string | null; start: number }[] = [];

  const flush = (): void => {
    const finished = code ? trimLeadingNewlines(text).trimEnd() : collapse(text);
    if (finished.trim() !== '') {
      const quoted = finished.trimStart().startsWith('>') || (italicChars > 0 && plainChars === 0);
      out.push({ text: finished, quoted });
    }
    text = '';
    italicChars = 0;
    plainChars = 0;
    code = preDepth > 0;
  };

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'p') flush();
        else if (name === 'pre') {
          flush();
          preDepth++;
          code = true;
        } else if (name === 'i' || name === 'em') italicDepth++;
        else if (name === 'a') links.push({ href: linkTarget(attributes.href), start: text.length });
        else if (name === 'br') text += '\n';
      },
      ontext(chunk) {
        text += chunk;
        const visible = chunk.replace(/\s/g, '').length;
        if (italicDepth > 0) italicChars += visible;
        else plainChars += visible;
      },
      onclosetag(name) {
        if (name === 'pre') {
          preDepth = Math.max(0, preDepth - 1);
          flush();
        } else if (name === 'i' || name === 'em') italicDepth = Math.max(0, italicDepth - 1);
        else if (name === 'a') {
          const link = links.pop();
          const href = link?.href;
          if (link && href) {
            const shown = text.slice(link.start).trim();
            if (shown !== '' && !showsAddress(shown, href)) text += ` (${href})`;
            else if (shown !== '') text = text.slice(0, link.start) + text.slice(link.start).replace(shown, () => href);
          }
        }
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  flush();
  return out;
}
