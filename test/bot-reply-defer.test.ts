/**
 * A command that may be slow is answered in one request when its answer is ready in time, and is
 * deferred, then edited, when it is not. Through the real discord.js client and the local Discord;
 * no test depends on how fast anything is: "in time" is a delay nothing here reaches, "slow" a
 * command that waits until the test has seen the deferral.
 */
import { InteractionResponseType } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCommand } from '../src/ui/discord/command.ts';
import type { InteractionHandle } from '@paperboy/fake-discord';
import { commands } from '../commands/index.ts';
import { article } from './helpers/articles.ts';
import { type Harness, type HarnessOptions, startHarness } from './helpers/bot.ts';

/** Seven articles about one harbour, so that /search has a second page. */
const harbour = Array.from({ length: 7 }, (_, i) =>
  article({
    title: `Harbour ferry timetable, part ${i + 1}`,
    text: `The harbour ferry leaves at ${i + 6} o'clock.`,
    publishedAt: `2026-11-0${i + 1}T08:00:00Z`,
  }),
);
/** Longer than anything in these tests takes, however busy the machine. */
const NEVER = 10 * 60_000;

/** The bot on a library in a SQLite file, as production runs it, with the product's commands and `extra`. */
const startReplyBot = (options: HarnessOptions & { readonly extra?: ReturnType<typeof defineCommand> }): Promise<Harness> =>
  startHarness({ libraryFile: true, ...options, commands: [...commands, ...(options.extra ? [options.extra] : [])] });

let bot: Harness | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

/** A command that answers only once the test opens its gate. */
function gated(name: string, ephemeral: boolean): { command: ReturnType<typeof defineCommand>; open: () => void } {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const command = defineCommand({
    definition: { name, description: 'Answers when the test lets it' },
    options: z.object({}),
    defer: true,
    ephemeral,
    run: async () => {
      await gate;
      return { content: `${name} is done.` };
    },
  });
  return { command, open: () => open() };
}

/** Resolves once the local Discord has the interaction's first callback. */
async function acknowledged(handle: InteractionHandle, bot: Harness): Promise<number> {
  while (handle.callbacks.length === 0) await new Promise((resolve) => bot.fake.once('request', resolve));
  return handle.callbacks[0]!.type;
}

describe('GIVEN a library and a search whose answer is ready in time', () => {
  it('THEN /search is answered with the results in one request, publicly', async () => {
    bot = await startReplyBot({ articles: harbour, deferAfterMs: NEVER });
    const handle = bot.run('search', { query: 'harbour ferry' });
    const reply = await handle.reply();
    expect(reply.ephemeral).toBe(false);
    expect(reply.embeds[0]?.title).toBe('Search: harbour ferry');
    expect(reply.embeds[0]?.footer?.text).toMatch(/^Results 1–5 of 7 · page 1 of 2/);
    // The answer came with the interaction's one callback: no deferral, so no edit to follow.
    expect(handle.callbacks.map((c) => c.type)).toEqual([InteractionResponseType.ChannelMessageWithSource]);
    expect(handle.original()?.embeds[0]?.title).toBe('Search: harbour ferry');
  });

  it('THEN a search with no results is answered privately in one request (no placeholder to remove)', async () => {
    bot = await startReplyBot({ articles: harbour, deferAfterMs: NEVER });
    const handle = bot.run('search', { query: 'zeppelin' });
    const reply = await handle.reply();
    expect(reply).toMatchObject({ ephemeral: true, content: 'No articles or comments match "zeppelin".' });
    expect(handle.callbacks.map((c) => c.type)).toEqual([InteractionResponseType.ChannelMessageWithSource]);
    expect(handle.followUps).toEqual([]);
  });

  it('THEN Next ▶ updates the results in place in one request', async () => {
    bot = await startReplyBot({ articles: harbour, deferAfterMs: NEVER });
    const first = await bot.run('search', { query: 'harbour ferry' }).reply();
    const next = first.components[0]?.components.find((c) => 'label' in c && c.label === 'Next ▶') as { custom_id: string };
    const click = bot.fake.clickButton({ messageId: first.message?.id ?? '', customId: next.custom_id, userId: bot.userId });
    const page = await click.reply();
    expect(page.embeds[0]?.footer?.text).toMatch(/^Results 6–7 of 7 · page 2 of 2/);
    expect(click.callbacks.map((c) => c.type)).toEqual([InteractionResponseType.UpdateMessage]);
  });
});

describe('GIVEN a command that is still working when the deferral is due', () => {
  it('THEN the user first gets the deferral, then its edit with the answer, and nothing else', async () => {
    const slow = gated('slow', false);
    bot = await startReplyBot({ articles: [], deferAfterMs: 1, extra: slow.command });
    const handle = bot.run('slow');
    expect(await acknowledged(handle, bot)).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    slow.open();
    const reply = await handle.reply();
    expect(reply).toMatchObject({ ephemeral: false, content: 'slow is done.' });
    expect(handle.callbacks).toHaveLength(1);
    // The deferral's placeholder became the answer: an edit, not a second message.
    expect(handle.original()?.content).toBe('slow is done.');
    expect(handle.followUps).toEqual([]);
  });

  it('THEN a private command stays private deferred, and answered in time', async () => {
    const slow = gated('slow-private', true);
    const quick = gated('quick-private', true);
    quick.open();
    bot = await startReplyBot({ articles: [], deferAfterMs: 1, extra: slow.command });
    const handle = bot.run('slow-private');
    await acknowledged(handle, bot);
    slow.open();
    expect(await handle.reply()).toMatchObject({ ephemeral: true, content: 'slow-private is done.' });
    await bot.close();
    bot = await startReplyBot({ articles: [], deferAfterMs: NEVER, extra: quick.command });
    const answered = bot.run('quick-private');
    expect(await answered.reply()).toMatchObject({ ephemeral: true, content: 'quick-private is done.' });
    expect(answered.callbacks.map((c) => c.type)).toEqual([InteractionResponseType.ChannelMessageWithSource]);
  });
});

describe('GIVEN a command whose work may hold the thread (deferFirst)', () => {
  it('THEN it is deferred before its work starts, however long the router would wait', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const heavy = defineCommand({
      definition: { name: 'heavy', description: 'Holds the thread' },
      options: z.object({}),
      defer: true,
      deferFirst: true,
      run: async () => {
        await gate;
        return { content: 'heavy is done.' };
      },
    });
    bot = await startReplyBot({ articles: [], deferAfterMs: NEVER, extra: heavy });
    const handle = bot.run('heavy');
    expect(await acknowledged(handle, bot)).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    open();
    expect(await handle.reply()).toMatchObject({ content: 'heavy is done.' });
    expect(handle.callbacks).toHaveLength(1);
  });

  it('THEN /summarize and /quote, which read a whole article on the thread, are deferred first', async () => {
    bot = await startReplyBot({ articles: harbour, deferAfterMs: NEVER });
    const id = (await bot.store.list({ limit: 1 }))[0]!.id;
    for (const [name, opts] of [
      ['summarize', { article: id }],
      ['quote', { article: id, about: 'ferry' }],
    ] as const) {
      const handle = bot.run(name, opts);
      await handle.reply();
      expect(handle.callbacks[0]?.type, name).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    }
  });
});

describe('GIVEN an interaction that waited behind other work on the bot thread past the deferral delay', () => {
  it('THEN it is deferred at once, however quick its own work: the delay counts from when Discord made it', async () => {
    const quick = gated('quick-late', false);
    quick.open();
    bot = await startReplyBot({ articles: [], deferAfterMs: 200, extra: quick.command });
    const handle = bot.run('quick-late');
    // The thread is busy (as with a queue of searches) until the interaction is 300 ms old.
    const busyUntil = Date.now() + 300;
    while (Date.now() < busyUntil);
    expect(await acknowledged(handle, bot)).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(await handle.reply()).toMatchObject({ content: 'quick-late is done.' });
  });
});
