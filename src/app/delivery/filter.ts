/**
 * A subscription's keyword filter: plain words, or a regular expression written `/pattern/flags`.
 * Patterns run on RE2 (see user-pattern.ts), so matching is linear in the text; and a filter reads
 * at most the start of an article, so its cost per article is bounded whatever the article holds.
 */
import type { Article } from '../../core/model.ts';
import { findPhrase, fold, wordsOf } from '../filters/fold.ts';
import { compileUserPattern, PatternError } from './user-pattern.ts';

export type Filter = (article: Pick<Article, 'title' | 'body'>) => boolean;

export class FilterError extends Error {
  override readonly name = 'FilterError';
}

const REGEX = /^\/(.+)\/([a-z]*)$/su;

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

/**
 * The title and the paragraphs a filter reads, cut at the caps above, with their spaces made ASCII.
 * The filter language (src/app/filters) reads the same, so both filters see the same start of an article.
 */
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

function patternFilter(pattern: string, flags: string): Filter {
  try {
    const compiled = compileUserPattern(pattern, flags);
    return (a) => filterTexts(a).some((t) => compiled.test(t));
  } catch (error) {
    if (error instanceof PatternError) throw new FilterError(error.message);
    throw error;
  }
}

/**
 * The filter for what an admin typed: null or blank matches everything; `/pattern/flags` is a
 * regular expression tried on the title and on each paragraph; otherwise comma-separated words or
 * phrases, any of which must occur as whole words (case and accents ignored). Throws a FilterError
 * saying what is wrong; compiling is cheap, so a delivery run may call this again each time.
 */
export function parseFilter(input: string | null): Filter {
  const text = input?.trim() ?? '';
  if (text === '') return () => true;
  const regex = REGEX.exec(text);
  if (regex) return patternFilter(regex[1] ?? '', regex[2] ?? '');
  // Whole words compared as words (fold.ts), never through a regular expression built from what was typed.
  const phrases = text
    .split(',')
    .map((p) => wordsOf(fold(p)).map((w) => w.text))
    .filter((words) => words.length > 0);
  if (phrases.length === 0) throw new FilterError(`"${text}" has no words to match`);
  return (a) => {
    const texts = filterTexts(a).map((t) => wordsOf(fold(t)));
    return phrases.some((p) => texts.some((words) => findPhrase(words, p) >= 0));
  };
}
