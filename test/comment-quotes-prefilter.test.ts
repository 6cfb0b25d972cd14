/**
 * Quote detection rules out most paragraphs by hashed trigrams before comparing words (words.ts):
 * the answers must be the ones the word-by-word comparison alone gives. The reference below is that
 * comparison as it stood before the hashes (string trigrams, NFKC on every text that is not ASCII),
 * run side by side with the real thing on the sample article and on thousands of made-up replies
 * and near-quotes, in English and Russian, with curly quotes, dashes and Unicode oddities.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findCommentQuotes, indexArticle, tokenize } from '../src/adapters/sources/comment-quotes.ts';
import { parseSource } from '../src/adapters/sources/parse.ts';
import { hashWord, wordHashes } from '../src/adapters/sources/words.ts';
import type { Block, CommentQuote } from '../src/core/model.ts';
import { SAMPLE_PATH } from './text-sample.ts';
// The bench's seeded generator: the same made-up inputs on every run.
import { rng } from '../bench/corpus.ts';

function referenceTokenize(text: string): string[] {
  // eslint-disable-next-line no-control-regex -- the range starts at U+0000 on purpose
  if (!/[^\u0000-\u007f]/.test(text)) return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

function referenceQuotes(body: readonly Block[], paragraphs: readonly string[], threshold = 0.5, minWords = 6): CommentQuote[] {
  const blocksOf = new Map<string, number[]>();
  body.forEach((block, b) => {
    for (const text of block.type === 'quote' && block.attribution ? [block.text, block.attribution] : [block.text]) {
      const w = referenceTokenize(text);
      for (let i = 2; i < w.length; i++) {
        const key = `${w[i - 2]} ${w[i - 1]} ${w[i]}`;
        const blocks = blocksOf.get(key) ?? [];
        if (blocks[blocks.length - 1] !== b) blocks.push(b);
        blocksOf.set(key, blocks);
      }
    }
  });
  const quotes: CommentQuote[] = [];
  paragraphs.forEach((paragraph, p) => {
    const lines = paragraph.split('\n');
    const firstReply = lines.findIndex((l) => /^[-–—]\s/.test(l.trimStart()));
    const w = referenceTokenize(firstReply > 0 ? lines.slice(0, firstReply).join('\n') : paragraph);
    if (w.length < Math.max(minWords, 3)) return;
    const perBlock = new Map<number, number>();
    let hits = 0;
    for (let i = 2; i < w.length; i++) {
      const blocks = blocksOf.get(`${w[i - 2]} ${w[i - 1]} ${w[i]}`);
      if (!blocks) continue;
      hits++;
      for (const b of blocks) perBlock.set(b, (perBlock.get(b) ?? 0) + 1);
    }
    if (hits === 0 || hits / (w.length - 2) < threshold) return;
    let best = -1;
    let bestHits = 0;
    for (const [b, n] of perBlock) if (n > bestHits || (n === bestHits && b < best)) [best, bestHits] = [b, n];
    quotes.push({ paragraph: p, block: best });
  });
  return quotes;
}

const sample = parseSource('sample.txt', readFileSync(SAMPLE_PATH)).articles[0];
if (!sample) throw new Error('the sample did not parse');
const ODDITIES = [
  '’',
  '‘',
  '“',
  '”',
  '—',
  '–',
  '…',
  '\u00a0',
  '£',
  '«',
  '»',
  '°',
  'é',
  'e\u0301',
  'ﬁ',
  'Ｆｕｌｌ',
  'ΟΔΟΣ',
  'Σ.Α',
  'İstanbul',
  'Россия',
  '½',
  '²',
  '\u200b',
  '-',
  "'",
];

/** A paragraph made from the article's own words: a quote, a reworded quote, a reply, or a quote with reply lines. */
function madeUp(r: () => number, body: readonly Block[]): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const words = pick(body).text.split(/\s+/);
  const start = Math.floor(r() * words.length);
  let out = words.slice(start, start + 4 + Math.floor(r() * 30));
  const kind = r();
  if (kind < 0.3) out = out.map((w) => (r() < 0.2 ? pick(pick(body).text.split(/\s+/)) : w));
  else if (kind < 0.5) out = out.sort(() => r() - 0.5);
  for (let i = 0; i < out.length; i++) if (r() < 0.08) out[i] = `${out[i]}${pick(ODDITIES)}`;
  if (r() < 0.3) out = out.map((w) => (r() < 0.5 ? w.toUpperCase() : w));
  let text = out.join(r() < 0.1 ? '\u00a0' : ' ');
  if (r() < 0.2) text += `\n- ${pick(body).text.slice(0, 80)}\n— I disagree.`;
  if (r() < 0.05) text = `- ${text}`;
  return text;
}

describe('GIVEN texts with curly quotes, dashes, ligatures, full-width letters, combining marks and Greek sigma', () => {
  it('THEN tokenize gives the words NFKC and Unicode classes give, and wordHashes their hashes', () => {
    const r = rng(7);
    for (let n = 0; n < 5000; n++) {
      const text = Array.from({ length: 1 + Math.floor(r() * 12) }, () => (r() < 0.4 ? ODDITIES[Math.floor(r() * ODDITIES.length)] : 'Word')).join(
        r() < 0.5 ? ' ' : '',
      );
      expect(tokenize(text), text).toEqual(referenceTokenize(text));
      expect(wordHashes(text), text).toEqual(referenceTokenize(text).map(hashWord));
    }
  });
});

describe('GIVEN the sample article and 6,000 made-up quotes, near-quotes and replies', () => {
  it('THEN every paragraph is a quote of the same block as the word-by-word comparison says, at several thresholds', () => {
    const r = rng(18);
    const index = indexArticle(sample.body);
    const paragraphs = Array.from({ length: 6000 }, () => madeUp(r, sample.body));
    const found = { quotes: 0 };
    for (const [threshold, minWords] of [
      [0.5, 6],
      [0.3, 3],
      [0.9, 6],
      [1, 10],
    ] as const) {
      for (let i = 0; i < paragraphs.length; i += 50) {
        const some = paragraphs.slice(i, i + 50);
        const expected = referenceQuotes(sample.body, some, threshold, minWords);
        expect(findCommentQuotes(index, some, { threshold, minWords })).toEqual(expected);
        found.quotes += expected.length;
      }
    }
    // Enough of them are quotes for the comparison to mean something.
    expect(found.quotes).toBeGreaterThan(3000);
  });

  it('THEN the sample’s own comments are linked as before', () => {
    const index = indexArticle(sample.body);
    for (const c of sample.comments) expect(findCommentQuotes(index, c.paragraphs)).toEqual(referenceQuotes(sample.body, c.paragraphs));
  });
});
