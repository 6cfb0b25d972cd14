/**
 * `paperboy subscription list | show | edit`: the settings of the bot's subscriptions from the
 * command line, with the same checks and messages as `/subscriptions edit:`, on a SQLite file and
 * on PostgreSQL (DATABASE_URL).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPostgresBotState } from '../src/adapters/store/postgres/state.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import type { Subscription } from '../src/app/delivery/subscriptions.ts';
import { article } from './helpers/articles.ts';
import { cliWith } from './helpers/cli.ts';
import { createTestDatabase } from './helpers/postgres.ts';

const GUILD = '900000000000000001';
const TEXT = '900000000000000002';
const FORUM = '900000000000000003';
const ROLE = '123456789012345678';

function subscription(channelId: string, kind: Subscription['kind'], channelName: string): Subscription {
  return {
    guildId: GUILD,
    channelId,
    kind,
    channelName,
    source: 'Coast Gazette',
    keywords: null,
    backfill: { kind: 'latest', count: 3 },
    cursor: 0,
    checkedAt: '2026-12-01T10:00:00Z',
    createdAt: '2026-12-01T10:00:00Z',
    createdBy: 'editor',
    paused: null,
    posted: 0,
    lastPostedAt: null,
    lastRunAt: null,
    lastError: null,
  };
}

let dir: string;
let db: string;
const cli = cliWith(() => db);
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-subscli-'));
  db = join(dir, 'p.db');
  const store = SqliteStore.open(db);
  await store.upsert(article({ title: 'Tide tables for December', source: 'Coast Gazette', publishedAt: '2026-11-30T06:00' }));
  const subs = openBotState(store.db).subscriptions;
  await subs.put(subscription(TEXT, 'text', 'news'));
  await subs.put(subscription(FORUM, 'forum', 'articles'));
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GIVEN two subscriptions in the database file', () => {
  it('THEN edit saves the settings, says what changed and what is in force, and show and list read them back', async () => {
    const edited = await cli(
      'subscription',
      'edit',
      '--guild',
      GUILD,
      '--channel',
      TEXT,
      '--filter',
      'title contains "tide"',
      '--mentions',
      `<@&${ROLE}> if title contains "storm"`,
      '--daily-cap',
      '10',
      '--thread-name',
      '{title}',
      '--digest',
      'daily 08:00 Europe/Berlin',
    );
    expect(edited.stderr).toBe('');
    expect(edited.stdout).toBe(
      [
        `updated ${GUILD} ${TEXT}: filter, thread_name, mentions, daily_cap, digest changed; settings now:`,
        '  filter: title contains "tide"',
        '  thread_name: {title}',
        `  mentions: role:${ROLE} if title contains "storm"`,
        '  daily_cap: 10 articles a day',
        '  digest: daily 08:00 Europe/Berlin',
        `template checked with article ${article({ title: 'Tide tables for December', source: 'Coast Gazette' }).id}: Tide tables for December`,
        '',
      ].join('\n'),
    );
    const shown = await cli('subscription', 'show', '--guild', GUILD, '--channel', TEXT);
    expect(shown.stdout).toContain('  daily_cap: 10 articles a day\n');
    const json = JSON.parse((await cli('subscription', 'show', '--guild', GUILD, '--channel', TEXT, '--json')).stdout) as Subscription;
    expect(json.options?.mentions).toEqual([{ kind: 'role', id: ROLE, filter: 'title contains "storm"' }]);
    expect(json.revision).toBe(1);
    const list = await cli('subscription', 'list');
    expect(list.stdout).toBe(
      [
        `${GUILD} ${TEXT} #news (text): source Coast Gazette; backfill latest 3; filter title contains "tide"; template (threadName); 1 mention; at most 10/day; digest daily 08:00 Europe/Berlin`,
        `${GUILD} ${FORUM} #articles (forum): source Coast Gazette; backfill latest 3`,
        '',
      ].join('\n'),
    );
    const listed = JSON.parse((await cli('subscription', 'list', '--json')).stdout) as { subscriptions: Subscription[]; invalid: unknown[] };
    expect(listed.subscriptions.map((s) => s.channelId)).toEqual([TEXT, FORUM]);
    const cleared = JSON.parse(
      (await cli('subscription', 'edit', '--guild', GUILD, '--channel', TEXT, '--mentions', '-', '--digest', '-', '--json')).stdout,
    ) as {
      changed: string[];
      options: unknown;
    };
    expect(cleared.changed).toEqual(['mentions', 'digest']);
    expect(cleared.options).toEqual({ filter: 'title contains "tide"', template: { threadName: '{title}' }, dailyCap: 10 });
  });

  it('THEN a refused edit names every problem, a filter mistake with its caret, exits 1 and saves nothing', async () => {
    const bad = await cli('subscription', 'edit', '--guild', GUILD, '--channel', TEXT, '--filter', 'title contains', '--max-age', '0', '--tags', `${ROLE}`);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe(
      [
        'paperboy: filter: column 15: expected a value after `contains`',
        '  title contains',
        '                ^',
        'tags: only a forum subscription has tags; this one posts in a text channel',
        'max_age: must be a whole number of hours from 1 to 8760, got "0"',
        '',
      ].join('\n'),
    );
    expect((await cli('subscription', 'show', '--guild', GUILD, '--channel', TEXT)).stdout).toContain('  filter: title contains "tide"\n');
    const missing = await cli('subscription', 'show', '--guild', GUILD, '--channel', '42');
    expect(missing).toMatchObject({ code: 1, stderr: `paperboy: channel 42 in guild ${GUILD} has no subscription (see \`paperboy subscription list\`)\n` });
    expect((await cli('subscription', 'edit', '--guild', 'general', '--channel', TEXT)).stderr).toBe(
      'paperboy: --guild: expected a Discord id (digits), got `general`\n',
    );
  });
});

describe('GIVEN DATABASE_URL names a PostgreSQL database', () => {
  it('THEN edit writes the settings there and show reads them back', async () => {
    const database = await createTestDatabase();
    const state = await openPostgresBotState(database.url, { max: 2 });
    try {
      await state.subscriptions.put(subscription(FORUM, 'forum', 'articles'));
      vi.stubEnv('DATABASE_URL', database.url);
      const edited = await cli(
        'subscription',
        'edit',
        '--guild',
        GUILD,
        '--channel',
        FORUM,
        '--tags',
        `${ROLE} if title contains "ferry"`,
        '--webhook-name',
        'Harbour desk',
      );
      expect(edited.stdout).toMatch(/^updated \d+ \d+: webhook_name, tags changed; settings now:\n {2}webhook_name: Harbour desk\n {2}tags: 1234/);
      expect((await state.subscriptions.get({ guildId: GUILD, channelId: FORUM }))?.options).toEqual({
        webhook: { name: 'Harbour desk', avatarUrl: null },
        tags: [{ tagId: ROLE, filter: 'title contains "ferry"' }],
      });
    } finally {
      vi.unstubAllEnvs();
      await state.close();
      await database.drop();
    }
  });
});
