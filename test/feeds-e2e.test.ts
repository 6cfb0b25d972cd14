/**
 * The bot against the local Discord while feeds are read (issue 13, points 7 and 8): /feed add of an
 * address only the bot can reach is refused with the rule, and a feed that takes a while to parse
 * does not hold up other people's commands, as it is parsed in the worker thread.
 */
import { readFileSync } from 'node:fs';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Harness, startHarness } from './helpers/bot.ts';
import { type LocalSite, serveLocally } from './helpers/http.ts';

const ADMIN = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
const GUARDIAN = readFileSync(new URL('./fixtures/feeds/rss-parser__guardian.rss', import.meta.url), 'utf8');

/**
 * The Guardian feed (55 items) with 1,500 elements of an extension the reader ignores in each item:
 * about 6 MB that take seconds to parse and give only 55 articles to store.
 */
function slowFeed(): string {
  const ignored = '<extra:note kind="aside" rank="1">An aside the reader ignores.</extra:note>\n'.repeat(1_500);
  return GUARDIAN.replace(/<\/item>/g, `${ignored}</item>`).replace('<rss ', '<rss xmlns:extra="https://e.example/ns" ');
}

let site: LocalSite;
let h: Harness;
let adminId: string;
const served: string[] = [];
beforeAll(async () => {
  const slow = slowFeed();
  site = await serveLocally((req, res) => {
    served.push(req.url ?? '');
    if (req.url === '/slow.rss') return void res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(slow);
    if (req.url === '/to-metadata.rss') return void res.writeHead(301, { Location: 'http://169.254.169.254/latest/meta-data/' }).end();
    res.writeHead(404).end();
  });
  h = await startHarness({ delivery: true });
  const admin = h.fake.createUser({ username: 'editor' });
  h.fake.addMember(h.guildId, admin.id, { permissions: ADMIN });
  adminId = admin.id;
});
afterAll(async () => {
  await h.close();
  await site.close();
});

const feed = (options: Record<string, string>) =>
  h.fake.runCommand({ guildId: h.guildId, channelId: h.channelId, userId: adminId, name: 'feed', subcommand: 'add', options });

describe('GIVEN the bot reading feeds', () => {
  it('THEN /feed add of the metadata service, directly or by a redirect, says it was refused and why', async () => {
    const direct = await feed({ url: 'http://169.254.169.254/latest/meta-data/' }).reply(20_000);
    expect(direct.content).toContain('It could not be read just now: refused: 169.254.169.254 is a link-local address (set FEED\\_ALLOW\\_HOSTS to allow it).');
    const redirected = await feed({ url: `${site.base}/to-metadata.rss` }).reply(20_000);
    expect(redirected.content).toContain(
      `refused: 169.254.169.254 is a link-local address (set FEED\\_ALLOW\\_HOSTS to allow it) (redirected from ${site.base}/to-metadata.rss)`,
    );
  });

  it('THEN the thread that answers Discord never stops for the second a large feed takes to parse, and answers a command meanwhile', async () => {
    // The longest this thread goes without running a timer, while the feed is read: parsing it here
    // (as before the worker) stopped it for the whole parse, about 1.6 s on an idle machine.
    let last = performance.now();
    let longestStop = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longestStop = Math.max(longestStop, now - last);
      last = now;
    }, 5);
    try {
      const started = performance.now();
      const adding = feed({ url: `${site.base}/slow.rss`, name: 'Slow' }).reply(60_000);
      await vi.waitFor(() => expect(served, 'the slow feed served to the bot').toContain('/slow.rss'), { timeout: 20_000, interval: 5 });
      const help = await h.run('help').reply(20_000);
      const reply = await adding;
      const took = performance.now() - started;
      expect(help.embeds.length + help.content.length).toBeGreaterThan(0);
      expect(reply.content).toMatch(/^Added <.*slow\.rss> as “Slow”\. Read 55 items \(55 new\)\./);
      expect(took).toBeGreaterThan(750);
      expect(longestStop).toBeLessThan(750);
    } finally {
      clearInterval(ticker);
    }
  });
});
