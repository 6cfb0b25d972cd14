/** `paperboy preview`: a subscription's verdicts from the command line, as text and as JSON, and its mistakes named. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { snowflakeAt } from '../src/app/delivery/poster.ts';
import type { Preview } from '../src/app/delivery/preview.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import type { Subscription } from '../src/core/state.ts';
import { article } from './helpers/articles.ts';
import { cliWith } from './helpers/cli.ts';

const db = join(mkdtempSync(join(tmpdir(), 'paperboy-preview-')), 'p.db');
const cli = cliWith(() => db);
/** Within the last day, whenever the test runs: the max age (48 h) lets them through. */
const recent = (hoursAgo: number): string => new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
const posted = article({ title: 'Harbour reopens', source: 'Coast Gazette', text: 'The harbour reopened.', publishedAt: recent(5) });
const old = article({ title: 'Harbour history', source: 'Coast Gazette', text: 'Built in 1850.', publishedAt: '2020-01-01T00:00:00Z' });
const ferry = article({ title: 'Ferry strike', source: 'Coast Gazette', text: 'No ferries today.', publishedAt: recent(4) });
const other = article({ title: 'Harbour elsewhere', source: 'Other Paper', text: 'Another harbour.', publishedAt: recent(3) });
const next = article({ title: 'Harbour berth opens', source: 'Coast Gazette', text: 'Berth 4 is open.', publishedAt: recent(2) });
const postId = (BigInt(snowflakeAt(Date.parse('2026-11-30T09:30:00Z'))) + 7n).toString();

beforeAll(async () => {
  const store = SqliteStore.open(db);
  for (const a of [posted, old, ferry, other]) await store.upsert(a);
  const cursor = await store.positions.last();
  await store.upsert(next);
  const state = openBotState(store.db);
  const sub: Subscription = {
    guildId: '111',
    channelId: '222',
    kind: 'text',
    channelName: 'harbour',
    source: 'Coast Gazette',
    keywords: null,
    backfill: { kind: 'none' },
    cursor,
    checkedAt: recent(1),
    createdAt: recent(1),
    createdBy: 'test',
    paused: null,
    posted: 1,
    lastPostedAt: null,
    lastRunAt: null,
    lastError: null,
    options: {
      filter: 'not title contains "ferry"',
      maxAgeHours: 48,
      mentions: [{ kind: 'role', id: '844444444444444444', filter: 'title contains "berth"' }],
    },
  };
  await state.subscriptions.put(sub);
  await state.progress.put('222', posted.id, { postId, threadId: postId, postHash: 'h', bodyHash: 'b', done: [], lastId: null, complete: true });
  await store.close();
});

describe('GIVEN a subscription to one source with a filter and a max age', () => {
  it('THEN --json lists its source’s latest articles newest first, each with its verdict, and the next post as it will look', async () => {
    const r = await cli('preview', '--channel', '222', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout) as Preview;
    expect(p.items.map((i) => [i.title, i.verdict.kind])).toEqual([
      ['Harbour berth opens', 'post'],
      ['Ferry strike', 'filtered'],
      ['Harbour history', 'too-old'],
      ['Harbour reopens', 'posted'],
    ]);
    expect(p.items[1]?.verdict).toMatchObject({ because: expect.stringContaining('not title contains "ferry"') as unknown });
    expect(p.items[3]?.verdict).toEqual({ kind: 'posted', at: '2026-11-30T09:30:00.000Z', link: `https://discord.com/channels/111/222/${postId}` });
    expect(p.next).toMatchObject({ id: next.id, sample: false, threadName: 'Harbour berth opens' });
    expect(p.next?.post.embeds?.[0]?.title).toBe('Harbour berth opens');
    // Who the post pings, as the engine would send it: on the post (`ping`) and in where it goes.
    expect(p.next?.post.ping).toEqual({ roles: ['844444444444444444'], users: [] });
    expect(p.next?.destination).toEqual({
      ping: { roles: ['844444444444444444'], users: [] },
      tags: null,
      webhookName: null,
      sharedThread: null,
      pause: null,
      unchecked: null,
    });
  });

  it('THEN the text output says the same in words, and --count takes the latest N', async () => {
    const r = await cli('preview', '--channel', '222', '--guild', '111', '--count', '2');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('#harbour (222): the latest 2 from Coast Gazette, newest first\n');
    expect(r.stdout).toContain(`  ${next.id}  Harbour berth opens\n      would post\n`);
    expect(r.stdout).toMatch(/Ferry strike\n {6}blocked by filter: not title contains "ferry"/);
    expect(r.stdout).toContain('The next post, exactly as it will look:\n--- thread: Harbour berth opens\n  Harbour berth opens\n');
    expect(r.stdout).toContain('\n--- Would ping @role 844444444444444444 (this preview pings no one).');
    expect(r.stdout).not.toContain('Harbour history');
  });

  it('THEN a channel with no subscription, a count past 25 and an id that is not one are named, with exit 1', async () => {
    const none = await cli('preview', '--channel', '333');
    expect([none.code, none.stderr]).toEqual([1, expect.stringContaining('no subscription for channel 333') as unknown]);
    const many = await cli('preview', '--channel', '222', '--count', '26');
    expect([many.code, many.stderr]).toEqual([1, expect.stringContaining('--count: expected a whole number from 1 to 25, got `26`') as unknown]);
    const bad = await cli('preview', '--channel', '<#222>');
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('--channel: expected a Discord id (digits), got `<#222>`') as unknown]);
  });
});

describe('GIVEN --filter, a filter typed in place of the saved one', () => {
  it('THEN the verdicts are that filter’s, the first line says it was not saved, and the saved filter is unchanged', async () => {
    const r = await cli('preview', '--channel', '222', '--filter', 'title contains "ferry"');
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toBe('With the filter you typed (not saved): title contains "ferry"');
    expect(r.stdout).toMatch(/Harbour berth opens\n {6}blocked by filter: title contains "ferry" \(title is "Harbour berth opens"\)\n/);
    // Stored before the subscription started: the filter passes it, but no run posts it.
    expect(r.stdout).toContain(`  ${ferry.id}  Ferry strike\n      not due: stored before where this subscription started`);
    const saved = await cli('subscription', 'show', '--guild', '111', '--channel', '222', '--json');
    expect((JSON.parse(saved.stdout) as Subscription).options?.filter).toBe('not title contains "ferry"');
    // `-` previews it with no filter at all: the ferry story, blocked by the saved filter, is only not due.
    const none = JSON.parse((await cli('preview', '--channel', '222', '--filter', '-', '--json')).stdout) as Preview;
    expect(none.typed).toEqual({ expression: null, assumedBackfill: null });
    expect(none.items.map((i) => [i.title, i.verdict.kind])).toEqual([
      ['Harbour berth opens', 'post'],
      ['Ferry strike', 'behind'],
      ['Harbour history', 'too-old'],
      ['Harbour reopens', 'posted'],
    ]);
  });

  it('THEN a mistake is named at its column with a caret under it, as subscription edit names it, with exit 1', async () => {
    const r = await cli('preview', '--channel', '222', '--filter', 'title contains "ferry" and (');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`filter: column 29: expected a test after \`(\`\n  title contains "ferry" and (\n  ${' '.repeat(28)}^`);
    const edit = await cli('subscription', 'edit', '--guild', '111', '--channel', '222', '--filter', 'title contains "ferry" and (');
    expect(r.stderr).toBe(edit.stderr);
  });

  it('THEN a channel with no subscription is previewed as a new one with backfill:latest N, and without --guild is named', async () => {
    const r = await cli('preview', '--channel', '333', '--guild', '111', '--count', '3', '--filter', 'title contains "harbour"', '--json');
    expect(r.stderr).toBe('');
    const p = JSON.parse(r.stdout) as Preview;
    expect(p.typed).toEqual({ expression: 'title contains "harbour"', assumedBackfill: 3 });
    // Every source: the other paper's harbour story too. The three latest the filter passes are due, and a
    // run posts the oldest first: the 2020 one stored before them (a new subscription has no max age).
    expect(p.items.map((i) => [i.title, i.verdict.kind])).toEqual([
      ['Harbour berth opens', 'post'],
      ['Harbour elsewhere', 'post'],
      ['Ferry strike', 'filtered'],
    ]);
    expect(p.next).toMatchObject({ title: 'Harbour history', sample: false });
    const text = await cli('preview', '--channel', '333', '--guild', '111', '--count', '3', '--filter', 'title contains "harbour"');
    expect(text.stdout.split('\n').slice(0, 2)).toEqual([
      'With the filter you typed (not saved): title contains "harbour"',
      'channel 333 has no subscription: shown as if subscribed now with this filter, every source and backfill:latest 3, so the latest 3 articles it passes are due. With backfill:none it would post none of these, only articles stored from then on.',
    ]);
    const unnamed = await cli('preview', '--channel', '333', '--filter', 'title contains "harbour"');
    expect([unnamed.code, unnamed.stderr]).toEqual([
      1,
      expect.stringContaining('no subscription for channel 333: give --guild ID to preview the filter') as unknown,
    ]);
    const stillNone = await cli('subscription', 'show', '--guild', '111', '--channel', '333');
    expect(stillNone.code).toBe(1);
  });
});
