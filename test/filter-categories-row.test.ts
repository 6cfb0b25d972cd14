/**
 * A filter reads an article's categories as stored; a damaged categories column (not JSON, or not a
 * list of names) is an InvalidStateRow naming the article and the column, as other JSON columns
 * are, on SQLite and PostgreSQL alike, never a list of whatever was there.
 */
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { InvalidStateRow } from '../src/adapters/store/state-schemas.ts';
import { compileExpression } from '../src/app/filters/expression.ts';
import { article } from './helpers/articles.ts';
import { openPostgres } from './helpers/store-backends.ts';

const NOW = new Date('2026-12-01T12:00:00Z');
const tagged = article({ title: 'Ferry strike', url: 'https://harbour.example/strike', categories: ['Transport'] });
const BAD = ['{"not": "a list"}', 'Transport, Labour', '[1, 2]'];

async function failure(read: Promise<unknown>): Promise<unknown> {
  return read.then(
    () => null,
    (e: unknown) => e,
  );
}

describe('GIVEN an article whose categories column was damaged', () => {
  it('THEN SQLite reads it as an InvalidStateRow naming the article and the column', async () => {
    const store = SqliteStore.open(':memory:');
    try {
      await store.upsert(tagged, NOW);
      expect(compileExpression('category = transport').test((await store.get(tagged.id))!).pass).toBe(true);
      for (const bad of BAD) {
        store.db.prepare('UPDATE articles SET categories = ? WHERE id = ?').run(bad, tagged.id);
        const e = await failure(store.get(tagged.id));
        expect(e).toBeInstanceOf(InvalidStateRow);
        expect((e as InvalidStateRow).table).toBe('articles');
        expect((e as InvalidStateRow).key).toBe(tagged.id);
      }
      expect(((await failure(store.get(tagged.id))) as Error).message).toMatch(/^articles row [0-9a-f]{16} is not valid: 0: /);
    } finally {
      await store.close();
    }
  });

  it('THEN PostgreSQL does the same', async () => {
    const opened = await openPostgres();
    try {
      await opened.store.upsert(tagged, NOW);
      await opened.store.pool.query('UPDATE articles SET categories = $1 WHERE id = $2', ['Transport, Labour', tagged.id]);
      const e = await failure(opened.store.get(tagged.id));
      expect(e).toBeInstanceOf(InvalidStateRow);
      expect((e as Error).message).toBe(
        `articles row ${tagged.id} is not valid: its categories column is not JSON; fix or delete that row (sqlite3 DATABASE) for Paperboy to use it`,
      );
    } finally {
      await opened.close();
    }
  });
});
