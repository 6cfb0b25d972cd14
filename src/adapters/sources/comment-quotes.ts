/**
 * Which comment paragraphs repeat an article passage (DESIGN.md, export format rule 6).
 *
 * Commenters quote loosely: they reword a little ("from a political to a military plane" for "from a
 * political plane to a military one"), cut a paragraph short, or quote one sentence of a long
 * paragraph. So a paragraph counts as a quote when most of its word trigrams (shingles) occur in the
 * article: containment, not similarity, because a one-sentence quote of a ten-sentence paragraph
 * is still a quote. Trigrams rather than single words because an ordinary reply shares plenty of
 * words with the article ("NATO", "Russia", "the Alliance") but seldom three in a row.
 */
import type { Block, Comment, CommentQuote } from '../../core/model.ts';
import { HashSet, tokenize, trigramHash, wordHashes } from './words.ts';

export { tokenize } from './words.ts';

export interface QuoteOptions {
  /**
   * Share of the paragraph's word trigrams that must occur in the article.
   * @default 0.5 (in the sample a reworded sentence scores 0.84, ordinary replies at most 0.07)
   */
  readonly threshold?: number;
  /**
   * Paragraphs with fewer words are never quotes: a short "Exactly so." matches by chance.
   * @default 6
   */
  readonly minWords?: number;
}

/** Words per shingle; the loops below spell out the three. */
const SHINGLE = 3;
const DEFAULT_THRESHOLD = 0.5;
const DEFAULT_MIN_WORDS = 6;
/** A reply line starts with a dash, in any of the forms Russian and English texts use. */
const REPLY_LINE = /^[-–—]\s/;

/** A trigram of word numbers as one key: exact while it fits a double, else a string (a vocabulary over 200,000 words). */
function shingleKey(vocabulary: number): (a: number, b: number, c: number) => number | string {
  if (vocabulary ** 3 <= Number.MAX_SAFE_INTEGER) return (a, b, c) => (a * vocabulary + b) * vocabulary + c;
  return (a, b, c) => `${a} ${b} ${c}`;
}

/** The runs of text trigrams are taken from: the attribution is its own, so that no trigram straddles the quote and its attribution. */
function runsOf(body: readonly Block[]): { block: number; text: string }[] {
  return body.flatMap((block, b) =>
    (block.type === 'quote' && block.attribution ? [block.text, block.attribution] : [block.text]).map((text) => ({ block: b, text })),
  );
}

/** The article's words, numbered, and its trigrams, each with the blocks it occurs in (ascending, no repeats). */
interface ExactIndex {
  readonly words: ReadonlyMap<string, number>;
  readonly key: (a: number, b: number, c: number) => number | string;
  readonly blocksByShingle: ReadonlyMap<number | string, readonly number[]>;
}

/**
 * What a comment paragraph is compared with; build once per article (indexArticle). First the
 * hashes of the article's trigrams: a paragraph whose hashed trigrams mostly miss them is no quote,
 * since a trigram the article has always hashes into the set, and that rules out nearly every reply
 * with no word made into a string. Only the few paragraphs left are compared word by word, against
 * the words numbered and their trigrams (one number each, several times faster than string keys),
 * built on first need.
 */
export class QuoteIndex {
  private readonly hashed: HashSet;
  private exactIndex: ExactIndex | null = null;

  constructor(private readonly body: readonly Block[]) {
    const runs = runsOf(body).map((run) => wordHashes(run.text));
    this.hashed = new HashSet(runs.reduce((n, run) => n + run.length, 0));
    for (const h of runs) for (let i = 2; i < h.length; i++) this.hashed.add(trigramHash(h[i - 2] ?? 0, h[i - 1] ?? 0, h[i] ?? 0));
  }

  /** How many of these word hashes' trigrams may occur in the article: at least as many as do. */
  possibleHits(hashes: readonly number[]): number {
    let possible = 0;
    for (let i = 2; i < hashes.length; i++) if (this.hashed.has(trigramHash(hashes[i - 2] ?? 0, hashes[i - 1] ?? 0, hashes[i] ?? 0))) possible++;
    return possible;
  }

  exact(): ExactIndex {
    if (this.exactIndex) return this.exactIndex;
    const words = new Map<string, number>();
    const intern = (word: string): number => {
      let id = words.get(word);
      if (id === undefined) words.set(word, (id = words.size));
      return id;
    };
    const runs = runsOf(this.body).map((run) => ({ block: run.block, ids: tokenize(run.text).map(intern) }));
    const key = shingleKey(words.size);
    const blocksByShingle = new Map<number | string, number[]>();
    for (const { block, ids } of runs) {
      for (let i = 2; i < ids.length; i++) {
        const k = key(ids[i - 2] ?? 0, ids[i - 1] ?? 0, ids[i] ?? 0);
        const blocks = blocksByShingle.get(k);
        if (!blocks) blocksByShingle.set(k, [block]);
        else if (blocks[blocks.length - 1] !== block) blocks.push(block);
      }
    }
    return (this.exactIndex = { words, key, blocksByShingle });
  }
}

export function indexArticle(body: readonly Block[]): QuoteIndex {
  return new QuoteIndex(body);
}

/**
 * The part of a comment paragraph that may be a quote: its lines before the first reply line, since
 * the reply often follows the quote directly ("quote\n- reply"). A paragraph that opens with a reply
 * line is tested whole.
 */
function quotedPart(paragraph: string): string {
  if (!paragraph.includes('\n')) return paragraph;
  const lines = paragraph.split('\n');
  const firstReply = lines.findIndex((l) => REPLY_LINE.test(l.trimStart()));
  return firstReply > 0 ? lines.slice(0, firstReply).join('\n') : paragraph;
}

/** The paragraphs of one comment that quote the article, each linked to the block it shares most trigrams with. */
export function findCommentQuotes(index: QuoteIndex, paragraphs: readonly string[], options: QuoteOptions = {}): CommentQuote[] {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const minWords = options.minWords ?? DEFAULT_MIN_WORDS;
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError(`Expected \`threshold\` to be a number above 0 and up to 1, got \`${threshold}\``);
  const quotes: CommentQuote[] = [];
  paragraphs.forEach((paragraph, p) => {
    const part = quotedPart(paragraph);
    const hashes = wordHashes(part);
    if (hashes.length < Math.max(minWords, SHINGLE)) return;
    const total = hashes.length - (SHINGLE - 1);
    // At least as many as match: when even they fall short, as for nearly every reply, it is no quote.
    const possible = index.possibleHits(hashes);
    if (possible === 0 || possible / total < threshold) return;
    const exact = index.exact();
    // A word the article lacks cannot be part of a matching trigram: -1 never occurs in the index.
    const ids = tokenize(part).map((w) => exact.words.get(w) ?? -1);
    let hits = 0;
    const perBlock = new Map<number, number>();
    for (let i = 2; i < ids.length; i++) {
      const a = ids[i - 2] ?? -1;
      const b = ids[i - 1] ?? -1;
      const c = ids[i] ?? -1;
      const blocks = a < 0 || b < 0 || c < 0 ? undefined : exact.blocksByShingle.get(exact.key(a, b, c));
      if (!blocks) continue;
      hits++;
      for (const block of blocks) perBlock.set(block, (perBlock.get(block) ?? 0) + 1);
    }
    if (hits === 0 || hits / total < threshold) return;
    // Map iteration follows insertion order, not block order, so ties go to the earliest block explicitly.
    let best = -1;
    let bestHits = 0;
    for (const [b, n] of perBlock) {
      if (n > bestHits || (n === bestHits && b < best)) [best, bestHits] = [b, n];
    }
    quotes.push({ paragraph: p, block: best });
  });
  return quotes;
}

/** Comments with `quotes` recomputed against the article body. */
export function linkCommentQuotes(body: readonly Block[], comments: readonly Comment[], options: QuoteOptions = {}): Comment[] {
  // Most articles arrive without comments; indexing a long body for nothing would dominate parsing.
  if (!comments.some((c) => c.paragraphs.length > 0)) return comments.map((c) => ({ ...c, quotes: [] }));
  const index = indexArticle(body);
  return comments.map((c) => ({ ...c, quotes: findCommentQuotes(index, c.paragraphs, options) }));
}
