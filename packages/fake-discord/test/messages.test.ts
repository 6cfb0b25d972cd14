/**
 * Messages and threads through the local Discord with the real discord.js client: Discord's limits
 * turned into 50035 errors and recorded violations, exactly-once sends with a nonce, permissions,
 * threads from messages, forum posts, and paging with `after`.
 */
import { ChannelType, Client, EmbedBuilder, Events, GatewayIntentBits, PermissionFlagsBits, Routes, type ForumChannel, type TextChannel } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { clientOptionsFor, FakeDiscord } from '../src/index.ts';

interface World {
  fake: FakeDiscord;
  client: Client<true>;
  channel: TextChannel;
  forum: ForumChannel;
  userId: string;
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function world(): Promise<World> {
  const fake = await FakeDiscord.start();
  cleanups.push(() => fake.close());
  const guild = fake.createGuild({ name: 'Readers' });
  const text = fake.createChannel(guild.id, { name: 'news' });
  const forumChannel = fake.createChannel(guild.id, { name: 'articles', type: 'forum' });
  const user = fake.createUser({ username: 'reader' });
  fake.addMember(guild.id, user.id);
  const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages], ...clientOptionsFor(fake) });
  cleanups.push(() => client.destroy());
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(fake.botToken);
  const c = await ready;
  const channel = c.channels.cache.get(text.id);
  const forum = c.channels.cache.get(forumChannel.id);
  if (channel?.type !== ChannelType.GuildText || forum?.type !== ChannelType.GuildForum) throw new Error('channels not cached');
  return { fake, client: c, channel, forum, userId: user.id };
}

describe('GIVEN Discord’s size limits', () => {
  it('THEN 2,001 characters of content are refused with 50035 naming the field, and recorded', async () => {
    const w = await world();
    await expect(w.channel.send('x'.repeat(2001))).rejects.toMatchObject({
      code: 50035,
      status: 400,
      rawError: { errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] } } },
    });
    expect(w.fake.violations).toMatchObject([{ method: 'POST', code: 50035, message: 'Invalid Form Body: content: Must be 2000 or fewer in length.' }]);
    await w.channel.send('x'.repeat(2000));
    expect(w.fake.messages(w.channel.id)).toHaveLength(1);
  });

  it('THEN embeds over 6,000 characters together are refused, though each fits alone', async () => {
    const w = await world();
    const embed = (n: number): EmbedBuilder => new EmbedBuilder().setTitle(`Part ${n}`).setDescription('y'.repeat(3000));
    await expect(w.channel.send({ embeds: [embed(1), embed(2)] })).rejects.toMatchObject({
      code: 50035,
      rawError: { errors: { embeds: { _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED' }] } } },
    });
    await expect(w.channel.send({ embeds: [{ description: 'z'.repeat(4097) }] })).rejects.toMatchObject({
      rawError: { errors: { embeds: { 0: { description: { _errors: [{ message: 'Must be 4096 or fewer in length.' }] } } } } },
    });
    expect(w.fake.violations.map((v) => v.message)).toEqual([
      'Invalid Form Body: embeds: Embed size exceeds maximum size of 6000',
      'Invalid Form Body: embeds[0].description: Must be 4096 or fewer in length.',
    ]);
    await w.channel.send({ embeds: [embed(1)] });
    expect(w.fake.messages(w.channel.id)[0]?.embeds[0]?.title).toBe('Part 1');
  });

  it('THEN an empty message, six buttons in a row and a 101-character custom id are refused', async () => {
    const w = await world();
    const button = (id: string): Record<string, unknown> => ({ type: 2, style: 1, label: 'Go', custom_id: id });
    await expect(w.client.rest.post(Routes.channelMessages(w.channel.id), { body: { content: '' } })).rejects.toMatchObject({ code: 50006 });
    await expect(
      w.channel.send({ content: 'row', components: [{ type: 1, components: ['a', 'b', 'c', 'd', 'e', 'f'].map(button) }] } as never),
    ).rejects.toMatchObject({
      rawError: { errors: { components: { 0: { components: { _errors: [{ message: 'Must be between 1 and 5 in length.' }] } } } } },
    });
    await expect(w.channel.send({ content: 'id', components: [{ type: 1, components: [button('c'.repeat(101))] }] } as never)).rejects.toMatchObject({
      rawError: { errors: { components: { 0: { components: { 0: { custom_id: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } } } } } } },
    });
    expect(w.fake.messages(w.channel.id)).toEqual([]);
  });
});

describe('GIVEN a nonce with enforceNonce', () => {
  it('THEN sending twice creates one message and answers the same one both times', async () => {
    const w = await world();
    const created: string[] = [];
    w.client.on(Events.MessageCreate, (m) => void created.push(m.id));
    const first = await w.channel.send({ content: 'Article 42', nonce: 'post-42', enforceNonce: true });
    const second = await w.channel.send({ content: 'Article 42', nonce: 'post-42', enforceNonce: true });
    expect(second.id).toBe(first.id);
    expect(w.fake.messages(w.channel.id).map((m) => m.id)).toEqual([first.id]);
    await expect.poll(() => created).toEqual([first.id]);
    const other = await w.channel.send({ content: 'Article 43', nonce: 'post-43', enforceNonce: true });
    expect(other.id).not.toBe(first.id);
    await expect(w.channel.send({ content: 'too long', nonce: 'n'.repeat(26), enforceNonce: true })).rejects.toMatchObject({ code: 50035 });
  });
});

describe('GIVEN the bot denied Send Messages in a channel', () => {
  it('THEN its client sees the overwrite, and sending is 403 Missing Permissions', async () => {
    const w = await world();
    const updated = new Promise((resolve) => w.client.once(Events.ChannelUpdate, resolve));
    w.fake.setBotPermissions(w.channel.id, 0n, PermissionFlagsBits.SendMessages);
    await updated;
    expect(w.channel.permissionsFor(w.client.user)?.has(PermissionFlagsBits.SendMessages)).toBe(false);
    await expect(w.channel.send('hello?')).rejects.toMatchObject({ code: 50013, status: 403 });
    expect(w.fake.violations.at(-1)?.message).toBe(`Missing Permissions: the bot lacks SendMessages in channel ${w.channel.id}`);
    w.fake.setBotPermissions(w.channel.id, 0n, 0n);
    await expect(w.channel.send('hello again')).resolves.toMatchObject({ content: 'hello again' });
  });
});

describe('GIVEN threads', () => {
  it('THEN a thread from a message takes its id, reaches the client before messages in it, and is one per message', async () => {
    const w = await world();
    const order: string[] = [];
    w.client.on(Events.Raw, (p: { t: string | null; d: { id?: string; channel_id?: string } }) => {
      if (p.t === 'THREAD_CREATE' || p.t === 'MESSAGE_CREATE') order.push(`${p.t} ${p.d.channel_id ?? p.d.id ?? ''}`);
    });
    const starter = await w.channel.send('New article: harbour closed');
    const threadCreated = new Promise((resolve) => w.client.once(Events.ThreadCreate, resolve));
    const thread = await starter.startThread({ name: 'Harbour closed: discussion', autoArchiveDuration: 1440 });
    await threadCreated;
    expect(thread.id).toBe(starter.id);
    expect(w.fake.threads(w.channel.id).map((t) => [t.id, t.name, t.parent_id])).toEqual([[starter.id, 'Harbour closed: discussion', w.channel.id]]);
    const arrived = new Promise<string>((resolve) => w.client.once(Events.MessageCreate, (m) => resolve(m.channelId)));
    w.fake.postAsUser({ channelId: thread.id, userId: w.userId, content: 'Who decided this?' });
    expect(await arrived).toBe(thread.id);
    await thread.send('The harbour authority did.');
    expect(w.fake.messages(thread.id).map((m) => m.content)).toEqual(['Who decided this?', 'The harbour authority did.']);
    expect(order).toEqual([`MESSAGE_CREATE ${w.channel.id}`, `THREAD_CREATE ${thread.id}`, `MESSAGE_CREATE ${thread.id}`, `MESSAGE_CREATE ${thread.id}`]);
    await expect(w.client.rest.post(Routes.threads(w.channel.id, starter.id), { body: { name: 'again' } })).rejects.toMatchObject({ code: 160004 });
    const other = await w.channel.send('Another article');
    await expect(other.startThread({ name: 'n'.repeat(101) })).rejects.toMatchObject({
      rawError: { errors: { name: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } } },
    });
  });

  it('THEN a forum post is a thread whose starter message shares its id', async () => {
    const w = await world();
    const order: string[] = [];
    w.client.on(Events.Raw, (p: { t: string | null }) => {
      if (p.t === 'THREAD_CREATE' || p.t === 'MESSAGE_CREATE') order.push(p.t);
    });
    const post = await w.forum.threads.create({ name: 'Harbour closed', message: { content: 'The harbour closes on Monday.' } });
    expect(w.fake.threads(w.forum.id).map((t) => t.id)).toEqual([post.id]);
    expect(w.fake.messages(post.id).map((m) => [m.id, m.content])).toEqual([[post.id, 'The harbour closes on Monday.']]);
    expect((await post.fetchStarterMessage())?.content).toBe('The harbour closes on Monday.');
    await expect.poll(() => order).toEqual(['THREAD_CREATE', 'MESSAGE_CREATE']);
    await expect(w.client.rest.post(Routes.threads(w.forum.id), { body: { name: 'Empty post' } })).rejects.toMatchObject({
      rawError: { errors: { message: { _errors: [{ code: 'BASE_TYPE_REQUIRED' }] } } },
    });
    await expect(w.forum.threads.create({ name: 'x', message: { content: 'y' }, autoArchiveDuration: 30 as never })).rejects.toMatchObject({
      rawError: { errors: { auto_archive_duration: { _errors: [{ code: 'BASE_TYPE_CHOICES' }] } } },
    });
  });
});

describe('GIVEN a channel with history', () => {
  it('THEN paging with after, before and around answers like Discord, newest first', async () => {
    const w = await world();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(w.fake.postAsUser({ channelId: w.channel.id, userId: w.userId, content: `message ${i}` }).id);
    const after = await w.channel.messages.fetch({ after: ids[1], limit: 2, cache: false });
    expect([...after.keys()]).toEqual([ids[3], ids[2]]);
    const before = await w.channel.messages.fetch({ before: ids[4], limit: 2, cache: false });
    expect([...before.keys()]).toEqual([ids[3], ids[2]]);
    const around = await w.channel.messages.fetch({ around: ids[3], limit: 3, cache: false });
    expect([...around.keys()]).toEqual([ids[4], ids[3], ids[2]]);
    const latest = await w.channel.messages.fetch({ limit: 100, cache: false });
    expect([...latest.keys()]).toEqual([...ids].reverse());
    await expect(w.client.rest.get(Routes.channelMessages(w.channel.id), { query: new URLSearchParams({ limit: '101' }) })).rejects.toMatchObject({
      code: 50035,
    });
  });

  it('THEN a user’s edit and delete reach the client, and the bot may not edit a user’s message', async () => {
    const w = await world();
    const events: string[] = [];
    w.client.on(Events.Raw, (p: { t: string | null }) => void events.push(String(p.t)));
    const posted = w.fake.postAsUser({ channelId: w.channel.id, userId: w.userId, content: 'first draft' });
    w.fake.editAsUser(posted.id, 'second draft');
    w.fake.deleteAsUser(posted.id);
    await expect.poll(() => events).toEqual(['MESSAGE_CREATE', 'MESSAGE_UPDATE', 'MESSAGE_DELETE']);
    expect(w.fake.message(posted.id)).toBeUndefined();
    const mine = w.fake.postAsUser({ channelId: w.channel.id, userId: w.userId, content: 'mine' });
    await expect(w.client.rest.patch(Routes.channelMessage(w.channel.id, mine.id), { body: { content: 'theirs' } })).rejects.toMatchObject({
      code: 50005,
      status: 403,
    });
    await expect(w.client.rest.delete(Routes.channelMessage(w.channel.id, mine.id))).rejects.toMatchObject({ code: 50013 });
  });
});
