/**
 * The articles the delivery benchmarks post: short council notices, each with `comments` reader
 * comments, so the figures measure Discord's limits rather than the article's size.
 */
import type { Article } from '../src/core/model.ts';
import { articleId } from '../src/core/model.ts';

/** `count` articles titled `${title} ${i}`, whose comments say they are on `${noun} ${i}`. */
export function councilNotices(title: string, noun: string, count: number, comments: number): Article[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `${title} ${i}`;
    return {
      id: articleId({ url: null, source: 'Bench', title: name }),
      title: name,
      url: null,
      source: 'Bench',
      author: null,
      publishedAt: null,
      language: null,
      body: [{ type: 'paragraph' as const, text: `The council met on day ${i}. It voted on the harbour budget. The vote was close.` }],
      comments: Array.from({ length: comments }, (_, c) => ({
        id: `n${c + 1}`,
        number: c + 1,
        author: `reader${c}`,
        authorId: null,
        postedAt: '2026-11-28T10:00',
        rating: 0,
        paragraphs: [`Comment ${c} on ${noun} ${i}: the budget matters to everyone who fishes here.`],
        quotes: [],
        replyTo: null,
      })),
      declaredCommentCount: comments,
      commentsUrl: null,
      ingestedAt: '2026-11-28T00:00:00.000Z',
    };
  });
}
