/**
 * The sentence selection model shared by the summarizer and the discussion digest.
 *
 * Each candidate gets a per-word value h, an estimate of how much of it a reader's summary would
 * keep; the selection maximises the expected overlap per length,
 *
 *     sum(h_i * words_i * (1 - REDUNDANCY * maxSim_i)) / (sum(words_i) + EXPECTED_SUMMARY_WORDS)
 *
 * which is ROUGE-F1-shaped: a long sentence must earn its length, a short precise one is cheap.
 * The value h is a smooth position prior plus small, interpretable corrections:
 *
 *     h = PRIOR_FLOOR + exp(-position / PRIOR_DECAY)      where the text sits (news front-loads)
 *       + ANCHOR_WEIGHT * cos(sentence, anchor)           shares the title/lead's (or topic's) terms
 *       + NUMBER_WEIGHT * [states a number]               specific facts
 *       - QUOTE_WEIGHT * quotedShare                      direct speech is colour, not summary
 *       - LONG_WEIGHT * ramp(words, 45 -> 70)             run-on and caption-glued "sentences"
 *       - SHORT_WEIGHT * ramp(words, 8 -> 3)              fragments
 *
 * Two guards keep larger selections sensible: a near-duplicate of a chosen sentence is skipped, and
 * a sentence worth almost nothing per word is never used to fill the count.
 *
 * Parameters were set on 100 CNN/DailyMail articles and checked on both halves (bench/eval-summaries.ts);
 * they are kept round and on a plateau: moving any one of them by a quarter either way still beats
 * Lead-3 on and R-Lsum on each half, and against the set's crowd-written summaries too.
 * Retuning them on one half did not carry over to the other, so they are not tuned further.
 */
import { cosine, norm, type Vector } from './vectors.ts';

export const PRIOR_FLOOR = 0.15;
export const PRIOR_DECAY = 2.75;
export const ANCHOR_WEIGHT = 0.5;
export const NUMBER_WEIGHT = 0.1;
export const QUOTE_WEIGHT = 0.1;
export const LONG_WEIGHT = 0.4;
/**
 * Ordinary news sentences run to 40 words and more; the penalty is for run-ons, mostly a photo
 * caption glued to the next sentence (captions have no full stop), so it starts late.
 */
export const LONG_FROM_WORDS = 45;
export const LONG_FULL_WORDS = 70;
/** Fragments ("Or vice versa?") carry little on their own; the penalty fades out by SHORT_FROM_WORDS. */
export const SHORT_WEIGHT = 0.15;
export const SHORT_FROM_WORDS = 8;
export const SHORT_FULL_WORDS = 3;
/** The length of summary the objective expects, in words; smaller favours shorter sentences. */
export const EXPECTED_SUMMARY_WORDS = 22;
/** How much similarity to an already chosen sentence discounts a candidate (maximal marginal relevance). */
export const REDUNDANCY = 0.3;
/** A candidate this similar to a chosen sentence says the same thing again and is skipped. */
export const DUPLICATE_SIMILARITY = 0.9;
/** A sentence valued below this per word is never chosen, even when fewer sentences result. */
export const MIN_VALUE = 0.05;
/** Only this many best candidates take part in the greedy selection, which keeps long texts linear. */
export const MAX_CANDIDATES = 300;

export interface Candidate {
  /** The sentence text, verbatim. */
  readonly text: string;
  readonly words: number;
  readonly vector: Vector;
  /** The prior term of h, normally `positionPrior(index)`. */
  readonly prior: number;
  /** Cosine with the anchor (title and lead, or the discussion centroid). */
  readonly anchor: number;
  readonly quoted: number;
  readonly number: boolean;
}

export interface SelectLimits {
  /** Most sentences to pick. */
  readonly sentences: number;
  /** Character budget: the texts' lengths plus one separator between each two. */
  readonly maxChars: number;
}

/** The position prior for the sentence at `index` (0-based) in reading order. */
export function positionPrior(index: number): number {
  return PRIOR_FLOOR + Math.exp(-index / PRIOR_DECAY);
}

/** The per-word value h of a candidate. */
export function value(c: Candidate): number {
  const ramp = (x: number, from: number, full: number): number => Math.min(1, Math.max(0, (x - from) / (full - from)));
  const long = ramp(c.words, LONG_FROM_WORDS, LONG_FULL_WORDS);
  const short = ramp(c.words, SHORT_FROM_WORDS, SHORT_FULL_WORDS);
  const h = c.prior + ANCHOR_WEIGHT * c.anchor + (c.number ? NUMBER_WEIGHT : 0) - QUOTE_WEIGHT * c.quoted - LONG_WEIGHT * long - SHORT_WEIGHT * short;
  return Math.max(0, h);
}

/**
 * Picks sentences by the expected-overlap objective, greedily, with redundancy control.
 * Returns indices into `candidates` in ascending (reading) order. Ties go to the earlier sentence,
 * so the result is deterministic.
 */
export function selectSentences(candidates: readonly Candidate[], limits: SelectLimits): number[] {
  const gains = candidates.map((c) => value(c) * c.words);
  // Rank by stand-alone objective and keep the best few: a sentence that is poor alone is rarely
  // chosen later, and this bounds the work on book-length texts.
  const pool = candidates
    .map((c, i) => ({ i, alone: (gains[i] ?? 0) / (c.words + EXPECTED_SUMMARY_WORDS) }))
    .filter(({ i }) => (candidates[i]?.words ?? 0) > 0 && (gains[i] ?? 0) >= MIN_VALUE * (candidates[i]?.words ?? 0))
    .sort((a, b) => b.alone - a.alone || a.i - b.i)
    .slice(0, MAX_CANDIDATES)
    .map(({ i }) => i);
  const norms = new Map(pool.map((i) => [i, norm(candidates[i]?.vector ?? new Map())]));
  const maxSim = new Map(pool.map((i) => [i, 0]));
  const chosen: number[] = [];
  const taken = new Set<number>();
  let gain = 0;
  let words = 0;
  let chars = 0;
  while (chosen.length < limits.sentences) {
    let best = -1;
    let bestScore = -Infinity;
    let bestGain = 0;
    for (const i of pool) {
      const c = candidates[i];
      if (!c || taken.has(i) || (maxSim.get(i) ?? 0) >= DUPLICATE_SIMILARITY) continue;
      const cost = c.text.length + (chosen.length > 0 ? 1 : 0);
      if (chars + cost > limits.maxChars) continue;
      const g = gain + (gains[i] ?? 0) * (1 - REDUNDANCY * (maxSim.get(i) ?? 0));
      const score = g / (words + c.words + EXPECTED_SUMMARY_WORDS);
      if (score > bestScore || (score === bestScore && i < best)) {
        best = i;
        bestScore = score;
        bestGain = g;
      }
    }
    const picked = candidates[best];
    if (!picked) break;
    chosen.push(best);
    taken.add(best);
    gain = bestGain;
    words += picked.words;
    chars += picked.text.length + (chosen.length > 1 ? 1 : 0);
    const pickedNorm = norms.get(best) ?? 0;
    for (const i of pool) {
      const c = candidates[i];
      if (!c || taken.has(i)) continue;
      const sim = cosine(c.vector, picked.vector, norms.get(i), pickedNorm);
      if (sim > (maxSim.get(i) ?? 0)) maxSim.set(i, sim);
    }
  }
  return chosen.sort((a, b) => a - b);
}
