/**
 * Sparse tf-idf vectors over a set of texts (sentences), with the idf taken from that same set:
 * no outside corpus, so the same article always gives the same numbers.
 */
import { analyze, type Analysis } from './terms.ts';

export type Vector = ReadonlyMap<string, number>;

/** Terms and word counts for many texts. */
export function analyzeAll(texts: readonly string[]): Analysis[] {
  return texts.map((t) => analyze(t));
}

/** Document frequency of each term over the given term lists (a term counts once per list). */
export function documentFrequency(lists: readonly (readonly string[])[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const list of lists) for (const t of new Set(list)) df.set(t, (df.get(t) ?? 0) + 1);
  return df;
}

/** tf-idf with a smoothed idf, log(1 + N/df): a term in every sentence still weighs a little. */
export function tfidf(list: readonly string[], df: ReadonlyMap<string, number>, n: number): Map<string, number> {
  const v = new Map<string, number>();
  for (const t of list) v.set(t, (v.get(t) ?? 0) + 1);
  for (const [t, tf] of v) v.set(t, tf * Math.log(1 + n / (df.get(t) ?? 1)));
  return v;
}

export function norm(v: Vector): number {
  let s = 0;
  for (const x of v.values()) s += x * x;
  return Math.sqrt(s);
}

/** Cosine similarity; pass precomputed norms when comparing the same vectors many times. */
export function cosine(a: Vector, b: Vector, normA = norm(a), normB = norm(b)): number {
  if (normA === 0 || normB === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [t, x] of small) {
    const y = large.get(t);
    if (y !== undefined) dot += x * y;
  }
  return dot / (normA * normB);
}

/** Sum of vectors. */
export function sum(vectors: Iterable<Vector>): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of vectors) for (const [t, x] of v) out.set(t, (out.get(t) ?? 0) + x);
  return out;
}
