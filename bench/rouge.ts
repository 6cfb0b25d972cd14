/**
 * ROUGE as the Python `rouge-score` package computes it (use_stemmer=True), so that our figures can
 * be set beside published ones: lower-case, every run of characters outside [a-z0-9] becomes a
 * space, tokens longer than 3 characters are Porter-stemmed. ROUGE-Lsum is the summary-level
 * union-LCS over sentences given one per line.
 */
import { porterStem } from '../src/core/text/porter.ts';

export interface RougeScore {
  readonly precision: number;
  readonly recall: number;
  readonly f: number;
}

/** Tokens exactly as rouge-score's default tokenizer with stemming produces them. */
export function rougeTokens(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((t) => t.length > 0)
    .map((t) => (t.length > 3 ? porterStem(t) : t));
}

function score(hits: number, predictionCount: number, targetCount: number): RougeScore {
  const precision = predictionCount > 0 ? hits / predictionCount : 0;
  const recall = targetCount > 0 ? hits / targetCount : 0;
  const f = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f };
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** ROUGE-N between a target (reference) and a prediction. */
export function rougeN(target: string, prediction: string, n: number): RougeScore {
  const t = ngramCounts(rougeTokens(target), n);
  const p = ngramCounts(rougeTokens(prediction), n);
  let hits = 0;
  let targetCount = 0;
  let predictionCount = 0;
  for (const [gram, count] of t) {
    hits += Math.min(count, p.get(gram) ?? 0);
    targetCount += count;
  }
  for (const count of p.values()) predictionCount += count;
  // rouge-score divides by max(count, 1); with zero counts the ratio is 0 either way.
  return score(hits, predictionCount, targetCount);
}

function lcsTable(a: readonly string[], b: readonly string[]): Uint32Array {
  const cols = b.length + 1;
  const table = new Uint32Array((a.length + 1) * cols);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      table[i * cols + j] =
        a[i - 1] === b[j - 1] ? (table[(i - 1) * cols + j - 1] ?? 0) + 1 : Math.max(table[(i - 1) * cols + j] ?? 0, table[i * cols + j - 1] ?? 0);
    }
  }
  return table;
}

/** Indices into `ref` of one longest common subsequence, backtracked the way rouge-score does it. */
function lcsIndices(ref: readonly string[], can: readonly string[]): number[] {
  const cols = can.length + 1;
  const t = lcsTable(ref, can);
  const out: number[] = [];
  let i = ref.length;
  let j = can.length;
  while (i > 0 && j > 0) {
    if (ref[i - 1] === can[j - 1]) {
      out.push(i - 1);
      i--;
      j--;
    } else if ((t[i * cols + j - 1] ?? 0) > (t[(i - 1) * cols + j] ?? 0)) {
      j--;
    } else {
      i--;
    }
  }
  return out.reverse();
}

function lines(text: string): string[] {
  return text.split('\n').filter((s) => s.length > 0);
}

function countTokens(sentences: readonly string[][]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of sentences) for (const t of s) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/**
 * Summary-level ROUGE-L ("rougeLsum"): for each target sentence, the union of its LCS with every
 * prediction sentence; a token is counted at most as often as it occurs on both sides.
 */
export function rougeLsum(target: string, prediction: string): RougeScore {
  const ref = lines(target).map(rougeTokens);
  const can = lines(prediction).map(rougeTokens);
  const m = ref.reduce((sum, s) => sum + s.length, 0);
  const n = can.reduce((sum, s) => sum + s.length, 0);
  if (m === 0 || n === 0) return { precision: 0, recall: 0, f: 0 };
  const leftRef = countTokens(ref);
  const leftCan = countTokens(can);
  let hits = 0;
  for (const r of ref) {
    const union = new Set<number>();
    for (const c of can) for (const i of lcsIndices(r, c)) union.add(i);
    for (const i of [...union].sort((a, b) => a - b)) {
      const token = r[i] ?? '';
      const inCan = leftCan.get(token) ?? 0;
      const inRef = leftRef.get(token) ?? 0;
      if (inCan > 0 && inRef > 0) {
        hits++;
        leftCan.set(token, inCan - 1);
        leftRef.set(token, inRef - 1);
      }
    }
  }
  return score(hits, n, m);
}

export interface RougeTriple {
  readonly rouge1: number;
  readonly rouge2: number;
  readonly rougeLsum: number;
}

/** F1 of ROUGE-1, ROUGE-2 and ROUGE-Lsum; sentences are separated by newlines on both sides. */
export function rougeF(target: string, prediction: string): RougeTriple {
  return {
    rouge1: rougeN(target, prediction, 1).f,
    rouge2: rougeN(target, prediction, 2).f,
    rougeLsum: rougeLsum(target, prediction).f,
  };
}
