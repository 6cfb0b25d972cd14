/**
 * Articles stored as rows made before the store (on the ingest worker): the rows give back the
 * article they were made from, and storing them decides added, updated or unchanged and stores
 * exactly what storing the articles does, new articles and stored ones alike.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ArticleRows, articleFromRows, articleRows } from '../src/adapters/store/rows.ts';
import { ArticleStore } from '../src/adapters/store/store.ts';
import type { Article, Block } from '../src/core/model.ts';
import { article, comment } from './helpers/articles.ts';

let dir: string;
const stores: ArticleStore[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-rows-'));
});
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(name: string): ArticleStore {
  const store = ArticleStore.open(join(dir, name));
  stores.push(store);
  return store;
}

const p = (text: string): Block => ({ type: 'paragraph', text });
const q = (text: string, attribution: string | null): Block => ({ type: 'quote', text, attribution });

/** Articles of every layout the store writes: split at blank lines, measured, JSON for lone surrogates, empty. */
function library(): Article[] {
  return [
    article({ title: 'Ferry timetable', url: 'https://harbour.example/ferry', text: 'First ferry at six.\n\nLast at ten.', categories: ['Transport'] }),
    article({
      title: 'Quotes at the pier',
      body: [{ type: 'heading', text: 'At the pier' }, q('We sail at dawn.', '— the captain'), q('said', ''), q('said again', null), p('a\n\nb')],
      comments: [
        comment(1, 'Good news.\n\nAt last.', { url: 'https://harbour.example/c/1', editedAt: '2026-11-29T10:00' }),
        comment(2, 'Removed.', { deleted: true, replyTo: 'n1', quotes: [{ paragraph: 0, block: 0 }] }),
        { ...comment(3, ''), paragraphs: ['one\n\ntwo', 'three'] },
      ],
    }),
    article({
      title: 'Half a pair \ud83d in the title',
      body: [p('half a pair \ud83d here'), q('\udc00', '\ud800')],
      comments: [comment(1, 'lone \udc00 low')],
    }),
    article({ title: 'No body yet', body: [], language: 'en', author: 'Ann Writer', publishedAt: '2026-11-20' }),
  ];
}

/** The same articles come again: unchanged, changed, lacking fields, with comments new and changed, and one new article. */
function again(first: readonly Article[]): Article[] {
  const [ferry, quotes, lone, empty] = first as [Article, Article, Article, Article];
  return [
    ferry,
    { ...quotes, title: 'Quotes at the pier, updated', comments: [...quotes.comments.slice(0, 1), comment(2, 'Edited.'), comment(4, 'New one.')] },
    lone,
    // Lacking a body and an author: the stored ones stay.
    { ...empty, author: null, body: [], comments: [comment(1, 'First!')] },
    article({ title: 'A new article', text: 'Fresh.' }),
  ];
}

describe('GIVEN articles of every layout made into rows', () => {
  it('THEN the article the rows give back makes the same rows again', () => {
    for (const a of library()) {
      const rows: ArticleRows = articleRows(a);
      expect(articleRows(articleFromRows(rows))).toEqual(rows);
    }
  });
});

describe('GIVEN the same articles stored as articles in one file and as rows in another, then again with changes', () => {
  it('THEN each batch gives the same statuses and the files hold the same articles, times included', () => {
    const byArticles = open('articles.db');
    const byRows = open('rows.db');
    const first = library();
    const at = new Date('2026-11-30T12:00:00Z');
    expect(byRows.upsertRows(first.map(articleRows), at)).toEqual(byArticles.upsertMany(first, at));
    const later = new Date('2026-11-30T13:00:00Z');
    const statuses = byRows.upsertRows(again(first).map(articleRows), later);
    expect(statuses).toEqual(byArticles.upsertMany(again(first), later));
    expect(statuses).toEqual(['unchanged', 'updated', 'updated', 'updated', 'added']);
    expect([...byRows.allStored()]).toEqual([...byArticles.allStored()]);
  });
});
