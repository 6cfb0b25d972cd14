/**
 * End to end: the subscription commands with the real client against the local Discord, and the
 * delivery they drive: /subscribe with its default stated, filters checked, the Manage Server
 * check repeated on use, /deliver (dry run and real), /subscriptions with counts and pauses.
 */
import { mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { article, comment } from './helpers/articles.ts';
import { type Harness, startHarness } from './helpers/bot.ts';
import { sampleArticle } from './text-sample.ts';

let h: Harness | undefined;
afterEach(async () => {
  // The schedule test fakes the clock; the bot stops on real timers (a no-op for the other tests).
  vi.useRealTimers();
  await h?.close();
  h = undefined;
});

const ADMIN = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;

async function adminHarness(): Promise<Harness & { adminId: string; forumId: string }> {
  const harness = await startHarness({ articles: [sampleArticle()], delivery: true });
  const admin = harness.fake.createUser({ username: 'editor' });
  harness.fake.addMember(harness.guildId, admin.id, { permissions: ADMIN });
  const forum = harness.fake.createChannel(harness.guildId, { name: 'articles', type: 'forum' });
  return Object.assign(harness, { adminId: admin.id, forumId: forum.id });
}

describe('GIVEN /subscribe', () => {
  it('THEN a member without Manage Server is refused even though Discord showed the command', async () => {
    h = await adminHarness();
    const reply = await h.run('subscribe', { channel: h.channelId }).reply();
    expect(reply).toMatchObject({ ephemeral: true, content: 'You need the Manage Server permission to do that.' });
    expect(await h.fake.runCommand({ guildId: h.guildId, channelId: h.channelId, userId: h.userId, name: 'subscriptions' }).reply()).toMatchObject({
      ephemeral: true,
    });
  });

  it('THEN the default backfill is stated, a regex RE2 cannot run is refused, and a bad backfill is named', async () => {
    const a = await adminHarness();
    h = a;
    const as = (name: string, options: Record<string, string | number | boolean> = {}) =>
      a.fake.runCommand({ guildId: a.guildId, channelId: a.channelId, userId: a.adminId, name, options });
    const ok = await as('subscribe', { channel: a.channelId }).reply();
    expect(ok.ephemeral).toBe(true);
    expect(ok.content).toContain(
      'Backfill: latest 3 (the default): the latest 3 stored first (1 article now, then new ones as they arrive). Nothing older is posted: subscribe again with backfill:all for every stored article, or backfill:none for new ones only.',
    );
    const regex = await as('subscribe', { channel: a.forumId, keywords: '/nato(?! treaty)/' }).reply();
    expect(regex.content).toMatch(/^Keywords: the pattern uses a negative lookahead "\(\?!" at character 5: filters run on RE2/);
    const fill = await as('subscribe', { channel: a.forumId, backfill: 'some' }).reply();
    expect(fill.content).toBe('Backfill "some" is not one of: none, latest N (such as latest 10), all.');
    const list = await as('subscriptions').reply();
    expect(list.embeds[0]?.fields).toHaveLength(1);
    expect(list.embeds[0]?.fields?.[0]?.value).toContain('every article; backfill latest 3');
    expect((await as('unsubscribe', { channel: a.channelId }).reply()).content).toBe(`Unsubscribed <#${a.channelId}>. What was already posted stays.`);
    expect((await as('unsubscribe', { channel: a.channelId }).reply()).content).toBe(`<#${a.channelId}> has no subscription.`);
    expect((await as('subscriptions').reply()).embeds[0]?.description).toBe('None yet. Add one with /subscribe.');
  });
});

describe('GIVEN the quick start: subscribe a channel, then /deliver', () => {
  it('THEN the default posts the latest 3, and subscribing again with backfill:all posts the rest, none twice', async () => {
    const a = await adminHarness();
    h = a;
    const as = (name: string, options: Record<string, string | number | boolean> = {}) =>
      a.fake.runCommand({ guildId: a.guildId, channelId: a.channelId, userId: a.adminId, name, options });
    const more = [1, 2, 3, 4].map((i) =>
      article({ title: `Tide table ${i}`, text: `High tide on day ${i}.`, publishedAt: `2026-11-1${i}T06:00`, comments: [comment(1, `Noted, day ${i}.`)] }),
    );
    for (const x of more) await a.store.upsert(x);
    await as('subscribe', { channel: a.channelId }).reply();
    const first = await as('deliver').reply(30_000);
    expect(first.embeds[0]?.description).toMatch(/3 articles, \d+ messages posted/);
    expect(a.fake.messages(a.channelId).map((m) => m.embeds[0]?.title)).toEqual(['Tide table 2', 'Tide table 3', 'Tide table 4']);

    const again = await as('subscribe', { channel: a.channelId, backfill: 'all' }).reply();
    expect(again.content).toContain(
      'Backfill changed to all: 5 stored articles before where it had got to are due again; those already posted here are not posted twice.',
    );
    const second = await as('deliver').reply(30_000);
    expect(second.embeds[0]?.description).toMatch(/: 2 articles, \d+ messages posted$/);
    const titles = a.fake.messages(a.channelId).map((m) => m.embeds[0]?.title);
    expect(titles.slice(3).sort()).toEqual(['Russia and NATO are severing ties: who is to blame and what to do?', 'Tide table 1']);
    expect(titles).toHaveLength(5);
    expect((await as('subscriptions').reply()).embeds[0]?.fields?.[0]?.value).toMatch(/backfill all\nPosted 5 articles/);

    // Back to none: what is stored is skipped, and the reply says so.
    const none = await as('subscribe', { channel: a.channelId, backfill: 'none' }).reply();
    expect(none.content).toContain('Backfill changed to none: it had got no further than that, so nothing else changes.');
    expect(a.fake.violations).toEqual([]);
  });

  it('THEN /subscribe backfill:all during a run that is still posting a thread takes effect on the next /deliver', async () => {
    const a = await adminHarness();
    h = a;
    const as = (name: string, options: Record<string, string | number | boolean> = {}) =>
      a.fake.runCommand({ guildId: a.guildId, channelId: a.channelId, userId: a.adminId, name, options });
    await as('subscribe', { channel: a.channelId, backfill: 'none' }).reply();
    const harbour = article({
      title: 'Harbour reopens after the storm',
      text: 'The harbour reopened on Monday.',
      comments: [comment(1, 'Good news for the fleet.')],
    });
    await a.store.upsert(harbour);
    // The run's post is made, then its thread waits: the run is going while the admin subscribes again.
    a.fake.faults.slowNext({ count: 1, ms: 2500, route: /\/threads$/ });
    const running = as('deliver').reply(30_000);
    await vi.waitFor(() => expect(a.fake.messages(a.channelId), "the run's post").not.toHaveLength(0), { timeout: 5000, interval: 25 });
    expect(a.fake.messages(a.channelId)).toHaveLength(1);
    const again = await as('subscribe', { channel: a.channelId, backfill: 'all' }).reply();
    expect(again.content).toContain('Backfill changed to all: 1 stored article before where it had got to is due again');
    expect((await running).embeds[0]?.description).toMatch(/: 1 article, \d+ messages posted$/);
    // The run's end left the cursor where /subscribe put it: the older article goes out now, the harbour not twice.
    const next = await as('deliver').reply(30_000);
    expect(next.embeds[0]?.description).toMatch(/: 1 article, \d+ messages posted$/);
    expect(a.fake.messages(a.channelId).map((m) => m.embeds[0]?.title)).toEqual([
      'Harbour reopens after the storm',
      'Russia and NATO are severing ties: who is to blame and what to do?',
    ]);
    expect(a.fake.violations).toEqual([]);
  });

  it('THEN keywords widened during a run reach the articles that run passed for the old keywords', async () => {
    const a = await adminHarness();
    h = a;
    const as = (name: string, options: Record<string, string | number | boolean> = {}) =>
      a.fake.runCommand({ guildId: a.guildId, channelId: a.channelId, userId: a.adminId, name, options });
    await as('subscribe', { channel: a.channelId, backfill: 'none', keywords: 'harbour' }).reply();
    await a.store.upsert(
      article({
        title: 'Harbour reopens after the storm',
        text: 'The harbour reopened on Monday.',
        publishedAt: '2026-11-30T06:00',
        comments: [comment(1, 'Good news for the fleet.')],
      }),
    );
    await a.store.upsert(article({ title: 'Ferry timetable', text: 'Ferries run hourly.', publishedAt: '2026-11-30T07:00' }));
    a.fake.faults.slowNext({ count: 1, ms: 2500, route: /\/threads$/ });
    const running = as('deliver').reply(30_000);
    await vi.waitFor(() => expect(a.fake.messages(a.channelId), "the run's post").not.toHaveLength(0), { timeout: 5000, interval: 25 });
    expect(a.fake.messages(a.channelId)).toHaveLength(1);
    expect((await as('subscribe', { channel: a.channelId, keywords: 'harbour, ferry' }).reply()).content).toContain('matching `harbour, ferry`');
    await running;
    await as('deliver').reply(30_000);
    expect(a.fake.messages(a.channelId).map((m) => m.embeds[0]?.title)).toEqual(['Harbour reopens after the storm', 'Ferry timetable']);
  });

  it('THEN an article Discord refuses is set aside, shown in /subscriptions, and /subscriptions retry posts it', async () => {
    const a = await adminHarness();
    h = a;
    const as = (name: string, options: Record<string, string | number | boolean> = {}) =>
      a.fake.runCommand({ guildId: a.guildId, channelId: a.channelId, userId: a.adminId, name, options });
    await a.store.upsert(article({ title: 'Harbour reopens after the storm', text: 'The harbour reopened on Monday.', publishedAt: '2026-11-30T06:00' }));
    await as('subscribe', { channel: a.channelId, backfill: 'all' }).reply();
    a.fake.faults.failNext({ count: 1, status: 400, route: `POST /channels/${a.channelId}/messages` });
    const run = await as('deliver').reply(30_000);
    expect(run.embeds[0]?.description).toMatch(/: 2 articles, 1 message posted; ⚠ 1 article set aside \(\/subscriptions says why\)$/);
    expect(a.fake.messages(a.channelId).map((m) => m.embeds[0]?.title)).toEqual(['Harbour reopens after the storm']);
    const list = await as('subscriptions').reply();
    expect(list.embeds[0]?.fields?.[0]?.value).toContain(
      '⚠ 1 article set aside: it cannot be posted as it is, and later articles went on.\n• “Russia and NATO are severing ties: who is to blame and what to do?”: Discord refused it: 400',
    );
    const retry = await as('subscriptions', { retry: a.channelId }).reply();
    expect(retry.content).toMatch(/^1 set-aside article in <#\d+> \(“Russia and NATO/);
    await as('deliver').reply(30_000);
    expect(a.fake.messages(a.channelId).map((m) => m.embeds[0]?.title)).toEqual([
      'Harbour reopens after the storm',
      'Russia and NATO are severing ties: who is to blame and what to do?',
    ]);
    expect((await as('subscriptions').reply()).embeds[0]?.fields?.[0]?.value).not.toContain('set aside');
    expect(a.logs.map((l) => l.msg)).toContain('article set aside: it cannot be posted as it is; /subscriptions retry tries it again');
  });
});

describe('GIVEN a subscription with backfill', () => {
  it('THEN /deliver dry-run shows what would go and posts nothing; /deliver posts it with its thread and comments', async () => {
    const a = await adminHarness();
    h = a;
    const as = (name: string, options: Record<string, string | number | boolean> = {}) =>
      a.fake.runCommand({ guildId: a.guildId, channelId: a.channelId, userId: a.adminId, name, options });
    await a.store.upsert(
      article({
        title: 'Harbour reopens after the storm',
        source: 'Coast Gazette',
        text: 'The harbour reopened on Monday.',
        comments: [comment(1, 'Good news for the fleet.')],
      }),
    );
    await as('subscribe', { channel: a.channelId, backfill: 'all', keywords: 'harbour, nato' }).reply();
    const dry = await as('deliver', { 'dry-run': true }).reply(20_000);
    expect(dry.embeds[0]?.title).toBe('Delivery: dry run (nothing posted)');
    expect(dry.embeds[0]?.description).toContain(
      '2 articles would go out:\n• post “Russia and NATO are severing ties: who is to blame and what to do?” (6 messages)\n• post “Harbour reopens after the storm” (2 messages)',
    );
    expect(a.fake.messages(a.channelId)).toHaveLength(0);

    const done = await as('deliver').reply(30_000);
    expect(done.embeds[0]?.description).toMatch(/2 articles, \d+ messages posted/);
    const posts = a.fake.messages(a.channelId);
    expect(posts).toHaveLength(2);
    const threads = a.fake.threads(a.channelId);
    expect(threads).toHaveLength(2);
    const harbour = threads.find((t) => t.name === 'Harbour reopens after the storm');
    expect(a.fake.messages(harbour?.id ?? '').map((m) => m.content)).toEqual([expect.stringContaining('Good news for the fleet.')]);

    const again = await as('deliver').reply(20_000);
    expect(again.embeds[0]?.description).toContain('0 articles, 0 messages posted');
    const list = await as('subscriptions').reply();
    expect(list.embeds[0]?.fields?.[0]?.value).toMatch(/Posted 2 articles, last at/);
    expect(a.fake.violations).toEqual([]);
  });

  it('THEN a deleted channel pauses the subscription with a note in /subscriptions, and it is not retried', async () => {
    const a = await adminHarness();
    h = a;
    const as = (name: string, options: Record<string, string | number | boolean> = {}) =>
      a.fake.runCommand({ guildId: a.guildId, channelId: a.channelId, userId: a.adminId, name, options });
    const doomed = a.fake.createChannel(a.guildId, { name: 'doomed' });
    await as('subscribe', { channel: doomed.id, backfill: 'all' }).reply();
    a.fake.deleteChannel(doomed.id);
    const run = await as('deliver').reply(20_000);
    expect(run.embeds[0]?.description).toMatch(/paused/);
    const list = await as('subscriptions').reply();
    expect(list.embeds[0]?.fields?.[0]?.value).toMatch(/Paused\*\* since .*Unknown Channel/);
    const requests = a.fake.requests.length;
    const next = await as('deliver').reply(20_000);
    expect(next.embeds[0]?.description).toBe('This server has no active subscriptions. Add one with /subscribe.');
    expect(a.fake.requests.length - requests).toBeLessThan(6);
  });
});

describe('GIVEN a subscription with a source and keywords', () => {
  it('THEN subscribing again with only a backfill keeps both and says so; source:- or keywords:- drops one on purpose', async () => {
    const a = await adminHarness();
    h = a;
    const as = (name: string, options: Record<string, string | number | boolean> = {}) =>
      a.fake.runCommand({ guildId: a.guildId, channelId: a.channelId, userId: a.adminId, name, options });
    await a.store.upsert(
      article({
        title: 'NATO ships visit the harbour',
        source: 'Coast Gazette',
        text: 'Three NATO frigates moored on Monday.',
        publishedAt: '2026-11-20T06:00',
      }),
    );
    await a.store.upsert(article({ title: 'Tide table for December', source: 'Coast Gazette', text: 'High tide at six.', publishedAt: '2026-11-21T06:00' }));
    const first = await as('subscribe', { channel: a.channelId, source: 'Coast Gazette', keywords: 'nato', backfill: 'none' }).reply();
    expect(first.content).toContain('new articles from Coast Gazette matching `nato`');

    // Only the backfill given: the filters stay, the reply names them, and only the matching article is due.
    const again = await as('subscribe', { channel: a.channelId, backfill: 'all' }).reply();
    expect(again.content).toContain(`Updated <#${a.channelId}>: new articles from Coast Gazette matching \`nato\`, each with a thread of its comments.`);
    expect(again.content).toContain('Source and keywords kept from before (source:- or keywords:- drops one).');
    expect(again.content).toContain('Backfill changed to all: 1 stored article before where it had got to is due again');
    expect((await as('subscriptions').reply()).embeds[0]?.fields?.[0]?.value).toContain('source Coast Gazette, keywords `nato`; backfill all');
    await as('deliver').reply(30_000);
    expect(a.fake.messages(a.channelId).map((m) => m.embeds[0]?.title)).toEqual(['NATO ships visit the harbour']);

    // keywords:- drops the keywords; the source not given stays.
    const dropped = await as('subscribe', { channel: a.channelId, keywords: '-' }).reply();
    expect(dropped.content).toContain(`Updated <#${a.channelId}>: new articles from Coast Gazette, each with a thread of its comments.`);
    expect(dropped.content).toContain('Keywords dropped. Source kept from before (source:- drops it).');
    expect((await as('subscriptions').reply()).embeds[0]?.fields?.[0]?.value).toContain('source Coast Gazette; backfill all');

    // A new value replaces the old one; source:- leaves every article.
    const replaced = await as('subscribe', { channel: a.channelId, source: '-', keywords: 'tide' }).reply();
    expect(replaced.content).toContain(`Updated <#${a.channelId}>: new articles matching \`tide\`, each with a thread of its comments.`);
    expect(replaced.content).toContain('Source dropped.');
    expect(replaced.content).not.toContain('kept from before');
    expect((await as('subscriptions').reply()).embeds[0]?.fields?.[0]?.value).toContain('keywords `tide`; backfill all');
    const every = await as('subscribe', { channel: a.channelId, keywords: '-' }).reply();
    expect(every.content).toContain(`Updated <#${a.channelId}>: every new article, each with a thread of its comments.`);
    expect((await as('subscriptions').reply()).embeds[0]?.fields?.[0]?.value).toContain('every article; backfill all');

    // A first subscription given - has no filter to drop: it is every article.
    const other = a.fake.createChannel(a.guildId, { name: 'all-news' });
    const fresh = await as('subscribe', { channel: other.id, keywords: '-', source: '-' }).reply();
    expect(fresh.content).toContain(`Subscribed <#${other.id}>: every new article, each with a thread of its comments.`);
    expect(a.fake.violations).toEqual([]);
  });
});

describe('GIVEN the inbox and the schedule', () => {
  it('THEN a file dropped into the inbox is posted on the next scheduled run, and a bad one lands in failed/', async () => {
    const inboxDir = mkdtempSync(join(tmpdir(), 'paperboy-e2e-inbox-'));
    // node-cron's clock is the test's: the next scheduled run comes when the test moves time on, not
    // when a busy machine gets round to it. Discord, the gateway and the inbox's reading stay real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(Math.ceil(Date.now() / 1000) * 1000 + 500);
    const harness = await startHarness({ delivery: { cron: '* * * * * *', inboxDir } });
    h = harness;
    const admin = harness.fake.createUser({ username: 'editor' });
    harness.fake.addMember(harness.guildId, admin.id, { permissions: ADMIN });
    await harness.fake
      .runCommand({ guildId: harness.guildId, channelId: harness.channelId, userId: admin.id, name: 'subscribe', options: { channel: harness.channelId } })
      .reply();
    const landed = Date.now();
    // Written elsewhere and renamed in, as a careful uploader does; dated a few seconds back so it counts as settled.
    const drop = (name: string, text: string): void => {
      const path = join(inboxDir, name);
      writeFileSync(path, text);
      utimesSync(path, (landed - 5000) / 1000, (landed - 5000) / 1000);
    };
    drop(
      'ferry.json',
      JSON.stringify({ title: 'Ferry timetable changes', body: 'The winter timetable starts on Monday.', comments: [{ text: 'About time.' }] }),
    );
    drop('broken.json', '[{"title":');
    // Not posted before the next whole second; posted by the run it starts.
    await vi.advanceTimersByTimeAsync(499);
    await harness.bot.runner.idle();
    expect(harness.fake.messages(harness.channelId)).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await harness.bot.runner.idle();
    expect(harness.fake.messages(harness.channelId).map((m) => m.embeds[0]?.title)).toEqual(['Ferry timetable changes']);
    expect(readdirSync(join(inboxDir, 'processed'))).toEqual(['ferry.json']);
    expect(readdirSync(join(inboxDir, 'failed')).sort()).toEqual(['broken.json', 'broken.json.error.txt']);
  }, 20_000);
});

describe('GIVEN /feed', () => {
  it('THEN an admin adds a feed (read at once), lists it with a failing one and its reason, and removes it', async () => {
    const feedServer = createServer((req, res) => {
      if (req.url === '/news.rss')
        return void res
          .writeHead(200, { 'Content-Type': 'application/rss+xml' })
          .end(readFileSync(new URL('./fixtures/feeds/rss-parser__guardian.rss', import.meta.url)));
      res.writeHead(500).end();
    });
    await new Promise<void>((done) => feedServer.listen(0, '127.0.0.1', done));
    const base = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;
    try {
      const a = await adminHarness();
      h = a;
      const as = ({ subcommand, ...options }: Record<string, string>) =>
        a.fake.runCommand({ guildId: a.guildId, channelId: a.channelId, userId: a.adminId, name: 'feed', subcommand, options });
      const added = await as({ subcommand: 'add', url: `${base}/news.rss`, name: 'Guardian' }).reply();
      expect(added.content).toMatch(new RegExp(`^Added <${base}/news.rss> as “Guardian”\\. Read \\d+ items \\(\\d+ new\\)\\.`));
      const failing = await as({ subcommand: 'add', url: `${base}/broken.rss` }).reply();
      expect(failing.content).toContain(`It could not be read just now: HTTP 500 Internal Server Error from ${base}/broken.rss.`);
      const list = await as({ subcommand: 'list' }).reply();
      expect(list.embeds[0]?.fields?.map((f) => f.name)).toEqual(['127.0.0.1', 'Guardian']);
      // Feed health (issue 17): since when, and the reason in plain words.
      expect(list.embeds[0]?.fields?.[0]?.value).toMatch(
        /⚠ Failing since \d{4}-\d\d-\d\d \d\d:\d\d UTC \(1 time\): the site’s server failed \(HTTP 500\)\.\nNext poll: \d{4}/,
      );
      expect((await as({ subcommand: 'remove', url: `${base}/broken.rss` }).reply()).content).toBe(
        `Stopped reading <${base}/broken.rss>. Its articles stay stored.`,
      );
      expect((await as({ subcommand: 'add', url: 'not a url' }).reply()).content).toMatch(/is not a URL/);
      expect((await a.store.list()).map((x) => x.source)).toContain('Guardian');
    } finally {
      await new Promise((done) => feedServer.close(done));
    }
  });
});
