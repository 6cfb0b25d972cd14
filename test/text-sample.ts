/** The seed sample for the text engine's tests: its raw paragraphs, and the Article the parser makes of it. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Article } from '../src/core/model.ts';
import { parseSource } from '../src/adapters/sources/parse.ts';

export const SAMPLE_PATH = fileURLToPath(new URL('./fixtures/000_19f3c93e7cb867fa.txt', import.meta.url));

/** The body's paragraphs as split on blank lines, with how many blank lines followed each. */
export function samplePieces(): { text: string; blanksAfter: number }[] {
  const raw = readFileSync(SAMPLE_PATH, 'utf8').replace(/\r\n/g, '\n');
  const body = raw.slice(0, raw.search(/^\d+ comments$/m));
  // Splitting with a capture group keeps the separators: text, blank run, text, blank run, ...
  const parts = body.split(/(\n(?:[ \t]*\n)+)/);
  const pieces: { text: string; blanksAfter: number }[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const text = (parts[i] ?? '').trim();
    const separator = parts[i + 1] ?? '\n';
    if (text.length > 0) pieces.push({ text, blanksAfter: (separator.match(/\n/g)?.length ?? 1) - 1 });
  }
  return pieces;
}

/** The sample as the real export parser reads it. */
export function sampleArticle(): Article {
  const [article] = parseSource(SAMPLE_PATH, readFileSync(SAMPLE_PATH), { now: new Date('2026-11-28T00:00:00Z') }).articles;
  if (!article) throw new Error('text-sample: the sample parsed to no article');
  return article;
}

/** A byte-for-byte copy of ../shared/datasets/summarization/summeval_cnndm_100.jsonl, so tests run from any clone. */
export const CNNDM_FIXTURE = fileURLToPath(new URL('./fixtures/summarization/summeval_cnndm_100.jsonl', import.meta.url));
