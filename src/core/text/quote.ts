/**
 * Finds a quotable passage: one sentence, or a short run of up to three, verbatim from the article
 * or from its comments, with everything needed to attribute it. It never assembles text from
 * different places and never returns a passage that does not match the topic.
 */
import type { Article, Comment } from '../model.ts';
import { hasNumber, quoteFraction } from './features.ts';
import { splitSentences } from './sentences.ts';
import { analyze } from './terms.ts';
import { analyzeAll, cosine, documentFrequency, norm, sum, tfidf, type Vector } from './vectors.ts';

const MAX_RUN_SENTENCES = 3;
const MAX_RUN_CHARS = 600;
/** A fuzzy (shared-prefix) match of a topic term counts this much of an exact one. */
const FUZZY_MATCH = 0.75;
const MIN_SHARED_PREFIX = 5;
/** How much centrality adds to topic relevance: it breaks ties between equally relevant passages. */
const CENTRALITY_WEIGHT = 0.3;
/** Sentences this short rarely stand alone as a quote. */
const MIN_WORDS = 6;
const COMMENT_QUOTE_MIN_CHARS = 40;

export interface QuoteOptions {
  /** Topic words; without them, a notable passage is chosen. @example 'NATO expansion' */
  readonly about?: string;
  /** Where to look. Default 'article'. */
  readonly from?: 'article' | 'comments';
  /** With `from: 'comments'`, only this comment (its id): to quote a comment someone picked. */
  readonly comment?: string;
}

export interface ArticleQuoteSource {
  readonly kind: 'article';
  readonly title: string;
  /** The nearest heading before the block, or null. */
  readonly section: string | null;
  /** Index into `article.body`. */
  readonly block: number;
  readonly start: number;
  readonly end: number;
}

export interface CommentQuoteSource {
  readonly kind: 'comment';
  readonly commentId: string;
  readonly number: number | null;
  readonly author: string | null;
  readonly postedAt: string | null;
  readonly rating: number | null;
  /** Where the comment can be read at its source, when it says (imported comments); absent otherwise. */
  readonly url?: string;
  /** Index into the comment's paragraphs. */
  readonly paragraph: number;
  readonly start: number;
  readonly end: number;
}

export interface Quote {
  /** Verbatim: the source paragraph's text from `start` to `end`. */
  readonly text: string;
  /** How many sentences the passage spans (1 to 3). */
  readonly sentences: number;
  readonly source: ArticleQuoteSource | CommentQuoteSource;
}

interface Unit {
  readonly passage: number;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

interface Passage {
  readonly text: string;
  readonly block: number;
  readonly section: string | null;
  readonly comment: Comment | null;
}

function articlePassages(article: Pick<Article, 'body'>): Passage[] {
  const out: Passage[] = [];
  let section: string | null = null;
  article.body.forEach((b, block) => {
    if (b.type === 'heading') section = b.text;
    else out.push({ text: b.text, block, section, comment: null });
  });
  return out;
}

const flatten = (text: string): string => text.replace(/\s+/gu, ' ').trim();

/**
 * Commenters' own paragraphs. A paragraph repeating the article is the article's words, and one
 * repeating the comment it answers is that commenter's (a Reddit or forum reply quotes its parent,
 * often as a markdown `>` quote): quoting either under this commenter's name would misattribute it.
 * Deleted comments have no words left to quote.
 */
function commentPassages(article: Pick<Article, 'body' | 'comments'>, only?: string): Passage[] {
  const body = flatten(article.body.map((b) => b.text).join('\n'));
  const byId = new Map(article.comments.map((c) => [c.id, c]));
  const parentText = new Map<string, string>();
  const parentOf = (c: Comment): string => {
    const parent = c.replyTo === null ? undefined : byId.get(c.replyTo);
    if (!parent) return '';
    let text = parentText.get(parent.id);
    if (text === undefined) parentText.set(parent.id, (text = flatten(parent.paragraphs.join('\n'))));
    return text;
  };
  return article.comments.flatMap((c) => {
    if (c.deleted || (only !== undefined && c.id !== only)) return [];
    const marked = new Set(c.quotes.map((q) => q.paragraph));
    return c.paragraphs.flatMap((text, block) => {
      const flat = flatten(text);
      if (marked.has(block) || flat.length === 0) return [];
      // A markdown quote is someone else's words, whoever they are.
      if (flat.startsWith('>') || flat.startsWith('&gt;')) return [];
      if (flat.length >= COMMENT_QUOTE_MIN_CHARS && body.includes(flat)) return [];
      if (flat.length >= COMMENT_QUOTE_MIN_CHARS && parentOf(c).includes(flat)) return [];
      return [{ text, block, section: null, comment: c }];
    });
  });
}

function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** How well a sentence's terms cover the topic terms (0 to 1), each topic term weighted by rarity. */
function relevance(topic: readonly string[], weights: readonly number[], sentence: ReadonlySet<string>): number {
  let got = 0;
  let total = 0;
  topic.forEach((t, k) => {
    const w = weights[k] ?? 1;
    total += w;
    if (sentence.has(t)) {
      got += w;
      return;
    }
    // "expanding" (expand) and "expansion" (expans): Porter keeps them apart, a shared prefix does not.
    for (const s of sentence) {
      const shared = sharedPrefix(t, s);
      if (shared >= MIN_SHARED_PREFIX && shared >= Math.min(t.length, s.length) - 1) {
        got += FUZZY_MATCH * w;
        return;
      }
    }
  });
  return total > 0 ? got / total : 0;
}

/** Extends the best sentence to a short run when its neighbours in the same paragraph belong to it. */
function run(units: readonly Unit[], best: number, related: (i: number) => boolean): [number, number] {
  let first = best;
  let last = best;
  const unit = (i: number): Unit | undefined => units[i];
  const length = (): number => (unit(last)?.end ?? 0) - (unit(first)?.start ?? 0);
  const samePassage = (i: number): boolean => unit(i)?.passage === unit(best)?.passage;
  // A sentence opening with a reference back ("This", "He", "But") needs the one before it.
  const leansBack = /^(this|that|these|those|it|he|she|they|but|and|so|however|such)\b/iu.test(unit(best)?.text ?? '');
  if (leansBack && samePassage(best - 1) && last - best + 2 <= MAX_RUN_SENTENCES) first = best - 1;
  while (
    last - first + 1 < MAX_RUN_SENTENCES &&
    samePassage(last + 1) &&
    related(last + 1) &&
    (unit(last + 1)?.end ?? 0) - (unit(first)?.start ?? 0) <= MAX_RUN_CHARS
  ) {
    last++;
  }
  if (length() > MAX_RUN_CHARS) return [best, best];
  return [first, last];
}

/**
 * The best verbatim passage on a topic, from the article or its comments, with its source.
 * With `about`, passages are ranked by how well they cover the topic words (light stemming:
 * "expanding" finds "expansion") and then by centrality; null when nothing matches. Without it,
 * a notable passage that is not simply the opening sentence. Deterministic.
 *
 * @example findQuote(article, { about: 'NATO expansion' })?.source
 */
export function findQuote(article: Pick<Article, 'title' | 'body' | 'comments'>, opts?: QuoteOptions): Quote | null {
  const from = opts?.from ?? 'article';
  const passages = from === 'comments' ? commentPassages(article, opts?.comment) : articlePassages(article);
  const units: Unit[] = passages.flatMap((p, passage) => splitSentences(p.text).map((s) => ({ ...s, passage })));
  if (units.length === 0) return null;
  const analyses = analyzeAll(units.map((u) => u.text));
  const lists = analyses.map((a) => a.terms);
  const df = documentFrequency(lists);
  const vectors: Vector[] = lists.map((l) => tfidf(l, df, units.length));
  const centroid = sum(vectors);
  const centroidNorm = norm(centroid);
  const centrality = vectors.map((v) => cosine(v, centroid, undefined, centroidNorm));
  const topic = [...new Set(analyze(opts?.about ?? '').terms)];
  const sets = lists.map((l) => new Set(l));
  const idf = topic.map((t) => Math.log(1 + units.length / (df.get(t) ?? 1)));
  const ratings = article.comments.flatMap((c) => (c.rating === null ? [] : [c.rating]));
  const top = Math.max(0, ...ratings);
  const score = units.map((u, i) => {
    const words = analyses[i]?.words ?? 0;
    const brevity = words < MIN_WORDS ? 0.5 : 1;
    const central = centrality[i] ?? 0;
    if (topic.length > 0) {
      const rel = relevance(topic, idf, sets[i] ?? new Set());
      return rel > 0 ? (rel + CENTRALITY_WEIGHT * central) * brevity : 0;
    }
    // No topic: central and specific, a voice (quoted speech) welcome, the opening sentence excluded.
    if (from === 'article' && i === 0) return 0;
    const comment = passages[u.passage]?.comment;
    const endorsed = comment?.rating != null && top > 0 ? (0.2 * Math.max(0, comment.rating)) / top : 0;
    return (central + 0.1 * quoteFraction(u.text) + (hasNumber(u.text) ? 0.05 : 0) + endorsed) * brevity;
  });
  let best = -1;
  score.forEach((s, i) => {
    if (s > 0 && (best < 0 || s > (score[best] ?? 0))) best = i;
  });
  if (best < 0) return null;
  const related = (i: number): boolean => topic.length > 0 && relevance(topic, idf, sets[i] ?? new Set()) > 0;
  const [first, last] = run(units, best, related);
  const a = units[first];
  const b = units[last];
  const passage = a ? passages[a.passage] : undefined;
  if (!a || !b || !passage) return null;
  const text = passage.text.slice(a.start, b.end);
  const comment = passage.comment;
  const source: ArticleQuoteSource | CommentQuoteSource = comment
    ? {
        kind: 'comment',
        commentId: comment.id,
        number: comment.number,
        author: comment.author,
        postedAt: comment.postedAt,
        rating: comment.rating,
        ...(comment.url ? { url: comment.url } : {}),
        paragraph: passage.block,
        start: a.start,
        end: b.end,
      }
    : { kind: 'article', title: article.title, section: passage.section, block: passage.block, start: a.start, end: b.end };
  return { text, sentences: last - first + 1, source };
}
