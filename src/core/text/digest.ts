/**
 * A digest of an article's reader discussion: how many, when, how rated, which comments stand out,
 * which article passages readers quoted, and what they said, in their own verbatim sentences.
 */
import type { Article, Comment } from '../model.ts';
import { hasNumber, quoteFraction } from './features.ts';
import { PRIOR_FLOOR, selectSentences, type Candidate } from './select.ts';
import { splitSentences } from './sentences.ts';
import { analyzeAll, cosine, documentFrequency, norm, sum, tfidf } from './vectors.ts';
import { type ArguedPassage, type Subthread, arguedPassages, liveliestSubthreads } from './digest-tree.ts';

export type { ArguedPassage, Subthread } from './digest-tree.ts';

/** With more distinct rating values than this, the histogram uses equal-width buckets. */
const MAX_VALUE_BINS = 12;
const BUCKETS = 10;
/** A comment paragraph this long or longer that occurs in the article is the article's words. */
const MIN_QUOTE_CHARS = 40;

export interface DigestOptions {
  /** How many top-rated comments to list. Default 3. */
  readonly top?: number;
  /** How many quoted passages to list. Default 3. */
  readonly passages?: number;
  /** How many of the liveliest subthreads to list. Default 3. */
  readonly threads?: number;
  /** Most sentences in the discussion summary. Default 3. */
  readonly sentences?: number;
  /** Character budget of the summary sentences. Default 1,024 (one Discord embed field). */
  readonly maxChars?: number;
}

/** One histogram bar: ratings from `from` to `to` inclusive (equal when binned by value). */
export interface RatingBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
}

export interface RatingStats {
  /** Comments that have a rating. */
  readonly rated: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  readonly histogram: RatingBin[];
}

export interface CommentRef {
  readonly id: string;
  readonly number: number | null;
  readonly author: string | null;
  readonly postedAt: string | null;
  readonly rating: number | null;
}

export interface QuotedPassage {
  /** Index into `article.body`. */
  readonly block: number;
  readonly text: string;
  /** How many comments quote it. */
  readonly comments: number;
}

export interface DiscussionSentence {
  /** Verbatim: `comment.paragraphs[paragraph].slice(start, end)`. */
  readonly text: string;
  readonly comment: CommentRef;
  readonly paragraph: number;
  readonly start: number;
  readonly end: number;
}

export interface DiscussionDigest {
  readonly count: number;
  /** Earliest and latest `postedAt` among comments that have one. */
  readonly firstAt: string | null;
  readonly lastAt: string | null;
  readonly ratings: RatingStats;
  /** Highest rated first; equal ratings, earlier comment first. Unrated comments are not listed. */
  readonly top: CommentRef[];
  /** Most quoted first; equal counts, earlier passage first. */
  readonly quoted: QuotedPassage[];
  /** Top-level subthreads with replies, liveliest (replies plus distinct authors) first. */
  readonly liveliest: Subthread[];
  /** Quoted passages by quotes plus the replies under the quoting comments, most argued first. */
  readonly argued: ArguedPassage[];
  /** In discussion order. */
  readonly summary: DiscussionSentence[];
}

function refOf(c: Comment): CommentRef {
  return { id: c.id, number: c.number, author: c.author, postedAt: c.postedAt, rating: c.rating };
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`digest: expected \`${name}\` to be an integer from 0 up, got \`${String(value)}\``);
  return v;
}

/** Milliseconds for ordering; local times without an offset order correctly among themselves. */
function timeOf(c: Comment): number {
  const t = c.postedAt === null ? NaN : Date.parse(c.postedAt);
  return Number.isNaN(t) ? Infinity : t;
}

function ratingStats(comments: readonly Comment[]): RatingStats {
  const values = comments.flatMap((c) => (c.rating === null ? [] : [c.rating]));
  if (values.length === 0) return { rated: 0, min: null, max: null, mean: null, histogram: [] };
  const min = Math.min(...values);
  const max = Math.max(...values);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  let histogram: RatingBin[];
  if (distinct.length <= MAX_VALUE_BINS) {
    histogram = distinct.map((v) => ({ from: v, to: v, count: values.filter((x) => x === v).length }));
  } else {
    const width = Math.ceil((max - min + 1) / BUCKETS);
    histogram = [];
    for (let from = min; from <= max; from += width) {
      const to = from + width - 1;
      histogram.push({ from, to, count: values.filter((x) => x >= from && x <= to).length });
    }
  }
  return { rated: values.length, min, max, mean, histogram };
}

function topComments(comments: readonly Comment[], n: number): CommentRef[] {
  return comments
    .map((c, index) => ({ c, index }))
    .filter(({ c }) => c.rating !== null)
    .sort((a, b) => (b.c.rating ?? 0) - (a.c.rating ?? 0) || timeOf(a.c) - timeOf(b.c) || a.index - b.index)
    .slice(0, n)
    .map(({ c }) => refOf(c));
}

function quotedPassages(article: Pick<Article, 'body' | 'comments'>, n: number): QuotedPassage[] {
  const byBlock = new Map<number, Set<string>>();
  for (const c of article.comments) {
    for (const q of c.quotes) {
      if (!article.body[q.block]) continue;
      const set = byBlock.get(q.block) ?? new Set<string>();
      set.add(c.id);
      byBlock.set(q.block, set);
    }
  }
  return [...byBlock]
    .map(([block, ids]) => ({ block, text: article.body[block]?.text ?? '', comments: ids.size }))
    .sort((a, b) => b.comments - a.comments || a.block - b.block)
    .slice(0, n);
}

const squash = (s: string): string => s.replace(/\s+/gu, ' ').trim().toLowerCase();

/**
 * The comment paragraphs that are the commenter's own words: not those marked as quotes, nor
 * long ones found verbatim in the article (a quote the parser did not mark).
 */
function ownParagraphs(c: Comment, articleText: string): number[] {
  const marked = new Set(c.quotes.map((q) => q.paragraph));
  return c.paragraphs.flatMap((p, i) => {
    if (marked.has(i) || p.trim().length === 0) return [];
    const s = squash(p);
    return s.length >= MIN_QUOTE_CHARS && articleText.includes(s) ? [] : [i];
  });
}

interface Found {
  readonly text: string;
  readonly comment: Comment;
  readonly paragraph: number;
  readonly start: number;
  readonly end: number;
}

function discussionSummary(article: Pick<Article, 'title' | 'body' | 'comments'>, sentences: number, maxChars: number): DiscussionSentence[] {
  if (sentences === 0) return [];
  const articleText = squash(article.body.map((b) => b.text).join('\n'));
  const found: Found[] = [];
  for (const c of article.comments) {
    for (const p of ownParagraphs(c, articleText)) {
      for (const s of splitSentences(c.paragraphs[p] ?? '')) found.push({ ...s, comment: c, paragraph: p });
    }
  }
  if (found.length === 0) return [];
  const analyses = analyzeAll([...found.map((f) => f.text), article.title]);
  const lists = analyses.slice(0, found.length).map((a) => a.terms);
  const df = documentFrequency(lists);
  const vectors = lists.map((l) => tfidf(l, df, found.length));
  // What the discussion is about: its own centroid, steered by the article's title.
  const anchor = sum([...vectors, tfidf(analyses[found.length]?.terms ?? [], df, found.length)]);
  const anchorNorm = norm(anchor);
  const ratings = article.comments.flatMap((c) => (c.rating === null ? [] : [c.rating]));
  const lo = Math.min(...ratings);
  const hi = Math.max(...ratings);
  // Readers' ratings replace the position prior: a well-rated comment is what the readers endorsed.
  const prior = (c: Comment): number => (c.rating === null || hi === lo ? PRIOR_FLOOR + 0.5 : PRIOR_FLOOR + (c.rating - lo) / (hi - lo));
  const candidates: Candidate[] = found.map((f, i) => {
    const vector = vectors[i] ?? new Map<string, number>();
    return {
      text: f.text,
      words: analyses[i]?.words ?? 0,
      vector,
      prior: prior(f.comment),
      anchor: cosine(vector, anchor, undefined, anchorNorm),
      quoted: quoteFraction(f.text),
      number: hasNumber(f.text),
    };
  });
  return selectSentences(candidates, { sentences, maxChars }).flatMap((i) => {
    const f = found[i];
    return f ? [{ text: f.text, comment: refOf(f.comment), paragraph: f.paragraph, start: f.start, end: f.end }] : [];
  });
}

/**
 * Digests an article's discussion. Counts, times and ratings cover every comment; the summary
 * quotes commenters verbatim (never the article passages they quoted), each sentence with its comment.
 *
 * @example digest(article, { top: 5 }).top[0]?.rating
 */
export function digest(article: Pick<Article, 'title' | 'body' | 'comments'>, opts?: DigestOptions): DiscussionDigest {
  const top = positive('top', opts?.top, 3);
  const passages = positive('passages', opts?.passages, 3);
  const threads = positive('threads', opts?.threads, 3);
  const sentences = positive('sentences', opts?.sentences, 3);
  const maxChars = positive('maxChars', opts?.maxChars, 1024);
  const dated = article.comments
    .map((c, index) => ({ c, index }))
    .filter(({ c }) => timeOf(c) !== Infinity)
    .sort((a, b) => timeOf(a.c) - timeOf(b.c) || a.index - b.index);
  return {
    count: article.comments.length,
    firstAt: dated[0]?.c.postedAt ?? null,
    lastAt: dated[dated.length - 1]?.c.postedAt ?? null,
    ratings: ratingStats(article.comments),
    top: topComments(article.comments, top),
    quoted: quotedPassages(article, passages),
    liveliest: liveliestSubthreads(article.comments, threads),
    argued: arguedPassages(article, passages),
    summary: discussionSummary(article, sentences, maxChars),
  };
}
