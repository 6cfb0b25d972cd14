import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findCommentQuotes, indexArticle, linkCommentQuotes, tokenize } from '../src/adapters/sources/comment-quotes.ts';
import type { Block, Comment } from '../src/core/model.ts';
import { parseSource } from '../src/adapters/sources/parse.ts';

const SAMPLE = readFileSync(new URL('./fixtures/000_19f3c93e7cb867fa.txt', import.meta.url), 'utf8');
const sample = parseSource('sample.txt', SAMPLE).articles[0];
if (!sample) throw new Error('the sample did not parse');
const index = indexArticle(sample.body);

function blockStarting(prefix: string): number {
  const i = sample?.body.findIndex((b) => b.text.startsWith(prefix)) ?? -1;
  if (i < 0) throw new Error(`no block starts with ${prefix}`);
  return i;
}

const FUTURE = blockStarting('The future of relations between Russia and NATO today');
const VERGE = blockStarting('NATO is now on the verge of collapsing in Europe');
const VERGE_TEXT = sample.body[VERGE]?.text ?? '';

describe('tokenize', () => {
  it('GIVEN mixed case, punctuation and Cyrillic THEN it yields lower-case words of letters and digits', () => {
    expect(tokenize("NATO's 2% of GDP — «Россия» и НАТО!")).toEqual(['nato', 's', '2', 'of', 'gdp', 'россия', 'и', 'нато']);
  });
});

describe('GIVEN the sample article and its comments', () => {
  it("THEN comment 1's reworded sentence and truncated paragraph are quotes of the right blocks", () => {
    const [first] = sample.comments;
    expect(findCommentQuotes(index, first?.paragraphs ?? [])).toEqual([
      { paragraph: 0, block: FUTURE },
      { paragraph: 2, block: VERGE },
    ]);
  });

  it('THEN the replies in comments 2 to 4 quote nothing', () => {
    for (const c of sample.comments.slice(1)) expect(findCommentQuotes(index, c.paragraphs)).toEqual([]);
  });
});

describe('GIVEN hand-made comment paragraphs against the sample', () => {
  const quotes = (paragraph: string): number[] => findCommentQuotes(index, [paragraph]).map((q) => q.block);

  it('WHEN a reply uses the same words in another order THEN it is not a quote (word overlap alone would say it is)', () => {
    const words = 'It is too important for the Alliance to achieve the transfer of the conflict'.split(' ');
    const shuffled = [...words].reverse().join(' ');
    expect(new Set(tokenize(shuffled))).toEqual(new Set(tokenize(words.join(' '))));
    expect(quotes(shuffled)).toEqual([]);
  });

  it('WHEN a reply discusses the same subject in its own words THEN it is not a quote', () => {
    expect(quotes('NATO and Russia have had bad relations since the collapse of the USSR, and the Alliance is to blame.')).toEqual([]);
  });

  it('WHEN a quote is followed by reply lines in the same paragraph THEN the quote is still recognised', () => {
    const quote = VERGE_TEXT.slice(0, 120);
    const replies =
      '- Nonsense, nobody in Brussels thinks so, whatever the author writes.\n- Europe has other worries this winter: gas prices, for one, and elections.';
    // Taken whole, the paragraph shares too few trigrams with the article to count.
    expect(findCommentQuotes(index, [`${quote}\n${replies}`.split('\n').reverse().join('\n')])).toEqual([]);
    expect(quotes(`${quote}\n${replies}`)).toEqual([VERGE]);
  });

  it('WHEN a passage from the middle of a long paragraph is quoted THEN it links to that paragraph', () => {
    expect(quotes('Too stubbornly strives to bring relations with the Russian Federation to a boiling point.')).toEqual([FUTURE]);
  });

  it('WHEN a quotation is quoted THEN it links to the quote block', () => {
    const lavrov = blockStarting('We are suspending the activities');
    expect(quotes('We are suspending the activities of the NATO military liaison mission in Moscow.')).toEqual([lavrov]);
  });

  it('WHEN a paragraph repeats fewer than six words THEN it is too short to count', () => {
    expect(quotes('NATO and the USSR')).toEqual([]);
    expect(quotes('If they say they feel')).toEqual([]);
  });
});

describe('GIVEN a passage that occurs in two blocks', () => {
  const body: Block[] = [
    { type: 'paragraph', text: 'Something else entirely, with no shared words at all.' },
    { type: 'paragraph', text: 'The quick brown fox jumps over the lazy dog near the river.' },
    { type: 'heading', text: 'Interlude' },
    { type: 'paragraph', text: 'The quick brown fox jumps over the lazy dog near the river.' },
  ];

  it('THEN the quote links to the first of them', () => {
    expect(findCommentQuotes(indexArticle(body), ['the quick brown fox jumps over the lazy dog'])).toEqual([{ paragraph: 0, block: 1 }]);
  });

  it('THEN a stricter threshold rejects a looser quote and a bad threshold is refused', () => {
    const loose = 'the quick brown fox jumps over the lazy dog near a pond'; // 8 of 10 trigrams
    expect(findCommentQuotes(indexArticle(body), [loose])).toEqual([{ paragraph: 0, block: 1 }]);
    expect(findCommentQuotes(indexArticle(body), [loose], { threshold: 0.9 })).toEqual([]);
    expect(() => findCommentQuotes(indexArticle(body), [loose], { threshold: 0 })).toThrow('Expected `threshold` to be a number above 0 and up to 1, got `0`');
  });
});

describe('GIVEN a 10,000-word article with 50 comments', () => {
  const body: Block[] = [];
  let words = 0;
  while (words < 10_000) {
    for (const block of sample.body) {
      // A running number keeps repeated paragraphs from being identical, as real paragraphs are not.
      const text = `${block.text} (${body.length})`;
      body.push(block.type === 'quote' ? { ...block, text } : { type: block.type, text });
      words += tokenize(text).length;
    }
  }
  const comments: Comment[] = Array.from({ length: 50 }, (_, i) => {
    const source = sample.comments[i % sample.comments.length];
    if (!source) throw new Error('no comment');
    return { ...source, id: `n${i + 1}`, number: i + 1, quotes: [] };
  });

  it('THEN every comment is linked to the passage it quotes', () => {
    const linked: Comment[] = linkCommentQuotes(body, comments);
    expect(linked.filter((c) => c.quotes.length > 0)).toHaveLength(13);
    expect(linked[0]?.quotes).toEqual([
      { paragraph: 0, block: FUTURE },
      { paragraph: 2, block: VERGE },
    ]);
  });
});
