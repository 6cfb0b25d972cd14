/**
 * A subscription's keyword filter: plain words, or a regular expression written `/pattern/flags`.
 * Patterns run on RE2 (see ../filters/user-pattern.ts), so matching is linear in the text; and a filter reads
 * at most the start of an article, so its cost per article is bounded whatever the article holds.
 */
import type { Article } from '../../core/model.ts';
import { findPhrase, fold, wordsOf } from '../filters/fold.ts';
import { filterTexts } from '../filters/texts.ts';
import { compileUserPattern, PatternError } from '../filters/user-pattern.ts';

export { FILTER_BODY_CHARS, FILTER_TITLE_CHARS } from '../filters/texts.ts';

export type Filter = (article: Pick<Article, 'title' | 'body'>) => boolean;

export class FilterError extends Error {
  override readonly name = 'FilterError';
}

const REGEX = /^\/(.+)\/([a-z]*)$/su;

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
