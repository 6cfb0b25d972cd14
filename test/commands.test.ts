import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../commands/index.ts';
import { articleView } from '../commands/article.ts';
import { quoteView } from '../commands/quote.ts';
import { PAGE_SIZE, searchView } from '../commands/search.ts';
import { discussionView, summaryView } from '../commands/summarize.ts';
import { requireArticle } from '../commands/article-option.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { articlePages, PAGE_CHARS } from '../src/app/views/article-pages.ts';
import { UserError } from '../src/core/errors.ts';
import { article, comment } from './helpers/articles.ts';
import { sampleArticle } from './text-sample.ts';

let store: SqliteStore;
beforeEach(() => {
  store = SqliteStore.open(':memory:');
});
afterEach(() => store.close());

const unescape = (s: string): string => s.replace(/\\(.)/g, '$1');

describe('GIVEN the command list', () => {
  it('THEN names are unique, valid, and each matches its file under commands/', () => {
    const names = commands.map((c) => c.definition.name);
    expect(new Set(names).size).toBe(names.length);
    const files = readdirSync(fileURLToPath(new URL('../commands/', import.meta.url)))
      .filter((f) => f.endsWith('.ts') && !['index.ts', 'article-option.ts', 'admin.ts'].includes(f))
      .map((f) => f.replace(/\.ts$/, ''));
    expect(names.sort()).toEqual(files.sort());
    for (const c of commands) {
      expect(c.definition.name).toMatch(/^[-_\p{Ll}\p{N}]{1,32}$/u);
      expect(c.definition.description.length).toBeLessThanOrEqual(100);
      for (const o of c.definition.options ?? []) expect(o.description.length).toBeLessThanOrEqual(100);
    }
  });
});

describe('GIVEN the sample article stored', () => {
  beforeEach(async () => {
    await store.upsert(sampleArticle());
  });

  it('THEN /search finds it with the words highlighted, and a menu to open it', async () => {
    const view = await searchView(store, { query: 'NATO expansion', scope: 'all', source: null }, 1);
    const embed = view.embeds?.[0];
    expect(embed?.description).toContain('Russia and NATO are severing ties');
    expect(embed?.description).toMatch(/\*\*NATO\*\*/);
    expect(embed?.footer).toMatch(/^Results 1–\d of \d+/);
    expect(view.select?.options[0]?.value).toBe(`0:${sampleArticle().id}`);
  });

  it('THEN /search with nothing matching is a user error that names the query', async () => {
    await expect(searchView(store, { query: 'zeppelin', scope: 'comments', source: null }, 1)).rejects.toThrow(
      new UserError('not-found', 'No comments match "zeppelin".'),
    );
    await expect(searchView(store, { query: '"*** @everyone', scope: 'all', source: null }, 1)).rejects.toThrow(UserError);
  });

  it('THEN /summarize gives verbatim sentences of the article, longer for long', () => {
    const a = sampleArticle();
    const short = summaryView(a, 'short').embeds?.[0]?.description ?? '';
    const long = summaryView(a, 'long').embeds?.[0]?.description ?? '';
    const body = a.body.map((b) => b.text).join('\n');
    for (const piece of unescape(long).split(/\n\n/)) for (const s of piece.split(/(?<=[.!?"])\s/)) expect(body).toContain(s);
    expect(long.length).toBeGreaterThan(short.length);
    expect(summaryView(a, 'medium').embeds?.[0]?.fields?.map((f) => f.name)).toEqual(['Comments']);
  });

  it('THEN /summarize of the discussion quotes commenters by number', () => {
    const embed = discussionView(sampleArticle(), 'medium').embeds?.[0];
    expect(embed?.fields?.[0]).toMatchObject({ name: 'Comments', value: '4 comments, 2021-10-20 10:12 to 2021-10-24 17:51' });
    expect(embed?.description).toMatch(/^\*\*comment #\d/);
  });

  it('THEN /quote gives a block quote with section and paragraph, or a user error', () => {
    const a = sampleArticle();
    const d = quoteView(a, 'expansion to the East', 'article').embeds?.[0]?.description ?? '';
    expect(d).toMatch(/^> /);
    expect(d).toMatch(/\n— \*Russia and NATO are severing ties: who is to blame and what to do\?\*, .*paragraph \d+$/);
    expect(() => quoteView(a, 'zeppelin', 'comments')).toThrow(UserError);
  });

  it('THEN /article pages hold every paragraph and every comment, each page within the limit', () => {
    const a = sampleArticle();
    const { pages, firstCommentPage } = articlePages(a);
    for (const [i, p] of pages.entries()) expect(p.length, `page ${i + 1} of ${pages.length}`).toBeLessThanOrEqual(PAGE_CHARS);
    const all = unescape(pages.join('\n'));
    for (const b of a.body) expect(all).toContain(b.text);
    for (const c of a.comments) for (const p of c.paragraphs) expect(all).toContain(p);
    expect(firstCommentPage).not.toBeNull();
    expect(pages[firstCommentPage ?? 0]).toMatch(/^\*\*4 comments\*\*/);
    const last = articleView(a, pages.length);
    expect(last.buttons?.map((b) => b.state === null)).toEqual([false, true, true]);
    expect(() => articleView(a, pages.length + 1)).toThrow(/has \d+ pages; page \d+ is past the end/);
  });

  it('THEN an article is found by id, id prefix or title suggestion; an unknown one is a user error', async () => {
    const a = sampleArticle();
    expect((await requireArticle(store, a.id)).id).toBe(a.id);
    expect((await requireArticle(store, a.id.slice(0, 6))).id).toBe(a.id);
    expect(await store.suggest('sever', 25)).toEqual([{ id: a.id, title: a.title }]);
    expect(await store.suggest('russia nato sev', 25)).toHaveLength(1);
    await expect(requireArticle(store, 'no such thing')).rejects.toThrow(/No article matches "no such thing"/);
  });
});

describe('GIVEN hostile and huge text', () => {
  it('THEN markdown and mentions in an article show as written, and a huge paragraph is paged', async () => {
    const hostile = article({ title: '**Bold** @everyone <@123>', text: `${'Word '.repeat(3000)}end.\n\n@here *x* <@&5>` });
    await store.upsert(hostile);
    const pages = articlePages(hostile).pages;
    expect(pages.length).toBeGreaterThan(4);
    expect(pages.at(-1)).toContain('@here \\*x\\* \\<@&5>');
    expect(articleView(hostile, 1).embeds?.[0]?.title).toBe('\\*\\*Bold\\*\\* @everyone \\<@123>');
  });

  it('THEN a long comment is split over pages at sentence ends with its header kept', () => {
    const long = Array.from({ length: 200 }, (_, i) => `Sentence number ${i} is here.`).join(' ');
    const a = article({ title: 'Long comment', comments: [comment(1, long)] });
    const { pages, firstCommentPage } = articlePages(a);
    const commentPages = pages.slice(firstCommentPage ?? 0);
    expect(commentPages.length).toBeGreaterThan(1);
    expect(commentPages[0]).toContain('**#1** · 2021-10-20 10:12 · rating 0');
    for (const p of commentPages.slice(1)) expect(p).toMatch(/^Sentence number \d+ is here\./);
  });

  it('THEN search pages are PAGE_SIZE long and the last page has no Next', async () => {
    for (let i = 0; i < 12; i++) await store.upsert(article({ title: `Harbour report ${i}`, text: `The harbour was busy on day ${i}.` }));
    const first = await searchView(store, { query: 'harbour', scope: 'articles', source: null }, 1);
    expect(first.select?.options).toHaveLength(PAGE_SIZE);
    const third = await searchView(store, { query: 'harbour', scope: 'articles', source: null }, 3);
    expect(third.select?.options).toHaveLength(2);
    expect(third.buttons?.map((b) => b.state?.[4] ?? null)).toEqual(['2', null]);
  });
});

describe('GIVEN an article whose feed links its discussion', () => {
  it('THEN the comment count links to it', () => {
    const a = article({ title: 'Linked', commentsUrl: 'https://blog.example/one#comments', declaredCommentCount: 12 });
    expect(summaryView(a, 'short').embeds?.[0]?.fields?.find((f) => f.name === 'Comments')?.value).toBe(
      '0 of 12 comments · [at the source](https://blog.example/one#comments)',
    );
  });
});
