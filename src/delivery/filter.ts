/**
 * A subscription's keyword filter: plain words, or a regular expression written `/pattern/flags`.
 * A pattern that can backtrack catastrophically is refused when the filter is set, so one admin's
 * typo cannot stall every delivery run (recheck proves exponential and high-degree cases).
 */
import { checkSync } from 'recheck';
import type { Article } from '../articles/model.ts';

export type Filter = (article: Pick<Article, 'title' | 'body'>) => boolean;

export class FilterError extends Error {
  override readonly name = 'FilterError';
}

const REGEX = /^\/(.+)\/([a-z]*)$/su;
const MAX_PATTERN = 300;

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Checks a regular expression filter; throws a FilterError saying what is wrong with it. */
function compileRegex(pattern: string, flags: string): RegExp {
  if (pattern.length > MAX_PATTERN) throw new FilterError(`the pattern is ${pattern.length} characters long; at most ${MAX_PATTERN}`);
  if (/[^imsu]/.test(flags)) throw new FilterError(`unsupported flag in "${flags}": use i, m, s or u`);
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, flags);
  } catch (error) {
    throw new FilterError(`not a valid regular expression: ${(error as Error).message}`);
  }
  const verdict = checkSync(pattern, flags, { timeout: 5000 });
  if (verdict.status === 'unknown') throw new FilterError('the pattern is too complex to check for catastrophic backtracking; simplify it');
  if (verdict.status === 'vulnerable') {
    const c = verdict.complexity;
    // Quadratic patterns (`nato.*treaty`) stay allowed: they run on one paragraph at a time, which keeps them cheap.
    if (c.type === 'exponential' || c.degree > 2) {
      throw new FilterError(`the pattern can backtrack catastrophically (${c.summary}); rewrite it without nested or overlapping repeats`);
    }
  }
  return regex;
}

/**
 * The filter for what an admin typed: null or blank matches everything; `/pattern/flags` is a
 * regular expression tried on the title and on each paragraph; otherwise comma-separated words or
 * phrases, any of which must occur as whole words (case and accents ignored).
 */
export function parseFilter(input: string | null): Filter {
  const text = input?.trim() ?? '';
  if (text === '') return () => true;
  const regex = REGEX.exec(text);
  if (regex) {
    const compiled = compileRegex(regex[1] ?? '', regex[2] ?? '');
    return (a) => compiled.test(a.title) || a.body.some((b) => compiled.test(b.text));
  }
  const phrases = text
    .split(',')
    .map((p) => fold(p).match(/[\p{L}\p{N}]+/gu)?.join(' ') ?? '')
    .filter(Boolean);
  if (phrases.length === 0) throw new FilterError(`"${text}" has no words to match`);
  const patterns = phrases.map((p) => new RegExp(`(?<![\\p{L}\\p{N}])${p.replace(/ /g, '[^\\p{L}\\p{N}]+')}(?![\\p{L}\\p{N}])`, 'u'));
  return (a) => {
    const texts = [a.title, ...a.body.map((b) => b.text)].map(fold);
    return patterns.some((p) => texts.some((t) => p.test(t)));
  };
}
