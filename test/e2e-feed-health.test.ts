/**
 * End to end (issue 17 point 6): the real discord.js client against the local Discord. A server
 * chooses a health channel with /feed health-channel and reads a feed from a local site; when the
 * site starts answering 403 from Cloudflare, several delivery runs later the channel holds ONE
 * message saying so, which pings no one; when the site answers again, ONE recovery message. A blip
 * (two 503s within minutes) says nothing.
 * /feed list shows the feed's health meanwhile, and for a feed that reads, one failing and one
 * paused, each one's last success, items seen and next poll, and why and since when.
 */
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers/bot.ts';
import { type LocalSite, serveLocally } from './helpers/http.ts';

const ADMIN = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
const FEED = `<?xml version="1.0"?>
<rss version="2.0"><channel><title>Harbour</title><link>https://harbour.example/</link>
<item><title>Ferry times change @everyone</title><link>https://harbour.example/ferry</link><guid>ferry</guid><description>The ferry leaves at nine.</description></item>
</channel></rss>`;

let site: LocalSite;
let blocked = false;
/** A plain 503 from the site itself: a blip unless it lasts. */
let down = false;
/** Once set, /quay answers 404 (failing) and /pier 410 (gone, so paused at once). */
let broken = false;
let h: Harness;
let adminId: string;
let healthId: string;

beforeAll(async () => {
  site = await serveLocally((req, res) => {
    if (broken && req.url === '/quay') return void res.writeHead(404).end();
    if (broken && req.url === '/pier') return void res.writeHead(410).end();
    if (down) return void res.writeHead(503).end();
    if (blocked)
      return void res
        .writeHead(403, { server: 'cloudflare', 'cf-ray': '8f00aa11bb22cc33-FRA', 'content-type': 'text/html' })
        .end('<title>Just a moment...</title>');
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(FEED);
  });
  h = await startHarness({ delivery: true });
  const admin = h.fake.createUser({ username: 'editor' });
  h.fake.addMember(h.guildId, admin.id, { permissions: ADMIN });
  adminId = admin.id;
  healthId = h.fake.createChannel(h.guildId, { name: 'feed-health' }).id;
});
afterAll(async () => {
  await h.close();
  await site.close();
});

const as = (name: string, options: Record<string, string | number> = {}) =>
  h.fake.runCommand({ guildId: h.guildId, channelId: h.channelId, userId: adminId, name, options });
const feed = (subcommand: string, options: Record<string, string | number> = {}) =>
  h.fake.runCommand({ guildId: h.guildId, channelId: h.channelId, userId: adminId, name: 'feed', subcommand, options });

describe('GIVEN a health channel and a subscribed feed from a local site', () => {
  it('THEN a 403 from Cloudflare gives one message across several runs, and answering again one recovery message', async () => {
    const url = `${site.base}/harbour.rss`;
    const chosen = await feed('health-channel', { channel: healthId }).reply();
    expect(chosen.content).toMatch(new RegExp(`^Feed health goes to <#${healthId}>`));
    expect((await feed('add', { url, name: 'Harbour' }).reply(30_000)).content).toContain('Read 1 item');
    await as('subscribe', { channel: h.channelId }).reply();
    await as('deliver').reply(30_000);
    expect(h.fake.messages(healthId)).toEqual([]);

    // Each run polls the feed again: its backoff is cleared between runs, as if its time had come.
    const runAgain = async (): Promise<void> => {
      await h.botOptions.state.feeds.update(url, (f) => f && { ...f, retryAt: null });
      await as('deliver').reply(30_000);
    };
    // A blip: two 503s within minutes, then the feed reads again. Nothing is said, not even a recovery.
    down = true;
    await runAgain();
    await runAgain();
    expect((await h.botOptions.state.feeds.get(url))?.failures).toBe(2);
    down = false;
    await runAgain();
    expect((await h.botOptions.state.feeds.get(url))?.failures).toBe(0);
    expect(h.fake.messages(healthId)).toEqual([]);

    blocked = true;
    for (let i = 0; i < 3; i++) await runAgain();
    expect((await h.botOptions.state.feeds.get(url))?.failures).toBe(3);
    const failing = h.fake.messages(healthId);
    expect(failing).toHaveLength(1);
    expect(failing[0]?.content).toMatch(
      new RegExp(
        `^⚠ Feed failing since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC: \\*\\*Harbour\\*\\* \\(<${url.replaceAll('.', '\\.')}>\\)\\nReason: blocked by Cloudflare's bot check \\(HTTP 403\\)`,
      ),
    );
    expect(h.fake.sentWith(failing[0]!.id)?.allowedMentions).toEqual({ parse: [] });

    const list = await feed('list').reply();
    expect(list.embeds[0]?.fields?.[0]?.value).toContain('⚠ Failing since');
    expect(list.embeds[0]?.fields?.[0]?.value).toContain("(3 times): blocked by Cloudflare's bot check (HTTP 403)");

    blocked = false;
    await runAgain();
    await runAgain();
    const all = h.fake.messages(healthId);
    expect(all).toHaveLength(2);
    expect(all[1]?.content).toMatch(
      new RegExp(`^✅ Feed recovered: \\*\\*Harbour\\*\\* \\(<${url.replaceAll('.', '\\.')}>\\) reads again after \\d+ (minute|second)`),
    );
    expect((await feed('list').reply()).embeds[0]?.fields?.[0]?.value).toContain('✅ OK.');

    // Without a channel, notices stop: a failure after that is said nowhere.
    expect((await feed('health-channel').reply()).content).toBe('Feed health notices are off for this server. Choose a channel to turn them on.');
    blocked = true;
    await runAgain();
    expect((await h.botOptions.state.feeds.get(url))?.failures).toBe(1);
    expect(h.fake.messages(healthId)).toHaveLength(2);
  });
});

describe('GIVEN a feed that reads, one failing and one paused', () => {
  it('THEN /feed list gives each one’s last success, items seen and next poll, and why and since when', async () => {
    blocked = false;
    expect((await feed('remove', { url: `${site.base}/harbour.rss` }).reply()).content).toContain('Stopped reading');
    for (const [path, name] of [
      ['ok.rss', 'Ok'],
      ['pier', 'Pier'],
      ['quay', 'Quay'],
    ] as const)
      expect((await feed('add', { url: `${site.base}/${path}`, name }).reply(30_000)).content).toContain('Read 1 item');
    broken = true;
    await as('deliver').reply(30_000);

    const list = await feed('list').reply();
    const minute = '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC';
    const success = `Last success ${minute}: 1 item\\.`;
    expect(list.embeds[0]?.description).toBe('3 feeds, read on each delivery run.');
    const fields = list.embeds[0]?.fields ?? [];
    expect(fields.map((f) => f.name)).toEqual(['Ok', 'Pier', 'Quay']);
    expect(fields[0]?.value).toMatch(new RegExp(`^<${site.base}/ok\\.rss>\\n✅ OK\\.\\n${success}\\nNext poll: the next delivery run\\.$`));
    expect(fields[1]?.value).toMatch(
      new RegExp(
        `^<${site.base}/pier>\\n⏸ Paused since ${minute}: gone \\(HTTP 410\\): the site says this feed was removed for good\\. Resume with /feed resume\\.\\n${success}$`,
      ),
    );
    expect(fields[2]?.value).toMatch(
      new RegExp(
        `^<${site.base}/quay>\\n⚠ Failing since ${minute} \\(1 time\\): not found \\(HTTP 404\\): the feed’s address may have changed\\.\\n${success}\\nNext poll: ${minute}\\.$`,
      ),
    );
    // The next poll of the failing feed is its backoff's end, after its failure.
    const quay = await h.botOptions.state.feeds.get(`${site.base}/quay`);
    expect(fields[2]?.value).toContain(`Failing since ${quay?.failingSince?.slice(0, 16).replace('T', ' ')} UTC`);
    expect(fields[2]?.value).toContain(`Next poll: ${quay?.retryAt?.slice(0, 16).replace('T', ' ')} UTC.`);
  });
});
