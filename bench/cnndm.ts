/**
 * The SummEval CNN/DailyMail sample: loading and detokenizing. The set stores text the way its
 * tokenizer left it (`( CNN )`, `it 's`, `would n't`, ``` Roots ''`); the summarizer must see prose.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CNNDM_PATH = fileURLToPath(new URL('../../shared/datasets/summarization/summeval_cnndm_100.jsonl', import.meta.url));

export interface CnnDmItem {
  readonly id: string;
  /** Detokenized article text, one paragraph (the set has no paragraph breaks). */
  readonly article: string;
  /** Detokenized reference highlights, as one string. */
  readonly reference: string;
}

const ATTACH_LEFT = new Set([',', '.', ':', ';', '?', '!', ')', ']', '}', '%', "n't", "'s", "'m", "'re", "'ve", "'ll", "'d", "''", '’', '...']);
const ATTACH_RIGHT = new Set(['(', '[', '{', '$', '#', '@', '``', '‘', '£']);

/**
 * Undoes PTB-style tokenization well enough for sentence splitting and reading. Words are never
 * changed, only the spaces around punctuation, so ROUGE sees the same word tokens.
 */
export function detokenize(text: string): string {
  const tokens = text.split(/\s+/u).filter((t) => t.length > 0);
  let out = '';
  let glueNext = true;
  let singleOpen = false;
  for (const raw of tokens) {
    let token = raw;
    let left = ATTACH_LEFT.has(token.toLowerCase());
    let right = ATTACH_RIGHT.has(token);
    if (token === '``') token = '"';
    if (token === "''") token = '"';
    if (token === "'") {
      // A lone straight quote closes a quotation when one is open, else opens one.
      left = singleOpen;
      right = !singleOpen;
      singleOpen = !singleOpen;
    } else if (token.startsWith("'") && token.length > 1 && !left) {
      singleOpen = true;
    }
    out += glueNext || left ? token : ` ${token}`;
    glueNext = right;
  }
  return out;
}

/** Reads the set, detokenizing articles and references. */
export function loadCnnDm(path: string = CNNDM_PATH): CnnDmItem[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => {
      const row = JSON.parse(line) as { id: string; article: string; reference: string };
      return { id: row.id, article: detokenize(row.article), reference: detokenize(row.reference) };
    });
}
