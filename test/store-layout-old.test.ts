/**
 * Libraries written before layouts (blocks and paragraphs as full JSON beside the text) keep
 * working with no data move: their rows read back, storing the same article again changes nothing,
 * a real change writes the new form, and `paperboy copy` between two SQLite files keeps every
 * article identical. Real SQLite files throughout.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Article, type Block, bodyText, commentText } from '../src/core/model.ts';
import type { StoredArticle } from '../src/adapters/store/contract.ts';
import { ArticleStore } from '../src/adapters/store/store.ts';
import { run } from '../src/ui/cli/main.ts';
import { article, comment } from './helpers/articles.ts';
import { capture } from './helpers/cli.ts';

let dir: string;
let store: ArticleStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-layout-old-'));
  store = ArticleStore.open(join(dir, 'test.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const p = (text: string): Block => ({ type: 'paragraph', text });

/** Writes `a` as Paperboy did before layouts: the JSON of its blocks and paragraphs beside the text, and the FTS rows. */
function insertOld(db: ArticleStore['db'], a: Article): void {
  const text = bodyText(a);
  const rowid = Number(
    db
      .prepare(
        `INSERT INTO articles (id, title, url, source, author, published_at, language, blocks, body_text, declared_comment_count, comments_url, ingested_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        a.id,
        a.title,
        a.url,
        a.source,
        a.author,
        a.publishedAt,
        a.language,
        JSON.stringify(a.body),
        text,
        a.declaredCommentCount,
        a.commentsUrl,
        a.ingestedAt,
        a.ingestedAt,
      ).lastInsertRowid,
  );
  db.prepare('INSERT INTO articles_fts (rowid, title, body_text) VALUES (?, ?, ?)').run(rowid, a.title, text);
  db.prepare('INSERT INTO titles_fts (rowid, title) VALUES (?, ?)').run(rowid, a.title);
  a.comments.forEach((c, position) => {
    const id = db
      .prepare(
        `INSERT INTO comments (article_rowid, id, position, number, author, author_id, posted_at, rating, paragraphs, quotes, reply_to, text)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        rowid,
        c.id,
        position,
        c.number,
        c.author,
        c.authorId,
        c.postedAt,
        c.rating,
        JSON.stringify(c.paragraphs),
        JSON.stringify(c.quotes),
        c.replyTo,
        commentText(c),
      ).lastInsertRowid;
    db.prepare('INSERT INTO comments_fts (rowid, text) VALUES (?, ?)').run(id, commentText(c));
  });
}

const columnsOf = (id: string) => store.db.prepare<[string], { blocks: string }>('SELECT blocks FROM articles WHERE id = ?').get(id)?.blocks;
const paragraphsOf = () => store.db.prepare<[], string>('SELECT paragraphs FROM comments ORDER BY position').pluck().all();

/** An old row with the traps layouts must handle: a blank line inside a paragraph, quotes, emoji. */
const old = (): Article =>
  article({
    title: 'Harbour works 🚧',
    url: 'https://news.example/works',
    body: [p('The pier closes.\n\nFor a month.'), { type: 'quote', text: 'We regret it', attribution: '' }, p('Ферри 😀')],
    comments: [comment(1, 'First.\n\nSecond.'), { ...comment(2, ''), paragraphs: ['a\n\nb'] }, comment(3, '')],
  });

describe('GIVEN rows written before layouts, with their blocks and paragraphs in JSON', () => {
  it('THEN they read back exactly, and storing the same article again changes and rewrites nothing', () => {
    const a = old();
    insertOld(store.db, a);
    expect(store.get(a.id)).toStrictEqual(a);
    expect(store.upsert(a)).toBe('unchanged');
    expect(columnsOf(a.id)).toBe(JSON.stringify(a.body));
    expect(paragraphsOf()).toEqual(a.comments.map((c) => JSON.stringify(c.paragraphs)));
  });

  it('THEN a changed comment is written as a layout, the others stay as they were', () => {
    const a = old();
    insertOld(store.db, a);
    const changed = { ...a, comments: [a.comments[0]!, { ...a.comments[1]!, paragraphs: ['a\n\nb', 'edited'] }, a.comments[2]!] };
    expect(store.upsert(changed)).toBe('updated');
    expect(store.get(a.id)).toStrictEqual(changed);
    expect(paragraphsOf()).toEqual(['["First.","Second."]', '#4,6', '[]']);
    expect(columnsOf(a.id)).toBe(JSON.stringify(a.body));
  });

  it('THEN a changed body is merged: the new text is searched, the old one is not', () => {
    const a = old();
    insertOld(store.db, a);
    const changed = { ...a, body: [p('The pier reopens in spring.')] };
    expect(store.upsert(changed)).toBe('updated');
    expect(store.get(a.id)).toStrictEqual(changed);
    expect(columnsOf(a.id)).toBe('p');
    expect(store.search('reopens').hits.map((h) => h.articleId)).toEqual([a.id]);
    expect(store.search('regret').hits).toEqual([]);
  });

  it('THEN a copy without a body keeps the stored body: no change alone, kept beside another change', () => {
    const a = old();
    insertOld(store.db, a);
    expect(store.upsert({ ...a, body: [] })).toBe('unchanged');
    expect(store.upsert({ ...a, body: [], author: 'Ana Ribeiro' })).toBe('updated');
    expect(store.get(a.id)).toStrictEqual({ ...a, author: 'Ana Ribeiro' });
  });

  it('THEN a library made by release 0.1 opens, reads back and stays as it is when stored again', () => {
    store.close();
    const path = join(dir, 'release-0.1.db');
    copyFileSync(join(import.meta.dirname, 'fixtures/state/release-0.1.db'), path);
    store = ArticleStore.open(path);
    const rows = store.db.prepare<[], { id: string; blocks: string }>('SELECT id, blocks FROM articles').all();
    expect(rows.length).toBeGreaterThan(0);
    for (const { id, blocks } of rows) {
      const a = store.get(id)!;
      expect(a.body).toStrictEqual(JSON.parse(blocks));
      expect(store.upsert(a)).toBe('unchanged');
      expect(columnsOf(id)).toBe(blocks);
    }
  });
});

describe('GIVEN a SQLite library holding old rows and new ones with hostile text', () => {
  it('THEN `paperboy copy` into another SQLite file keeps every article identical, positions included', async () => {
    insertOld(store.db, old());
    store.upsertMany([
      article({ title: 'New', text: 'Plain.\n\nText.', comments: [comment(1, 'ok')] }),
      {
        ...article({ title: 'Hostile' }),
        body: [p('a\n'), p('\nb'), { type: 'quote', text: '😀', attribution: 'x\n\ny' }],
        comments: [{ ...comment(1, ''), paragraphs: ['', ''] }],
      },
      { ...article({ title: 'Half a pair' }), body: [p('\ud800')] },
    ]);
    const all = (s: ArticleStore): StoredArticle[] => [...s.allStored()];
    const before = all(store);
    store.close();
    const target = join(dir, 'copy.db');
    const io = capture();
    expect(await run(['--db', join(dir, 'test.db'), 'copy', '--to', target], io)).toBe(0);
    expect(io.stderr).toBe('');
    store = ArticleStore.open(target);
    expect(all(store)).toStrictEqual(before);
  });
});
