/**
 * The bot's state tables: a change to a subscription is atomic across processes, a channel's
 * delivery progress outlives its subscription (as before: /unsubscribe says what was posted
 * stays), records read back as they were written, and a row that does not validate is an error
 * naming it (a list reports it apart from the rows that do).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryProgress } from '../src/core/state.ts';
import { InvalidStateRow } from '../src/adapters/store/state-schemas.ts';
import { clearDiscordState, openBotState } from '../src/adapters/store/state.ts';
import { ArticleStore } from '../src/adapters/store/store.ts';
import { type Subscription, Subscriptions } from '../src/app/delivery/subscriptions.ts';
import { FeedRegistry } from '../src/app/feeds/registry.ts';

const at = '2026-12-01T06:00:00.000Z';
const sub: Subscription = {
  guildId: '1',
  channelId: '2',
  kind: 'text',
  channelName: 'news',
  source: null,
  keywords: null,
  backfill: { kind: 'none' },
  cursor: 0,
  checkedAt: at,
  createdAt: at,
  createdBy: 'test',
  paused: null,
  posted: 0,
  lastPostedAt: null,
  lastRunAt: null,
  lastError: null,
};
const progress = (over: Partial<DeliveryProgress> = {}): DeliveryProgress => ({
  postId: '10',
  threadId: '10',
  postHash: 'p',
  bodyHash: 'b',
  done: ['c:n1:0'],
  lastId: '11',
  complete: true,
  ...over,
});

let dir: string | undefined;
let store: ArticleStore | undefined;
afterEach(() => {
  store?.close();
  store = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function openFile(): { path: string; store: ArticleStore } {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-state-'));
  const path = join(dir, 'paperboy.db');
  store = ArticleStore.open(path);
  return { path, store };
}

function child(path: string, startAt: number, count: number, field: 'cursor' | 'revision'): Promise<void> {
  const script = resolve(import.meta.dirname, 'fixtures/state-child.ts');
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, ['--import', 'tsx', script, path, String(startAt), String(count), field], { stdio: ['ignore', 'inherit', 'inherit'] });
    p.on('error', fail);
    p.on('exit', (code) => (code === 0 ? done() : fail(new Error(`state child exited with ${code}`))));
  });
}

describe('GIVEN one subscription updated by two processes at once (a delivery run and a /subscribe)', () => {
  it('THEN every change lands on the one before it: the run’s cursor is never written over with an older copy', async () => {
    const { path, store } = openFile();
    const subs = new Subscriptions(openBotState(store.db).subscriptions);
    await subs.put(sub);
    // Far enough ahead for both processes to have loaded and opened the file.
    const startAt = Date.now() + 4000;
    await Promise.all([child(path, startAt, 300, 'cursor'), child(path, startAt, 300, 'revision')]);
    expect(await subs.get('1', '2')).toMatchObject({ posted: 600, cursor: 300, revision: 300 });
  }, 30_000);
});

describe('GIVEN a subscription with delivery progress in its channel', () => {
  it('THEN removing the subscription keeps the channel’s progress, so subscribing again never posts an article twice', async () => {
    const { store } = openFile();
    const state = openBotState(store.db);
    const subs = new Subscriptions(state.subscriptions);
    await subs.put(sub);
    await subs.put({ ...sub, channelId: '3' });
    await state.progress.put('2', 'a1', progress());
    await state.progress.put('3', 'a1', progress());
    expect(await subs.remove('1', '2')).toBe(true);
    expect(await subs.get('1', '2')).toBeNull();
    expect(await state.progress.get('2', 'a1')).toStrictEqual(progress());
    expect(await state.progress.get('3', 'a1')).toStrictEqual(progress());
    expect(await subs.remove('1', '2')).toBe(false);
  });
});

describe('GIVEN records written and read back', () => {
  it('THEN a post attempt’s time, its refusal (null) and an older record’s absence stay apart', async () => {
    const { store } = openFile();
    const { progress: repo } = openBotState(store.db);
    const timed = progress({ postId: null, complete: false, attemptedAt: 1_764_568_800_000 });
    const refused = progress({ postId: null, complete: false, attemptedAt: null, reposts: 2 });
    const older = progress();
    await repo.put('2', 'timed', timed);
    await repo.put('2', 'refused', refused);
    await repo.put('2', 'older', older);
    expect(await repo.get('2', 'timed')).toStrictEqual(timed);
    expect(await repo.get('2', 'refused')).toStrictEqual(refused);
    expect(await repo.get('2', 'older')).toStrictEqual(older);
  });

  it('THEN a thread’s last message only moves forward, and adding a feed again renames it and keeps its state', async () => {
    const { store } = openFile();
    const state = openBotState(store.db);
    await state.threads.put({ threadId: '50', articleId: 'a', guildId: '1', parentId: '2', lastMessageId: '900' });
    await state.threads.advance('50', '1000');
    await state.threads.advance('50', '950');
    await state.threads.advance('51', '1000');
    expect(await state.threads.list()).toStrictEqual([{ threadId: '50', articleId: 'a', guildId: '1', parentId: '2', lastMessageId: '1000' }]);

    const feeds = new FeedRegistry(state.feeds);
    const first = await feeds.add('https://coast.example/feed', 'Coast', new Date(at));
    await feeds.put({ ...first.feed, etag: '"v1"', items: 4 });
    const again = await feeds.add('https://coast.example/feed', 'Coast Times', new Date('2026-12-02T00:00:00Z'));
    expect(first.existed).toBe(false);
    expect(again).toStrictEqual({ existed: true, feed: { ...first.feed, name: 'Coast Times', etag: '"v1"', items: 4 } });
  });

  it('THEN the playground’s reset forgets subscriptions, progress and threads but keeps feeds', async () => {
    const { store } = openFile();
    const state = openBotState(store.db);
    await state.subscriptions.put(sub);
    await state.progress.put('2', 'a1', progress());
    await state.threads.put({ threadId: '50', articleId: 'a', guildId: '1', parentId: '2', lastMessageId: null });
    await new FeedRegistry(state.feeds).add('https://coast.example/feed', 'Coast', new Date(at));
    clearDiscordState(store.db);
    expect(await state.subscriptions.list()).toEqual({ subscriptions: [], invalid: [] });
    expect(await state.progress.get('2', 'a1')).toBeNull();
    expect(await state.threads.list()).toEqual([]);
    expect(await state.feeds.list()).toHaveLength(1);
  });
});

describe('GIVEN a row that does not validate (damaged or edited by hand)', () => {
  it('THEN reading it is an error naming the table, the row and what is wrong; it is not skipped', async () => {
    const { store } = openFile();
    const subs = new Subscriptions(openBotState(store.db).subscriptions);
    await subs.put(sub);
    store.db.prepare('UPDATE subscriptions SET set_aside = ? WHERE channel_id = ?').run('[{"articleId":7}]', '2');
    await expect(subs.get('1', '2')).rejects.toThrow(InvalidStateRow);
    // Listed, it is reported apart from the others, with the same error (test/delivery-invalid-row.test.ts: a run warns and goes on).
    await subs.put({ ...sub, channelId: '3' });
    const { subscriptions, invalid } = await subs.list();
    expect(subscriptions.map((s) => s.channelId)).toEqual(['3']);
    expect(invalid.map((i) => [i.guildId, i.channelId])).toEqual([['1', '2']]);
    expect(invalid[0]?.error.message).toMatch(/^subscriptions row 1\/2 is not valid: setAside\.0\.articleId: .*; fix or delete that row/);
    store.db.prepare("INSERT INTO article_threads (thread_id, article_id, guild_id, parent_id) VALUES ('60', '', '1', '2')").run();
    await expect(openBotState(store.db).threads.get('60')).rejects.toThrow(/article_threads row 60 is not valid: articleId/);
  });
});
