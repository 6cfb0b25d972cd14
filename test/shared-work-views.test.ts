/**
 * What members and operators see when several Paperboy processes share the work (leases): the real
 * bot against the local Discord, with a lease taken by "another process" directly on its state.
 * /deliver says a subscription is being delivered elsewhere instead of "0 articles, 0 messages
 * posted"; /feed add says another process is reading the feed instead of "it has not changed"; the
 * log has that at debug; and the polls before a run leave alone a feed read within the spacing
 * drawn from the schedule.
 */
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { FakeDiscord, clientOptionsFor } from '@paperboy/fake-discord';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../commands/index.ts';
import { deliverView } from '../commands/deliver.ts';
import { parseAllowList } from '../src/adapters/feeds/allow.ts';
import { createFeedParser } from '../src/adapters/feeds/parse-worker.ts';
import { sqliteBotStorage } from '../src/adapters/store/bot-storage.ts';
import type { BotState } from '../src/adapters/store/state.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { deliveryLeaseName } from '../src/app/delivery/claim.ts';
import { feedAddress } from '../src/app/feeds/manage.ts';
import { pollLeaseName } from '../src/app/feeds/poll.ts';
import { FeedRegistry } from '../src/app/feeds/registry.ts';
import { type Bot, startBot } from '../src/ui/discord/bot.ts';
import { POLL_SPACING_MAX_MS, pollSpacingMs } from '../src/ui/discord/delivery-wiring.ts';
import { deployCommands } from '../src/ui/discord/deploy.ts';
import { TOKEN } from './helpers/bot.ts';
import { type LocalSite, serveLocally } from './helpers/http.ts';
import { capturedLogger } from './helpers/log.ts';
import { sampleArticle } from './text-sample.ts';

const ADMIN = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
const HOLDER = 'this-process';
const OTHER = 'another-process';
/** pino's levels, as the captured log lines carry them. */
const DEBUG = 20;
const INFO = 30;

const RSS = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Harbour news</title><link>http://127.0.0.1/</link><description>Tides</description>
<item><title>High tide at six</title><link>http://127.0.0.1/tide</link><guid>tide-1</guid><pubDate>Tue, 01 Dec 2026 06:00:00 GMT</pubDate>
<description>The harbour master says high tide is at six this morning, and low tide just after noon.</description></item>
</channel></rss>`;

interface Shared {
  readonly fake: FakeDiscord;
  readonly state: BotState;
  readonly guildId: string;
  readonly channelId: string;
  readonly logs: Record<string, unknown>[];
  /** An admin runs a slash command in the channel. */
  as(name: string, options?: Record<string, string | number | boolean>, subcommand?: string): ReturnType<FakeDiscord['runCommand']>;
  close(): Promise<void>;
}

let open: Shared | undefined;
let site: LocalSite | undefined;
const served: string[] = [];
afterEach(async () => {
  await open?.close();
  await site?.close();
  open = undefined;
  site = undefined;
  served.length = 0;
});

/**
 * The bot as one of several processes on a database: its delivery and polls under leases held as
 * HOLDER. `cron` is set but never fires in a test (it gives the polls' spacing).
 */
async function startShared(cron: string | null = null): Promise<Shared> {
  const fake = await FakeDiscord.start({ botToken: TOKEN });
  const guild = fake.createGuild({ name: 'Readers' });
  const channel = fake.createChannel(guild.id, { name: 'news' });
  const admin = fake.createUser({ username: 'editor' });
  fake.addMember(guild.id, admin.id, { permissions: ADMIN });
  const store = SqliteStore.open(':memory:');
  await store.upsert(sampleArticle());
  const { log, lines: logs } = capturedLogger('debug');
  const storage = sqliteBotStorage(store, log);
  const discord = { token: fake.botToken, applicationId: fake.applicationId, guildId: guild.id, apiUrl: fake.apiUrl, messageContent: false };
  await deployCommands(discord, commands);
  const bot: Bot = await startBot({
    discord,
    store,
    ...storage,
    commands,
    log,
    client: clientOptionsFor(fake),
    lease: { repo: storage.state.leases, holder: HOLDER, ttlMs: 60_000 },
    delivery: { cron, feedFetch: { allow: parseAllowList('127.0.0.1') }, feedParser: createFeedParser() },
  });
  return {
    fake,
    state: storage.state,
    guildId: guild.id,
    channelId: channel.id,
    logs,
    as: (name, options = {}, subcommand) =>
      fake.runCommand({ guildId: guild.id, channelId: channel.id, userId: admin.id, name, options, ...(subcommand && { subcommand }) }),
    async close() {
      await bot.stop();
      await fake.close();
      await store.close();
    },
  };
}

async function serveFeeds(): Promise<LocalSite> {
  return serveLocally((req, res) => {
    served.push(req.url ?? '');
    res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(RSS);
  });
}

describe('GIVEN a subscription whose delivery lease another process holds', () => {
  it('THEN /deliver says it is being delivered elsewhere, posts nothing and records no failure; once released, /deliver posts it', async () => {
    const s = await startShared();
    open = s;
    await s.as('subscribe', { channel: s.channelId }).reply();
    const lease = deliveryLeaseName({ guildId: s.guildId, channelId: s.channelId });
    expect(await s.state.leases.claim(lease, OTHER, 60_000)).toBe(true);

    const held = await s.as('deliver').reply(30_000);
    expect(held.embeds[0]?.description).toBe(`<#${s.channelId}>: being delivered by another Paperboy process right now; it goes on there`);
    expect(s.fake.messages(s.channelId)).toHaveLength(0);
    const listed = (await s.as('subscriptions').reply()).embeds[0]?.fields?.[0]?.value ?? '';
    expect(listed).toContain('Posted 0 articles.');
    expect(listed).not.toContain('⚠');
    expect((await s.state.leases.holderOf(lease))?.holder).toBe(OTHER);

    await s.state.leases.release(lease, OTHER);
    const posted = await s.as('deliver').reply(30_000);
    expect(posted.embeds[0]?.description).toMatch(new RegExp(`^<#${s.channelId}>: 1 article, \\d+ messages posted$`));
    expect(s.fake.messages(s.channelId).map((m) => m.embeds[0]?.title)).toEqual([sampleArticle().title]);
  });

  it('THEN a run handed over part way counts what this process posted and says the other goes on', () => {
    const run = { channelId: '42', channelName: 'news', created: 5, articles: 2, error: null, paused: null, plan: [], heldElsewhere: true } as const;
    expect(deliverView([run], false).embeds?.[0]?.description).toBe(
      '<#42>: 2 articles, 5 messages posted, then another Paperboy process took it over; it goes on there',
    );
  });
});

describe('GIVEN a feed whose poll lease another process holds', () => {
  it('THEN /feed add says that process is reading it, fetches nothing, and the log has it at debug only', async () => {
    site = await serveFeeds();
    const s = await startShared();
    open = s;
    const url = feedAddress(`${site.base}/harbour.rss`);
    expect(await s.state.leases.claim(pollLeaseName(url), OTHER, 60_000)).toBe(true);

    const reply = await s.as('feed', { url, name: 'Harbour' }, 'add').reply(30_000);
    expect(reply.content).toBe(
      `Added <${url}> as “Harbour”. Another Paperboy process is reading this feed right now; its items arrive from there. Subscribed channels get its new articles on the next delivery run.`,
    );
    expect(served).toEqual([]);
    const aboutFeed = s.logs.filter((l) => l.feed === url);
    expect(aboutFeed.map((l) => [l.level, l.msg])).toEqual([[DEBUG, 'feed being read, or just read, by another process; left to it']]);
    expect(aboutFeed.some((l) => (l.level as number) >= INFO)).toBe(false);

    // Released, the same command reads it.
    await s.state.leases.release(pollLeaseName(url), OTHER);
    const read = await s.as('feed', { url, name: 'Harbour' }, 'add').reply(30_000);
    expect(read.content).toContain('Read 1 item (1 new).');
    expect(served).toEqual(['/harbour.rss']);
  });
});

describe('GIVEN several processes on one schedule polling the feeds before each run', () => {
  it('THEN the spacing is half the schedule’s shortest gap, at most 5 minutes, and 0 with no schedule', () => {
    expect(pollSpacingMs('*/5 * * * *')).toBe(150_000);
    expect(pollSpacingMs('*/10 * * * * *')).toBe(5_000);
    // Minute 0 and 1 of each hour: the shortest gap (a minute) counts, not the usual one.
    expect(pollSpacingMs('0,1 * * * *')).toBe(30_000);
    expect(pollSpacingMs('0 9 * * 1-5')).toBe(POLL_SPACING_MAX_MS);
    expect(pollSpacingMs(null)).toBe(0);
  });

  it('THEN a run leaves alone a feed another process read within the spacing, and reads one read a round ago', async () => {
    site = await serveFeeds();
    // Hourly: a spacing of 5 minutes (the cap); the schedule does not fire during the test.
    const s = await startShared('0 * * * *');
    open = s;
    const registry = new FeedRegistry(s.state.feeds);
    const readAgo = async (path: string, minutes: number): Promise<void> => {
      const url = feedAddress(`${site?.base ?? ''}${path}`);
      await registry.add(url, path, new Date());
      const at = new Date(Date.now() - minutes * 60_000).toISOString();
      await registry.update(url, (f) => ({ ...f, lastPolledAt: at, lastOkAt: at, items: 1 }));
    };
    await readAgo('/just-read.rss', 1);
    await readAgo('/read-last-round.rss', 61);

    // /deliver collects as a scheduled run does (this server has no subscription: only the polls run).
    const reply = await s.as('deliver').reply(30_000);
    expect(reply.embeds[0]?.description).toBe('This server has no active subscriptions. Add one with /subscribe.');
    expect(served).toEqual(['/read-last-round.rss']);
  });
});
