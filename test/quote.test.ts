import { describe, expect, it } from 'vitest';
import type { Article, Comment } from '../src/core/model.ts';
import { findQuote, type Quote } from '../src/core/text/quote.ts';
import { loadCnnDm } from '../bench/cnndm.ts';
import { CNNDM_FIXTURE, sampleArticle } from './text-sample.ts';

function sourceText(article: Pick<Article, 'body' | 'comments'>, quote: Quote): string | undefined {
  const s = quote.source;
  if (s.kind === 'article') return article.body[s.block]?.text.slice(s.start, s.end);
  return article.comments.find((c) => c.id === s.commentId)?.paragraphs[s.paragraph]?.slice(s.start, s.end);
}

describe('findQuote in the sample article', () => {
  const article = sampleArticle();

  it('GIVEN "expanding" THEN a passage about the expansion, verbatim, attributed to title, section and block', () => {
    const q = findQuote(article, { about: 'expanding' });
    expect(q).not.toBeNull();
    expect(q?.text).toMatch(/expan/i);
    expect(q && sourceText(article, q)).toBe(q?.text);
    expect(q?.source).toMatchObject({ kind: 'article', title: article.title });
    if (q?.source.kind === 'article') {
      expect(article.body[q.source.block]?.type).not.toBe('heading');
      expect(q.source.section).not.toBeNull();
    }
  });

  it('GIVEN "Stoltenberg" THEN the sentence that names him, in "The future of Russia-NATO relations"', () => {
    const q = findQuote(article, { about: 'Stoltenberg' });
    expect(q?.text).toContain('Stoltenberg');
    expect(q?.source).toMatchObject({ kind: 'article', section: 'The future of Russia-NATO relations' });
  });

  it('GIVEN a topic the article never mentions THEN null, nothing invented', () => {
    expect(findQuote(article, { about: 'cryptocurrency mining' })).toBeNull();
  });

  it('GIVEN no topic THEN a notable passage that is not the opening sentence', () => {
    const q = findQuote(article);
    expect(q).not.toBeNull();
    expect(q?.source.kind).toBe('article');
    expect(q?.text).not.toMatch(/^On October 18/);
    expect(q && sourceText(article, q)).toBe(q?.text);
    expect(q?.sentences).toBeLessThanOrEqual(3);
  });

  it('GIVEN the same question twice THEN the same answer', () => {
    expect(findQuote(article, { about: 'Warsaw Pact' })).toEqual(findQuote(sampleArticle(), { about: 'Warsaw Pact' }));
  });
});

describe('findQuote in the sample comments', () => {
  const article = sampleArticle();

  it('GIVEN "China" THEN a commenter\'s words with comment id, number, date and rating', () => {
    const q = findQuote(article, { about: 'China', from: 'comments' });
    expect(q?.text).toContain('China');
    expect(q?.source).toMatchObject({ kind: 'comment', commentId: 'n1', number: 1, postedAt: '2021-10-20T10:12', rating: -1 });
    expect(q && sourceText(article, q)).toBe(q?.text);
  });

  it('GIVEN a topic only the article (quoted by a commenter) mentions THEN not found in comments', () => {
    expect(findQuote(article, { about: 'Lavrov', from: 'comments' })).toBeNull();
    expect(findQuote(article, { about: 'provocation border', from: 'comments' })).toBeNull();
  });

  it('GIVEN no comments THEN null', () => {
    expect(findQuote({ ...article, comments: [] as Comment[] }, { from: 'comments' })).toBeNull();
  });
});

describe('findQuote hard cases', () => {
  const article: Pick<Article, 'title' | 'body' | 'comments'> = {
    title: 'Port plans',
    body: [
      { type: 'paragraph', text: 'The council met on Monday. It discussed several items.' },
      { type: 'heading', text: 'Harbour' },
      {
        type: 'paragraph',
        text: 'Officials confirmed the harbour expansion will double the number of berths by 2030. This will cost 40 million dollars. The weather was fine.',
      },
    ],
    comments: [],
  };

  it('GIVEN a sentence that leans on the one after it THEN a short run of sentences from the same paragraph', () => {
    const q = findQuote(article, { about: 'expanding harbour cost' });
    expect(q?.sentences).toBe(2);
    expect(q?.text).toBe('Officials confirmed the harbour expansion will double the number of berths by 2030. This will cost 40 million dollars.');
    expect(q?.source).toMatchObject({ kind: 'article', section: 'Harbour', block: 2, start: 0 });
  });

  it('GIVEN a CNN/DailyMail article and a name in it THEN a verbatim passage naming them', () => {
    const item = loadCnnDm(CNNDM_FIXTURE)[0];
    const cnn: Pick<Article, 'title' | 'body' | 'comments'> = {
      title: 'Merson and Townsend',
      body: [{ type: 'paragraph', text: item?.article ?? '' }],
      comments: [],
    };
    const q = findQuote(cnn, { about: 'Hodgson' });
    expect(q?.text).toContain('Hodgson');
    expect(item?.article).toContain(q?.text ?? '\u0000');
  });
});
