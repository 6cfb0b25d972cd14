import { describe, expect, it } from 'vitest';
import { parseQuery } from '../src/adapters/store/query.ts';
import { makeSnippet, tokenMatcher } from '../src/adapters/store/snippet.ts';

const marked = (text: string, query: string) => {
  const { snippet, highlights } = makeSnippet(text, tokenMatcher(parseQuery(query)));
  return { snippet, words: highlights.map(([s, e]) => snippet.slice(s, e)) };
};

const LONG = `${'Filler words come first here. '.repeat(30)}NATO continued its eastward expansion after 1991, and the crème brûlée was excellent. ${'More filler follows. '.repeat(30)}`;

describe('GIVEN a long text and a query', () => {
  it('THEN the snippet is the stretch around the matches, cut with … on both sides', () => {
    const { snippet, words } = marked(LONG, 'expanding');
    expect(words).toEqual(['expansion']);
    expect(snippet).toMatch(/^…/);
    expect(snippet).toMatch(/…$/);
    expect(snippet).toContain('NATO continued its eastward expansion after 1991,');
    expect(snippet.split(/\s+/).length).toBeLessThanOrEqual(26);
  });

  it('THEN accents, prefixes and phrases are matched as the index matches them', () => {
    expect(marked(LONG, 'creme brulee').words).toEqual(['crème', 'brûlée']);
    expect(marked(LONG, 'east*').words).toEqual(['eastward']);
    expect(marked(LONG, '"eastward expansion"').words).toEqual(['eastward', 'expansion']);
    expect(marked(LONG, 'nato -filler').words).toEqual(['NATO']);
  });

  it('THEN the stretch with the most different terms wins over one with many repeats of one', () => {
    const text = `walrus walrus walrus walrus. ${'filler '.repeat(30)}walrus and penguin together.`;
    expect(marked(text, 'walrus penguin').words).toEqual(['walrus', 'penguin']);
  });

  it('THEN Cyrillic is matched, and a text without matches starts at its beginning', () => {
    expect(marked('Министр иностранных дел объявил о приостановке.', 'министр').words).toEqual(['Министр']);
    const none = marked('Short text with nothing relevant.', 'walrus');
    expect(none).toEqual({ snippet: 'Short text with nothing relevant.', words: [] });
  });
});
