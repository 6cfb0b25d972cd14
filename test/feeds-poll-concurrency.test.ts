/**
 * How many feeds a poll fetches at once: `concurrency` of them (4 unless told), never more, each
 * result in the registry's order, seen from a local site that answers slowly and counts.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllowList } from '../src/adapters/feeds/allow.ts';
import { type FeedParser, createFeedParser } from '../src/adapters/feeds/parse-worker.ts';
import { pollFeeds } from '../src/app/feeds/poll.ts';
import { FeedRegistry } from '../src/app/feeds/registry.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { type LocalSite, serveLocally } from './helpers/http.ts';

const guardian = readFileSync(new URL('./fixtures/feeds/rss-parser__guardian.rss', import.meta.url));
const local = { allow: parseAllowList('127.0.0.1') };
let site: LocalSite;
let parser: FeedParser;
let answering = 0;
let most = 0;

beforeAll(async () => {
  parser = createFeedParser();
  site = await serveLocally((_req, res) => {
    answering++;
    most = Math.max(most, answering);
    // Slow enough that every fetch the poll allows is under way at once.
    setTimeout(() => {
      answering--;
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(guardian);
    }, 150);
  });
});
afterAll(async () => {
  await site?.close();
  await parser?.close();
});

async function poll(feeds: number, concurrency?: number): Promise<string[]> {
  const store = SqliteStore.open(':memory:');
  try {
    const registry = new FeedRegistry(openBotState(store.db).feeds);
    for (let i = 0; i < feeds; i++) await registry.add(`${site.base}/feed-${i}`, `Feed ${i}`, new Date());
    most = 0;
    const results = await pollFeeds(registry, store, { parse: parser.parse, limits: local, ...(concurrency !== undefined && { concurrency }) });
    return results.map((r) => `${r.url.slice(site.base.length + 1)} ${r.outcome}`);
  } finally {
    await store.close();
  }
}

describe('GIVEN more feeds than a poll fetches at once', () => {
  it('THEN four are fetched at once by default, never more, and the results are in the registry order', async () => {
    const results = await poll(9);
    expect(most).toBe(4);
    expect(results).toEqual(Array.from({ length: 9 }, (_, i) => `feed-${i} stored`).sort());
  });

  it('THEN `concurrency` sets how many, and 0 is refused naming the option', async () => {
    await poll(5, 2);
    expect(most).toBe(2);
    await expect(poll(3, 0)).rejects.toThrow('Expected `concurrency` to be a number from 1 and up, got `0`');
  });
});
