/**
 * A database written by the release before the bot's state had tables (test/fixtures/state/README.md)
 * opened by this Paperboy: every subscription, feed, progress record and thread comes through with
 * all its fields, and a record that does not fit is kept aside and reported, not dropped.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../src/adapters/store/db.ts';
import { openKeyv } from '../src/adapters/store/kv.ts';
import { openBotState, rejectedState } from '../src/adapters/store/state.ts';
import { ArticleStore } from '../src/adapters/store/store.ts';
import { Subscriptions } from '../src/app/delivery/subscriptions.ts';
import { FeedRegistry } from '../src/app/feeds/registry.ts';
import { ThreadIndex } from '../src/app/discussion/threads.ts';
import { capturedLogger } from './helpers/log.ts';

const FIXTURE = resolve(import.meta.dirname, 'fixtures/state/release-0.1.db');

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A copy of the fixture to open (opening migrates it), with `extra` keyv records written into it first. */
function copyOfRelease(extra: Record<string, string> = {}): string {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-state-'));
  const path = join(dir, 'paperboy.db');
  copyFileSync(FIXTURE, path);
  const raw = new Database(path);
  for (const [key, value] of Object.entries(extra)) raw.prepare('INSERT INTO kv (key, value) VALUES (?, ?)').run(key, value);
  raw.close();
  return path;
}

/** The keyv values of one namespace as release 0.1 stored them, by key (after the namespace). */
function recordsOf(path: string, namespace: string): Map<string, unknown> {
  const raw = new Database(path, { readonly: true });
  try {
    const rows = raw.prepare<[string], { key: string; value: string }>('SELECT key, value FROM kv WHERE key LIKE ? ORDER BY key').all(`${namespace}:%`);
    // keyv escapes strings that start with ':'; the fixture has none, so its JSON reads as it is.
    return new Map(rows.map((r) => [r.key.slice(namespace.length + 1), (JSON.parse(r.value) as { value: unknown }).value]));
  } finally {
    raw.close();
  }
}

function kvKeys(store: ArticleStore): string[] {
  return store.db
    .prepare<[], { key: string }>('SELECT key FROM kv ORDER BY key')
    .all()
    .map((r) => r.key);
}

describe('GIVEN a database written by release 0.1, with its state in keyv records', () => {
  it('THEN opening it moves every subscription, feed, progress record and thread into the tables with all fields equal, and leaves only short-lived state in keyv', async () => {
    const path = copyOfRelease();
    const before = Object.fromEntries(['subscriptions', 'feeds', 'delivery', 'threads'].map((ns) => [ns, recordsOf(path, ns)]));
    expect(before.subscriptions?.size).toBe(4);
    expect(before.feeds?.size).toBe(3);
    expect(before.delivery?.size).toBe(6);
    expect(before.threads?.size).toBe(3);

    const store = ArticleStore.open(path);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const state = openBotState(store.db);
      const { subscriptions: subs, invalid } = await new Subscriptions(state.subscriptions).list();
      expect(invalid).toEqual([]);
      expect(subs).toStrictEqual([...before.subscriptions!.values()].sort(byChannel));
      for (const [k, value] of before.subscriptions!) {
        const [guildId = '', channelId = ''] = k.split(':');
        expect(await new Subscriptions(state.subscriptions).get(guildId, channelId), k).toStrictEqual(value);
      }
      expect(await new FeedRegistry(state.feeds).list()).toStrictEqual([...before.feeds!.values()]);
      expect(await new ThreadIndex(state.threads).list()).toStrictEqual([...before.threads!.values()]);
      for (const [k, value] of before.delivery!) {
        const at = k.indexOf(':');
        expect(await state.progress.get(k.slice(0, at), k.slice(at + 1)), k).toStrictEqual(value);
      }
      expect(rejectedState(store.db)).toEqual([]);
      expect(kvKeys(store)).toEqual(['bot:state-secret', 'cooldowns:c:u']);
      expect(await openKeyv(store.db, 'bot').get('state-secret')).toBe('not-a-real-secret');
    } finally {
      store.close();
    }
  });

  it('THEN a record that does not fit is kept in state_rejected with the reason, named in a warning at start, and the rest move', async () => {
    const bad = {
      'subscriptions:9:9': JSON.stringify({ value: { guildId: '9', channelId: '9', kind: 'text', cursor: 'ten' } }),
      'feeds:https://odd.example/feed': JSON.stringify({
        value: {
          url: 'https://odd.example/feed',
          name: 'Odd',
          addedAt: '2026-11-01',
          etag: null,
          lastModified: null,
          lastPolledAt: null,
          lastOkAt: null,
          items: 0,
          failures: 0,
          lastError: null,
          retryAt: null,
          colour: 'red',
        },
      }),
      'threads:300': JSON.stringify({ value: { threadId: '301', articleId: 'a', guildId: 'g', parentId: 'p', lastMessageId: null } }),
      'delivery:12:art': '{not json',
    };
    const path = copyOfRelease(bad);
    const store = ArticleStore.open(path);
    try {
      const rejected = rejectedState(store.db);
      expect(rejected.map((r) => r.key)).toEqual(Object.keys(bad).sort());
      for (const r of rejected) expect(r.value, r.key).toBe(bad[r.key as keyof typeof bad]);
      expect(rejected.find((r) => r.key === 'subscriptions:9:9')?.reason).toMatch(/cursor/);
      expect(rejected.find((r) => r.key === 'feeds:https://odd.example/feed')?.reason).toMatch(/colour/);
      expect(rejected.find((r) => r.key === 'threads:300')?.reason).toBe('stored under 300, but names 301');
      expect(rejected.find((r) => r.key === 'delivery:12:art')?.reason).toMatch(/^not a keyv record/);
      expect(kvKeys(store)).toEqual(['bot:state-secret', 'cooldowns:c:u']);

      const { log, lines } = capturedLogger('warn');
      const state = openBotState(store.db, log);
      expect(lines.map((l) => l.key)).toEqual(Object.keys(bad).sort());
      expect(lines[0]?.msg).toMatch(/kept in the state_rejected table/);
      expect((await state.subscriptions.list()).subscriptions).toHaveLength(4);
      expect(await state.feeds.list()).toHaveLength(3);
    } finally {
      store.close();
    }
  });

  it('THEN a reading command upgrades it the same way', async () => {
    const path = copyOfRelease();
    const store = ArticleStore.open(path, { readOnly: true });
    try {
      expect((await openBotState(store.db).subscriptions.list()).subscriptions).toHaveLength(4);
      expect(await openBotState(store.db).threads.list()).toHaveLength(3);
    } finally {
      store.close();
    }
  });
});

/** Subscriptions.list's order: guild, then channel. */
function byChannel(a: unknown, b: unknown): number {
  const [x, y] = [a, b] as Array<{ guildId: string; channelId: string }>;
  return x!.guildId.localeCompare(y!.guildId) || x!.channelId.localeCompare(y!.channelId);
}
