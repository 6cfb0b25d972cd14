/**
 * The subscription option that follows delivered articles' discussions (issue 16, point 1) is kept
 * on both backends: on, off and never given read back as they were put, a delivery run's update
 * keeps it, /subscribe's service sets it and keeps it when not given, and a row holding anything
 * but 0 or 1 is refused by the column's check.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../src/adapters/store/contract.ts';
import { openPostgresBotState } from '../src/adapters/store/postgres/state.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import type { SubscriptionRepository } from '../src/adapters/store/subscriptions.ts';
import { subscribe, type SubscribeRequest } from '../src/app/delivery/subscribe.ts';
import { Subscriptions } from '../src/app/delivery/subscriptions.ts';
import type { Subscription } from '../src/core/state.ts';
import { openPostgres } from './helpers/store-backends.ts';

interface Opened {
  readonly store: Store;
  readonly repo: SubscriptionRepository;
  /** The same database through another connection, as another process sees it. */
  readonly other: SubscriptionRepository;
  /** SQL run by hand on the database, parameters written $1, $2… */
  readonly exec: (sql: string, params: unknown[]) => Promise<void>;
  close(): Promise<void>;
}

const backends: Record<string, () => Promise<Opened>> = {
  SQLite: () => {
    const store = SqliteStore.open(':memory:');
    const state = openBotState(store.db);
    return Promise.resolve({
      store,
      repo: state.subscriptions,
      // One in-memory database has one connection: a second repository over it stands for another writer.
      other: openBotState(store.db).subscriptions,
      // Async, so a refusal is a rejection as it is on PostgreSQL.
      exec: async (sql, params) => {
        await Promise.resolve();
        store.db.prepare(sql.replaceAll(/\$\d+/g, '?')).run(...params);
      },
      close: () => store.close(),
    });
  },
  PostgreSQL: async () => {
    const opened = await openPostgres();
    const state = await openPostgresBotState(opened.url, { max: 2 });
    const other = await openPostgresBotState(opened.url, { max: 2 });
    return {
      store: opened.store,
      repo: state.subscriptions,
      other: other.subscriptions,
      exec: async (sql, params) => {
        await state.pool.query(sql, params);
      },
      close: async () => {
        await Promise.all([state.close(), other.close()]);
        await opened.close();
      },
    };
  },
};

const at = '2026-12-01T06:00:00.000Z';
const sub: Subscription = {
  guildId: '1',
  channelId: '2',
  kind: 'text',
  channelName: 'news',
  source: 'Coast Gazette',
  keywords: null,
  backfill: { kind: 'none' },
  cursor: 0,
  checkedAt: at,
  createdAt: at,
  createdBy: 'editor',
  paused: null,
  posted: 0,
  lastPostedAt: null,
  lastRunAt: null,
  lastError: null,
};

const request = (fields: Partial<SubscribeRequest>): SubscribeRequest => ({
  guildId: '1',
  channel: { id: '5', name: 'harbour', kind: 'text' },
  by: 'editor',
  now: new Date(at),
  ...fields,
});

describe.each(Object.keys(backends))('GIVEN subscriptions on %s', (backend) => {
  let opened: Opened | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });
  const open = async () => (opened = await backends[backend]!());

  it('THEN following on, off and never given each read back as put, by get and by list', async () => {
    const { repo } = await open();
    const on = { ...sub, channelId: '3', followDiscussions: true };
    const off = { ...sub, channelId: '4', followDiscussions: false };
    await Promise.all([repo.put(sub), repo.put(on), repo.put(off)]);
    expect(await repo.get({ guildId: '1', channelId: '3' })).toStrictEqual(on);
    expect(await repo.get({ guildId: '1', channelId: '4' })).toStrictEqual(off);
    const never = await repo.get({ guildId: '1', channelId: '2' });
    expect(never).toStrictEqual(sub);
    expect(never && 'followDiscussions' in never).toBe(false);
    expect((await repo.list('1')).subscriptions.map((s) => s.followDiscussions)).toEqual([undefined, true, false]);
  });

  it('THEN a delivery run’s update from another connection keeps the option', async () => {
    const { repo, other } = await open();
    await repo.put({ ...sub, followDiscussions: true });
    await other.update({ guildId: '1', channelId: '2' }, (s) => s && { ...s, posted: s.posted + 2, cursor: 9 });
    expect(await repo.get({ guildId: '1', channelId: '2' })).toStrictEqual({ ...sub, followDiscussions: true, posted: 2, cursor: 9 });
  });

  it('THEN /subscribe’s service sets it, keeps it when not given, and turns it off, the filters untouched', async () => {
    const { store, repo } = await open();
    const subs = new Subscriptions(repo);
    const first = await subscribe(subs, store, request({ source: 'Wire', backfill: 'none', followDiscussions: true }));
    expect(first.after).toMatchObject({ source: 'Wire', followDiscussions: true });
    const kept = await subscribe(subs, store, request({ keywords: 'harbour' }));
    expect(kept.after).toMatchObject({ source: 'Wire', keywords: 'harbour', followDiscussions: true });
    // Following changes nothing a run scans: the revision a run compares stays.
    expect(kept.after.revision).toBe(1);
    const off = await subscribe(subs, store, request({ followDiscussions: false }));
    expect(off.after).toMatchObject({ source: 'Wire', keywords: 'harbour', followDiscussions: false, revision: 1 });
    expect(await subs.get('1', '5')).toStrictEqual(off.after);
    const plain = await subscribe(subs, store, request({ channel: { id: '6', name: 'plain', kind: 'text' }, backfill: 'none' }));
    expect('followDiscussions' in plain.after).toBe(false);
  });

  it('THEN a hand-written value other than 0 or 1 is refused by the column, and the row stays as it was', async () => {
    const { repo, exec } = await open();
    await repo.put({ ...sub, followDiscussions: true });
    await expect(exec('UPDATE subscriptions SET follow_discussions = $1 WHERE channel_id = $2', [2, '2'])).rejects.toThrow(/check/i);
    expect(await repo.get({ guildId: '1', channelId: '2' })).toMatchObject({ followDiscussions: true });
  });
});
