/**
 * End to end (issue 16, point 1, last sentence): a feed whose item carries a comments link, read by
 * the bot; a subscription with discussions:True delivers the article and follows its discussion; the
 * next run reads the comment feed and its comments go into the article's thread, without pinging
 * anyone. The real discord.js client against the local Discord; the blog on a local site.
 */
import { readFileSync } from 'node:fs';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers/bot.ts';
import { type LocalSite, serveLocally } from './helpers/http.ts';

const ADMIN = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
/** Hand-written in the shape of WordPress's comment feed (see fixtures/discussions/SOURCES.md). */
const COMMENTS = readFileSync(new URL('./fixtures/discussions/comment-feed-handwritten-wordpress.rss', import.meta.url), 'utf8');

/** The blog's own feed: one post, linking its comment feed as WordPress does (wfw:commentRss). */
const news = (base: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wfw="http://wellformedweb.org/CommentAPI/">
<channel>
  <title>Local news</title>
  <link>https://blog.example.org/</link>
  <description>Local news</description>
  <item>
    <title>Council moves the bus depot</title>
    <link>https://blog.example.org/2024/05/bus-depot/</link>
    <guid isPermaLink="false">https://blog.example.org/?p=7</guid>
    <pubDate>Wed, 08 May 2024 09:00:00 +0000</pubDate>
    <description>The depot moves to the old goods yard in June.</description>
    <wfw:commentRss>${base}/2024/05/bus-depot/feed/</wfw:commentRss>
  </item>
</channel>
</rss>`;

let site: LocalSite;
let h: Harness;
let adminId: string;
const served: string[] = [];
beforeAll(async () => {
  site = await serveLocally((req, res) => {
    served.push(req.url ?? '');
    if (req.url === '/news.rss') return void res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(news(site.base));
    if (req.url === '/2024/05/bus-depot/feed/') return void res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(COMMENTS);
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

const as = (name: string, options: Record<string, string | boolean> = {}, subcommand?: string) =>
  h.fake.runCommand({ guildId: h.guildId, channelId: h.channelId, userId: adminId, name, options, ...(subcommand && { subcommand }) }).reply(20_000);

describe('GIVEN a blog feed whose post links its comment feed, and a subscription with discussions:True', () => {
  it('THEN the post is delivered and its discussion followed, and the next run brings its comments into the thread', async () => {
    expect((await as('feed', { url: `${site.base}/news.rss`, name: 'Local news' }, 'add')).content).toMatch(/Read 1 item \(1 new\)/);
    expect((await as('subscribe', { channel: h.channelId, backfill: 'all', discussions: true })).content).toContain('has that discussion followed');
    expect((await as('deliver')).embeds[0]?.description).toMatch(/1 article/);

    const [post] = h.fake.messages(h.channelId);
    expect(post?.embeds[0]?.title).toBe('Council moves the bus depot');
    const listed = (await as('discussion', {}, 'list')).embeds[0];
    expect(listed?.fields?.map((f) => f.name)).toEqual(['Comment feed']);
    expect(listed?.fields?.[0]?.value).toContain(`<${site.base}/2024/05/bus-depot/feed/>`);
    expect(listed?.fields?.[0]?.value).toContain('Article: “Council moves the bus depot”');
    expect(listed?.fields?.[0]?.value).toContain(`by the subscription of <#${h.channelId}>.`);
    expect(served).not.toContain('/2024/05/bus-depot/feed/');

    await as('deliver');
    expect(served).toContain('/2024/05/bus-depot/feed/');
    const thread = h.fake.messages(post?.id ?? '').map((m) => [m.content, ...m.embeds.map((e) => e.description ?? '')].join('\n'));
    expect(thread.some((t) => t.includes('Where will the night buses stop now?'))).toBe(true);
    expect(thread.some((t) => t.includes('At the station, @everyone says.'))).toBe(true);
    const after = (await as('discussion', {}, 'list')).embeds[0]?.fields?.[0]?.value;
    expect(after).toMatch(/2 comments held\. Last read \d{4}-\d\d-\d\d \d\d:\d\d UTC\./);
    expect(h.fake.violations).toEqual([]);
  });
});
