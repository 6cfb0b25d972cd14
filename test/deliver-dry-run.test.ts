/**
 * /deliver dry-run, worded for what a run would really do: an article already posted whose only
 * change is a reply written in its thread gets its post updated (the comment count), and sends no
 * message, so it must not read "add comments … (0 messages)". The real bot against the local Discord.
 */
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { article, comment } from './helpers/articles.ts';
import { type Harness, startHarness } from './helpers/bot.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('GIVEN a posted article and a reader who replies in its thread', () => {
  it('THEN /deliver dry-run says the post would be updated, with no "0 messages", and the run does just that', async () => {
    const harbour = article({
      title: 'Harbour reopens after the storm',
      source: 'Coast Gazette',
      text: 'The harbour reopened on Monday.',
      comments: [comment(1, 'Good news for the fleet.')],
    });
    const x = await startHarness({ articles: [harbour], delivery: true, messageContent: true });
    h = x;
    const admin = x.fake.createUser({ username: 'editor' });
    x.fake.addMember(x.guildId, admin.id, {
      permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages,
    });
    const as = (name: string, options: Record<string, string | boolean> = {}) =>
      x.fake.runCommand({ guildId: x.guildId, channelId: x.channelId, userId: admin.id, name, options });
    await as('subscribe', { channel: x.channelId, backfill: 'all' }).reply();
    await as('deliver').reply(20_000);
    const thread = x.fake.threads(x.channelId)[0];
    if (!thread) throw new Error('no thread was made');
    const [post] = x.fake.messages(x.channelId);
    expect(JSON.stringify(post?.embeds)).toContain('1 comment');

    x.fake.postAsUser({ channelId: thread.id, userId: x.userId, content: 'The ferry is back too.' });
    await vi.waitFor(async () => expect((await x.store.get(harbour.id))?.comments.length, 'the reply, stored as a comment').toBe(2), {
      timeout: 5000,
      interval: 25,
    });

    const dry = await as('deliver', { 'dry-run': true }).reply(20_000);
    const said = dry.embeds[0]?.description ?? '';
    expect(said).toBe(`<#${x.channelId}>: 1 article would go out:\n• update the post of “Harbour reopens after the storm” (no new messages)`);
    expect(said).not.toMatch(/\b0 messages\b/);

    const sent = x.fake.messages(thread.id).length;
    await as('deliver').reply(20_000);
    // True to its word: no message was sent, and the post now counts the reply.
    expect(x.fake.messages(thread.id)).toHaveLength(sent);
    expect(JSON.stringify(x.fake.messages(x.channelId)[0]?.embeds)).toContain('2 comments');
  });
});
