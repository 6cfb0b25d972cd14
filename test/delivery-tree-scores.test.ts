/**
 * Imported discussions whose scores move at every sync, on both stores (SQLite, and PostgreSQL on the
 * real server), through the real discord.js REST client against the local Discord: a score alone
 * changes no message and makes no work; a comment sent by a run killed before recording it is
 * recognised after an outage past the nonce window though its score changed, and posted once; a
 * "more replies" note left unrecorded by such a run is not taken for the next run's; parts past a
 * deleted comment's first say it was deleted.
 */
import { REST } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDiscord, type FakeMessage } from '@paperboy/fake-discord';
import type { Article, Comment } from '../src/core/model.ts';
import type { DeliveryProgressRepository, StepMessage } from '../src/adapters/store/delivery-progress.ts';
import { createDeliveryEngine } from '../src/app/delivery/engine.ts';
import type { DeliveryEngine, Target } from '../src/app/delivery/engine-types.ts';
import { articleViews } from '../src/app/delivery/messages.ts';
import { DELETED_REST, SHORTENED } from '../src/app/delivery/tree-comments.ts';
import { DELETED_AT_SOURCE } from '../src/app/delivery/tree-header.ts';
import { discordPoster } from '../src/ui/discord/discord-poster.ts';
import { createLogger } from '../src/core/log.ts';
import { article } from './helpers/articles.ts';
import { TOKEN } from './helpers/bot.ts';
import { type ProgressBackend, progressBackends } from './helpers/state-backends.ts';

const fast = { limit: 1000, windowMs: 1000 };
let opened: { fake: FakeDiscord; backend: ProgressBackend } | undefined;
afterEach(async () => {
  await opened?.fake.close();
  await opened?.backend.close();
  opened = undefined;
});

interface Harness {
  readonly fake: FakeDiscord;
  readonly engine: DeliveryEngine;
  readonly t: Target;
  /** The first step recorded whose key passes this is not: the process dies right after Discord made its message. */
  readonly killAt: (test: (key: string) => boolean) => void;
}

/** The progress repository of a process killed between a step's send and its record, once. */
function killable(progress: DeliveryProgressRepository): { progress: DeliveryProgressRepository; killAt: Harness['killAt'] } {
  let kill: ((key: string) => boolean) | null = null;
  const putStep: DeliveryProgressRepository['putStep'] = async (c, a, p, m: StepMessage) => {
    if (kill?.(m.key)) {
      kill = null;
      throw new Error(`killed before recording ${m.key}`);
    }
    await progress.putStep(c, a, p, m);
  };
  const wrapped = new Proxy(progress, {
    get: (target, name) => (name === 'putStep' ? putStep : (Reflect.get(target, name, target) as unknown)),
  });
  return { progress: wrapped, killAt: (test) => (kill = test) };
}

async function harness(open: () => Promise<ProgressBackend>, commentsPerRun?: number): Promise<Harness> {
  // A nonce is remembered 1 ms: every resend is past Discord's window, as after a long outage.
  const fake = await FakeDiscord.start({ botToken: TOKEN, nonceWindowMs: 1, rateLimits: { channelMessages: fast, global: fast, default: fast } });
  const backend = await open();
  opened = { fake, backend };
  const { progress, killAt } = killable(backend.progress);
  const rest = new REST({ api: fake.apiUrl, globalRequestsPerSecond: 10_000 }).setToken(TOKEN);
  const engine = createDeliveryEngine({
    poster: discordPoster(rest, () => fake.botUser.id, TOKEN),
    progress,
    log: createLogger({ level: 'silent' }),
    ...(commentsPerRun !== undefined && { commentsPerRun }),
  });
  const guildId = fake.createGuild({ name: 'Readers' }).id;
  return { fake, engine, killAt, t: { guildId, channelId: fake.createChannel(guildId, { name: 'news', type: 'text' }).id, kind: 'text' } };
}

function reddit(id: string, replyTo: string | null, text: string, extra: Partial<Comment> = {}): Comment {
  return {
    id: `reddit:${id}`,
    number: null,
    author: `user_${id}`,
    authorId: null,
    postedAt: '2011-05-05T10:00:00Z',
    rating: 7,
    paragraphs: text === '' ? [] : [text],
    quotes: [],
    replyTo: replyTo === null ? null : `reddit:${replyTo}`,
    url: `https://www.reddit.com/r/test/comments/x1/t/${id}/`,
    ...extra,
  };
}

/** a, its replies b (with c under it) and d, and e: tree order a b c d e. */
const discussion = (): Article =>
  article({
    title: 'Scores move',
    comments: [
      reddit('a', null, 'First.'),
      reddit('b', 'a', 'Reply to a.'),
      reddit('c', 'b', 'Reply to b.'),
      reddit('d', 'a', 'Second reply to a.'),
      reddit('e', null, 'Another root.'),
    ],
  });

/** The same discussion after a sync: every score moved, `change` applied to each comment. */
const synced = (a: Article, rating: number, change: (c: Comment) => Comment = (c) => c): Article => ({
  ...a,
  comments: a.comments.map((c) => change({ ...c, rating })),
});

const threadOf = (fake: FakeDiscord, t: Target): FakeMessage[] => fake.messages(fake.threads(t.channelId)[0]?.id ?? '');
const firstLine = (m: FakeMessage): string => m.content.split('\n')[0] ?? '';
/** Which comment each message shows, by the link in its header ('note' for the rest). */
const shown = (thread: readonly FakeMessage[]): string[] => thread.map((m) => /\/t\/(\w+)\/>/u.exec(firstLine(m))?.[1] ?? m.content);
const edits = (fake: FakeDiscord): number => fake.requests.filter((r) => r.method === 'PATCH').length;
/** Past Discord's nonce window as the fake keeps it (1 ms). */
const outage = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

for (const [name, open] of Object.entries(progressBackends)) {
  describe(`GIVEN a posted discussion whose scores change at the next sync (${name})`, () => {
    it('THEN nothing is edited and nothing is due; a comment edited later shows its words and its score of then', async () => {
      const { fake, engine, t } = await harness(open);
      const first = discussion();
      await engine.deliver(t, [first]);
      const before = threadOf(fake, t).map((m) => m.content);

      const rescored = synced(first, 12);
      expect(await engine.plan(t, [rescored])).toMatchObject([{ action: 'none', messages: 0 }]);
      expect((await engine.deliver(t, [rescored])).results[0]).toMatchObject({ action: 'none', created: 0, edited: 0 });
      expect(edits(fake)).toBe(0);
      expect(threadOf(fake, t).map((m) => m.content)).toEqual(before);

      const edited = synced(first, 13, (c) => (c.id === 'reddit:b' ? { ...c, paragraphs: ['Reply to a, edited.'] } : c));
      expect((await engine.deliver(t, [edited])).results[0]).toMatchObject({ action: 'append', created: 0, edited: 1, error: null });
      const after = threadOf(fake, t);
      expect(after[1]?.content).toBe('↳ **user\\_b** · ▲ 13 · 2011-05-05 10:00 UTC · <https://www.reddit.com/r/test/comments/x1/t/b/>\nReply to a, edited.');
      expect(after.filter((_, i) => i !== 1).map((m) => m.content)).toEqual(before.filter((_, i) => i !== 1));
      expect(
        (await engine.deliver(t, [synced(first, 20, (c) => (c.id === 'reddit:b' ? { ...c, paragraphs: ['Reply to a, edited.'] } : c))])).results[0],
      ).toMatchObject({
        action: 'none',
      });
      expect(edits(fake)).toBe(1);
    });
  });

  describe(`GIVEN a run killed between sending a comment and recording it, then an outage past the nonce window (${name})`, () => {
    it('THEN with every score changed meanwhile the comment is recognised, not posted again', async () => {
      const { fake, engine, t, killAt } = await harness(open);
      const first = discussion();
      killAt((key) => key === 'c:reddit:c:0');
      expect((await engine.deliver(t, [first])).results[0]?.error).toMatch(/killed before recording c:reddit:c:0/u);
      expect(shown(threadOf(fake, t))).toEqual(['a', 'b', 'c']);
      await outage();

      const report = await engine.deliver(t, [synced(first, 12)]);
      expect(report.results[0]).toMatchObject({ action: 'resume', created: 2, edited: 0, error: null });
      const thread = threadOf(fake, t);
      expect(shown(thread)).toEqual(['a', 'b', 'c', 'd', 'e']);
      // Each shows the score it was posted with.
      expect(thread.map((m) => /▲ \d+/u.exec(firstLine(m))?.[0])).toEqual(['▲ 7', '▲ 7', '▲ 7', '▲ 12', '▲ 12']);
      // Its record holds: a later reply to c answers the adopted message (the one edit: the post's comment count).
      const later = synced(first, 12);
      const withReply = { ...later, comments: [...later.comments, reddit('f', 'c', 'Reply to c.')] };
      expect((await engine.deliver(t, [withReply])).results[0]).toMatchObject({ action: 'append', created: 1, edited: 1, error: null });
      const last = threadOf(fake, t);
      expect(last.at(-1)?.message_reference?.message_id).toBe(last[2]?.id);
      expect(fake.violations).toEqual([]);
    });

    it('THEN a comment also edited meanwhile is recognised and edited in place, once', async () => {
      const { fake, engine, t, killAt } = await harness(open);
      const first = discussion();
      killAt((key) => key === 'c:reddit:c:0');
      await engine.deliver(t, [first]);
      const orphan = threadOf(fake, t)[2];
      await outage();

      const changed = synced(first, 12, (c) => (c.id === 'reddit:c' ? { ...c, paragraphs: ['Reply to b, edited.'] } : c));
      expect((await engine.deliver(t, [changed])).results[0]).toMatchObject({ action: 'resume', created: 2, edited: 1, error: null });
      const thread = threadOf(fake, t);
      expect(shown(thread)).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(thread[2]?.id).toBe(orphan?.id);
      expect(thread[2]?.content).toBe(articleViews(changed).comments[2]?.message.content);
      expect((await engine.deliver(t, [changed])).results[0]).toMatchObject({ action: 'none' });
    });
  });

  describe(`GIVEN a capped run killed after sending its "more replies" note, before recording it (${name})`, () => {
    it('THEN the next run, stopping with the same count left, sends its own note after its messages instead of taking the old one', async () => {
      const { fake, engine, t, killAt } = await harness(open, 2);
      const first = discussion();
      killAt((key) => key.startsWith('more:'));
      expect((await engine.deliver(t, [first])).results[0]?.error).toMatch(/killed before recording more:/u);
      await outage();
      // Two more roots arrive: after the next two messages three comments are left again, as the orphan note says.
      const grown = { ...first, comments: [...first.comments, reddit('f', null, 'Third root.'), reddit('g', null, 'Fourth root.')] };
      const runs = [];
      for (let i = 0; i < 4; i++) runs.push((await engine.deliver(t, [grown])).results[0]);
      expect(runs.map((r) => [r?.action, r?.created, r?.commentsLeft ?? 0, r?.error])).toEqual([
        ['resume', 3, 3, null],
        ['resume', 3, 1, null],
        ['resume', 1, 0, null],
        ['none', 0, 0, null],
      ]);
      const three = '*3 more replies follow in the next run.*';
      expect(shown(threadOf(fake, t))).toEqual(['a', 'b', three, 'c', 'd', three, 'e', 'f', '*1 more reply follows in the next run.*', 'g']);
      expect(fake.violations).toEqual([]);
    });
  });

  describe(`GIVEN a comment of three messages deleted at its source (${name})`, () => {
    it('THEN its first message says it was deleted and the parts past it say the rest was deleted, not removed by an edit', async () => {
      const { fake, engine, t } = await harness(open);
      const long = Array.from({ length: 150 }, (_, i) => `Sentence ${i} of a long reply.`).join(' ');
      const first = synced(discussion(), 7, (c) => (c.id === 'reddit:d' ? { ...c, paragraphs: [long] } : c));
      await engine.deliver(t, [first]);
      const parts = articleViews(first).comments.filter((s) => s.commentId === 'reddit:d');
      expect(parts).toHaveLength(3);
      const at = threadOf(fake, t).findIndex((m) => m.content === parts[0]?.message.content);

      const deleted = synced(first, 7, (c) => (c.id === 'reddit:d' ? { ...c, paragraphs: [], deleted: true, author: '[deleted]' } : c));
      expect((await engine.deliver(t, [deleted])).results[0]).toMatchObject({ action: 'append', created: 0, edited: 3, error: null });
      const thread = threadOf(fake, t);
      expect(thread[at]?.content.split('\n')[1]).toBe(DELETED_AT_SOURCE);
      expect(thread.slice(at + 1, at + 3).map((m) => m.content)).toEqual([DELETED_REST, DELETED_REST]);
      expect((await engine.deliver(t, [deleted])).results[0]).toMatchObject({ action: 'none' });

      // Back at the source, shorter: its first part shows its words, the rest says an edit removed them.
      expect((await engine.deliver(t, [discussion()])).results[0]).toMatchObject({ action: 'append', edited: 3, error: null });
      expect(
        threadOf(fake, t)
          .slice(at + 1, at + 3)
          .map((m) => m.content),
      ).toEqual([SHORTENED, SHORTENED]);
    });
  });
}
