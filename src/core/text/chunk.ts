/**
 * Cuts text into pieces that each fit a size, at sentence ends where possible, else at spaces,
 * else anywhere (never inside a surrogate pair). No word is dropped or changed: only the whitespace
 * at the cuts goes.
 */
import { splitSentences } from './sentences.ts';

export type Measure = (text: string) => number;

const plainLength: Measure = (s) => s.length;

/**
 * Pieces of `text`, each with `measure(piece) <= max`. `measure` lets a caller count what the
 * piece becomes (escaped markdown, say) rather than its raw length.
 */
export function chunk(text: string, max: number, measure: Measure = plainLength): string[] {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`chunk: expected \`max\` to be a whole number from 1 up, got \`${max}\``);
  if (measure(text) <= max) return text.length === 0 ? [] : [text];
  const sentences = splitSentences(text).map((s) => s.text);
  const units = sentences.flatMap((s) => (measure(s) <= max ? [s] : splitWords(s, max, measure)));
  return pack(units, max, measure, ' ');
}

/**
 * Joins consecutive units with `glue` while they fit. Sizes are summed per unit rather than
 * re-measured on the growing piece, which would be quadratic; a piece whose real size comes out
 * larger than the sum (a measure that is not additive) is cut again.
 */
export function pack(units: readonly string[], max: number, measure: Measure, glue: string): string[] {
  const out: string[] = [];
  const glueSize = measure(glue);
  let current: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (current.length === 0) return;
    const piece = current.join(glue);
    if (measure(piece) <= max || current.length === 1) out.push(piece);
    else out.push(...pack(current.slice(0, -1), max, measure, glue), ...pack(current.slice(-1), max, measure, glue));
    current = [];
    size = 0;
  };
  for (const unit of units) {
    const unitSize = measure(unit);
    if (current.length > 0 && size + glueSize + unitSize > max) flush();
    size += (current.length > 0 ? glueSize : 0) + unitSize;
    current.push(unit);
  }
  flush();
  return out;
}

function splitWords(sentence: string, max: number, measure: Measure): string[] {
  const words = sentence.split(/\s+/u).filter(Boolean);
  const units = words.flatMap((w) => (measure(w) <= max ? [w] : splitHard(w, max, measure)));
  return pack(units, max, measure, ' ');
}

function splitHard(word: string, max: number, measure: Measure): string[] {
  const out: string[] = [];
  let current = '';
  for (const ch of word) {
    // Iterating a string by code point keeps surrogate pairs whole.
    if (current !== '' && measure(current + ch) > max) {
      out.push(current);
      current = '';
    }
    current += ch;
  }
  if (current !== '') out.push(current);
  return out;
}
