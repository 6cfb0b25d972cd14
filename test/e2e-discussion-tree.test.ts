/**
 * End to end: the real Reddit thread "We're back" (485 comments, 9 levels deep, saved in
 * /work/shared/datasets/discussions) is stored and delivered into a thread through the local
 * Discord with the real discord.js REST client, under Discord's limits run faster: every comment
 * once, in tree order, each reply a Discord reply to its parent comment's message, each capped run
 * ending with its "N more replies" note; and exactly once across a delivering process killed with
 * SIGKILL mid-thread, within Discord's nonce window and without it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REST } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord, type FakeMessage, type RequestRecord } from '@paperboy/fake-discord';
import type { Article } from '../src/core/model.ts';
import { articleViews, stepKey } from '../src/app/delivery/messages.ts';
import { createDeliveryEngine } from '../src/app/delivery/engine.ts';
import type { Target } from '../src/app/delivery/engine-types.ts';
import { discordPoster } from '../src/ui/discord/discord-poster.ts';
import { createLogger } from '../src/core/log.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import { ArticleStore } from '../src/adapters/store/store.ts';
import { redditArticle } from '../bench/discussion-delivery.ts';
import { TOKEN } from './helpers/bot.ts';
import { type ChildBundle, bundleChild } from './helpers/child-bundle.ts';

const CHILD = resolve(import.meta.dirname, 'fixtures/deliver-child.ts');
/** The child bundled once for the file: each of its many starts then costs no TypeScript compile. */
let bundled: ChildBundle;
beforeAll(async () => {
  bundled = await bundleChild(CHILD);
});
afterAll(() => bundled.remove());
/** How deep a step's comment sits: its header's mark (↳ for 1, ↳9 for 9). */
const depthOf = (s: { message: { content?: string } }): number => {
  const mark = /^↳(\d*)/u.exec(s.message.content ?? '');
  return mark ? Number(mark[1] || 1) : 0;
};
const NOTE = /^\*(\d+) more repl(?:y follows|ies follow) in the next run\.\*$/u;

let fake: FakeDiscord | undefined;
let dir: string | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** The thread stored and read back, as delivery gets it. */
function stored(dbPath: string): Article {
  const store = ArticleStore.open(dbPath);
  try {
    const source = redditArticle();
    store.upsert(source);
    const a = store.get(source.id);
    if (!a) throw new Error('the Reddit thread was not stored');
    return a;
  } finally {
    store.close();
  }
}

/**
 * What is wrong with the thread (none is success): every planned message once and in plan order
 * (the notes aside), never two notes in a row, each comment's first message a reply to its parent
 * comment's first message, a continuation a reply to its own comment's first message or to nothing.
 */
function treeProblems(messages: readonly FakeMessage[], a: Article, botId: string): string[] {
  const problems: string[] = [];
  const steps = articleViews(a).comments;
  const mine = messages.filter((m) => m.author.id === botId);
  const notes = mine.filter((m) => NOTE.test(m.content));
  const rest = mine.filter((m) => !NOTE.test(m.content));
  const got = rest.map((m) => m.content);
  const planned = steps.map((s) => s.message.content ?? '');
  if (new Set(planned).size !== planned.length) problems.push('the plan has two messages alike: they cannot be told apart');
  if (JSON.stringify(got) !== JSON.stringify(planned)) {
    const at = planned.findIndex((c, i) => got[i] !== c);
    problems.push(`thread has ${got.length} comment messages, planned ${planned.length}; first difference at ${at}`);
  }
  mine.forEach((m, i) => {
    if (i > 0 && NOTE.test(m.content) && NOTE.test(mine[i - 1]?.content ?? '')) problems.push(`two notes in a row at message ${i}`);
  });
  if (notes.length === 0) problems.push('no "N more replies" note');
  const idOf = new Map(steps.map((s, i) => [s.key, rest[i]?.id]));
  steps.forEach((s, i) => {
    const ref = rest[i]?.message_reference?.message_id;
    const first = idOf.get(stepKey(s.commentId, 0));
    const want = s.part === 0 ? (s.parentId === null ? undefined : idOf.get(stepKey(s.parentId, 0))) : first;
    if (ref !== want && !(s.part > 0 && ref === undefined)) problems.push(`${s.key} answers ${ref ?? 'nothing'}, wanted ${want ?? 'nothing'}`);
  });
  return problems;
}

describe('GIVEN the real Reddit thread of 485 comments delivered under Discord’s limits (run 20 times faster)', () => {
  it('THEN every comment lands once as a tree of replies, each run stops at 100 with its note, the next goes on, and no 429 storm', async () => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-tree-'));
    const a = stored(join(dir, 'tree.db'));
    expect(a.comments).toHaveLength(485);
    const f = await FakeDiscord.start({
      botToken: TOKEN,
      rateLimits: { channelMessages: { limit: 5, windowMs: 250 }, global: { limit: 1000, windowMs: 1000 } },
    });
    fake = f;
    const store = ArticleStore.open(join(dir, 'tree.db'));
    try {
      const guildId = f.createGuild({ name: 'Readers' }).id;
      const t: Target = { guildId, channelId: f.createChannel(guildId, { name: 'news' }).id, kind: 'text' };
      const engine = createDeliveryEngine({
        poster: discordPoster(new REST({ api: f.apiUrl, globalRequestsPerSecond: 1000 }).setToken(TOKEN), () => f.botUser.id, TOKEN),
        progress: openBotState(store.db).progress,
        log: createLogger({ level: 'silent' }),
      });
      const steps = articleViews(a).comments;
      const left: number[] = [];
      for (let run = 0; run < 10; run++) {
        const r = (await engine.deliver(t, [a])).results[0];
        expect(r?.error).toBeNull();
        left.push(r?.commentsLeft ?? 0);
        const thread = f.messages(f.threads(t.channelId)[0]?.id ?? '');
        if (run === 0) {
          // The first run: 100 comment messages, then the note naming the comments still to come.
          expect(thread).toHaveLength(101);
          const after = new Set(steps.slice(100).map((s) => s.commentId)).size;
          expect(thread.at(-1)?.content).toBe(`*${after} more replies follow in the next run.*`);
        }
        if (!r?.commentsLeft) break;
      }
      expect(left).toEqual([steps.length - 100, steps.length - 200, steps.length - 300, steps.length - 400, 0]);
      const thread = f.messages(f.threads(t.channelId)[0]?.id ?? '');
      expect(treeProblems(thread, a, f.botUser.id)).toEqual([]);
      expect(thread.filter((m) => NOTE.test(m.content))).toHaveLength(4);
      // Replies are most of the thread: 9 levels deep.
      expect(thread.filter((m) => m.message_reference).length).toBeGreaterThan(300);
      expect(thread.filter((m) => m.mention_everyone || m.mentions.length > 0)).toEqual([]);
      expect(f.messages(t.channelId)).toHaveLength(1);
      // discord.js learns a bucket from its first answer: a 429 or two at most, never a storm.
      expect(f.requests.filter((r) => r.status === 429).length).toBeLessThanOrEqual(2);
      expect(f.violations).toEqual([]);

      // A later sync, stored as the sync stores it: one comment edited, one deleted, a reply to the deepest one.
      const deepest = steps.reduce((a, b) => (depthOf(b) > depthOf(a) ? b : a));
      const [edited, removed] = a.comments.filter((c) => !c.deleted && c.id !== deepest.commentId).slice(3, 5);
      const late = {
        ...a.comments[0]!,
        id: 'reddit:zzlate1',
        author: 'latecomer',
        replyTo: deepest.commentId,
        paragraphs: ['Late to the party.'],
        url: 'https://www.reddit.com/r/announcements/comments/n49rw/were_back/zzlate1/',
      };
      const synced = {
        ...a,
        comments: [
          ...a.comments.map((c) =>
            c.id === edited?.id ? { ...c, paragraphs: ['Edited at the source.'] } : c.id === removed?.id ? { ...c, paragraphs: [], deleted: true } : c,
          ),
          late,
        ],
      };
      store.upsert(synced);
      const again = store.get(a.id);
      if (!again) throw new Error('the synced thread was not stored');
      const before = f.messages(f.threads(t.channelId)[0]?.id ?? '');
      expect((await engine.deliver(t, [again])).results[0]).toMatchObject({ action: 'append', created: 1, edited: 3, error: null }); // edited: the post's comment count too
      const after = f.messages(f.threads(t.channelId)[0]?.id ?? '');
      expect(after.slice(0, before.length).map((m) => m.id)).toEqual(before.map((m) => m.id));
      const shown = (id: string | undefined): string | undefined =>
        after.find((m) => m.content.includes(`/${id?.slice('reddit:'.length)}/>`))?.content.split('\n')[1];
      expect([shown(edited?.id), shown(removed?.id)]).toEqual(['Edited at the source.', '*(deleted at the source)*']);
      const reply = after.at(-1);
      expect(reply?.content.split('\n')[1]).toBe('Late to the party.');
      expect(reply?.message_reference?.message_id).toBe(after.find((m) => m.content === deepest.message.content)?.id);
      expect(f.violations).toEqual([]);
    } finally {
      store.close();
    }
  }, 120_000);
});

function start(args: string[]): { child: ChildProcess; exited: Promise<{ code: number | null; signal: string | null; out: string }> } {
  const child = spawn(process.execPath, [bundled.path, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  return { child, exited: new Promise((done) => child.on('exit', (code, signal) => done({ code, signal, out }))) };
}

const isCreate = (r: RequestRecord): boolean => r.method === 'POST' && r.status === 200 && /\/channels\/\d+\/(messages|threads)$/u.test(r.path);

/** Delivery processes run one after the other until the thread is whole, each killed when Discord has made the `killAt`th message. */
async function killedAndResumed(nonceWindowMs: number | undefined, killAt: readonly number[]): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-tree-crash-'));
  const dbPath = join(dir, 'tree.db');
  const a = stored(dbPath);
  const f = await FakeDiscord.start({
    botToken: TOKEN,
    ...(nonceWindowMs !== undefined && { nonceWindowMs }),
    rateLimits: { channelMessages: { limit: 50, windowMs: 1000 } },
  });
  fake = f;
  const guildId = f.createGuild({ name: 'Readers' }).id;
  const channelId = f.createChannel(guildId, { name: 'news' }).id;
  const args = [f.apiUrl, TOKEN, f.botUser.id, dbPath, guildId, channelId, 'text'];
  const kills = [...killAt];
  let killed = 0;
  for (let run = 0; run < 20; run++) {
    const before = f.requests.filter(isCreate).length;
    const next = kills[0];
    const child = start(args);
    let created = before;
    // Killed from inside the local Discord's own request handler: the message exists, its answer is on the way.
    const onRequest = (r: RequestRecord): void => {
      if (isCreate(r) && ++created === next) child.child.kill('SIGKILL');
    };
    f.on('request', onRequest);
    const ended = await child.exited;
    f.off('request', onRequest);
    if (ended.signal === 'SIGKILL') {
      kills.shift();
      killed++;
      continue;
    }
    expect(JSON.parse(ended.out)).toMatchObject({ failed: 0, pause: null });
    if (f.requests.filter(isCreate).length === before) break;
  }
  expect(killed).toBe(killAt.length);
  const threadId = f.threads(channelId)[0]?.id ?? '';
  expect(treeProblems(f.messages(threadId), a, f.botUser.id)).toEqual([]);
  expect(f.messages(channelId)).toHaveLength(1);
  // A thread made just before a kill is found again by Discord's own answer, "already created" (160004).
  // A process started right after a killed one does not know the budget the dead one spent (one process
  // has no shared budget to read): a 429 or two each restart, never a storm.
  expect(f.violations.filter((v) => v.code !== 160004 && v.status !== 429)).toEqual([]);
  expect(f.requests.filter((r) => r.status === 429).length).toBeLessThanOrEqual(2 * killAt.length);
}

describe('GIVEN the delivering process killed with SIGKILL mid-thread, then started again', () => {
  it('THEN within Discord’s nonce window every comment is in the thread once, replies still answering their parents', async () => {
    await killedAndResumed(undefined, [60, 150, 333]);
  }, 180_000);

  it('THEN after a long outage (no nonce window) the thread read back keeps every comment once', async () => {
    await killedAndResumed(1, [45, 203, 420]);
  }, 180_000);
});
