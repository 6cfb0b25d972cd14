/**
 * Channel webhooks, forum tags and allowed mentions through the local Discord with the real
 * discord.js client: webhooks need Manage Webhooks, post under the name given (in the channel, in a
 * thread, or as a forum post with tags), edit only their own messages; a forum post's tags are
 * checked against the forum's; a message pings exactly what its content and allowed_mentions allow,
 * and the fake tells what allowed_mentions it was sent with.
 */
import { ChannelType, Client, Events, GatewayIntentBits, PermissionFlagsBits, Routes, type ForumChannel, type TextChannel } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientOptionsFor, FakeDiscord } from '../src/index.ts';
import { DEFAULT_BOT_PERMISSIONS } from '../src/state.ts';

let fake: FakeDiscord;
let client: Client<true>;
let guildId: string;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: 'Readers', botPermissions: DEFAULT_BOT_PERMISSIONS | PermissionFlagsBits.ManageWebhooks }).id;
  client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages], ...clientOptionsFor(fake) });
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(fake.botToken);
  client = await ready;
});

afterAll(async () => {
  await client.destroy();
  await fake.close();
});

async function textChannel(name: string): Promise<TextChannel> {
  const made = fake.createChannel(guildId, { name });
  const channel = await client.channels.fetch(made.id);
  if (channel?.type !== ChannelType.GuildText) throw new Error('not a text channel');
  return channel;
}

async function forumChannel(name: string): Promise<ForumChannel> {
  const made = fake.createChannel(guildId, { name, type: 'forum' });
  const channel = await client.channels.fetch(made.id);
  if (channel?.type !== ChannelType.GuildForum) throw new Error('not a forum');
  return channel;
}

describe('GIVEN a channel webhook', () => {
  it('THEN the bot makes and lists it with Manage Webhooks, and a message through it shows the name given, as the webhook', async () => {
    const channel = await textChannel('news');
    const hook = await channel.createWebhook({ name: 'Paperboy' });
    expect((await channel.fetchWebhooks()).map((w) => w.id)).toEqual([hook.id]);
    const sent = await hook.send({
      content: 'Harbour opens',
      username: 'Harbour Desk',
      avatarURL: 'https://example.org/a.png',
      allowedMentions: { parse: [] },
    });
    const stored = fake.message(sent.id);
    expect(stored).toMatchObject({ webhook_id: hook.id, author: { id: hook.id, username: 'Harbour Desk', bot: true }, content: 'Harbour opens' });
    expect(fake.sentWith(sent.id)).toEqual({ allowedMentions: { parse: [] }, avatarUrl: 'https://example.org/a.png' });
    // Without a username the webhook's own name shows.
    const plain = await hook.send({ content: 'Second' });
    expect(fake.message(plain.id)?.author.username).toBe('Paperboy');
    // Edited through its token; the bot's own route may not edit it (another author's message).
    await hook.editMessage(sent.id, { content: 'Harbour opens today' });
    expect(fake.message(sent.id)?.content).toBe('Harbour opens today');
    await expect(client.rest.patch(Routes.channelMessage(channel.id, sent.id), { body: { content: 'x' } })).rejects.toMatchObject({ code: 50005 });
    expect(fake.violations.map((v) => v.code)).toEqual([50005]);
  });

  it('THEN without Manage Webhooks listing and making are refused with 50013, and a name with "discord" with 50035', async () => {
    const channel = await textChannel('locked');
    fake.setBotPermissions(channel.id, 0n, PermissionFlagsBits.ManageWebhooks);
    const before = fake.violations.length;
    await expect(channel.fetchWebhooks()).rejects.toMatchObject({ code: 50013, status: 403 });
    await expect(channel.createWebhook({ name: 'Paperboy' })).rejects.toMatchObject({ code: 50013 });
    fake.setBotPermissions(channel.id, 0n, 0n);
    await expect(channel.createWebhook({ name: 'My Discord feed' })).rejects.toMatchObject({ code: 50035 });
    expect(fake.violations.slice(before).map((v) => v.code)).toEqual([50013, 50013, 50035]);
    expect(fake.webhooks(channel.id)).toEqual([]);
  });

  it('THEN thread_id posts into a thread of its channel, and editing it there needs thread_id too', async () => {
    const channel = await textChannel('threads');
    const starter = await channel.send({ content: 'Start', allowedMentions: { parse: [] } });
    const thread = await starter.startThread({ name: 'Discussion' });
    const hook = await channel.createWebhook({ name: 'Paperboy' });
    const inThread = await hook.send({ content: 'In the thread', threadId: thread.id, username: 'Desk' });
    expect(inThread.channelId).toBe(thread.id);
    expect(fake.messages(thread.id).map((m) => m.author.username)).toEqual(['Desk']);
    const before = fake.violations.length;
    await expect(hook.editMessage(inThread.id, { content: 'edited' })).rejects.toMatchObject({ code: 10008 });
    await hook.editMessage(inThread.id, { content: 'edited', threadId: thread.id });
    expect(fake.message(inThread.id)?.content).toBe('edited');
    expect(fake.violations.slice(before).map((v) => v.code)).toEqual([10008]);
  });

  it('THEN in a forum thread_name makes a post with its tags (checked against the forum’s, at most 5), owned by the webhook', async () => {
    const forum = await forumChannel('articles');
    const tags = fake.setForumTags(
      forum.id,
      ['Markets', 'Ports', 'Weather', 'Sport', 'Arts', 'Science'].map((name) => ({ name })),
    );
    expect(fake.channel(forum.id)).toMatchObject({ available_tags: tags });
    // The client reads them from Discord's answer, as from CHANNEL_UPDATE.
    const fetched = await client.channels.fetch(forum.id, { force: true });
    expect(fetched?.type === ChannelType.GuildForum ? fetched.availableTags.map((t) => t.name) : []).toEqual(tags.map((t) => t.name));
    const hook = await forum.createWebhook({ name: 'Paperboy' });
    const ids = tags.map((t) => t.id);
    const post = await hook.send({ content: 'Harbour opens', threadName: 'Harbour opens', appliedTags: [ids[1] ?? ''], username: 'Desk' });
    const thread = fake.channel(post.channelId);
    expect(thread).toMatchObject({ parent_id: forum.id, name: 'Harbour opens', applied_tags: [ids[1]], owner_id: hook.id });
    expect(post.id).toBe(post.channelId);
    const before = fake.violations.length;
    await expect(hook.send({ content: 'x', threadName: 'Six', appliedTags: ids })).rejects.toMatchObject({ code: 50035 });
    await expect(hook.send({ content: 'x', threadName: 'Foreign', appliedTags: ['123456789012345678'] })).rejects.toMatchObject({ code: 50035 });
    await expect(hook.send({ content: 'x' })).rejects.toMatchObject({ code: 220001 });
    // The bot's own forum posts are checked the same way.
    await expect(forum.threads.create({ name: 'Bot post', message: { content: 'x' }, appliedTags: ['123456789012345678'] })).rejects.toMatchObject({
      code: 50035,
    });
    const own = await forum.threads.create({ name: 'Bot post', message: { content: 'x' }, appliedTags: [ids[0] ?? '', ids[2] ?? ''] });
    expect(fake.channel(own.id)).toMatchObject({ applied_tags: [ids[0], ids[2]] });
    expect(fake.violations.slice(before).map((v) => v.code)).toEqual([50035, 50035, 220001, 50035]);
    expect(fake.threads(forum.id)).toHaveLength(2);
  });
});

describe('GIVEN allowed_mentions', () => {
  it('THEN a message pings exactly the mentions in its content that allowed_mentions lets through, and the fake tells what was allowed', async () => {
    const channel = await textChannel('pings');
    const reader = fake.createUser({ username: 'reader' });
    fake.addMember(guildId, reader.id);
    const markets = fake.createRole(guildId, { name: 'markets', mentionable: true });
    const sport = fake.createRole(guildId, { name: 'sport', mentionable: true });
    const content = `<@&${markets.id}> <@&${sport.id}> <@${reader.id}> @everyone`;
    const only = await channel.send({ content, allowedMentions: { parse: [], roles: [markets.id], users: [] } });
    expect(fake.message(only.id)).toMatchObject({ mention_roles: [markets.id], mentions: [], mention_everyone: false });
    expect(fake.sentWith(only.id)).toEqual({ allowedMentions: { parse: [], roles: [markets.id], users: [] } });
    const none = await channel.send({ content, allowedMentions: { parse: [] } });
    expect(fake.message(none.id)).toMatchObject({ mention_roles: [], mentions: [], mention_everyone: false });
    // Allowed but not in the content: no ping either.
    const absent = await channel.send({ content: 'Markets closed', allowedMentions: { parse: [], roles: [markets.id], users: [reader.id] } });
    expect(fake.message(absent.id)).toMatchObject({ mention_roles: [], mentions: [] });
    // Without allowed_mentions a message parses everything, as Discord does.
    const all = await client.rest.post(Routes.channelMessages(channel.id), { body: { content } });
    const id = (all as { id: string }).id;
    expect(fake.message(id)).toMatchObject({ mention_roles: [markets.id, sport.id], mentions: [{ id: reader.id }], mention_everyone: true });
    expect(fake.sentWith(id)).toEqual({});
  });
});
