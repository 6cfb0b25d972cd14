import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArticleStore } from '../src/adapters/store/store.ts';
import { article, comment } from './helpers/articles.ts';

let store: ArticleStore;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-store-'));
  store = ArticleStore.open(join(dir, 'test.db'));
});
afterEach(() => store.close());

describe('GIVEN a new database file', () => {
  it('THEN it is in WAL mode and migrated', () => {
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('user_version', { simple: true })).toBeGreaterThan(0);
  });

  it('THEN a second connection to the same file opens and sees the first one’s writes', () => {
    const other = ArticleStore.open(join(dir, 'test.db'));
    store.upsert(article({ title: 'Shared file' }));
    expect(other.list().map((a) => a.title)).toEqual(['Shared file']);
    other.upsert(article({ title: 'Written by the other' }));
    expect(store.count()).toBe(2);
    other.close();
  });
});

describe('GIVEN an article stored twice', () => {
  it('THEN the same URL updates it instead of duplicating it', () => {
    const a = article({ title: 'Old title', url: 'https://example.com/a#top' });
    expect(store.upsert(a)).toBe('added');
    expect(store.upsert(a)).toBe('unchanged');
    const renamed = { ...a, title: 'New title' };
    expect(store.upsert(renamed)).toBe('updated');
    expect(store.count()).toBe(1);
    expect(store.get(a.id)?.title).toBe('New title');
  });

  it('THEN without a URL, the same source and title is the same article', () => {
    const a = article({ title: 'Same', source: 'Feed A', text: 'First version.' });
    const b = article({ title: 'Same', source: 'Feed A', text: 'Second version.' });
    const c = article({ title: 'Same', source: 'Feed B', text: 'Other source.' });
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(c.id);
    store.upsert(a);
    expect(store.upsert(b)).toBe('updated');
    expect(store.upsert(c)).toBe('added');
    expect(store.get(a.id)?.body).toEqual([{ type: 'paragraph', text: 'Second version.' }]);
  });

  it('THEN fields the new copy lacks keep their stored values', () => {
    const a = article({ title: 'Kept', author: 'Ann Writer', publishedAt: '2021-10-20' });
    store.upsert(a);
    store.upsert({ ...a, author: null, publishedAt: null });
    expect(store.get(a.id)).toMatchObject({ author: 'Ann Writer', publishedAt: '2021-10-20' });
  });

  it('THEN a later copy with more comments adds only the new ones and updates changed ones in place', () => {
    const first = article({ title: 'Discussed', comments: [comment(1, 'First.'), comment(2, 'Second.')] });
    store.upsert(first);
    const later = {
      ...first,
      comments: [comment(1, 'First.'), comment(2, 'Second, edited.', { rating: 3 }), comment(3, 'Third.')],
    };
    expect(store.upsert(later)).toBe('updated');
    const stored = store.get(first.id)!;
    expect(stored.comments.map((c) => c.id)).toEqual(['n1', 'n2', 'n3']);
    expect(stored.comments[1]).toMatchObject({ paragraphs: ['Second, edited.'], rating: 3 });
    // A copy with fewer comments drops none.
    expect(store.upsert({ ...first, comments: [comment(1, 'First.')] })).toBe('unchanged');
    expect(store.get(first.id)!.comments).toHaveLength(3);
    expect(store.search('edited', { in: 'comments' }).total).toBe(1);
    expect(store.search('second', { in: 'comments' }).hits.map((h) => h.comment?.id)).toEqual(['n2']);
  });

  it('THEN the first ingest time is kept', () => {
    const a = article({ title: 'Timed' });
    store.upsert(a);
    store.upsert({ ...a, ingestedAt: '2030-01-01T00:00:00.000Z', body: [{ type: 'paragraph', text: 'Changed.' }] });
    expect(store.get(a.id)?.ingestedAt).toBe(a.ingestedAt);
  });
});

describe('GIVEN the full-text index', () => {
  it('THEN it follows inserts, updates and deletes of articles and comments', () => {
    const a = article({ title: 'Index', text: 'The walrus sleeps.', comments: [comment(1, 'A penguin replies.')] });
    store.upsert(a);
    expect(store.search('walrus').total).toBe(1);
    expect(store.search('penguin').total).toBe(1);
    store.upsert({ ...a, body: [{ type: 'paragraph', text: 'The otter swims.' }], comments: [comment(1, 'A puffin replies.')] });
    expect(store.search('walrus').total).toBe(0);
    expect(store.search('otter').total).toBe(1);
    expect(store.search('penguin').total).toBe(0);
    expect(store.search('puffin').total).toBe(1);
    expect(store.deleteComment(a.id, 'n1')).toBe(true);
    expect(store.search('puffin').total).toBe(0);
    expect(store.delete(a.id)).toBe(true);
    expect(store.search('otter').total).toBe(0);
    const integrity = (t: string) => store.db.prepare(`INSERT INTO ${t}(${t}, rank) VALUES ('integrity-check', 1)`).run();
    expect(() => integrity('articles_fts')).not.toThrow();
    expect(() => integrity('comments_fts')).not.toThrow();
    expect(() => integrity('titles_fts')).not.toThrow();
  });
});
