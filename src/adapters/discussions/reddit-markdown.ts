/**
 * Reddit's markdown (a comment's `body`, a post's `selftext`) into paragraphs, verbatim. Paperboy
 * reposts what people wrote, so nothing is rendered or reworded: paragraphs are split at blank
 * lines, and a run of `>` lines (a quote of the article or of a parent) becomes a paragraph of its
 * own, with its markers, so that the quote finder can test it alone. Only Reddit's own escaping is
 * undone: without `raw_json=1` it writes `&`, `<` and `>` as `&amp;`, `&lt;` and `&gt;`.
 */
import type { Block } from '../../core/model.ts';

const ENTITIES: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/** `text` with Reddit's three escapes undone in one pass (so `&amp;lt;` becomes `&lt;`, as written). */
export function decodeRedditEntities(text: string): string {
  return text.includes('&') ? text.replace(/&(?:amp|lt|gt);/g, (m) => ENTITIES[m] ?? m) : text;
}

/**
 * Whether a listing escaped its text: `body_html` then starts with `&lt;div`; a `raw_json=1`
 * listing (and older listings, such as praw's recordings) give `<div` and the text as typed. With
 * no `body_html` to tell, Reddit's default (escaped) is assumed.
 */
export function isEscaped(html: unknown): boolean {
  return typeof html === 'string' ? html.trimStart().startsWith('&lt;') : true;
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

function isQuoteLine(line: string): boolean {
  return line.trimStart().startsWith('>');
}

/**
 * The paragraphs of a markdown text: blank lines separate them, and within one, each run of `>`
 * lines and each run of other lines is a paragraph. Lines are kept as written (trailing spaces,
 * which are markdown line breaks, are dropped at the ends of a paragraph only).
 */
export function markdownParagraphs(text: string): string[] {
  const out: string[] = [];
  let run: string[] = [];
  let runIsQuote = false;
  const flush = (): void => {
    const paragraph = run.join('\n').trim();
    if (paragraph !== '') out.push(paragraph);
    run = [];
  };
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (isBlank(line)) {
      flush();
      continue;
    }
    const quote = isQuoteLine(line);
    if (run.length > 0 && quote !== runIsQuote) flush();
    runIsQuote = quote;
    run.push(line);
  }
  flush();
  return out;
}

/** A quote paragraph's text without its `>` markers (one level, and the space after it). */
function unquote(paragraph: string): string {
  return paragraph
    .split('\n')
    .map((line) => {
      const rest = line.trimStart().slice(1);
      return rest.startsWith(' ') ? rest.slice(1) : rest;
    })
    .join('\n')
    .trim();
}

/** A post's text as the article body: paragraphs, `>` quotes as quote blocks (markers dropped), `# …` lines as headings. */
export function markdownBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  for (const paragraph of markdownParagraphs(text)) {
    if (isQuoteLine(paragraph)) {
      const inner = unquote(paragraph);
      if (inner !== '') blocks.push({ type: 'quote', text: inner, attribution: null });
      continue;
    }
    const heading = /^#{1,6}[ \t]+(\S.*)$/.exec(paragraph);
    if (heading && !paragraph.includes('\n')) blocks.push({ type: 'heading', text: (heading[1] ?? '').trim() });
    else blocks.push({ type: 'paragraph', text: paragraph });
  }
  return blocks;
}
