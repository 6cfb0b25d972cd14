/**
 * The comments' relevance window on PostgreSQL (search-sql.ts densityWindow): with more matches
 * than COUNT_CAP, the rows ranked are the newest RANK_WINDOW matches, found in stretches of keys
 * sized by how densely matches lie, or from the GIN index when they lie too sparsely for that.
 * GIVEN 1,500 comments that all hold a word and then 17,000 newer ones that do not (every stretch
 * sized by the older density, up to 16,000 keys, finds nothing and the open stretch must reach
 * back), or a word in one comment of fifteen (sparse: the GIN index), THEN both backends page
 * through the same comments, each once, and the newest match of all is among them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/adapters/store/contract.ts';
import { COUNT_CAP } from '../src/adapters/store/search-common.ts';
import { article, comment } from './helpers/articles.ts';
import { backendNames, type OpenedStore, storeBackends } from './helpers/store-backends.ts';

const NOW = new Date('2026-01-01T00:00:00Z');

/** `articles` articles of 10 comments; "walrus" in comment `k` (counting all comments from 0) when `holds(k)`. */
const libraryOf = (articles: number, holds: (k: number) => boolean) =>
  Array.from({ length: articles }, (_, a) =>
    article({
      title: `Harbour notes ${a}`,
      text: `Notes from the harbour, part ${a}.`,
      comments: Array.from({ length: 10 }, (_, c) => comment(c + 1, holds(a * 10 + c) ? `A walrus, seen ${a}.${c}.` : `Only gulls, ${a}.${c}.`)),
    }),
  );

const ids = (hits: readonly { articleId: string; comment: { id: string } | null }[]) => hits.map((h) => `${h.articleId}/${h.comment?.id ?? ''}`);

describe.each([
  { what: 'all of the oldest 1,500 comments, none of the newest 17,000', library: libraryOf(1850, (k) => k < 1500), newest: 1499 },
  { what: 'one comment of fifteen, too sparse for stretches of keys', library: libraryOf(1700, (k) => k % 15 === 0), newest: 16995 },
])('GIVEN more comment matches than COUNT_CAP: $what', ({ library, newest }) => {
  const opened: Partial<Record<(typeof backendNames)[number], OpenedStore>> = {};
  beforeAll(async () => {
    for (const name of backendNames) {
      const o = await storeBackends[name]();
      await o.store.upsertMany(library, NOW);
      opened[name] = o;
    }
  }, 120_000);
  afterAll(async () => {
    for (const o of Object.values(opened)) await o.close();
  });

  const pages = async (store: Store): Promise<string[]> => {
    const seen: string[] = [];
    for (let offset = 0; offset < COUNT_CAP; offset += 100) seen.push(...ids((await store.search('walrus', { in: 'comments', limit: 100, offset })).hits));
    return seen;
  };

  it('THEN both backends count them capped and page through the same comments, each once', async () => {
    const [sqlite, postgres] = backendNames.map((name) => opened[name]!.store);
    const first = await postgres!.search('walrus', { in: 'comments' });
    expect({ total: first.total, capped: first.totalCapped }).toEqual({ total: COUNT_CAP, capped: true });
    const pg = await pages(postgres!);
    expect(new Set(pg).size).toBe(COUNT_CAP);
    expect(new Set(pg)).toEqual(new Set(await pages(sqlite!)));
    // The newest comment holding the word is in the window.
    const a = library[Math.floor(newest / 10)]!;
    expect(pg).toContain(`${a.id}/${a.comments[newest % 10]!.id}`);
  });
});
