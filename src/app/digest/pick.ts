/**
 * What a digest says about each article, all verbatim: one or two sentences of its own text (an
 * extractive summary), and the passage its readers quoted most (comments point at the body blocks
 * they repeat). Nothing is rephrased, so everything shown can be traced back to the article.
 */
import type { Article } from '../../core/model.ts';
import { summarize } from '../../core/text/summarize.ts';

/** Sentences a digest shows of an article at most. */
export const SUMMARY_SENTENCES = 2;
/** Characters those sentences may take together: a few lines, so ten articles fit one message. */
export const SUMMARY_CHARS = 600;

/** The summary's sentences, verbatim, in the article's order; none when the article has no prose. */
export function digestSummary(article: Pick<Article, 'title' | 'body'>): string[] {
  return summarize(article, { sentences: SUMMARY_SENTENCES, maxChars: SUMMARY_CHARS }).map((s) => s.text);
}

export interface QuotedPassage {
  /** The block's text, verbatim. */
  readonly text: string;
  /** Index into the article's body. */
  readonly block: number;
  /** How many comments quote it (each comment counted once however often it repeats it). */
  readonly quotedBy: number;
  /** When the block is itself a quotation in the article, its attribution line as the article gives it. */
  readonly attribution: string | null;
}

/**
 * The body block most comments quote, or null when no comment quotes the article. Of blocks quoted
 * equally often, the first in the article. Deleted comments and quotes pointing past the body (a
 * body shortened since) do not count.
 */
export function mostQuoted(article: Pick<Article, 'body' | 'comments'>): QuotedPassage | null {
  const counts = new Map<number, number>();
  for (const c of article.comments) {
    if (c.deleted === true) continue;
    for (const block of new Set(c.quotes.map((q) => q.block))) {
      if (block < article.body.length) counts.set(block, (counts.get(block) ?? 0) + 1);
    }
  }
  let best: { block: number; count: number } | null = null;
  for (const [block, count] of counts) {
    if (!best || count > best.count || (count === best.count && block < best.block)) best = { block, count };
  }
  const chosen = best && article.body[best.block];
  if (!best || !chosen) return null;
  return { text: chosen.text, block: best.block, quotedBy: best.count, attribution: chosen.type === 'quote' ? chosen.attribution : null };
}
