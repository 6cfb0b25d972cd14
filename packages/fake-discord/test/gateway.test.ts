/**
 * The local Discord's gateway against the real discord.js client: login and the guild cache,
 * tokens and intents, Message Content gating, and a dropped connection that resumes with the
 * events it missed, exactly once.
 */
import { ChannelType, Client, Events, GatewayIntentBits, PermissionFlagsBits, type Message } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { clientOptionsFor, FakeDiscord, type FakeDiscordOptions } from '../src/index.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startFake(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = await FakeDiscord.start(options);
  cleanups.push(() => fake.close());
  return fake;
}

async function login(fake: FakeDiscord, intents: GatewayIntentBits[] = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]): Promise<Client<true>> {
  const client = new Client({ intents, ...clientOptionsFor(fake) });
  cleanups.push(() => client.destroy());
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(fake.botToken);
  return ready;
}

/** Resolves with the next `count` messages the client receives. */
function nextMessages(client: Client, count: number): Promise<Message[]> {
  const seen: Message[] = [];
  return new Promise((resolve) => {
    const listener = (message: Message): void => {
      seen.push(message);
      if (seen.length === count) {
        client.off(Events.MessageCreate, listener);
        resolve(seen);
      }
    };
    client.on(Events.MessageCreate, listener);
  });
}

/** A bare gateway connection: every frame received, and the close code once closed. */
async function rawSocket(fake: FakeDiscord): Promise<{ socket: WebSocket; frames: Array<{ op: number; d: unknown; t?: string }>; closed: Promise<number> }> {
  const socket = new WebSocket(`${fake.gatewayUrl}/?v=10&encoding=json`);
  cleanups.push(() => Promise.resolve(socket.terminate()));
  const frames: Array<{ op: number; d: unknown; t?: string }> = [];
  socket.on('message', (data: Buffer) => void frames.push(JSON.parse(data.toString('utf8')) as { op: number; d: unknown }));
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise((resolve) => socket.once('open', resolve));
  return { socket, frames, closed };
}

function setup(fake: FakeDiscord): { guildId: string; channelId: string; forumId: string; userId: string } {
  const guild = fake.createGuild({ name: 'Readers' });
  const channel = fake.createChannel(guild.id, { name: 'news' });
  const forum = fake.createChannel(guild.id, { name: 'articles', type: 'forum' });
  const user = fake.createUser({ username: 'reader', globalName: 'A Reader' });
  fake.addMember(guild.id, user.id);
  return { guildId: guild.id, channelId: channel.id, forumId: forum.id, userId: user.id };
}

describe('GIVEN a guild with a text channel and a forum', () => {
  it('THEN the client logs in and caches the guild, its roles, channels and members, the bot included', async () => {
    const fake = await startFake();
    const { guildId, channelId, forumId, userId } = setup(fake);
    const client = await login(fake);
    expect(client.user.id).toBe(fake.botUser.id);
    const guild = client.guilds.cache.get(guildId);
    expect(guild?.roles.everyone.id).toBe(guildId);
    expect(guild?.channels.cache.get(channelId)?.type).toBe(ChannelType.GuildText);
    expect(guild?.channels.cache.get(forumId)?.type).toBe(ChannelType.GuildForum);
    expect(guild?.members.cache.has(userId)).toBe(true);
    const me = guild?.members.me;
    expect(me?.id).toBe(fake.botUser.id);
    expect(
      guild?.channels.cache
        .get(channelId)
        ?.permissionsFor(me ?? '')
        ?.has(PermissionFlagsBits.SendMessages),
    ).toBe(true);
    expect(fake.requests.map((r) => `${r.method} ${r.route} ${r.status}`)).toEqual(['GET /gateway/bot 200']);
  });

  it('THEN guilds and channels made after login arrive as events', async () => {
    const fake = await startFake();
    setup(fake);
    const client = await login(fake);
    const joined = new Promise<string>((resolve) => client.once(Events.GuildCreate, (g) => resolve(g.name)));
    const guild = fake.createGuild({ name: 'Later' });
    expect(await joined).toBe('Later');
    const created = new Promise<string>((resolve) => client.once(Events.ChannelCreate, (c) => resolve(c.name)));
    fake.createChannel(guild.id, { name: 'late-news' });
    expect(await created).toBe('late-news');
  });

  it('THEN a wrong token makes login fail with a 401, counted as an invalid request', async () => {
    const fake = await startFake();
    setup(fake);
    const client = new Client({ intents: [GatewayIntentBits.Guilds], ...clientOptionsFor(fake) });
    cleanups.push(() => client.destroy());
    await expect(client.login('not-the-token')).rejects.toThrow(/invalid token/i);
    expect(fake.requests.at(-1)).toMatchObject({ route: '/gateway/bot', status: 401 });
    expect(fake.invalidRequests).toBe(1);
    expect(fake.violations.at(-1)).toMatchObject({ status: 401, message: '401: Unauthorized' });
  });

  it('THEN a client asking for Message Content the app was not granted is refused, as Discord closes with 4014', async () => {
    const fake = await startFake();
    setup(fake);
    await expect(login(fake, [GatewayIntentBits.Guilds, GatewayIntentBits.MessageContent])).rejects.toThrow(/disallowed intents/i);
  });
});

describe('GIVEN the bare gateway protocol', () => {
  it('THEN it says HELLO with the interval, acknowledges heartbeats, closes 4004 on a bad token and answers op 9 to an unknown session', async () => {
    const fake = await startFake({ heartbeatIntervalMs: 1234 });
    setup(fake);
    const first = await rawSocket(fake);
    await expect.poll(() => first.frames[0]).toEqual({ op: 10, d: { heartbeat_interval: 1234 } });
    first.socket.send(JSON.stringify({ op: 1, d: null }));
    await expect.poll(() => first.frames[1]).toEqual({ op: 11 });
    first.socket.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: {} } }));
    expect(await first.closed).toBe(4004);
    const second = await rawSocket(fake);
    second.socket.send(JSON.stringify({ op: 6, d: { token: fake.botToken, session_id: 'no-such-session', seq: 3 } }));
    await expect.poll(() => second.frames[1]).toEqual({ op: 9, d: false });
  });

  it('THEN a client with a short heartbeat interval measures its ping', async () => {
    const fake = await startFake({ heartbeatIntervalMs: 40 });
    setup(fake);
    const client = await login(fake);
    await expect.poll(() => client.ws.ping, { timeout: 2000 }).toBeGreaterThanOrEqual(0);
  });
});

describe('GIVEN users posting while the bot lacks the Message Content intent', () => {
  it('THEN other users’ text arrives empty, except when it mentions the bot, and the bot’s own is whole', async () => {
    const fake = await startFake();
    const { channelId, userId } = setup(fake);
    const client = await login(fake);
    const arriving = nextMessages(client, 3);
    fake.postAsUser({ channelId, userId, content: 'just chatting' });
    fake.postAsUser({ channelId, userId, content: `<@${fake.botUser.id}> what is new?` });
    const channel = client.channels.cache.get(channelId);
    if (!channel?.isSendable()) throw new Error('channel not cached');
    await channel.send({ content: 'the bot speaks' });
    const [plain, mention, own] = await arriving;
    expect(plain?.content).toBe('');
    expect(mention?.content).toBe(`<@${fake.botUser.id}> what is new?`);
    expect(mention?.mentions.users.has(fake.botUser.id)).toBe(true);
    expect(own?.content).toBe('the bot speaks');
    // REST reads are redacted the same way.
    const fetched = await channel.messages.fetch({ limit: 10, cache: false });
    expect(fetched.map((m) => m.content)).toEqual(['the bot speaks', `<@${fake.botUser.id}> what is new?`, '']);
  });

  it('THEN with the intent granted and asked for, every text arrives whole', async () => {
    const fake = await startFake({ messageContentIntent: true });
    const { channelId, userId } = setup(fake);
    const client = await login(fake, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent]);
    const arriving = nextMessages(client, 1);
    fake.postAsUser({ channelId, userId, content: 'just chatting' });
    expect((await arriving)[0]?.content).toBe('just chatting');
  });

  it('THEN without GuildMessages no message event is sent at all', async () => {
    const fake = await startFake();
    const { channelId, userId } = setup(fake);
    const client = await login(fake, [GatewayIntentBits.Guilds]);
    const events: string[] = [];
    client.on(Events.Raw, (packet: { t: string | null }) => void events.push(String(packet.t)));
    fake.postAsUser({ channelId, userId, content: 'unseen' });
    fake.createChannel(fake.channel(channelId)?.guild_id ?? '', { name: 'seen' });
    await new Promise((resolve) => client.once(Events.ChannelCreate, resolve));
    expect(events).toEqual(['CHANNEL_CREATE']);
  });
});

describe('GIVEN a dropped gateway connection', () => {
  it('THEN the client resumes and gets the message posted meanwhile exactly once', async () => {
    const fake = await startFake();
    const { channelId, userId } = setup(fake);
    const client = await login(fake);
    const received: string[] = [];
    client.on(Events.MessageCreate, (m) => void received.push(m.id));
    const resumed = new Promise<void>((resolve) => client.once(Events.ShardResume, () => resolve()));
    fake.dropGateway();
    expect(fake.connectedSessions).toBe(0);
    const missed = fake.postAsUser({ channelId, userId, content: `<@${fake.botUser.id}> while you were away` });
    await resumed;
    const after = fake.postAsUser({ channelId, userId, content: `<@${fake.botUser.id}> welcome back` });
    await expect.poll(() => received).toEqual([missed.id, after.id]);
    // Only one login: a resume needs no second gateway lookup or identify.
    expect(fake.requests.filter((r) => r.route === '/gateway/bot')).toHaveLength(1);
  });

  it('THEN a close with 1000 ends the session and the client identifies afresh', async () => {
    const fake = await startFake();
    setup(fake);
    const client = await login(fake);
    const identified: string[] = [];
    client.on(Events.Raw, (packet: { t: string | null }) => {
      if (packet.t === 'READY' || packet.t === 'RESUMED') identified.push(packet.t);
    });
    fake.dropGateway(1000);
    await expect.poll(() => identified, { timeout: 3000 }).toEqual(['READY']);
    expect(client.guilds.cache.size).toBe(1);
  });
});

describe('GIVEN channels deleted under the bot', () => {
  it('THEN the client hears CHANNEL_DELETE and THREAD_DELETE, and sending there is 404 Unknown Channel', async () => {
    const fake = await startFake();
    const { channelId } = setup(fake);
    const client = await login(fake);
    const channel = client.channels.cache.get(channelId);
    if (!channel?.isTextBased() || channel.isDMBased() || channel.isThread()) throw new Error('text channel not cached');
    const starter = await channel.send('article');
    const thread = await starter.startThread({ name: 'Discussion' });
    const deleted: string[] = [];
    client.on(Events.ThreadDelete, (t) => void deleted.push(`thread ${t.id}`));
    client.on(Events.ChannelDelete, (c) => void deleted.push(`channel ${c.id}`));
    fake.deleteChannel(channelId);
    await expect.poll(() => deleted).toEqual([`thread ${thread.id}`, `channel ${channelId}`]);
    await expect(channel.send('anyone?')).rejects.toMatchObject({ code: 10003, status: 404 });
    expect(fake.violations.at(-1)).toMatchObject({ code: 10003, message: 'Unknown Channel' });
  });
});
