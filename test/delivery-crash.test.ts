/**
 * Exactly once across crashes: a delivery process killed with SIGKILL in the middle of posting
 * (right after Discord made a message, before the process could record it) is started again, and
 * the local Discord ends up with every planned message once. With Discord's nonce window, and with
 * none (a long outage), where only reading the thread back prevents duplicates.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../src/core/model.ts';
import type { Target } from '../src/app/delivery/engine-types.ts';
import { FakeDiscord, type RequestRecord } from '@paperboy/fake-discord';
import { ArticleStore } from '../src/adapters/store/store.ts';
import { article, comment } from './helpers/articles.ts';
import { TOKEN } from './helpers/bot.ts';
import { type ChildBundle, bundleChild } from './helpers/child-bundle.ts';
import { checkDelivered } from './helpers/delivery.ts';
import { sampleArticle } from './text-sample.ts';

const CHILD = resolve(import.meta.dirname, 'fixtures/deliver-child.ts');
/** The child bundled once for the file: each of its many starts then costs no TypeScript compile. */
let bundled: ChildBundle;
beforeAll(async () => {
  bundled = await bundleChild(CHILD);
});
afterAll(() => bundled.remove());
let fake: FakeDiscord | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function start(args: string[]): { child: ChildProcess; exited: Promise<{ code: number | null; signal: string | null; out: string }> } {
  const child = spawn(process.execPath, [bundled.path, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  return { child, exited: new Promise((done) => child.on('exit', (code, signal) => done({ code, signal, out }))) };
}

const isCreate = (r: RequestRecord): boolean => r.method === 'POST' && r.status === 200 && /\/channels\/\d+\/(messages|threads)$/.test(r.path);

async function crashAndResume(kind: 'text' | 'forum', nonceWindowMs: number | undefined, killAt: readonly number[]): Promise<void> {
  const f = await FakeDiscord.start({
    botToken: TOKEN,
    ...(nonceWindowMs === undefined ? {} : { nonceWindowMs }),
    rateLimits: { channelMessages: { limit: 50, windowMs: 1000 } },
  });
  fake = f;
  const guildId = f.createGuild({ name: 'Readers' }).id;
  const channelId = f.createChannel(guildId, { name: 'news', type: kind }).id;
  const target: Target = { guildId, channelId, kind };
  const dbPath = join(mkdtempSync(join(tmpdir(), 'paperboy-crash-')), 'crash.db');
  const articles: Article[] = [
    sampleArticle(),
    ...Array.from({ length: 4 }, (_, i) =>
      article({
        title: `Night shift ${i}`,
        text: `The night shift ${i} ended at dawn.`,
        comments: Array.from({ length: 6 }, (_, c) => comment(c + 1, `Reply ${c} on shift ${i}.`)),
      }),
    ),
  ];
  const store = ArticleStore.open(dbPath);
  for (const a of articles) store.upsert(a);
  store.close();
  const args = [f.apiUrl, TOKEN, f.botUser.id, dbPath, guildId, channelId, kind];

  for (const at of killAt) {
    const run = start(args);
    let created = f.requests.filter(isCreate).length;
    // Killed from inside the local Discord's own request handler: the message exists, the answer is on its way.
    const onRequest = (r: RequestRecord): void => {
      if (isCreate(r) && ++created === at) run.child.kill('SIGKILL');
    };
    f.on('request', onRequest);
    const ended = await run.exited;
    f.off('request', onRequest);
    expect(ended.signal).toBe('SIGKILL');
  }
  const final = await start(args).exited;
  expect(JSON.parse(final.out)).toMatchObject({ done: articles.length, failed: 0, pause: null });
  expect(checkDelivered(f, target, articles)).toEqual([]);
  // A thread made just before the kill is found again by Discord's own answer, "already created" (160004).
  expect(f.violations.filter((v) => v.code !== 160004)).toEqual([]);
}

describe('GIVEN a delivery process killed with SIGKILL mid-delivery, then started again', () => {
  it('THEN within the nonce window every message is in the text channel and its threads exactly once', async () => {
    await crashAndResume('text', undefined, [3, 9, 20]);
  }, 60_000);

  it('THEN after a long outage (no nonce window) reading back still leaves every message exactly once', async () => {
    await crashAndResume('text', 1, [2, 9, 21]);
  }, 60_000);

  it('THEN in a forum every post and comment is there exactly once', async () => {
    await crashAndResume('forum', undefined, [4, 12]);
  }, 60_000);
});
