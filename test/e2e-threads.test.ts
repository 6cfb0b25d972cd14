/**
 * Live discussion threads end to end: replies become comments (edits and deletions follow), the
 * bot answers a mention with cited passages or says nothing answers, and it never answers itself or
 * other bots, keeps to a cooldown, ignores threads it did not make, and catches up after a restart.
 */
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { Routes } from 'discord.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COOLDOWN_REACTION } from '../src/ui/discord/threads.ts';
import { type Harness, startHarness } from './helpers/bot.ts';
import { sampleArticle } from './text-sample.ts';

const sample = sampleArticle();
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function delivered(messageContent: boolean): Promise<Harness & { threadId: string }> {
  // Looser channel limits than Discord's 5 per 5 s: delivery has just filled the thread's bucket.
  const harness = await startHarness({
    articles: [sample],
    delivery: true,
    messageContent,
    fake: { rateLimits: { channelMessages: { limit: 50, windowMs: 1000 } } },
  });
  const admin = harness.fake.createUser({ username: 'editor' });
  harness.fake.addMember(harness.guildId, admin.id, { permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel });
  await harness.fake
    .runCommand({
      guildId: harness.guildId,
      channelId: harness.channelId,
      userId: admin.id,
      name: 'subscribe',
      options: { channel: harness.channelId, backfill: 'all' },
    })
    .reply();
  await harness.bot.runner.run();
  const thread = harness.fake.threads(harness.channelId)[0];
  if (!thread) throw new Error('no thread was made');
  return Object.assign(harness, { threadId: thread.id });
}

/** How long the bot has to react to a message in the thread. */
const WAIT = { timeout: 5000, interval: 25 };

const replies = (x: Harness) => async () => (await x.store.get(sample.id))?.comments.filter((c) => c.id.startsWith('discord:')) ?? [];
const botMessages = (x: Harness, threadId: string) => x.fake.messages(threadId).filter((m) => m.author.id === x.fake.botUser.id);
const reactionsOn = (x: Harness, threadId: string, messageId: string) =>
  (x.fake.messages(threadId).find((m) => m.id === messageId)?.reactions ?? []).map((r) => ({ name: r.emoji.name, count: r.count, me: r.me }));
/** The ids of the messages the bot's answers in the thread reply to, in order. */
const answered = (x: Harness & { threadId: string }) => botMessages(x, x.threadId).map((m) => m.message_reference?.message_id);

/**
 * Another reader asks in the thread and the bot answers. discord.js sends the bot's messages to one
 * channel one at a time, in order, retries included: an answer still owed to an earlier question
 * would have gone out before this one, so silence before it is meaningful.
 */
async function anotherReaderAnswered(x: Harness & { threadId: string }): Promise<string> {
  const other = x.fake.createUser({ username: 'second-reader' });
  x.fake.addMember(x.guildId, other.id);
  const asked = x.fake.postAsUser({ channelId: x.threadId, userId: other.id, content: `<@${x.fake.botUser.id}> when did Croatia and Albania join?` });
  await vi.waitFor(() => expect(answered(x), 'the answer to the other reader').toContain(asked.id), WAIT);
  return asked.id;
}

describe('GIVEN an article thread and the Message Content intent', () => {
  it('THEN a reply becomes a comment that search, the digest and quotes see; an edit updates it and a deletion removes it', async () => {
    const x = await delivered(true);
    h = x;
    const posted = x.fake.postAsUser({ channelId: x.threadId, userId: x.userId, content: 'The lighthouse keepers of Brussels disagree with all of this.' });
    await vi.waitFor(async () => expect(await replies(x)(), 'the reply, stored as a comment').toHaveLength(1), WAIT);
    expect((await replies(x)())[0]).toMatchObject({
      id: `discord:${posted.id}`,
      author: 'A Reader',
      authorId: x.userId,
      paragraphs: ['The lighthouse keepers of Brussels disagree with all of this.'],
    });
    const found = await x.run('search', { query: 'lighthouse keepers', scope: 'comments' }).reply();
    expect(found.embeds[0]?.description).toContain('**lighthouse** **keepers**');
    const digest = await x.run('summarize', { article: sample.id, of: 'discussion' }).reply();
    expect(digest.embeds[0]?.fields?.[0]?.value).toMatch(/^5 comments/);
    const quote = await x.run('quote', { article: sample.id, about: 'lighthouse keepers', from: 'comments' }).reply();
    expect(quote.embeds[0]?.description).toContain('a thread reply, by A Reader');

    x.fake.editAsUser(posted.id, 'The lighthouse keepers of Ostend disagree.');
    await vi.waitFor(async () => expect((await replies(x)())[0]?.paragraphs[0], 'the edit, stored').toBe('The lighthouse keepers of Ostend disagree.'), WAIT);
    x.fake.deleteAsUser(posted.id);
    await vi.waitFor(async () => expect(await replies(x)(), 'the deletion, stored').toEqual([]), WAIT);
    // Delivery does not post thread replies back into the thread.
    await x.bot.runner.run();
    expect(
      botMessages(x, x.threadId)
        .filter((m) => m.content.includes('lighthouse'))
        .map((m) => m.content),
    ).toEqual([]);
  });

  it('THEN a mention gets the best passages with citations, pinging no one; a question nothing answers is said so; a cooldown holds, marking the question it leaves unanswered with ⏳', async () => {
    const x = await delivered(true);
    h = x;
    const before = botMessages(x, x.threadId).length;
    const first = x.fake.postAsUser({ channelId: x.threadId, userId: x.userId, content: `<@${x.fake.botUser.id}> when did Croatia and Albania join?` });
    await vi.waitFor(
      () =>
        expect(botMessages(x, x.threadId), `the answer; logs: ${JSON.stringify(x.logs.filter((l) => (l.level as number) >= 20).slice(-8))}`).toHaveLength(
          before + 1,
        ),
      WAIT,
    );
    const answer = botMessages(x, x.threadId).at(-1);
    expect(answer?.content).toMatch(/^\*\*From the article:\*\*\n> .*In 2009, Croatia and Albania joined NATO\./s);
    expect(answer?.content).toMatch(
      /— \*Russia and NATO are severing ties: who is to blame and what to do\?\*, "NATO and Russia: the bloc's expansion to the East", paragraph \d+/,
    );
    expect(answer?.mentions).toEqual([]);
    expect(answer?.message_reference?.message_id).toBeDefined();

    const early = x.fake.postAsUser({ channelId: x.threadId, userId: x.userId, content: `<@${x.fake.botUser.id}> zeppelins?` });
    // Not answered within the cooldown, but marked so the asker knows it was seen: the reaction is the
    // last thing its handler does, so once it is there no answer to it is coming.
    await vi.waitFor(() => expect(reactionsOn(x, x.threadId, early.id), 'the cooldown reaction').not.toEqual([]), WAIT);
    expect(reactionsOn(x, x.threadId, early.id)).toEqual([{ name: COOLDOWN_REACTION, count: 1, me: true }]);
    expect(botMessages(x, x.threadId)).toHaveLength(before + 1);
    // The harness's cooldown is 1.5 s.
    await new Promise((done) => setTimeout(done, 1700));
    const later = x.fake.postAsUser({ channelId: x.threadId, userId: x.userId, content: `<@${x.fake.botUser.id}> what about zeppelin airships?` });
    await vi.waitFor(() => expect(botMessages(x, x.threadId), 'the second answer').toHaveLength(before + 2), WAIT);
    expect(botMessages(x, x.threadId).at(-1)?.content).toBe(`Nothing in *${sample.title}* or its discussion answers “what about zeppelin airships?”.`);
    // Answers to the two questions asked outside the cooldown, and none to the one within it (though it was long before the last).
    expect(answered(x).slice(before)).toEqual([first.id, later.id]);
  });

  it('THEN two questions from one person at the same moment get one answer, and the other a ⏳ reaction', async () => {
    const x = await delivered(true);
    h = x;
    const before = botMessages(x, x.threadId).length;
    const asked = [
      x.fake.postAsUser({ channelId: x.threadId, userId: x.userId, content: `<@${x.fake.botUser.id}> when did Croatia and Albania join?` }),
      x.fake.postAsUser({ channelId: x.threadId, userId: x.userId, content: `<@${x.fake.botUser.id}> when did Croatia and Albania join NATO?` }),
    ];
    const marked = () => asked.filter((m) => reactionsOn(x, x.threadId, m.id).length > 0);
    // Each question gets an answer or a reaction; read-then-write let both be answered.
    await vi.waitFor(
      () => expect(botMessages(x, x.threadId).length - before + marked().length, 'both questions to be handled').toBeGreaterThanOrEqual(2),
      WAIT,
    );
    // A second answer to either would have gone out before this one.
    const otherId = await anotherReaderAnswered(x);
    const answers = answered(x)
      .slice(before)
      .filter((id) => id !== otherId);
    expect(answers).toHaveLength(1);
    expect(marked()).toHaveLength(1);
    const answeredId = answers[0];
    expect(asked.map((m) => m.id)).toContain(answeredId);
    expect(marked()[0]?.id).not.toBe(answeredId);
  });

  it('THEN when Discord makes the answer but answers 500 (so discord.js sends it again), the thread still gets exactly one answer', async () => {
    const x = await delivered(true);
    h = x;
    const before = botMessages(x, x.threadId).length;
    const route = `POST /channels/${x.threadId}/messages`;
    const from = x.fake.requests.length;
    x.fake.faults.failNext({ count: 1, status: 500, route, handled: true });
    const asked = x.fake.postAsUser({ channelId: x.threadId, userId: x.userId, content: `<@${x.fake.botUser.id}> when did Croatia and Albania join?` });
    const sent = () => x.fake.requests.slice(from).filter((r) => `${r.method} ${r.path}` === route);
    // The first attempt made the answer and failed its reply; discord.js then sent it again.
    await vi.waitFor(
      () =>
        expect(
          sent().map((r) => r.status),
          'the resend',
        ).toEqual([500, 200]),
      WAIT,
    );
    // A third send of it would have gone out before this answer.
    const otherId = await anotherReaderAnswered(x);
    expect(sent().map((r) => r.status)).toEqual([500, 200, 200]);
    const answers = botMessages(x, x.threadId)
      .slice(before)
      .filter((m) => m.message_reference?.message_id !== otherId);
    // Before the nonce: two identical answers, the second made by the resend.
    expect(answers).toHaveLength(1);
    expect(answers[0]?.message_reference?.message_id).toBe(asked.id);
    expect(answers[0]?.content).toMatch(/In 2009, Croatia and Albania joined NATO\./);
    expect(x.logs.filter((l) => l.msg === 'thread reply failed')).toEqual([]);
  });

  it('THEN without Add Reactions the unanswered question is logged with the reason instead of marked', async () => {
    const x = await delivered(true);
    h = x;
    x.fake.setBotPermissions(x.channelId, 0n, PermissionFlagsBits.AddReactions);
    const before = botMessages(x, x.threadId).length;
    x.fake.postAsUser({ channelId: x.threadId, userId: x.userId, content: `<@${x.fake.botUser.id}> when did Croatia and Albania join?` });
    await vi.waitFor(() => expect(botMessages(x, x.threadId), 'the answer').toHaveLength(before + 1), WAIT);
    const early = x.fake.postAsUser({ channelId: x.threadId, userId: x.userId, content: `<@${x.fake.botUser.id}> and Montenegro?` });
    const warned = () => x.logs.find((l) => l.msg === 'could not react to a question asked within the cooldown');
    await vi.waitFor(() => expect(warned(), 'the warning').toBeDefined(), WAIT);
    expect(warned()).toMatchObject({ thread: x.threadId, message: early.id, err: { message: 'Missing Permissions' } });
    expect(reactionsOn(x, x.threadId, early.id)).toEqual([]);
  });

  it('THEN other bots are neither stored nor answered, and a thread Paperboy did not make is ignored', async () => {
    const x = await delivered(true);
    h = x;
    const robot = x.fake.createUser({ username: 'robot', bot: true });
    x.fake.addMember(x.guildId, robot.id);
    const before = botMessages(x, x.threadId).length;
    x.fake.postAsUser({ channelId: x.threadId, userId: robot.id, content: `<@${x.fake.botUser.id}> ping from another bot about NATO` });
    const other = (await x.bot.client.rest.post(Routes.threads(x.channelId), { body: { name: 'Not an article', type: 11 } })) as { id: string };
    x.fake.postAsUser({ channelId: other.id, userId: x.userId, content: `<@${x.fake.botUser.id}> anything about NATO here?` });
    x.fake.postAsUser({ channelId: x.channelId, userId: x.userId, content: 'Talking in the channel, not the thread.' });
    // A reader asks after them all and is answered: the bot was listening, and an answer to the robot would have come first.
    const otherId = await anotherReaderAnswered(x);
    expect((await replies(x)()).map((c) => c.id)).toEqual([`discord:${otherId}`]);
    expect(answered(x).slice(before)).toEqual([otherId]);
    expect(x.fake.messages(other.id).filter((m) => m.author.id === x.fake.botUser.id)).toEqual([]);
  });

  it('THEN replies written while the bot was down are stored when it starts again', async () => {
    const x = await delivered(true);
    h = x;
    await x.restart(() => {
      x.fake.postAsUser({ channelId: x.threadId, userId: x.userId, content: 'Written while Paperboy was away.' });
      x.fake.postAsUser({ channelId: x.threadId, userId: x.userId, content: 'And a second one.' });
    });
    expect((await replies(x)()).map((c) => c.paragraphs[0])).toEqual(['Written while Paperboy was away.', 'And a second one.']);
  });
});

describe('GIVEN no Message Content intent', () => {
  it('THEN a plain reply has no text to store, but a mention is stored and answered', async () => {
    const x = await delivered(false);
    h = x;
    const before = botMessages(x, x.threadId).length;
    x.fake.postAsUser({ channelId: x.threadId, userId: x.userId, content: 'Unseen words about NATO.' });
    x.fake.postAsUser({ channelId: x.threadId, userId: x.userId, content: `<@${x.fake.botUser.id}> when did Croatia and Albania join?` });
    await vi.waitFor(() => expect(botMessages(x, x.threadId), 'the answer').toHaveLength(before + 1), WAIT);
    expect((await replies(x)()).map((c) => c.paragraphs[0])).toEqual(['when did Croatia and Albania join?']);
  });
});
