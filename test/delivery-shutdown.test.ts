/**
 * Shutdown in the middle of a long thread, with the real bot against the local Discord at
 * Discord's own pace (5 messages per 5 s in a channel): the bot stops between two messages at once,
 * not when the thread is done (nor when the rate-limit window ends), and what it posted matches
 * what it recorded.
 */
import { readFileSync } from 'node:fs';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { articleViews } from '../src/app/delivery/messages.ts';
import type { RequestRecord } from '@paperboy/fake-discord';
import { FeedRegistry } from '../src/app/feeds/registry.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import { article, comment } from './helpers/articles.ts';
import { type Harness, startHarness } from './helpers/bot.ts';
import { type LocalSite, serveLocally } from './helpers/http.ts';

let h: Harness | undefined;
let site: LocalSite | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  await site?.close();
  site = undefined;
});

/** discord.js has said (the bot logs it) that it holds the next message for the window: what the stop must not wait for. */
async function waitingForWindow(harness: Harness): Promise<void> {
  await vi.waitFor(
    () =>
      expect(
        harness.logs.map((l) => l.msg),
        'discord.js holding a message for the next window',
      ).toContain('rate limited'),
    { timeout: 5000, interval: 10 },
  );
}

describe('GIVEN the bot posting a 40-comment thread at Discord’s pace', () => {
  it('THEN stopping it is immediate, not the rest of the thread, and the next start knows exactly what is left', async () => {
    const long = article({
      title: 'Council meeting',
      text: 'The council met until midnight.',
      comments: Array.from({ length: 40 }, (_, c) => comment(c + 1, `Remark ${c} on the meeting.`)),
    });
    h = await startHarness({ articles: [long], delivery: true });
    const harness = h;
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

    // Stop once 5 comments are in: the thread's window is spent, and the 6th waits in discord.js for the next one.
    const windowSpent = new Promise<void>((resolve) => {
      let comments = 0;
      harness.fake.on('request', (r: RequestRecord) => {
        if (r.method === 'POST' && r.status === 200 && r.path !== `/channels/${harness.channelId}/messages` && r.path.endsWith('/messages') && ++comments === 5)
          resolve();
      });
    });
    const running = harness.bot.runner.run();
    await windowSpent;
    await waitingForWindow(harness);
    const started = performance.now();
    await harness.bot.stop();
    const stoppedMs = performance.now() - started;
    const [run] = await running;

    // The 6th message, waiting for the thread's next window, is dropped unsent: no wait at all. Before, about 35 s.
    expect(stoppedMs).toBeLessThan(1000);
    const threadId = harness.fake.threads(harness.channelId)[0]?.id ?? '';
    const posted = harness.fake.messages(threadId).map((m) => m.content);
    const planned = articleViews(long).comments.map((s) => s.message.content);
    expect(posted.length).toBeLessThan(planned.length);
    expect(posted).toEqual(planned.slice(0, posted.length));
    // What is left is progress, not a failure: the next run goes on from there.
    expect(run).toMatchObject({ error: null, posting: [{ articleId: long.id, left: planned.length - posted.length }] });

    // Started again, the bot knows exactly what is left.
    await harness.restart();
    const [dry] = await harness.bot.runner.run({ dryRun: true });
    expect(dry?.plan).toEqual([{ articleId: long.id, title: long.title, action: 'resume', messages: planned.length - posted.length }]);
  }, 60_000);
});

describe('GIVEN the bot posting a dozen articles into one channel at Discord’s pace', () => {
  it('THEN stopping it while a post waits for the channel’s window is immediate, and that post is never sent', async () => {
    const articles = Array.from({ length: 12 }, (_, i) =>
      article({ title: `Ferry notice ${i}`, text: `Notice ${i}.`, publishedAt: `2026-11-${String(10 + i).padStart(2, '0')}T08:00` }),
    );
    h = await startHarness({ articles, delivery: true });
    const harness = h;
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
    const postsPath = `/channels/${harness.channelId}/messages`;
    const windowSpent = new Promise<void>((resolve) => {
      let posts = 0;
      harness.fake.on('request', (r: RequestRecord) => {
        if (r.method === 'POST' && r.status === 200 && r.path === postsPath && ++posts === 5) resolve();
      });
    });
    const running = harness.bot.runner.run();
    await windowSpent;
    await waitingForWindow(harness);
    const started = performance.now();
    await harness.bot.stop();
    const stoppedMs = performance.now() - started;
    const [run] = await running;

    expect(stoppedMs).toBeLessThan(1000);
    // A post dropped for shutdown is not done yet, and it did not fail: no error, no "stopped part way" warning.
    expect(run?.error).toBeNull();
    expect(harness.logs.filter((l) => l.msg === 'delivery stopped part way; the next run resumes it')).toEqual([]);
    expect(harness.fake.messages(harness.channelId)).toHaveLength(5);
    expect(harness.fake.requests.filter((r) => r.method === 'POST' && r.path === postsPath)).toHaveLength(5);
    // Started again, the bot knows it and the rest are left, and posts them.
    await harness.restart();
    const [dry] = await harness.bot.runner.run({ dryRun: true });
    expect(dry?.plan?.map((w) => [w.title, w.action])).toEqual(articles.slice(5).map((a) => [a.title, 'post']));
    await harness.bot.runner.run();
    // That run lasts past the window the dropped post would have gone out in (7 posts at 5 per 5 s),
    // and each post went out once, in order: the dropped one never did.
    expect(harness.fake.messages(harness.channelId).map((m) => m.embeds[0]?.title)).toEqual(articles.map((a) => a.title));
    expect(harness.fake.requests.filter((r) => r.method === 'POST' && r.path === postsPath && r.status === 200)).toHaveLength(articles.length);
  }, 60_000);
});

const GUARDIAN = readFileSync(new URL('./fixtures/feeds/rss-parser__guardian.rss', import.meta.url), 'utf8');

describe('GIVEN the bot parsing a feed that takes seconds to parse', () => {
  it('THEN stopping it ends the parse at once, charges the feed with no failure, and the next start reads the feed again', async () => {
    // The Guardian feed (55 items) with 40,000 empty elements in each item: 9 MB, within the 10 MB a
    // fetch takes, that take about 6 s to parse on an idle machine.
    const slow = GUARDIAN.replace(/<\/item>/g, `${'<x/>'.repeat(40_000)}</item>`);
    let requests = 0;
    let servedSlow!: () => void;
    const slowServed = new Promise<void>((resolve) => (servedSlow = resolve));
    site = await serveLocally((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
      // The first read gets the slow feed, the next ones the plain one.
      if (++requests > 1) return void res.end(GUARDIAN);
      res.end(slow, servedSlow);
    });
    h = await startHarness({ delivery: true });
    const harness = h;
    const url = `${site.base}/news.rss`;
    const feeds = new FeedRegistry(openBotState(harness.store.db).feeds);
    await feeds.add(url, 'The Guardian', new Date());

    const running = harness.bot.runner.run();
    await slowServed;
    // Into the parse: the worker has the feed (it starts in about half a second).
    await new Promise((done) => setTimeout(done, 1500));
    const started = performance.now();
    await harness.bot.stop();
    const stoppedMs = performance.now() - started;
    await running;

    // About 60 ms; before, stop waited for the parse to end (up to its 30 s limit): 3.4 s here.
    expect(stoppedMs).toBeLessThan(1000);
    expect(await harness.store.count()).toBe(0);
    // Not a failure of the feed: nothing recorded, no backoff, so it is due at the next run.
    expect(await feeds.get(url)).toMatchObject({ failures: 0, lastError: null, retryAt: null, lastPolledAt: null });
    expect(harness.logs.filter((l) => l.msg === 'feed failed; backing off')).toEqual([]);
    expect(harness.logs.find((l) => l.msg === 'feed read cut off by shutdown; read again on the next run')).toMatchObject({ feed: url });

    await harness.restart();
    await harness.bot.runner.run();
    expect(requests).toBe(2);
    expect(await harness.store.count()).toBe(55);
    expect(await feeds.get(url)).toMatchObject({ failures: 0, lastError: null, items: 55 });
  }, 60_000);
});
