/**
 * A DiscussionFetcher of the tests' own (not a mock: a small fetcher that answers from a script),
 * and Hacker News-shaped discussions to give it.
 */
import type { Validators } from '../../src/adapters/feeds/fetch.ts';
import type { DiscussionFetcher, FetchedDiscussion, RequestBudget } from '../../src/adapters/discussions/fetch-types.ts';
import type { Discussion } from '../../src/adapters/discussions/types.ts';
import { type Article, type Comment, articleId } from '../../src/core/model.ts';

export const ITEM = 'https://news.example/item?id=';

/** A comment as the HN parser makes one: `hn:<id>`, with its parent, text and author. */
export function hnComment(id: number, replyTo: number | null, text: string, extra: Partial<Comment> = {}): Comment {
  return {
    id: `hn:${id}`,
    number: null,
    author: `user${id}`,
    authorId: null,
    postedAt: '2026-12-01T06:00:00Z',
    rating: null,
    paragraphs: text === '' ? [] : text.split('\n\n'),
    quotes: [],
    replyTo: replyTo === null ? null : `hn:${replyTo}`,
    url: `${ITEM}${id}`,
    ...extra,
  };
}

/** The discussion of item `item`, about the article at `link` (its own page when null). */
export function hnDiscussion(item: number, comments: Comment[], options: { link?: string | null; title?: string; missing?: number } = {}): Discussion {
  const url = `${ITEM}${item}`;
  const title = options.title ?? `Item ${item}`;
  const link = options.link ?? url;
  const article: Article = {
    id: articleId({ url: link, source: 'Hacker News', title }),
    title,
    url: link,
    source: 'Hacker News',
    author: 'poster',
    publishedAt: '2026-12-01T05:00:00Z',
    language: null,
    body: [],
    comments,
    declaredCommentCount: comments.length + (options.missing ?? 0),
    commentsUrl: url,
    ingestedAt: '2026-12-01T06:00:00Z',
  };
  return { kind: 'hackernews', url, article, missing: options.missing ?? 0, more: [], warnings: [] };
}

export interface FetchCall {
  readonly url: string;
  readonly validators: Validators;
}

/**
 * Recognises `https://news.example/item?id=N` (other parameters dropped: the canonical address is
 * the id alone) and answers each fetch with the next scripted answer for that URL; each answer
 * spends its `requests` of the budget, as a real fetcher does.
 */
export class ScriptedFetcher implements DiscussionFetcher {
  readonly calls: FetchCall[] = [];
  private readonly script = new Map<string, FetchedDiscussion[]>();

  answer(url: string, ...answers: FetchedDiscussion[]): this {
    this.script.set(url, [...(this.script.get(url) ?? []), ...answers]);
    return this;
  }

  recognise(url: string): { kind: 'hackernews'; url: string } | null {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return null;
    }
    const id = parsed.searchParams.get('id');
    return parsed.host === 'news.example' && parsed.pathname === '/item' && id && /^\d+$/.test(id) ? { kind: 'hackernews', url: `${ITEM}${id}` } : null;
  }

  fetch(url: string, validators: Validators, budget: RequestBudget): Promise<FetchedDiscussion> {
    this.calls.push({ url, validators });
    const next = this.script.get(url)?.shift();
    if (!next) throw new Error(`ScriptedFetcher: no answer left for ${url}`);
    budget.remaining -= next.requests;
    return Promise.resolve(next);
  }
}

export function fresh(discussion: Discussion, etag: string | null = null, requests = 1): FetchedDiscussion {
  return { outcome: 'fresh', discussion, validators: { etag, lastModified: null }, requests };
}
