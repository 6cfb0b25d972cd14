/**
 * The article store behaves the same on both backends: GIVEN the same calls, SQLite (in memory) and
 * PostgreSQL (a database of its own on the real server) give the same answers. Writes, reads,
 * positions and suggestions here; search in store-backends-search.test.ts.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Article } from '../src/core/model.ts';
import type { Store } from '../src/adapters/store/contract.ts';
import { openPostgresStore } from '../src/adapters/store/postgres/articles.ts';
import { MIGRATIONS } from '../src/adapters/store/postgres/migrations.ts';
import { parseExport } from '../src/adapters/sources/parse-export.ts';
import { article, comment } from './helpers/articles.ts';
import { createTestDatabase } from './helpers/postgres.ts';
import { backendNames, everything, type OpenedStore, storeBackends } from './helpers/store-backends.ts';

const NOW = new Date('2026-11-28T00:00:00.000Z');
const SAMPLE = readFileSync(new URL('./fixtures/000_19f3c93e7cb867fa.txt', import.meta.url), 'utf8');
/** The sample the product was specified from: a topwar.ru article with its reader comments. */
const seed = parseExport('000_19f3c93e7cb867fa.txt', SAMPLE, { now: NOW, source: 'topwar.ru' }).articles[0]!;

const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

describe.each(backendNames)('GIVEN the %s store', (backend) => {
  let opened: OpenedStore;
  let store: Store;
  beforeEach(async () => {
    opened = await storeBackends[backend]();
    store = opened.store;
  });
  afterEach(() => opened.close());

  it('THEN it names its backend', () => {
    expect(store.backend).toBe(backend === 'SQLite' ? 'sqlite' : 'postgres');
  });

  it('THEN a real article with its comments comes back whole', async () => {
    expect(seed.comments.length).toBeGreaterThan(2);
    expect(await store.upsert(seed, NOW)).toBe('added');
    expect(await store.get(seed.id)).toEqual(seed);
    expect(await store.get('0000000000000000')).toBeNull();
    expect(await store.count()).toBe(1);
  });

  it('THEN the same article again is unchanged, and a changed one updated', async () => {
    const a = article({ title: 'Harbour reopens', text: 'The harbour reopened on Monday.', author: 'K. Ivanova' });
    expect(await store.upsertMany([a, a], NOW)).toEqual(['added', 'unchanged']);
    expect(await store.upsert(a, later(1))).toBe('unchanged');
    expect(await store.upsert({ ...a, title: 'Harbour reopens at last' }, later(2))).toBe('updated');
    expect((await store.get(a.id))?.title).toBe('Harbour reopens at last');
    expect(await store.upsertMany([], NOW)).toEqual([]);
  });

  it('THEN fields the new copy lacks keep their stored values, and an empty body keeps the stored body', async () => {
    const a = article({
      title: 'Ferry timetable',
      text: 'Ferries leave hourly.\n\nThe last one leaves at ten.',
      author: 'Port office',
      url: 'https://example.org/ferry',
      publishedAt: '2021-10-20T10:00:00Z',
      language: 'en',
      declaredCommentCount: 3,
    });
    await store.upsert(a, NOW);
    const bare: Article = { ...a, author: null, publishedAt: null, language: null, declaredCommentCount: null, body: [] };
    expect(await store.upsert(bare, later(1))).toBe('unchanged');
    expect(await store.get(a.id)).toEqual(a);
    // A value the new copy has replaces the stored one.
    expect(await store.upsert({ ...bare, author: 'Harbour master' }, later(2))).toBe('updated');
    expect(await store.get(a.id)).toEqual({ ...a, author: 'Harbour master' });
  });

  it('THEN comments merge by id: changed ones updated in place, new ones appended, none dropped', async () => {
    const a = article({
      title: 'Bridge closed',
      text: 'The bridge is closed for repairs.',
      comments: [comment(1, 'First!', { author: 'ann' }), comment(2, 'About time.', { author: 'bob' })],
    });
    await store.upsert(a, NOW);
    const copy = {
      ...a,
      comments: [comment(3, 'Detour via the ring road.'), comment(1, 'First! (edited)', { author: null })],
    };
    expect(await store.upsert(copy, later(5))).toBe('updated');
    const stored = await store.get(a.id);
    expect(stored?.comments.map((c) => [c.id, c.paragraphs[0], c.author])).toEqual([
      ['n1', 'First! (edited)', 'ann'],
      ['n2', 'About time.', 'bob'],
      ['n3', 'Detour via the ring road.', null],
    ]);
    expect(await store.upsert(copy, later(6))).toBe('unchanged');
  });

  it('THEN an imported comment keeps its source link, edit time and deletion, and a deletion later replaces its text', async () => {
    const a = article({
      title: 'Thread about the bridge',
      comments: [
        comment(1, 'Top comment.', { url: 'https://news.example/item?id=1', editedAt: '2021-10-20T11:00:00Z' }),
        comment(2, 'A reply.', { replyTo: 'n1', url: 'https://news.example/item?id=2' }),
      ],
    });
    await store.upsert(a, NOW);
    expect(await store.get(a.id)).toEqual(a);
    const deleted = { ...a, comments: [comment(1, '', { url: null, deleted: true })] };
    expect(await store.upsert(deleted, later(1))).toBe('updated');
    const stored = (await store.get(a.id))!.comments;
    expect(stored[0]).toMatchObject({ id: 'n1', paragraphs: [], deleted: true, url: 'https://news.example/item?id=1', editedAt: '2021-10-20T11:00:00Z' });
    expect(stored[1]).toMatchObject({ id: 'n2', replyTo: 'n1', paragraphs: ['A reply.'] });
    expect(stored[1]!.deleted).toBeUndefined();
  });

  it('THEN new comments alone touch the article for delivery (updatedSince)', async () => {
    const a = article({ title: 'Tram line', text: 'A new tram line opens.', comments: [comment(1, 'Finally.')] });
    const b = article({ title: 'Bus line', text: 'A bus line closes.' });
    await store.upsertMany([a, b], NOW);
    const last = await store.positions.last();
    expect(await store.positions.updatedSince(NOW.toISOString(), last, 10)).toEqual([]);
    expect(await store.upsert({ ...a, comments: [comment(2, 'Is it late again?')] }, later(10))).toBe('updated');
    expect(await store.positions.updatedSince(NOW.toISOString(), last, 10)).toEqual([a.id]);
    expect(await store.positions.updatedSince(later(10).toISOString(), last, 10)).toEqual([]);
  });

  it('THEN delete removes an article with its comments, and deleteComment one comment', async () => {
    const a = article({ title: 'Storm warning', text: 'Gales expected.', comments: [comment(1, 'Stay inside.'), comment(2, 'Boats in harbour.')] });
    await store.upsert(a, NOW);
    expect(await store.deleteComment(a.id, 'n1')).toBe(true);
    expect(await store.deleteComment(a.id, 'n1')).toBe(false);
    expect(await store.deleteComment('0000000000000000', 'n2')).toBe(false);
    expect((await store.get(a.id))?.comments.map((c) => c.id)).toEqual(['n2']);
    expect((await store.search('inside', { in: 'comments' })).total).toBe(0);
    expect(await store.delete(a.id)).toBe(true);
    expect(await store.delete(a.id)).toBe(false);
    expect(await store.get(a.id)).toBeNull();
    expect(await store.count()).toBe(0);
    expect((await store.search('harbour', { in: 'comments' })).total).toBe(0);
  });

  it('THEN list is newest first (published, else ingested) with comment counts, paged', async () => {
    const old = article({ title: 'Old', publishedAt: '2020-01-01', declaredCommentCount: 4, comments: [comment(1, 'x')] });
    const undated = article({ title: 'Undated', ingestedAt: '2022-06-01T00:00:00.000Z' });
    const recent = article({ title: 'Recent', publishedAt: '2024-05-05T12:00:00Z' });
    await store.upsertMany([old, undated, recent], NOW);
    const list = await store.list();
    expect(list.map((s) => s.title)).toEqual(['Recent', 'Undated', 'Old']);
    expect(list[2]).toEqual({
      id: old.id,
      title: 'Old',
      url: null,
      source: null,
      publishedAt: '2020-01-01',
      ingestedAt: old.ingestedAt,
      comments: 1,
      declaredCommentCount: 4,
    });
    expect((await store.list({ limit: 1, offset: 1 })).map((s) => s.title)).toEqual(['Undated']);
    expect((await store.list({ limit: 2 })).map((s) => s.title)).toEqual(['Recent', 'Undated']);
  });

  it('THEN idsWithPrefix finds ids by their start, in order, bounded', async () => {
    const many = Array.from({ length: 40 }, (_, i) => article({ title: `Note ${i}` }));
    await store.upsertMany(many, NOW);
    const ids = many.map((a) => a.id).sort();
    const first = ids[0]!;
    expect(await store.idsWithPrefix(first.slice(0, 16), 5)).toEqual([first]);
    const head = first.slice(0, 1);
    expect(await store.idsWithPrefix(head.toUpperCase(), 100)).toEqual(ids.filter((id) => id.startsWith(head)));
    expect(await store.idsWithPrefix('', 3)).toEqual(ids.slice(0, 3));
    expect(await store.idsWithPrefix('zz', 3)).toEqual([]);
    // A negative limit is no limit, as SQLite reads it.
    expect(await store.idsWithPrefix('', -1)).toEqual(ids);
    expect(await store.positions.after(0, -1)).toHaveLength(40);
    expect(await store.list({ limit: -1 })).toHaveLength(40);
  });

  it('THEN all() gives every article with its comments, oldest stored first, across pages', async () => {
    const many = Array.from({ length: 450 }, (_, i) => article({ title: `Dispatch ${i}`, comments: i % 100 === 0 ? [comment(1, `On ${i}`)] : [] }));
    await store.upsertMany(many.slice(0, 300), NOW);
    await store.upsertMany(many.slice(300), NOW);
    // An update keeps the article's place.
    await store.upsert({ ...many[0]!, title: 'Dispatch zero' }, later(1));
    expect(await everything(store)).toEqual(many.map((a) => a.id));
    const got: Article[] = [];
    for await (const a of store.all()) if (a.comments.length > 0) got.push(a);
    expect(got.map((a) => a.comments[0]?.paragraphs[0])).toEqual(['On 0', 'On 100', 'On 200', 'On 300', 'On 400']);
  });

  it('THEN positions walk the order articles were first stored in', async () => {
    expect(await store.positions.last()).toBe(0);
    const [a, b, c] = [article({ title: 'A', source: 'one' }), article({ title: 'B' }), article({ title: 'C', source: 'three' })];
    await store.upsertMany([a, b, c], NOW);
    const last = await store.positions.last();
    const after = await store.positions.after(0, 10);
    expect(after.map((p) => [p.id, p.source])).toEqual([
      [a.id, 'one'],
      [b.id, null],
      [c.id, 'three'],
    ]);
    expect(after.at(-1)?.position).toBe(last);
    expect(after[0]!.position).toBeLessThan(after[1]!.position);
    expect((await store.positions.after(after[0]!.position, 1)).map((p) => p.id)).toEqual([b.id]);
    expect((await store.positions.before(last, 10)).map((p) => p.id)).toEqual([b.id, a.id]);
    // Updates keep the position; updatedSince lists changes at or before a position, oldest change first.
    await store.upsert({ ...c, title: 'C2' }, later(2));
    await store.upsert({ ...a, title: 'A2' }, later(3));
    expect(await store.positions.last()).toBe(last);
    expect(await store.positions.updatedSince(NOW.toISOString(), last, 10)).toEqual([c.id, a.id]);
    expect(await store.positions.updatedSince(NOW.toISOString(), last, 1)).toEqual([c.id]);
    expect(await store.positions.updatedSince(NOW.toISOString(), after[1]!.position, 10)).toEqual([a.id]);
  });

  describe('AND suggestions for what was typed', () => {
    const titles = ['Russia and NATO are severing ties', 'NATO summit in Madrid', 'Natural gas prices rise', 'Weather in Moscow'];
    const dated = titles.map((title, i) => article({ title, publishedAt: `2021-10-${10 + i}` }));
    beforeEach(() => store.upsertMany(dated, NOW).then(() => undefined));
    const suggested = async (typed: string, limit = 10) => (await store.suggest(typed, limit)).map((s) => s.title);

    it('THEN the last word is a prefix and every word must match, newest stored first', async () => {
      expect(await suggested('nat')).toEqual(['Natural gas prices rise', 'NATO summit in Madrid', 'Russia and NATO are severing ties']);
      expect(await suggested('nato sev')).toEqual(['Russia and NATO are severing ties']);
      expect(await suggested('nat', 1)).toEqual(['Natural gas prices rise']);
      expect(await suggested('zzz')).toEqual([]);
    });

    it('THEN one letter after other words starts the next word, on both backends alike', async () => {
      expect(await suggested('nato s')).toEqual(['NATO summit in Madrid', 'Russia and NATO are severing ties']);
      expect(await suggested('russia and n')).toEqual(['Russia and NATO are severing ties']);
      expect(await suggested('nato x')).toEqual([]);
      // The words typed are not the next word: "nato n" wants a word after NATO starting with n.
      expect(await suggested('nato n')).toEqual([]);
      await store.upsertMany([article({ title: 'Les écoles ferment', publishedAt: '2021-09-01' })], NOW);
      expect(await suggested('les é')).toEqual(['Les écoles ferment']);
      expect(await suggested('les e')).toEqual(['Les écoles ferment']);
    });

    it('THEN nothing typed (or one letter) gives the newest articles', async () => {
      expect(await suggested('', 2)).toEqual(['Weather in Moscow', 'Natural gas prices rise']);
      expect(await suggested('n', 2)).toEqual(['Weather in Moscow', 'Natural gas prices rise']);
    });

    it('THEN an id or its start finds the article', async () => {
      const target = dated[1]!;
      expect(await store.suggest(target.id, 5)).toEqual([{ id: target.id, title: target.title }]);
      expect((await store.suggest(target.id.slice(0, 6), 5))[0]).toEqual({ id: target.id, title: target.title });
    });

    it('THEN operator characters are plain text', async () => {
      for (const typed of ['nat:*', '!nat', 'nato & sev', "') OR 1=1 --", 'nato <-> (sev']) {
        expect(Array.isArray(await store.suggest(typed, 5)), typed).toBe(true);
      }
      expect(await suggested('nato & sev')).toEqual(['Russia and NATO are severing ties']);
    });
  });
});

describe('GIVEN three PostgreSQL pools on one new database, as three processes', () => {
  it('THEN all three open it at once (the migrations run once, under the advisory lock) and the same new article stored by all three at once is one row with every comment', async () => {
    const database = await createTestDatabase();
    const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore(database.url, { max: 2 })));
    const [first] = stores;
    try {
      const { rows } = await first!.pool.query<{ version: number }>('SELECT version FROM paperboy_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      for (let round = 0; round < 10; round++) {
        const base = article({ title: `Race ${round}`, text: 'Three processes ingest the same feed.' });
        const statuses = await Promise.all(stores.map((s, i) => s.upsert({ ...base, comments: [comment(i + 1, `From process ${i}`)] }, NOW)));
        expect(statuses.filter((s) => s === 'added')).toHaveLength(1);
        const stored = await first!.get(base.id);
        expect(stored?.comments.map((c) => c.id).sort()).toEqual(['n1', 'n2', 'n3']);
      }
      expect(await first!.count()).toBe(10);
      // Positions follow the order the articles were stored in, round by round.
      const walked = await first!.positions.after(0, 100);
      const titles = await Promise.all(walked.map(async (p) => (await first!.get(p.id))?.title));
      expect(titles).toEqual(Array.from({ length: 10 }, (_, round) => `Race ${round}`));
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await database.drop();
    }
  });

  it('THEN a database that cannot be reached is named without its password', async () => {
    await expect(openPostgresStore('postgres://paperboy:s3cret@127.0.0.1:1/nowhere', { max: 1 })).rejects.toThrow(/127\.0\.0\.1:1\/nowhere/);
    await expect(openPostgresStore('postgres://paperboy:s3cret@127.0.0.1:1/nowhere', { max: 1 })).rejects.not.toThrow(/s3cret/);
  });
});
