/**
 * End to end under trouble: expired buttons, a bug inside a command, a 429 storm, 5xx errors and a
 * dropped gateway in the middle of commands. Every command must still be answered exactly once.
 * And a forum post Discord made before answering 500 is posted once, not twice.
 */
import { InteractionResponseType, PermissionFlagsBits } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commands } from '../commands/index.ts';
import { EXPIRED } from '../src/ui/discord/router.ts';
import { defineCommand } from '../src/ui/discord/command.ts';
import { article, comment } from './helpers/articles.ts';
import { type Harness, startHarness } from './helpers/bot.ts';
import { checkDelivered } from './helpers/delivery.ts';
import { sampleArticle } from './text-sample.ts';

const sample = sampleArticle();
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const boom = defineCommand({
  definition: { name: 'boom', description: 'Fails the way a bug would' },
  options: z.object({}),
  defer: true,
  run: () => {
    throw new TypeError("Cannot read properties of undefined (reading 'secret internals')");
  },
});

/** How many times an interaction was answered (callbacks Discord accepted); exactly once is right. */
function answers(handle: { callbacks: ReadonlyArray<{ status: number }> }): number {
  return handle.callbacks.filter((c) => c.status < 300).length;
}

describe('GIVEN a list older than its buttons last', () => {
  it('THEN a click gets the plain expired message, privately', async () => {
    const clock = { t: Date.now() };
    h = await startHarness({ articles: [sample], stateTtlMs: 60_000, clock: () => clock.t });
    const first = await h.run('article', { article: sample.id }).reply();
    const next = (first.components[0]?.components ?? []).find((c) => 'label' in c && c.label === 'Next ▶') as { custom_id: string };
    clock.t += 61_000;
    const reply = await h.fake.clickButton({ messageId: first.message?.id ?? '', customId: next.custom_id, userId: h.userId }).reply();
    expect(reply).toMatchObject({ ephemeral: true, content: EXPIRED });
  });
});

describe('GIVEN a bug inside a command', () => {
  it('THEN the user sees a short reference id and no stack, and the log has the whole error', async () => {
    h = await startHarness({ commands: [...commands, boom] });
    const handle = h.run('boom');
    const reply = await handle.reply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe(`Something went wrong on Paperboy's side. Reference: \`${handle.id}\`.`);
    const logged = h.logs.find((l) => l.msg === 'interaction failed');
    expect(logged).toMatchObject({ ref: handle.id, err: { type: 'TypeError' } });
    const err = logged?.err as { message: string; stack: string };
    expect(err.message).toContain('secret internals');
    expect(err.stack).toMatch(/\n\s+at /);
    expect(JSON.stringify(h.logs)).not.toContain(h.fake.botToken);
    // Answered privately in one request, with no public placeholder: nothing of the failure shows in the channel.
    expect(handle.callbacks.map((c) => c.type)).toEqual([InteractionResponseType.ChannelMessageWithSource]);
    expect(handle.followUps).toEqual([]);
  });
});

describe('GIVEN Discord in trouble in the middle of commands', () => {
  it('THEN through a 429 storm every command is answered exactly once', async () => {
    h = await startHarness({ articles: [sample] });
    const harness = h;
    const handles = Array.from({ length: 6 }, (_, i) => harness.run(i % 2 ? 'search' : 'summarize', i % 2 ? { query: 'NATO' } : { article: sample.id }));
    harness.fake.faults.rateLimitStorm({ durationMs: 800, retryAfterMs: 150 });
    const more = Array.from({ length: 6 }, () => harness.run('search', { query: 'Lavrov' }));
    const replies = await Promise.all([...handles, ...more].map((x) => x.reply(10_000)));
    for (const [i, r] of replies.entries()) expect(r.embeds, `embeds of reply ${i + 1}`).toHaveLength(1);
    for (const x of [...handles, ...more]) expect(answers(x), `answers to interaction ${x.id}`).toBe(1);
    expect(harness.fake.requests.map((r) => r.status)).toContain(429);
  });

  it('THEN with 5xx errors on edits every command is still answered exactly once', async () => {
    h = await startHarness({ articles: [sample] });
    h.fake.faults.failNext({ count: 3, status: 502, route: /PATCH \/webhooks/ });
    // /summarize is deferred before it works, so its answer is an edit: the request that fails here.
    const handles = Array.from({ length: 4 }, () => h?.run('summarize', { article: sample.id }));
    for (const x of handles) expect((await x?.reply())?.embeds).toHaveLength(1);
    for (const x of handles) {
      expect(x && answers(x), `answers to interaction ${x?.id}`).toBe(1);
      expect(x?.original()?.embeds, `embeds of the reply to interaction ${x?.id}`).toHaveLength(1);
    }
  });

  it('THEN across a dropped gateway every command, before and during the drop, is answered exactly once', async () => {
    h = await startHarness({ articles: [sample] });
    const harness = h;
    const before = Array.from({ length: 3 }, () => harness.run('summarize', { article: sample.id }));
    harness.fake.dropGateway();
    // These are dispatched while the bot is away: it gets them when it resumes.
    const during = Array.from({ length: 3 }, () => harness.run('search', { query: 'NATO' }));
    const replies = await Promise.all([...before, ...during].map((x) => x.reply(10_000)));
    expect(replies).toHaveLength(6);
    for (const x of [...before, ...during]) expect(answers(x), `answers to interaction ${x.id}`).toBe(1);
    expect(harness.logs.map((l) => l.msg)).toContain('gateway resumed');
  });
});

describe('GIVEN a forum where Discord makes a post and then answers 500', () => {
  it('THEN the bot finds the post it made instead of making a second one, and its comments go into it', async () => {
    const articles = [
      article({
        title: 'Ferry timetable changes',
        text: 'The ferry leaves at nine from Monday.',
        comments: [comment(1, 'Finally.'), comment(2, 'Too early.')],
      }),
    ];
    h = await startHarness({ articles, delivery: true });
    const harness = h;
    const forum = harness.fake.createChannel(harness.guildId, { name: 'articles', type: 'forum' });
    const admin = harness.fake.createUser({ username: 'editor' });
    harness.fake.addMember(harness.guildId, admin.id, { permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel });
    await harness.fake
      .runCommand({
        guildId: harness.guildId,
        channelId: harness.channelId,
        userId: admin.id,
        name: 'subscribe',
        options: { channel: forum.id, backfill: 'all' },
      })
      .reply();

    // The post is made, then the answer is a 500: discord.js alone would send it again.
    const forumPost = new RegExp(`^POST /channels/${forum.id}/threads$`);
    harness.fake.faults.failNext({ count: 1, status: 500, route: forumPost, handled: true });
    const [run] = await harness.bot.runner.run();

    expect(run).toMatchObject({ error: null, paused: null });
    expect(harness.fake.requests.filter((r) => forumPost.test(`${r.method} ${r.path}`)).map((r) => r.status)).toEqual([500]);
    expect(checkDelivered(harness.fake, { guildId: harness.guildId, channelId: forum.id, kind: 'forum' }, articles)).toEqual([]);
    expect(harness.logs.map((l) => l.msg)).toContain('forum post made though its answer was lost; found and kept');
  });
});
