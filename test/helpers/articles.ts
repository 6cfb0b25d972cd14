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

/** Where the feed article the discussion tests attach discussions to is published. */
export const FERRY_LINK = 'https://harbour.example/news/ferry';

/** A feed article the discussion tests follow a discussion for; `commentsUrl` is its feed item's comments link. */
export function ferryArticle(commentsUrl: string | null = null): Article {
  return article({
    title: 'Ferry timetable changes',
    url: FERRY_LINK,
    source: 'Harbour News',
    publishedAt: '2026-12-01T04:00:00Z',
    language: 'en',
    text: 'From Monday the first ferry leaves the harbour at half past six.',
    commentsUrl,
    ingestedAt: '2026-12-01T04:30:00Z',
  });
}
