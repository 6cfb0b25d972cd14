/**
 * Extractive summaries: verbatim sentences of the article, in their original order, each with
 * where it came from. Nothing is rephrased, so a summary can always be quoted and attributed.
 */
import type { Article } from '../model.ts';
import { hasNumber, isFurniture, quoteFraction } from './features.ts';
import { positionPrior, selectSentences, type Candidate } from './select.ts';
import { splitSentences } from './sentences.ts';
import { analyzeAll, documentFrequency, tfidf, type Vector } from './vectors.ts';

/** Discord's limit for an embed description: the default budget, so a summary fits one embed. */
export const DEFAULT_MAX_CHARS = 4096;
export const DEFAULT_SENTENCES = 5;
/** The title and this many opening sentences are what a sentence is compared with for "on topic". */
const LEAD_SENTENCES = 3;

export interface SummaryOptions {
  /** Most sentences to return. Default 5, or unlimited when only `maxChars` is given. @example 3 */
  readonly sentences?: number;
  /**
   * Character budget for the sentences joined with one separator each. Default 4,096 (one
   * Discord embed description). A sentence longer than the budget is never cut; it is skipped.
   */
  readonly maxChars?: number;
}

export interface SummarySentence {
  /** Verbatim: `article.body[block].text.slice(start, end)`. */
  readonly text: string;
  /** Index into `article.body`. */
  readonly block: number;
  /** The nearest heading before the block, or null. */
  readonly section: string | null;
  readonly start: number;
  readonly end: number;
}

export interface TextSentence {
  readonly text: string;
  /** Index into the paragraphs passed in. */
  readonly paragraph: number;
  readonly start: number;
  readonly end: number;
}

interface Passage {
  readonly text: string;
  /** The whole passage is a quotation (a quote block). */
  readonly quotation: boolean;
}

function limitsOf(opts: SummaryOptions | undefined): { sentences: number; maxChars: number } {
  const sentences = opts?.sentences ?? (opts?.maxChars !== undefined ? Infinity : DEFAULT_SENTENCES);
  const maxChars = opts?.maxChars ?? DEFAULT_MAX_CHARS;
  if (sentences !== Infinity && (!Number.isInteger(sentences) || sentences < 1)) {
    throw new RangeError(`summarize: expected \`sentences\` to be an integer from 1 up, got \`${String(opts?.sentences)}\``);
  }
  if (!Number.isInteger(maxChars) || maxChars < 1) {
    throw new RangeError(`summarize: expected \`maxChars\` to be an integer from 1 up, got \`${String(opts?.maxChars)}\``);
  }
  return { sentences, maxChars };
}

/** cos(v, A - v) from dot products, so the lead can be compared with its own sentences fairly. */
function cosineWithout(v: Vector, anchor: Vector, anchorNormSq: number, includesSelf: boolean): number {
  let dot = 0;
  let selfSq = 0;
  for (const [t, x] of v) {
    selfSq += x * x;
    dot += x * (anchor.get(t) ?? 0);
  }
  if (includesSelf) {
    const restSq = anchorNormSq - 2 * dot + selfSq;
    dot -= selfSq;
    return selfSq > 0 && restSq > 1e-12 ? dot / Math.sqrt(selfSq * restSq) : 0;
  }
  return selfSq > 0 && anchorNormSq > 0 ? dot / Math.sqrt(selfSq * anchorNormSq) : 0;
}

function rank(passages: readonly Passage[], title: string | undefined, opts: SummaryOptions | undefined): TextSentence[] {
  const limits = limitsOf(opts);
  const found: TextSentence[] = [];
  const quotation: boolean[] = [];
  passages.forEach((p, paragraph) => {
    for (const s of splitSentences(p.text)) {
      found.push({ text: s.text, paragraph, start: s.start, end: s.end });
      quotation.push(p.quotation);
    }
  });
  if (found.length === 0) return [];
  // Page furniture (bylines, timestamps, "Scroll down for video" and the caption glued to it) is
  // neither a candidate nor a place in the reading order, so the lead is the first sentences of
  // reporting wherever the furniture sits. Only a text with nothing else is summarised from it.
  let kept = found.flatMap((s, i) => (isFurniture(s.text) ? [] : [i]));
  if (kept.length === 0) kept = found.map((_, i) => i);
  const n = kept.length;
  const analyses = analyzeAll([...kept.map((i) => found[i]?.text ?? ''), title ?? '']);
  const sentenceLists = analyses.slice(0, n).map((a) => a.terms);
  const df = documentFrequency(sentenceLists);
  const vectors = sentenceLists.map((l) => tfidf(l, df, n));
  const anchor = new Map<string, number>();
  for (const v of [tfidf(analyses[n]?.terms ?? [], df, n), ...vectors.slice(0, LEAD_SENTENCES)]) {
    for (const [t, x] of v) anchor.set(t, (anchor.get(t) ?? 0) + x);
  }
  let anchorNormSq = 0;
  for (const x of anchor.values()) anchorNormSq += x * x;
  const candidates: Candidate[] = kept.map((index, k) => {
    const text = found[index]?.text ?? '';
    const vector = vectors[k] ?? new Map<string, number>();
    return {
      text,
      words: analyses[k]?.words ?? 0,
      vector,
      prior: positionPrior(k),
      anchor: cosineWithout(vector, anchor, anchorNormSq, k < LEAD_SENTENCES),
      quoted: quotation[index] ? 1 : quoteFraction(text),
      number: hasNumber(text),
    };
  });
  return selectSentences(candidates, limits).flatMap((k) => found[kept[k] ?? -1] ?? []);
}

/**
 * Summarizes plain paragraphs (a comment thread, a feed item): the lower-level form of
 * {@link summarize}. `title`, when given, steers what counts as on topic.
 *
 * @example summarizeText(['First paragraph. More.', 'Second.'], 'A title', { sentences: 2 })
 */
export function summarizeText(paragraphs: readonly string[], title?: string, opts?: SummaryOptions): TextSentence[] {
  return rank(
    paragraphs.map((text) => ({ text, quotation: false })),
    title,
    opts,
  );
}

/**
 * An extractive summary of an article: verbatim sentences from its paragraphs and quotations,
 * in original order, each with its block index, section heading and offsets. Deterministic.
 * Headings are never part of a summary.
 *
 * @example summarize(article, { sentences: 3 })
 */
export function summarize(article: Pick<Article, 'title' | 'body'>, opts?: SummaryOptions): SummarySentence[] {
  const passages: Passage[] = [];
  const blockOf: number[] = [];
  const sectionOf: (string | null)[] = [];
  let section: string | null = null;
  article.body.forEach((block, index) => {
    if (block.type === 'heading') {
      section = block.text;
      return;
    }
    passages.push({ text: block.text, quotation: block.type === 'quote' });
    blockOf.push(index);
    sectionOf.push(section);
  });
  return rank(passages, article.title, opts).map((s) => ({
    text: s.text,
    block: blockOf[s.paragraph] ?? 0,
    section: sectionOf[s.paragraph] ?? null,
    start: s.start,
    end: s.end,
  }));
}
