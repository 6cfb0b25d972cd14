/**
 * End to end (issue 16, point 1): /discussion add, list and remove with the real discord.js client
 * against the local Discord: a discussion followed for a stored article picked by autocomplete, one
 * of its own, the same one again, bad addresses refused in plain words, the Manage Server check, and
 * /subscribe discussions:True stated in the reply and in /subscriptions.
 */
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { article } from './helpers/articles.ts';
import { type Harness, startHarness } from './helpers/bot.ts';

const ADMIN = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
const dredging = article({ title: 'Harbour dredging starts', url: 'https://coast.example/dredging', text: 'Dredging starts on Monday.' });

let h: Harness;
let adminId: string;
beforeAll(async () => {
  h = await startHarness({ articles: [dredging], delivery: true });
  const admin = h.fake.createUser({ username: 'editor' });
  h.fake.addMember(h.guildId, admin.id, { permissions: ADMIN });
  adminId = admin.id;
});
afterAll(async () => {
  await h.close();
});

const discussion = (subcommand: string, options: Record<string, string | number> = {}) =>
  h.fake.runCommand({ guildId: h.guildId, channelId: h.channelId, userId: adminId, name: 'discussion', subcommand, options });

describe('GIVEN an admin and a stored article', () => {
  it('THEN autocomplete offers the article, and add follows a Hacker News item for it, canonical, and the same one again is no second', async () => {
    const choices = await h.fake
      .autocomplete({
        guildId: h.guildId,
        channelId: h.channelId,
        userId: adminId,
        name: 'discussion',
        subcommand: 'add',
        options: { url: '', article: 'harbour dred' },
        focused: 'article',
      })
      .choices();
    expect(choices).toEqual([{ name: dredging.title, value: dredging.id }]);

    const added = await discussion('add', { url: 'https://news.ycombinator.com/item?id=8863&p=2', article: dredging.id }).reply();
    expect(added.ephemeral).toBe(true);
    expect(added.content).toBe(
      'Following <https://news.ycombinator.com/item?id=8863> (Hacker News). Its comments go to “Harbour dredging starts”; comments come in on each sync, edits and deletions followed. /discussion list shows how it goes.',
    );
    const again = await discussion('add', { url: 'https://news.ycombinator.com/item?id=8863' }).reply();
    expect(again.content).toMatch(
      /^Already following <https:\/\/news\.ycombinator\.com\/item\?id=8863> \(Hacker News\)\. Its comments go to “Harbour dredging starts”/,
    );
    const own = await discussion('add', { url: 'https://old.reddit.com/r/science/comments/AbC123/a_slug/' }).reply();
    expect(own.content).toMatch(/^Following <https:\/\/www\.reddit\.com\/comments\/abc123> \(Reddit\)\. The first sync stores it as an article of its own;/);
  });

  it('THEN list shows each with its platform, article, state and who added it', async () => {
    const list = await discussion('list').reply();
    const embed = list.embeds[0];
    expect(embed?.title).toBe('Followed discussions');
    expect(embed?.description).toBe('2 discussions followed.');
    expect(embed?.fields?.map((f) => f.name)).toEqual(['Hacker News', 'Reddit']);
    const [hn, reddit] = embed?.fields ?? [];
    expect(hn?.value).toContain('<https://news.ycombinator.com/item?id=8863>');
    expect(hn?.value).toContain(`Article: “Harbour dredging starts” (id ${dredging.id.slice(0, 12)})`);
    expect(hn?.value).toContain('Not read yet.');
    expect(hn?.value).toContain('by you.');
    expect(reddit?.value).toContain('Article: its own, stored by the first sync');
    // Another admin (perhaps of another server: the list is every server's) is not told who added it.
    const other = h.fake.createUser({ username: 'deputy' });
    h.fake.addMember(h.guildId, other.id, { permissions: ADMIN });
    const theirs = await h.fake.runCommand({ guildId: h.guildId, channelId: h.channelId, userId: other.id, name: 'discussion', subcommand: 'list' }).reply();
    expect(theirs.embeds[0]?.fields?.[0]?.value).toContain('by an admin.');
    expect(theirs.embeds[0]?.fields?.[0]?.value).not.toContain(adminId);
  });

  it('THEN a bad address or article is refused saying what is wrong, and nothing is added', async () => {
    expect((await discussion('add', { url: 'not a url' }).reply()).content).toBe(
      '"not a url" is not a web address; give the discussion\'s full address, starting with https://.',
    );
    expect((await discussion('add', { url: 'https://www.reddit.com/r/science/' }).reply()).content).toMatch(
      /is not a discussion Paperboy can follow: give a Reddit post, a Hacker News item, a Discourse topic or a comment feed \(RSS or Atom\) address\.$/,
    );
    expect((await discussion('add', { url: 'https://news.ycombinator.com/item?id=1', article: 'no such title at all' }).reply()).content).toMatch(
      /^No article matches "no such title at all"\./,
    );
    expect((await discussion('list').reply()).embeds[0]?.description).toBe('2 discussions followed.');
  });

  it('THEN remove stops one by any of its addresses, and an unknown one is named as not followed', async () => {
    const removed = await discussion('remove', { url: 'https://redd.it/abc123' }).reply();
    expect(removed.content).toBe('Stopped following <https://www.reddit.com/comments/abc123>. Its comments stay stored.');
    const unknown = await discussion('remove', { url: 'https://redd.it/abc123' }).reply();
    expect(unknown.content).toBe('Paperboy does not follow https://redd.it/abc123 (/discussion list shows the discussions it does).');
    const list = await discussion('list').reply();
    expect(list.embeds[0]?.fields?.map((f) => f.name)).toEqual(['Hacker News']);
  });

  it('THEN a member without Manage Server is refused', async () => {
    const member = await h.fake.runCommand({ guildId: h.guildId, channelId: h.channelId, userId: h.userId, name: 'discussion', subcommand: 'list' }).reply();
    expect(member.content).toBe('You need the Manage Server permission to do that.');
  });

  it('THEN /subscribe discussions:True says so, keeps it when not given, and /subscriptions shows it', async () => {
    const on = await h.fake
      .runCommand({
        guildId: h.guildId,
        channelId: h.channelId,
        userId: adminId,
        name: 'subscribe',
        options: { channel: h.channelId, discussions: true, backfill: 'none' },
      })
      .reply();
    expect(on.content).toContain(
      'Discussions: each article it posts that links to a discussion elsewhere (a feed item’s comments link) has that discussion followed; /discussion list shows them.',
    );
    const kept = await h.fake
      .runCommand({ guildId: h.guildId, channelId: h.channelId, userId: adminId, name: 'subscribe', options: { channel: h.channelId, keywords: 'harbour' } })
      .reply();
    expect(kept.content).toContain('has that discussion followed (as before)');
    const list = await h.fake.runCommand({ guildId: h.guildId, channelId: h.channelId, userId: adminId, name: 'subscriptions' }).reply();
    expect(list.embeds[0]?.fields?.[0]?.value).toMatch(/backfill none; discussions followed/);
    const off = await h.fake
      .runCommand({ guildId: h.guildId, channelId: h.channelId, userId: adminId, name: 'subscribe', options: { channel: h.channelId, discussions: false } })
      .reply();
    expect(off.content).toContain('Discussions: no longer followed for new articles.');
  });

  it('THEN no reply broke a Discord rule', () => {
    expect(h.fake.violations).toEqual([]);
  });
});
