/**
 * `/feed list` and `paperboy feed list` (issue 17 point 6): for a feed that reads, one that fails and
 * one paused, each from a local site, the list says when each last read, how many items it saw,
 * when it is read next, and for the failing and the paused one why and since when. On a SQLite file
 * and on PostgreSQL (DATABASE_URL); the same list through Discord: e2e-feed-health.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { feedListView } from '../commands/feed.ts';
import { parseAllowList } from '../src/adapters/feeds/allow.ts';
import { parseFeed } from '../src/adapters/feeds/parse.ts';
import type { ArticleSink } from '../src/adapters/store/contract.ts';
import { openPostgresBotState } from '../src/adapters/store/postgres/state.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { type BotState, openBotState } from '../src/adapters/store/state.ts';
import { listFeeds } from '../src/app/feeds/manage.ts';
import { pollFeeds } from '../src/app/feeds/poll.ts';
import { FeedRegistry } from '../src/app/feeds/registry.ts';
import type { Article } from '../src/core/model.ts';
import { cliWith } from './helpers/cli.ts';
import { type LocalSite, serveLocally } from './helpers/http.ts';
import { createTestDatabase } from './helpers/postgres.ts';

const ITEM = (n: number): string => `<item><title>Ferry ${n}</title><link>https://harbour.example/${n}</link><guid>ferry-${n}</guid></item>`;
const FEED = `<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Harbour</title><link>https://harbour.example/</link>${[1, 2, 3].map(ITEM).join('')}</channel></rss>`;

/** Before `broken`, every address reads; after, /quay answers 404 and /pier 410. */
let broken = false;
let site: LocalSite;
beforeAll(async () => {
  site = await serveLocally((req, res) => {
    if (broken && req.url === '/quay') return void res.writeHead(404).end();
    if (broken && req.url === '/pier') return void res.writeHead(410).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(FEED);
  });
});
afterAll(() => site.close());

const T0 = Date.parse('2026-12-01T08:00:00Z');
const T1 = Date.parse('2026-12-01T09:30:00Z');
const limits = { allow: parseAllowList('127.0.0.1'), timeoutMs: 10_000 };
/** Stores nothing: the list reads the feeds' state, not their articles. */
const sink: ArticleSink = {
  upsertMany: (items: readonly Article[]) => Promise.resolve(items.map(() => 'added' as const)),
  upsert: () => Promise.resolve('added' as const),
};

/** Three feeds read at T0; at T1 the harbour feed reads again, the quay one fails and the pier one is gone (paused). */
async function threeFeeds(state: BotState): Promise<void> {
  const registry = new FeedRegistry(state.feeds);
  broken = false;
  for (const [path, name] of [
    ['harbour', 'Harbour'],
    ['quay', 'Quay'],
    ['pier', 'Pier'],
  ] as const)
    await registry.add(`${site.base}/${path}`, name, new Date(T0));
  await pollFeeds(registry, sink, { parse: parseFeed, limits, now: () => new Date(T0) });
  broken = true;
  await pollFeeds(registry, sink, { parse: parseFeed, limits, now: () => new Date(T1), force: true });
}

let dir: string;
let db: string;
const cli = cliWith(() => db);
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-feedlist-'));
  db = join(dir, 'p.db');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What `paperboy feed list` prints for the three, the same from either backend. */
const printed = (): string =>
  [
    `${site.base}/harbour  "Harbour"  ok; last success 2026-12-01T09:30:00.000Z, 3 items; next poll on the next run`,
    `${site.base}/pier  "Pier"  paused since 2026-12-01T09:30:00.000Z: gone (HTTP 410): the site says this feed was removed for good` +
      ` (resume with \`paperboy feed resume ${site.base}/pier\`); last success 2026-12-01T08:00:00.000Z, 3 items`,
    `${site.base}/quay  "Quay"  failing (1×): HTTP 404 Not Found from ${site.base}/quay (not found (HTTP 404): the feed’s address may have changed);` +
      ' since 2026-12-01T09:30:00.000Z; last success 2026-12-01T08:00:00.000Z, 3 items; next poll 2026-12-01T09:35:00.000Z',
    '',
  ].join('\n');

/** Each feed's health in `paperboy feed list --json`, by its path. */
async function healthJson(): Promise<Record<string, unknown>> {
  const listed = JSON.parse((await cli('feed', 'list', '--json')).stdout) as { url: string; health: unknown }[];
  return Object.fromEntries(listed.map((f) => [f.url.slice(site.base.length + 1), f.health]));
}

const HEALTH = {
  harbour: { state: 'ok', since: null, reason: null, lastSuccess: '2026-12-01T09:30:00.000Z', items: 3, nextPoll: 'next run' },
  // The first backoff after a failure is 5 minutes.
  quay: {
    state: 'failing',
    since: '2026-12-01T09:30:00.000Z',
    reason: 'not found (HTTP 404): the feed’s address may have changed',
    lastSuccess: '2026-12-01T08:00:00.000Z',
    items: 3,
    nextPoll: '2026-12-01T09:35:00.000Z',
  },
  // Paused: not read again until resumed, so no next poll.
  pier: {
    state: 'paused',
    since: '2026-12-01T09:30:00.000Z',
    reason: 'gone (HTTP 410): the site says this feed was removed for good',
    lastSuccess: '2026-12-01T08:00:00.000Z',
    items: 3,
    nextPoll: null,
  },
};

describe('GIVEN a feed that reads, one failing and one paused, in a database file', () => {
  let feeds: Awaited<ReturnType<typeof listFeeds>>;
  beforeAll(async () => {
    const store = SqliteStore.open(db);
    try {
      await threeFeeds(openBotState(store.db));
      feeds = await listFeeds(new FeedRegistry(openBotState(store.db).feeds));
    } finally {
      await store.close();
    }
  });

  it('THEN paperboy feed list gives each one’s state, last success, items seen and next poll, and why and since when for the failing and the paused', async () => {
    expect(await cli('feed', 'list')).toEqual({ code: 0, stdout: printed(), stderr: '' });
    expect(await healthJson()).toEqual(HEALTH);
  });

  it('THEN /feed list shows the same, in UTC minutes', () => {
    const view = feedListView(feeds);
    expect(view.embeds?.[0]?.description).toBe('3 feeds, read on each delivery run.');
    expect(view.embeds?.[0]?.fields).toEqual([
      {
        name: 'Harbour',
        value: `<${site.base}/harbour>\n✅ OK.\nLast success 2026-12-01 09:30 UTC: 3 items.\nNext poll: the next delivery run.`,
      },
      {
        name: 'Pier',
        value:
          `<${site.base}/pier>\n⏸ Paused since 2026-12-01 09:30 UTC: gone (HTTP 410): the site says this feed was removed for good. Resume with /feed resume.\n` +
          'Last success 2026-12-01 08:00 UTC: 3 items.',
      },
      {
        name: 'Quay',
        value:
          `<${site.base}/quay>\n⚠ Failing since 2026-12-01 09:30 UTC (1 time): not found (HTTP 404): the feed’s address may have changed.\n` +
          'Last success 2026-12-01 08:00 UTC: 3 items.\nNext poll: 2026-12-01 09:35 UTC.',
      },
    ]);
  });
});

describe('GIVEN the same three feeds in PostgreSQL (DATABASE_URL)', () => {
  it('THEN paperboy feed list reads them from there, alike', async () => {
    const database = await createTestDatabase();
    const state = await openPostgresBotState(database.url, { max: 2 });
    try {
      await threeFeeds(state);
      vi.stubEnv('DATABASE_URL', database.url);
      expect(await cli('feed', 'list')).toEqual({ code: 0, stdout: printed(), stderr: '' });
      expect(await healthJson()).toEqual(HEALTH);
    } finally {
      vi.unstubAllEnvs();
      await state.close();
      await database.drop();
    }
  });
});
