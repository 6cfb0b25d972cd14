/**
 * What of an article any filter reads: the start of the title and of the body, with the spaces RE2
 * does not know made ASCII. Both the keyword filter (../delivery/filter.ts) and the filter language
 * read it, so both see the same start of an article and a filter's cost per article is bounded.
 */
import type { Article } from '../../core/model.ts';

/** How much of a title a filter reads. */
export const FILTER_TITLE_CHARS = 1_000;
/** How much of a body a filter reads, over all its paragraphs: about 3,000 words, a long article. */
export const FILTER_BODY_CHARS = 20_000;

/**
 * The whitespace JavaScript's `\s` knows and RE2's does not (RE2's is ASCII: tab, newline, form feed,
 * carriage return, space). News text is full of no-break and thin spaces; a pattern's `\s` must
 * match them. One character at a time, so no quantifier: linear in the text.
 */
const NON_ASCII_SPACE = /[\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/gu;

/** A space as RE2 knows one; the line and paragraph separators become line breaks, as `.` and `^` treat them in JavaScript. */
function asciiSpace(c: string): string {
  return c === '\u2028' || c === '\u2029' ? '\n' : ' ';
}

/** `text` with the spaces RE2 does not know made ASCII ones (filter expressions read other fields too). */
export function asciiSpaces(text: string): string {
  return text.replace(NON_ASCII_SPACE, asciiSpace);
}

/** The title and the paragraphs a filter reads, cut at the caps above, with their spaces made ASCII. */
export function filterTexts(article: Pick<Article, 'title' | 'body'>): string[] {
  const texts = [article.title.slice(0, FILTER_TITLE_CHARS)];
  let left = FILTER_BODY_CHARS;
  for (const paragraph of article.body) {
    if (left <= 0) break;
    texts.push(paragraph.text.slice(0, left));
    left -= paragraph.text.length;
  }
  return texts.map(asciiSpaces);
}
