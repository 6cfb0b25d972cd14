/**
 * Sharding in the local Discord against the real discord.js client: IDENTIFY's shard picks the
 * guilds a connection sees and the interactions it answers, GET /gateway/bot recommends a shard
 * count, and a connection with too many guilds (4011) or an impossible shard (4010) is closed.
 */
import { Client, Events, GatewayIntentBits, type Message } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { clientOptionsFor, FakeDiscord, shardOf, type FakeDiscordOptions } from '../src/index.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startFake(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = await FakeDiscord.start(options);
  cleanups.push(() => fake.close());
  return fake;
}

/** A client on the given shards; `shards` and `shardCount` are explicit, as a sharded bot passes them. */
function client(fake: FakeDiscord, shards?: { shards: number[]; shardCount: number } | { shards: 'auto' }): Client {
  const c = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages], ...clientOptionsFor(fake), ...shards });
  cleanups.push(() => c.destroy());
  return c;
}

async function login(c: Client, token: string): Promise<Client<true>> {
  const ready = new Promise<Client<true>>((resolve) => c.once(Events.ClientReady, resolve));
  await c.login(token);
  return ready;
}

/** Four guilds, two on each of two shards, each with a channel and a member; /ping registered globally. */
async function fourGuilds(fake: FakeDiscord): Promise<{ guilds: Array<{ id: string; channelId: string; shard: number }>; userId: string }> {
  const user = fake.createUser({ username: 'reader' });
  const guilds = [0, 1, 0, 1].map((shard, i) => {
    const guild = fake.createGuild({ name: `Guild ${i}`, shard: [shard, 2] });
    fake.addMember(guild.id, user.id);
    return { id: guild.id, channelId: fake.createChannel(guild.id, { name: 'news' }).id, shard };
  });
  const registrar = await login(client(fake, { shards: [0], shardCount: 2 }), fake.botToken);
  await registrar.application.commands.set([{ name: 'ping', description: 'Who answers?' }]);
  await registrar.destroy();
  return { guilds, userId: user.id };
}

describe('GIVEN four guilds on two shards', () => {
  it('THEN each guild id is on the shard asked for, by Discord’s formula', async () => {
    const fake = await startFake();
    const { guilds } = await fourGuilds(fake);
    expect(guilds.map((g) => shardOf(g.id, 2))).toEqual([0, 1, 0, 1]);
    expect(guilds.map((g) => Number((BigInt(g.id) >> 22n) % 2n))).toEqual([0, 1, 0, 1]);
  });

  it('THEN a client on shard 0 and one on shard 1 each see only their guilds, and their events', async () => {
    const fake = await startFake();
    const { guilds, userId } = await fourGuilds(fake);
    const clients = await Promise.all([0, 1].map((id) => login(client(fake, { shards: [id], shardCount: 2 }), fake.botToken)));
    for (const [shard, c] of clients.entries()) {
      expect(c.ws.shards.map((s) => s.id)).toEqual([shard]);
      expect([...c.guilds.cache.keys()].sort()).toEqual(
        guilds
          .filter((g) => g.shard === shard)
          .map((g) => g.id)
          .sort(),
      );
    }
    const seen: string[][] = [[], []];
    for (const [shard, c] of clients.entries()) c.on(Events.MessageCreate, (m: Message) => void seen[shard]?.push(m.guildId ?? ''));
    for (const guild of guilds) fake.postAsUser({ channelId: guild.channelId, userId, content: 'hello' });
    await expect.poll(() => seen.flat().length).toBe(4);
    expect(seen).toEqual([0, 1].map((shard) => guilds.filter((g) => g.shard === shard).map((g) => g.id)));
  });

  it('THEN a command in each guild reaches only the client of its shard, which answers it once', async () => {
    const fake = await startFake();
    const { guilds, userId } = await fourGuilds(fake);
    const clients = await Promise.all([0, 1].map((id) => login(client(fake, { shards: [id], shardCount: 2 }), fake.botToken)));
    const received: Array<{ shard: number; guildId: string | null }> = [];
    for (const [shard, c] of clients.entries()) {
      c.on(Events.InteractionCreate, (interaction) => {
        received.push({ shard, guildId: interaction.guildId });
        if (interaction.isChatInputCommand()) void interaction.reply(`shard ${shard}`);
      });
    }
    for (const guild of guilds) {
      const handle = fake.runCommand({ guildId: guild.id, channelId: guild.channelId, userId, name: 'ping' });
      expect((await handle.reply()).content).toBe(`shard ${guild.shard}`);
      expect(handle.callbacks).toHaveLength(1);
    }
    expect(received).toEqual(guilds.map((g) => ({ shard: g.shard, guildId: g.id })));
    expect(fake.violations).toEqual([]);
  });

  it('THEN two connections on one shard get each interaction once between them', async () => {
    const fake = await startFake();
    const { guilds, userId } = await fourGuilds(fake);
    const clients = await Promise.all([0, 1].map(() => login(client(fake), fake.botToken)));
    let received = 0;
    for (const c of clients) {
      c.on(Events.InteractionCreate, (interaction) => {
        received++;
        if (interaction.isChatInputCommand()) void interaction.reply('pong');
      });
    }
    const [guild] = guilds;
    if (!guild) throw new Error('no guild');
    await fake.runCommand({ guildId: guild.id, channelId: guild.channelId, userId, name: 'ping' }).reply();
    expect(received).toBe(1);
  });

  it('THEN a guild created while the clients run reaches only the client of its shard', async () => {
    const fake = await startFake();
    await fourGuilds(fake);
    const clients = await Promise.all([0, 1].map((id) => login(client(fake, { shards: [id], shardCount: 2 }), fake.botToken)));
    const joined = clients.map(() => [] as string[]);
    for (const [shard, c] of clients.entries()) c.on(Events.GuildCreate, (g) => void joined[shard]?.push(g.id));
    const guild = fake.createGuild({ name: 'Late', shard: [1, 2] });
    await expect.poll(() => joined[1]).toEqual([guild.id]);
    expect(joined[0]).toEqual([]);
    expect(clients[0]?.guilds.cache.has(guild.id)).toBe(false);
  });
});

describe('GIVEN more guilds than one connection may hold', () => {
  it('THEN an unsharded client is closed with 4011 and discord.js refuses to log in: sharding is required', async () => {
    const fake = await startFake({ maxGuildsPerShard: 2 });
    for (const name of ['One', 'Two', 'Three']) fake.createGuild({ name });
    const c = client(fake);
    const closed: number[] = [];
    c.on(Events.ShardDisconnect, (event) => void closed.push(event.code));
    await expect(c.login(fake.botToken)).rejects.toThrow(/sharding is required/i);
    expect(closed).toEqual([4011]);
    expect(fake.connectedSessions).toBe(0);
  });

  it('THEN GET /gateway/bot recommends enough shards, and a client with shards "auto" connects that many and sees every guild', async () => {
    const fake = await startFake({ maxGuildsPerShard: 2 });
    const guilds = [0, 1, 0, 1].map((shard, i) => fake.createGuild({ name: `Guild ${i}`, shard: [shard, 2] }));
    const answer = await fetch(`${fake.apiUrl}/v10/gateway/bot`, { headers: { authorization: `Bot ${fake.botToken}` } });
    expect(((await answer.json()) as { shards: number }).shards).toBe(2);
    const c = await login(client(fake, { shards: 'auto' }), fake.botToken);
    expect(c.ws.shards.size).toBe(2);
    expect([...c.guilds.cache.keys()].sort()).toEqual(guilds.map((g) => g.id).sort());
    expect(fake.connectedSessions).toBe(2);
  });
});

describe('GIVEN GET /gateway/bot', () => {
  async function recommended(fake: FakeDiscord): Promise<unknown> {
    const answer = await fetch(`${fake.apiUrl}/v10/gateway/bot`, { headers: { authorization: `Bot ${fake.botToken}` } });
    return ((await answer.json()) as { shards: unknown }).shards;
  }

  it('THEN it recommends one shard per 1,000 guilds, at least one, or the number set', async () => {
    const fake = await startFake();
    expect(await recommended(fake)).toBe(1);
    fake.createGuild({ name: 'One' });
    expect(await recommended(fake)).toBe(1);
    expect(await recommended(await startFake({ recommendedShards: 6 }))).toBe(6);
  });

  it('THEN a fake with a bad sharding option does not start', async () => {
    await expect(FakeDiscord.start({ maxGuildsPerShard: 0 })).rejects.toThrow(
      'FakeDiscord: expected `maxGuildsPerShard` to be an integer from 1 and up, got `0`',
    );
    await expect(FakeDiscord.start({ recommendedShards: 1.5 })).rejects.toThrow(
      'FakeDiscord: expected `recommendedShards` to be an integer from 1 and up, got `1.5`',
    );
  });
});

describe('GIVEN the bare gateway protocol', () => {
  it('THEN IDENTIFY with an impossible shard is closed with 4010 Invalid shard', async () => {
    const fake = await startFake();
    fake.createGuild({ name: 'One' });
    for (const shard of [[3, 2], [-1, 2], [0, 0], [0]]) {
      const socket = new WebSocket(`${fake.gatewayUrl}/?v=10&encoding=json`);
      cleanups.push(() => Promise.resolve(socket.terminate()));
      const closed = new Promise<[number, string]>((resolve) => socket.on('close', (code, reason) => resolve([code, reason.toString('utf8')])));
      await new Promise((resolve) => socket.once('open', resolve));
      socket.send(JSON.stringify({ op: 2, d: { token: fake.botToken, intents: 1, properties: {}, shard } }));
      expect(await closed, `shard ${JSON.stringify(shard)}`).toEqual([4010, 'Invalid shard.']);
    }
  });

  it('THEN discord.js asked for shard 3 of 2 gives up on it: login rejects with Invalid shard and shardDisconnect says 4010', async () => {
    const fake = await startFake();
    fake.createGuild({ name: 'One' });
    const c = client(fake, { shards: [3], shardCount: 2 });
    const closed: number[] = [];
    c.on(Events.ShardDisconnect, (event) => void closed.push(event.code));
    await expect(c.login(fake.botToken)).rejects.toThrow('Invalid shard');
    expect(closed).toEqual([4010]);
  });

  it('THEN a guild asked for an impossible shard is refused', async () => {
    const fake = await startFake();
    expect(() => fake.createGuild({ name: 'Nowhere', shard: [2, 2] })).toThrow(
      'FakeDiscord: expected `shard` to be [id, count] with 0 ≤ id < count, got `[2, 2]`',
    );
  });
});
