/**
 * /discussion list as a view: pages of PER_PAGE, each fitting Discord whole even when every
 * discussion carries the longest address, title and error it can, so the renderer never has to cut
 * it; a page past the end is refused saying how many there are.
 */
import { embedLength } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discussionListView, PER_PAGE } from '../commands/discussion.ts';
import { openDatabase } from '../src/adapters/store/db.ts';
import { openKeyv } from '../src/adapters/store/kv.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { type DiscussionState, newDiscussion } from '../src/app/discussion/follow.ts';
import { createCodec } from '../src/ui/discord/custom-id.ts';
import { LIMITS } from '../src/ui/discord/limits.ts';
import { renderView } from '../src/ui/discord/render.ts';
import { article } from './helpers/articles.ts';

let store: SqliteStore;
beforeEach(() => {
  store = SqliteStore.open(':memory:');
});
afterEach(() => store.close());

const now = new Date('2026-12-01T09:30:00Z');

/** A discussion as bad as it gets for the list: a 2,048-character address, a long article title, failing with a 4,000-character error. */
function worst(i: number, articleId: string): DiscussionState {
  const url = `https://forum.example/c/${String(i).padStart(4, '0')}/${'x'.repeat(2048 - 30)}`;
  return {
    ...newDiscussion(url, 'comment-feed', articleId, `subscription:${900 + i}`, now),
    lastOkAt: '2026-12-01T08:00:00.000Z',
    comments: 1_500,
    missing: 220,
    failures: 7,
    lastError: `the forum answered 503 ${'and then some '.repeat(280)}`,
    retryAt: '2026-12-01T10:00:00.000Z',
    paused: 'paused by an admin: '.repeat(30),
  };
}

describe('GIVEN 16 followed discussions, each with the longest texts', () => {
  it('THEN they list 7 to a page over 3 pages, each page fitting Discord uncut, and page 4 is refused', async () => {
    const a = article({ title: `Harbour dredging ${'and the silted channel '.repeat(20)}` });
    await store.upsert(a);
    const all = Array.from({ length: 16 }, (_, i) => worst(i, a.id));
    const codec = createCodec({ keyv: openKeyv(openDatabase(':memory:'), 'bot') });
    const counts: number[] = [];
    for (const page of [1, 2, 3]) {
      const view = await discussionListView(store, all, page);
      const fields = view.embeds?.[0]?.fields ?? [];
      counts.push(fields.length);
      const rendered = (await renderView(view, codec)).embeds;
      expect(rendered.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(LIMITS.embedTotal);
      // Nothing was cut on the way: the renderer's fitting left every field as the view made it.
      expect(rendered[0]?.fields?.map((f) => f.value)).toEqual(fields.map((f) => f.value));
      expect(view.embeds?.[0]?.footer).toBe(
        page < 3 ? `Page ${page} of 3 · /discussion list page:${page + 1} for the next` : 'Page 3 of 3 · /discussion list page:1 for the first',
      );
    }
    expect(counts).toEqual([PER_PAGE, PER_PAGE, 2]);
    const first = (await discussionListView(store, all, 1)).embeds?.[0];
    expect(first?.description).toBe('16 discussions followed, 16 failing.');
    expect(first?.fields?.[0]?.value).toContain('1,500 comments held; 220 more at the source not fetched. Last read 2026-12-01 08:00 UTC.');
    expect(first?.fields?.[0]?.value).toContain('by the subscription of <#900>.');
    await expect(discussionListView(store, all, 4)).rejects.toThrow('There are 3 pages of followed discussions; page 4 is past the end.');
  });

  it('THEN none gives one page saying how to follow one', async () => {
    const view = await discussionListView(store, [], 1);
    expect(view.embeds?.[0]?.description).toMatch(/^None yet\. Follow one with \/discussion add/);
    expect(view.embeds?.[0]?.footer).toBeUndefined();
  });
});
