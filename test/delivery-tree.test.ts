/**
 * Imported discussions delivered as trees, on both stores (SQLite, and PostgreSQL on the real
 * server): through the real discord.js REST client against the local Discord, each reply lands as a
 * Discord reply to its parent's message, a capped run ends with one "N more replies" note, later
 * replies answer the right parent, and edits and deletions at the source edit the messages.
 */
import { REST } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDiscord, type FakeMessage } from '@paperboy/fake-discord';
import type { Article, Comment } from '../src/core/model.ts';
import type { DeliveryProgress } from '../src/core/state.ts';
import { createDeliveryEngine } from '../src/app/delivery/engine.ts';
import type { DeliveryEngine, Target } from '../src/app/delivery/engine-types.ts';
import { articleViews } from '../src/app/delivery/messages.ts';
import { discordPoster } from '../src/ui/discord/discord-poster.ts';
import { SHORTENED } from '../src/app/delivery/tree-comments.ts';
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

async function harness(
  open: () => Promise<ProgressBackend>,
  commentsPerRun?: number,
  kind: Target['kind'] = 'text',
): Promise<{ fake: FakeDiscord; engine: DeliveryEngine; t: Target }> {
  const fake = await FakeDiscord.start({ botToken: TOKEN, rateLimits: { channelMessages: fast, global: fast, default: fast } });
  const backend = await open();
  opened = { fake, backend };
  const rest = new REST({ api: fake.apiUrl, globalRequestsPerSecond: 10_000 }).setToken(TOKEN);
  const engine = createDeliveryEngine({
    poster: discordPoster(rest, () => fake.botUser.id, TOKEN),
    progress: backend.progress,
    log: createLogger({ level: 'silent' }),
    ...(commentsPerRun !== undefined && { commentsPerRun }),
  });
  const guildId = fake.createGuild({ name: 'Readers' }).id;
  return { fake, engine, t: { guildId, channelId: fake.createChannel(guildId, { name: 'news', type: kind }).id, kind } };
}

/** An imported comment: a link to its source, a score, an author. */
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

/**
 *   a           (root)
 *   ├─ b
 *   │  └─ c
 *   └─ d
 *   e           (root; listed before its parent's siblings in the source: placed by the tree)
 */
const discussion = (): Article =>
  article({
    title: 'We are back',
    comments: [
      reddit('a', null, 'First @everyone.', { author: 'user_a' }),
      reddit('c', 'b', 'Reply to b.'),
      reddit('e', null, 'Another root.'),
      reddit('b', 'a', 'Reply to a.'),
      reddit('d', 'a', 'Second reply to a.'),
    ],
  });

const NOTE = /^\*\d+ more repl/u;
const threadOf = (fake: FakeDiscord, t: Target): FakeMessage[] => fake.messages(fake.threads(t.channelId)[0]?.id ?? '');
/** The message that begins with the comment's header: found by its source link. */
const messageOf = (messages: readonly FakeMessage[], id: string): FakeMessage | undefined =>
  messages.find((m) => m.content.includes(`/${id}/>`) && !m.content.split('\n')[0]?.includes('(continued)'));

for (const [name, open] of Object.entries(progressBackends)) {
  describe(`GIVEN an imported discussion delivered to a text channel (${name})`, () => {
    it('THEN comments land in tree order, each reply a Discord reply to its parent’s message, with author, score and link, pinging no one', async () => {
      const { fake, engine, t } = await harness(open);
      const report = await engine.deliver(t, [discussion()]);
      expect(report.results[0]).toMatchObject({ action: 'post', created: 6, error: null });
      const thread = threadOf(fake, t);
      expect(thread.map((m) => m.content.split('\n')[0])).toEqual([
        '**user\\_a** · ▲ 7 · 2011-05-05 10:00 UTC · <https://www.reddit.com/r/test/comments/x1/t/a/>',
        '↳ **user\\_b** · ▲ 7 · 2011-05-05 10:00 UTC · <https://www.reddit.com/r/test/comments/x1/t/b/>',
        '↳2 **user\\_c** · ▲ 7 · 2011-05-05 10:00 UTC · <https://www.reddit.com/r/test/comments/x1/t/c/>',
        '↳ **user\\_d** · ▲ 7 · 2011-05-05 10:00 UTC · <https://www.reddit.com/r/test/comments/x1/t/d/>',
        '**user\\_e** · ▲ 7 · 2011-05-05 10:00 UTC · <https://www.reddit.com/r/test/comments/x1/t/e/>',
      ]);
      const ref = (id: string): string | undefined => messageOf(thread, id)?.message_reference?.message_id;
      const idOf = (id: string): string | undefined => messageOf(thread, id)?.id;
      expect([ref('a'), ref('b'), ref('c'), ref('d'), ref('e')]).toEqual([undefined, idOf('a'), idOf('b'), idOf('a'), undefined]);
      expect(thread.filter((m) => m.mention_everyone || m.mentions.length > 0)).toEqual([]);
      expect(fake.violations).toEqual([]);
      expect((await engine.deliver(t, [discussion()])).results[0]).toMatchObject({ action: 'none', created: 0 });
    });

    it('THEN a reply arriving in a later sync answers its parent’s message, wherever it sits, and a deleted parent message does not block it', async () => {
      const { fake, engine, t } = await harness(open);
      const first = discussion();
      await engine.deliver(t, [first]);
      fake.deleteAsUser(messageOf(threadOf(fake, t), 'd')?.id ?? '');
      const later = { ...first, comments: [...first.comments, reddit('f', 'b', 'Late reply to b.'), reddit('g', 'd', 'Reply to a deleted message.')] };
      const report = await engine.deliver(t, [later]);
      expect(report.results[0]).toMatchObject({ action: 'append', created: 2, error: null });
      const thread = threadOf(fake, t);
      expect(thread.slice(-2).map((m) => m.content.split('\n')[1])).toEqual(['Late reply to b.', 'Reply to a deleted message.']);
      expect(messageOf(thread, 'f')?.message_reference?.message_id).toBe(messageOf(thread, 'b')?.id);
      expect(messageOf(thread, 'g')?.message_reference).toBeUndefined();
      expect(fake.violations).toEqual([]);
    });

    it('THEN a capped run ends with one note of the replies left, and the next runs go on in tree order to the end', async () => {
      const { fake, engine, t } = await harness(open, 2);
      const a = discussion();
      const runs = [];
      for (let i = 0; i < 5; i++) runs.push((await engine.deliver(t, [a])).results[0]);
      expect(runs.map((r) => [r?.action, r?.created, r?.commentsLeft ?? 0])).toEqual([
        ['post', 4, 3],
        ['resume', 3, 1],
        ['resume', 1, 0],
        ['none', 0, 0],
        ['none', 0, 0],
      ]);
      const shown = threadOf(fake, t).map((m) => m.content.split('\n').at(-1));
      expect(shown).toEqual([
        'First @everyone.',
        'Reply to a.',
        '*3 more replies follow in the next run.*',
        'Reply to b.',
        'Second reply to a.',
        '*1 more reply follows in the next run.*',
        'Another root.',
      ]);
      const thread = threadOf(fake, t);
      expect(messageOf(thread, 'c')?.message_reference?.message_id).toBe(messageOf(thread, 'b')?.id);
    });

    it('THEN edits and deletions at the source edit the messages in place, and a comment grown past one message gets its extra part as a reply', async () => {
      const { fake, engine, t } = await harness(open);
      const first = discussion();
      await engine.deliver(t, [first]);
      const before = threadOf(fake, t);
      const long = Array.from({ length: 120 }, (_, i) => `Sentence ${i} of the edited reply.`).join(' ');
      const changed: Article = {
        ...first,
        comments: first.comments.map((c) =>
          c.id === 'reddit:b'
            ? { ...c, paragraphs: ['Reply to a, edited.'], editedAt: '2011-05-06T10:00:00Z' }
            : c.id === 'reddit:c'
              ? { ...c, paragraphs: [], deleted: true, author: '[deleted]' }
              : c.id === 'reddit:d'
                ? { ...c, paragraphs: [long] }
                : c,
        ),
      };
      const report = await engine.deliver(t, [changed]);
      expect(report.results[0]).toMatchObject({ action: 'append', created: 2, edited: 3, error: null });
      const after = threadOf(fake, t);
      // Edited in place: the same messages, and the thread grew only by the long comment's extra parts.
      expect(after.slice(0, 5).map((m) => m.id)).toEqual(before.map((m) => m.id));
      expect(messageOf(after, 'b')?.content.split('\n')[1]).toBe('Reply to a, edited.');
      expect(messageOf(after, 'c')?.content).toBe(
        '↳2 **\\[deleted\\]** · ▲ 7 · 2011-05-05 10:00 UTC · <https://www.reddit.com/r/test/comments/x1/t/c/>\n*(deleted at the source)*',
      );
      const planned = articleViews(changed).comments.filter((s) => s.commentId === 'reddit:d');
      expect(planned).toHaveLength(3);
      expect(after.slice(5).map((m) => m.content)).toEqual(planned.slice(1).map((s) => s.message.content));
      for (const extra of after.slice(5)) expect(extra.message_reference?.message_id).toBe(messageOf(after, 'd')?.id);
      expect((await engine.deliver(t, [changed])).results[0]).toMatchObject({ action: 'none' });

      // Shortened again: the parts past its end say so instead of showing words taken back; nothing is deleted.
      const report2 = await engine.deliver(t, [first]);
      expect(report2.results[0]).toMatchObject({ action: 'append', created: 0, edited: 5, error: null });
      const last = threadOf(fake, t);
      expect(last.map((m) => m.id)).toEqual(after.map((m) => m.id));
      expect(last.slice(5).map((m) => m.content)).toEqual([SHORTENED, SHORTENED]);
      expect(last.slice(0, 5).map((m) => m.content)).toEqual(articleViews(first).comments.map((s) => s.message.content));
      expect((await engine.deliver(t, [first])).results[0]).toMatchObject({ action: 'none' });
      expect(fake.violations).toEqual([]);
    });

    it('THEN a capped run spends its budget on edits too, and the edits left wait for the next run', async () => {
      const { fake, engine, t } = await harness(open, 2);
      const first = discussion();
      for (let i = 0; i < 3; i++) await engine.deliver(t, [first]);
      const edited = { ...first, comments: first.comments.map((c) => ({ ...c, paragraphs: [`${c.paragraphs[0] ?? ''} (edited)`] })) };
      const runs = [];
      for (let i = 0; i < 4; i++) runs.push((await engine.deliver(t, [edited])).results[0]);
      expect(runs.map((r) => [r?.action, r?.edited, r?.commentsLeft ?? 0])).toEqual([
        ['append', 2, 3],
        ['append', 2, 1],
        ['append', 1, 0],
        ['none', 0, 0],
      ]);
      expect(
        threadOf(fake, t)
          .filter((m) => !NOTE.test(m.content))
          .map((m) => m.content),
      ).toEqual(articleViews(edited).comments.map((s) => s.message.content));
    });
  });

  describe(`GIVEN an imported discussion delivered to a forum (${name})`, () => {
    it('THEN the forum post’s thread holds the tree after its starter message, replies answering their parents', async () => {
      const { fake, engine, t } = await harness(open, undefined, 'forum');
      expect((await engine.deliver(t, [discussion()])).results[0]).toMatchObject({ action: 'post', error: null });
      const [starter, ...thread] = threadOf(fake, t);
      expect(starter?.embeds[0]?.footer?.text).toMatch(/^Paperboy · article /u);
      expect(thread.map((m) => m.content.split('\n')[1])).toEqual(['First @everyone.', 'Reply to a.', 'Reply to b.', 'Second reply to a.', 'Another root.']);
      expect(messageOf(thread, 'c')?.message_reference?.message_id).toBe(messageOf(thread, 'b')?.id);
      expect(messageOf(thread, 'a')?.message_reference).toBeUndefined();
      expect(fake.violations).toEqual([]);
    });
  });

  describe(`GIVEN the delivery progress repository (${name})`, () => {
    it('THEN a step’s progress and message are stored together, and a message’s digest can be replaced alone', async () => {
      const backend = await open();
      try {
        const p: DeliveryProgress = { postId: '1', threadId: '1', postHash: 'h', bodyHash: 'b', done: ['c:x:0'], lastId: '5', complete: false };
        await backend.progress.putStep('9', 'aaaaaaaaaaaaaaaa', p, { key: 'c:x:0', threadId: '1', messageId: '5', digest: 'd1' });
        await backend.progress.putStep(
          '9',
          'aaaaaaaaaaaaaaaa',
          { ...p, done: ['c:x:0', 'c:y:0'], lastId: '6' },
          { key: 'c:y:0', threadId: '1', messageId: '6', digest: 'd2' },
        );
        await backend.progress.putMessage('9', 'aaaaaaaaaaaaaaaa', { key: 'c:x:0', threadId: '1', messageId: '5', digest: 'd3' });
        expect(await backend.progress.get('9', 'aaaaaaaaaaaaaaaa')).toMatchObject({ done: ['c:x:0', 'c:y:0'], lastId: '6' });
        expect(await backend.progress.messages('9', 'aaaaaaaaaaaaaaaa')).toEqual([
          { key: 'c:x:0', threadId: '1', messageId: '5', digest: 'd3' },
          { key: 'c:y:0', threadId: '1', messageId: '6', digest: 'd2' },
        ]);
        expect(await backend.progress.messages('9', 'bbbbbbbbbbbbbbbb')).toEqual([]);
      } finally {
        await backend.close();
      }
    });
  });
}
