/**
 * Search over imported comments, on both stores: a comment hit says who wrote it on which platform
 * and links to it (in /search's list, its menu and the opened comment, and in the terminal); the
 * article-page export's comments read as before. The real Reddit thread is stored beside a Hacker
 * News comment and an export.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMessageBody } from '@paperboy/fake-discord';
import search, { searchView } from '../commands/search.ts';
import { commentOrigins, searchPage } from '../src/app/library/search.ts';
import { openDatabase } from '../src/adapters/store/db.ts';
import { openKeyv } from '../src/adapters/store/kv.ts';
import { createCodec } from '../src/ui/discord/custom-id.ts';
import { renderView } from '../src/ui/discord/render.ts';
import { LIMITS } from '../src/ui/discord/limits.ts';
import { renderSearch } from '../src/ui/cli/render.ts';
import type { View } from '../src/core/view.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { article, comment } from './helpers/articles.ts';
import { cliWith } from './helpers/cli.ts';
import { type OpenedStore, backendNames, storeBackends } from './helpers/store-backends.ts';
import { redditThread } from './helpers/reddit-thread.ts';

const thread = redditThread();
const HOWARD = 'https://www.reddit.com/r/announcements/comments/n49rw/were_back/c364qyj/';
const hn = article({
  title: 'Ferry software rewrite',
  url: 'https://ferries.example/rewrite',
  comments: [
    comment(0, 'The cartridge analogy is apt: blow on the ferry software and hope.', {
      id: 'hn:8863',
      number: null,
      author: 'pg',
      url: 'https://news.ycombinator.com/item?id=8863',
    }),
  ],
});
const exported = article({ title: 'Harbour notes', comments: [comment(1, 'My cartridge of ink ran out at the harbour office.', { author: 'Ola' })] });

async function fits(view: View): Promise<void> {
  const codec = createCodec({ keyv: openKeyv(openDatabase(':memory:'), 'bot') });
  const payload = await renderView(view, codec);
  expect(checkMessageBody(payload as unknown as Record<string, unknown>)).toEqual([]);
  // Built within the limits, so the renderer cut nothing.
  expect(payload.embeds[0]?.description).toBe(view.embeds?.[0]?.description);
}

describe.each(backendNames)('GIVEN the Reddit thread, a Hacker News comment and an export stored in %s', (backend) => {
  let opened: OpenedStore;
  beforeAll(async () => {
    opened = await storeBackends[backend]();
    for (const a of [thread, hn, exported]) await opened.store.upsert(a);
  });
  afterAll(() => opened.close());

  it('THEN every imported comment with text is found by its own words', async () => {
    // Each comment's three longest words, searched among comments: the comment is among the hits.
    const withText = thread.comments.filter((c) => !c.deleted && c.paragraphs.length > 0);
    const sample = withText.filter((_, i) => i % 6 === 0);
    expect(sample.length).toBeGreaterThan(70);
    for (const c of sample) {
      const words = [...new Set(c.paragraphs.join(' ').match(/(?<![\w'’])[A-Za-z]{4,}(?![\w'’])/g) ?? [])].sort((a, b) => b.length - a.length).slice(0, 3);
      if (words.length === 0) continue;
      const r = await opened.store.search(words.join(' '), { in: 'comments', limit: 100 });
      expect(
        r.hits.some((h) => h.comment?.id === c.id),
        `${c.id} by "${words.join(' ')}"`,
      ).toBe(true);
    }
  });

  it('THEN /search names the platform of each comment hit and links it; the export reads as before', async () => {
    const view = await searchView(opened.store, { query: 'cartridge', scope: 'comments', source: null }, 1);
    const description = view.embeds?.[0]?.description ?? '';
    expect(description).toContain(`comment by Howard\\_Campbell on Reddit · 2011-12-08 03:13:41 UTC · [open](${HOWARD})`);
    expect(description).toContain('comment by pg on Hacker News · 2021-10-20 10:12 · [open](https://news.ycombinator.com/item?id=8863)');
    expect(description).toContain('comment #1 · by Ola · 2021-10-20 10:12');
    const labels = view.select?.options.map((o) => o.label) ?? [];
    expect(labels).toContain(`${labels.findIndex((l) => l.includes('Howard')) + 1}. Reddit comment by Howard_Campbell · We're back`);
    expect(labels.some((l) => / comment #1 by Ola · Harbour notes$/.test(l))).toBe(true);
    for (const o of view.select?.options ?? []) expect(o.label.length).toBeLessThanOrEqual(LIMITS.selectOptionText);
    await fits(view);
  });

  it('THEN a full page of Reddit hits fits one embed, links included', async () => {
    const view = await searchView(opened.store, { query: 'site', scope: 'comments', source: null }, 1);
    expect(view.select?.options).toHaveLength(5);
    expect((view.embeds?.[0]?.description ?? '').match(/ on Reddit · /g)?.length).toBe(5);
    await fits(view);
  });

  it('THEN opening the hit shows the comment with its platform and a link first', async () => {
    const view = await searchView(opened.store, { query: 'cartridge', scope: 'comments', source: null }, 1);
    const option = view.select?.options.find((o) => o.label.includes('Howard'));
    const answer = await search.component?.((view.select?.state ?? []).slice(1), [option?.value ?? ''], { store: opened.store, now: () => new Date() });
    const embed = answer?.view.embeds?.[0];
    expect(embed?.author).toBe('comment on Reddit · Howard_Campbell · 2011-12-08 03:13:41 UTC · score 2645');
    expect(embed?.description).toBe(`[Open on Reddit](${HOWARD})\n\nDid you try pulling the cartridge out and blowing?`);
  });

  it('THEN the terminal names the platform and prints the link', async () => {
    const result = await searchPage(opened.store, { query: 'cartridge', scope: 'comments', source: null }, 1, 10);
    const origins = commentOrigins(result.hits);
    const text = renderSearch(result, false, origins);
    expect(text).toContain(`   comment by Howard_Campbell on Reddit · 2011-12-08 03:13:41Z · ${HOWARD}`);
    expect(text).toContain('   comment by pg on Hacker News · 2021-10-20 10:12 · https://news.ycombinator.com/item?id=8863');
    expect(text).toContain('   comment #1 · Ola · 2021-10-20 10:12');
  });
});

describe('GIVEN the same library in a SQLite file, searched with `paperboy search --json`', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-search-sources-'));
  const db = join(dir, 'library.db');
  const cli = cliWith(() => db);
  beforeAll(async () => {
    const store = SqliteStore.open(db);
    for (const a of [thread, hn, exported]) await store.upsert(a);
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("THEN a comment hit from elsewhere carries its platform and link; the export's carries neither", async () => {
    const r = await cli('search', 'cartridge', '--in', 'comments', '--json');
    expect(r.code).toBe(0);
    const hits = (JSON.parse(r.stdout) as { hits: { comment: { id: string }; commentSource?: string; commentUrl?: string }[] }).hits;
    const byId = new Map(hits.map((h) => [h.comment.id, h]));
    expect(byId.get('reddit:c364qyj')).toMatchObject({ commentSource: 'Reddit', commentUrl: HOWARD });
    expect(byId.get('hn:8863')).toMatchObject({ commentSource: 'Hacker News', commentUrl: 'https://news.ycombinator.com/item?id=8863' });
    expect(byId.get('n1')).not.toHaveProperty('commentSource');
    expect((await cli('search', 'cartridge', '--in', 'comments')).stdout).toContain(`comment by Howard_Campbell on Reddit · 2011-12-08 03:13:41Z · ${HOWARD}`);
  });
});
