/**
 * Feed categories: read from RSS `<category>`, Atom `<category term>` and JSON Feed `tags`, kept
 * by both stores, updated by a re-ingest that has them, and carried by `paperboy copy`. Real
 * captured feeds, real SQLite and a real PostgreSQL.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFeed } from '../src/adapters/feeds/parse.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { run } from '../src/ui/cli/main.ts';
import { article } from './helpers/articles.ts';
import { capture } from './helpers/cli.ts';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.ts';
import { backendNames, storeBackends } from './helpers/store-backends.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/feeds/${name}`, import.meta.url));
const NOW = new Date('2026-12-01T12:00:00Z');

describe('GIVEN real feeds with categories', () => {
  it('THEN RSS <category> names are read in order (the Guardian)', () => {
    const { items } = parseFeed(fixture('rss-parser__guardian.rss'), { now: NOW });
    expect(items[0]?.categories).toStrictEqual([
      'Donald Trump',
      'State of the Union address',
      'US news',
      'US politics',
      'Democrats',
      'Republicans',
      'US Congress',
    ]);
  });

  it('THEN RSS 1.0 dc:subject is read, and an item without any has no categories field', () => {
    const { items } = parseFeed(fixture('rss-parser__rss-1.rss'), { now: NOW });
    expect(items[0]?.categories).toStrictEqual(['Botany, Microbiology']);
    expect(items.filter((a) => a.categories !== undefined)).toHaveLength(46);
    expect(items.find((a) => a.categories === undefined)).not.toHaveProperty('categories');
  });

  it('THEN Atom <category term> is read (the Google Ads developer blog)', () => {
    const { items } = parseFeed(fixture('rss-parser__feedburner.atom'), { now: NOW });
    expect(items[0]?.categories).toContain('adwords_api');
    expect(items.every((a) => (a.categories ?? []).every((c) => c.length > 0))).toBe(true);
  });

  it('THEN JSON Feed tags are read; repeats dropped ignoring case, each cut at 200 characters, at most 50, the item kept', () => {
    const tags = ['Markets', 'markets', '  Crypto\n currency ', 'x'.repeat(500), ...Array.from({ length: 80 }, (_, i) => `tag ${i}`)];
    const feed = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Ledger',
      items: [
        { id: '1', url: 'https://ledger.example/1', title: 'Bitcoin at a high', content_text: 'It rose.', tags },
        { id: '2', url: 'https://ledger.example/2', title: 'Untagged', content_text: 'No tags.' },
      ],
    });
    const { items, warnings } = parseFeed(feed, { now: NOW });
    expect(warnings).toStrictEqual([]);
    const categories = items[0]?.categories ?? [];
    expect(categories.slice(0, 3)).toStrictEqual(['Markets', 'Crypto currency', 'x'.repeat(200)]);
    expect(categories).toHaveLength(50);
    expect(categories.at(-1)).toBe('tag 46');
    expect(items[1]).not.toHaveProperty('categories');
  });
});

describe.each(backendNames)('GIVEN the %s store', (backend) => {
  it('THEN a feed item’s categories are stored and read back; an article without them reads back without the field', async () => {
    const opened = await storeBackends[backend]();
    const { store } = opened;
    try {
      const { items } = parseFeed(fixture('rss-parser__guardian.rss'), { now: NOW, source: 'The Guardian' });
      await store.upsertMany(items, NOW);
      for (const item of items.slice(0, 10)) expect(await store.get(item.id)).toStrictEqual(item);
      const bare = article({ title: 'No categories here' });
      await store.upsert(bare, NOW);
      const read = await store.get(bare.id);
      expect(read).toStrictEqual(bare);
      expect(read).not.toHaveProperty('categories');
    } finally {
      await opened.close();
    }
  });

  it('THEN a re-ingest with categories replaces them, and one without any keeps the stored ones', async () => {
    const opened = await storeBackends[backend]();
    const { store } = opened;
    try {
      const first = article({ title: 'Ferry strike', url: 'https://harbour.example/strike' });
      expect(await store.upsert(first, NOW)).toBe('added');
      expect(await store.upsert({ ...first, categories: ['Transport', 'Labour'] }, NOW)).toBe('updated');
      expect((await store.get(first.id))?.categories).toStrictEqual(['Transport', 'Labour']);
      expect(await store.upsert({ ...first, categories: ['Transport'] }, NOW)).toBe('updated');
      expect((await store.get(first.id))?.categories).toStrictEqual(['Transport']);
      // A copy of the item without categories (another source of the same article) says nothing new.
      expect(await store.upsert(first, NOW)).toBe('unchanged');
      expect((await store.get(first.id))?.categories).toStrictEqual(['Transport']);
    } finally {
      await opened.close();
    }
  });
});

describe('GIVEN a SQLite library with categorised articles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-categories-'));
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await Promise.all(databases.map((d) => d.drop()));
  });

  it('THEN paperboy copy carries them to PostgreSQL and back to a new SQLite file', async () => {
    const tagged = article({ title: 'Tide tables', url: 'https://harbour.example/tides', categories: ['Weather', 'Harbour'] });
    const bare = article({ title: 'Quay works', url: 'https://harbour.example/quay' });
    const source = join(dir, 'source.db');
    const store = SqliteStore.open(source);
    await store.upsertMany([tagged, bare], NOW);
    await store.close();
    const database = await createTestDatabase();
    databases.push(database);
    const back = join(dir, 'back.db');

    const there = capture();
    expect(await run(['--db', source, 'copy', '--to', database.url], there), there.stderr).toBe(0);
    // From PostgreSQL: the library is the one DATABASE_URL names.
    process.env.DATABASE_URL = database.url;
    try {
      const again = capture();
      expect(await run(['copy', '--to', back], again), again.stderr).toBe(0);
    } finally {
      delete process.env.DATABASE_URL;
    }
    const copied = SqliteStore.open(back);
    try {
      expect(await copied.get(tagged.id)).toStrictEqual(tagged);
      expect(await copied.get(bare.id)).toStrictEqual(bare);
    } finally {
      await copied.close();
    }
  });
});
