/**
 * Shutdown in the middle of a long thread, with the real bot against the local Discord at
 * Discord's own pace (5 messages per 5 s in a channel): the bot stops between two messages at once,
 * not when the thread is done (nor when the rate-limit window ends), and what it posted matches
 * what it recorded.
 */
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { planArticle } from '../src/delivery/messages.ts';
import type { RequestRecord } from '../src/fake-discord/index.ts';
import { article, comment } from './helpers/articles.ts';
import { type Harness, startHarness } from './helpers/bot.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('GIVEN the bot posting a 40-comment thread at Discord’s pace', () => {
  it('THEN stopping it is immediate, not the rest of the thread, and the next start knows exactly what is left', async () => {
    const long = article({ title: 'Council meeting', text: 'The council met until midnight.', comments: Array.from({ length: 40 }, (_, c) => comment(c + 1, `Remark ${c} on the meeting.`)) });
    h = await startHarness({ articles: [long], delivery: true });
    const harness = h;
    const admin = harness.fake.createUser({ username: 'editor' });
    harness.fake.addMember(harness.guildId, admin.id, { permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel });
    await harness.fake.runCommand({ guildId: harness.guildId, channelId: harness.channelId, userId: admin.id, name: 'subscribe', options: { channel: harness.channelId, backfill: 'all' } }).reply();

    // Stop once 5 comments are in: the thread's window is spent, and the 6th waits in discord.js for the next one.
    const windowSpent = new Promise<void>((resolve) => {
      let comments = 0;
      harness.fake.on('request', (r: RequestRecord) => {
        if (r.method === 'POST' && r.status === 200 && r.path !== `/channels/${harness.channelId}/messages` && r.path.endsWith('/messages') && ++comments === 5) setTimeout(resolve, 200);
      });
    });
    const running = harness.bot.runner.run();
    await windowSpent;
    const started = performance.now();
    await harness.bot.stop();
    const stoppedMs = performance.now() - started;
    const [run] = await running;

    // The 6th message, waiting for the thread's next window, is dropped unsent: no wait at all. Before, about 35 s.
    expect(stoppedMs).toBeLessThan(1000);
    const threadId = harness.fake.threads(harness.channelId)[0]?.id ?? '';
    const posted = harness.fake.messages(threadId).map((m) => m.content);
    const planned = planArticle(long).comments.map((s) => s.message.content);
    expect(posted.length).toBeLessThan(planned.length);
    expect(posted).toEqual(planned.slice(0, posted.length));
    expect(run?.error).toBe(`${planned.length - posted.length} comment messages left for the next run (stopped for shutdown)`);

    // Started again, the bot knows exactly what is left.
    await harness.restart();
    const [dry] = await harness.bot.runner.run({ dryRun: true });
    expect(dry?.plan).toEqual([{ articleId: long.id, title: long.title, action: 'resume', messages: planned.length - posted.length }]);
  }, 60_000);
});

describe('GIVEN the bot posting a dozen articles into one channel at Discord’s pace', () => {
  it('THEN stopping it while a post waits for the channel’s window is immediate, and that post is never sent', async () => {
    const articles = Array.from({ length: 12 }, (_, i) => article({ title: `Ferry notice ${i}`, text: `Notice ${i}.`, publishedAt: `2026-11-${String(10 + i).padStart(2, '0')}T08:00` }));
    h = await startHarness({ articles, delivery: true });
    const harness = h;
    const admin = harness.fake.createUser({ username: 'editor' });
    harness.fake.addMember(harness.guildId, admin.id, { permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel });
    await harness.fake.runCommand({ guildId: harness.guildId, channelId: harness.channelId, userId: admin.id, name: 'subscribe', options: { channel: harness.channelId, backfill: 'all' } }).reply();
    const postsPath = `/channels/${harness.channelId}/messages`;
    const windowSpent = new Promise<void>((resolve) => {
      let posts = 0;
      harness.fake.on('request', (r: RequestRecord) => {
        if (r.method === 'POST' && r.status === 200 && r.path === postsPath && ++posts === 5) setTimeout(resolve, 200);
      });
    });
    const running = harness.bot.runner.run();
    await windowSpent;
    const started = performance.now();
    await harness.bot.stop();
    const stoppedMs = performance.now() - started;
    const [run] = await running;

    expect(stoppedMs).toBeLessThan(1000);
    expect(run?.error).toBe('stopped for shutdown while the post waited for Discord; the next run looks for it before posting');
    // Past the window the dropped post would have gone out in: it never does.
    await new Promise((resolve) => setTimeout(resolve, 5500));
    expect(harness.fake.messages(harness.channelId)).toHaveLength(5);
    expect(harness.fake.requests.filter((r) => r.method === 'POST' && r.path === postsPath)).toHaveLength(5);
  }, 60_000);
});
