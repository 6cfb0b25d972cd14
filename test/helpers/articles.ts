/** Small hand-built articles for store and CLI tests, independent of any parser. */
import type { Article, Comment } from '../../src/core/model.ts';
import { articleId } from '../../src/core/model.ts';

export function comment(number: number, text: string, extra: Partial<Comment> = {}): Comment {
  return {
    id: `n${number}`,
    number,
    author: null,
    authorId: null,
    postedAt: '2021-10-20T10:12',
    rating: 0,
    paragraphs: text === '' ? [] : text.split('\n\n'),
    quotes: [],
    replyTo: null,
    ...extra,
  };
}

export function article(fields: Partial<Article> & { title: string; text?: string }): Article {
  const { text, ...rest } = fields;
  const base = {
    url: null,
    source: null,
    title: fields.title,
  };
  return {
    id: articleId({ ...base, ...rest }),
    url: null,
    source: null,
    author: null,
    publishedAt: null,
    language: null,
    body: (text ?? 'Body text.').split('\n\n').map((t) => ({ type: 'paragraph' as const, text: t })),
    comments: [],
    declaredCommentCount: null,
    commentsUrl: null,
    ingestedAt: '2026-11-28T00:00:00.000Z',
    ...rest,
  };
}
