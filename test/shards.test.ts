/**
 * Shard selection: SHARD_COUNT and SHARD_IDS resolved (auto from GET /gateway/bot), handed to a
 * real discord.js client against the local Discord, which then sees only its shards' guilds and
 * interactions.
 */
import { clientOptionsFor, FakeDiscord, type FakeDiscordOptions } from '@paperboy/fake-discord';
import { Client, Events, GatewayIntentBits, REST } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { clientShardOptions, forgetShardEnvironment, recommendedShards, resolveShards, shardsNotReady, type ResolvedShards } from '../src/ui/discord/shards.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startFake(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = await FakeDiscord.start(options);
  cleanups.push(() => fake.close());
  return fake;
}

function clientOn(fake: FakeDiscord, resolved: ResolvedShards): Client {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], ...clientOptionsFor(fake), ...clientShardOptions(resolved) });
  cleanups.push(() => client.destroy());
  return client;
}

async function login(client: Client, token: string): Promise<Client<true>> {
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(token);
  return ready;
}

function restFor(fake: FakeDiscord): REST {
  return new REST({ api: fake.apiUrl }).setToken(fake.botToken);
}

/** Four guilds, two on each of two shards, a member in each, /ping registered globally. */
async function fourGuilds(fake: FakeDiscord): Promise<{ guilds: Array<{ id: string; channelId: string; shard: number }>; userId: string }> {
  const user = fake.createUser({ username: 'reader' });
  const guilds = [0, 1, 0, 1].map((shard, i) => {
    const guild = fake.createGuild({ name: `Guild ${i}`, shard: [shard, 2] });
    fake.addMember(guild.id, user.id);
    return { id: guild.id, channelId: fake.createChannel(guild.id, { name: 'news' }).id, shard };
  });
  await restFor(fake).put(`/applications/${fake.applicationId}/commands`, { body: [{ name: 'ping', description: 'Who answers?' }] });
  return { guilds, userId: user.id };
}

/**
 * Runs /ping in each guild; the client answers. Returns the guilds whose interaction the client
 * received, and how many answers the local Discord took for each guild's command.
 */
function pingEach(
  fake: FakeDiscord,
  client: Client,
  guilds: Array<{ id: string; channelId: string }>,
  userId: string,
): { received: string[]; answers: () => number[] } {
  const received: string[] = [];
  client.on(Events.InteractionCreate, (interaction) => {
    received.push(interaction.guildId ?? '');
    if (interaction.isChatInputCommand()) void interaction.reply('pong');
  });
  const handles = guilds.map((guild) => fake.runCommand({ guildId: guild.id, channelId: guild.channelId, userId, name: 'ping' }));
  return { received, answers: () => handles.map((h) => h.callbacks.length) };
}

describe('GIVEN SHARD_COUNT and SHARD_IDS', () => {
  it('THEN a number is used as it is, without asking Discord', async () => {
    const resolved = await resolveShards(loadConfig({ SHARD_COUNT: '4', SHARD_IDS: '1,3' }).shards, () => Promise.reject(new Error('not asked')));
    expect(resolved).toEqual({ count: 4, ids: [1, 3] });
    expect(clientShardOptions(resolved)).toEqual({ shards: [1, 3], shardCount: 4 });
    expect(await resolveShards(loadConfig({}).shards, () => Promise.reject(new Error('not asked')))).toEqual({ count: 1, ids: [0] });
  });

  it('THEN auto takes the count from Discord, all of it or the ids given, which are checked against it', async () => {
    expect(await resolveShards({ count: 'auto', ids: 'all' }, () => Promise.resolve(3))).toEqual({ count: 3, ids: [0, 1, 2] });
    expect(await resolveShards({ count: 'auto', ids: [2] }, () => Promise.resolve(3))).toEqual({ count: 3, ids: [2] });
    await expect(resolveShards({ count: 'auto', ids: [2, 3] }, () => Promise.resolve(2))).rejects.toThrow(
      new ConfigError('configuration: SHARD_IDS: expected ids from 0 to 1 (SHARD_COUNT is 2), got 2, 3'),
    );
    await expect(resolveShards({ count: 'auto', ids: 'all' }, () => Promise.resolve(0))).rejects.toThrow(
      'configuration: SHARD_COUNT: auto: expected Discord to recommend 1 to 10000 shards, got `0`',
    );
  });

  it('THEN auto resolves from GET /gateway/bot of the local Discord', async () => {
    const fake = await startFake({ maxGuildsPerShard: 2 });
    for (const name of ['One', 'Two', 'Three']) fake.createGuild({ name });
    expect(await recommendedShards(restFor(fake))).toBe(2);
    const resolved = await resolveShards(loadConfig({ SHARD_COUNT: 'auto' }).shards, () => recommendedShards(restFor(fake)));
    expect(resolved).toEqual({ count: 2, ids: [0, 1] });
    expect(await recommendedShards(restFor(await startFake({ recommendedShards: 6 })))).toBe(6);
  });
});

describe('GIVEN a real discord.js client built with clientShardOptions', () => {
  it('THEN SHARD_IDS=1 of 2 sees only shard 1’s guilds and receives only their interactions', async () => {
    const fake = await startFake();
    const { guilds, userId } = await fourGuilds(fake);
    const client = await login(clientOn(fake, await resolveShards({ count: 2, ids: [1] }, () => Promise.resolve(0))), fake.botToken);
    const mine = guilds.filter((g) => g.shard === 1);
    expect(client.ws.shards.map((s) => s.id)).toEqual([1]);
    expect([...client.guilds.cache.keys()].sort()).toEqual(mine.map((g) => g.id).sort());
    const { received, answers } = pingEach(fake, client, guilds, userId);
    await expect.poll(answers).toEqual(guilds.map((g) => (g.shard === 1 ? 1 : 0)));
    // Shard 0's commands went to no connection (the fake keeps them for a session that never comes).
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received.sort()).toEqual(mine.map((g) => g.id).sort());
    expect(answers()).toEqual([0, 1, 0, 1]);
  });

  it('THEN SHARD_IDS=0,1 of 2 in one client runs both shards and sees every guild and interaction', async () => {
    const fake = await startFake();
    const { guilds, userId } = await fourGuilds(fake);
    const client = await login(
      clientOn(fake, await resolveShards(loadConfig({ SHARD_COUNT: '2', SHARD_IDS: '0-1' }).shards, () => Promise.resolve(0))),
      fake.botToken,
    );
    expect(client.ws.shards.map((s) => s.id).sort()).toEqual([0, 1]);
    expect(fake.connectedSessions).toBe(2);
    expect([...client.guilds.cache.keys()].sort()).toEqual(guilds.map((g) => g.id).sort());
    const { received, answers } = pingEach(fake, client, guilds, userId);
    await expect.poll(answers).toEqual([1, 1, 1, 1]);
    expect(received.sort()).toEqual(guilds.map((g) => g.id).sort());
    expect(shardsNotReady(client, [0, 1])).toEqual([]);
    expect(shardsNotReady(client, [0, 1, 2])).toEqual([{ id: 2, status: 'not started' }]);
  });

  it('THEN auto with 4 guilds at 2 per shard connects 2 shards as explicit options', async () => {
    const fake = await startFake({ maxGuildsPerShard: 2 });
    const { guilds } = await fourGuilds(fake);
    const resolved = await resolveShards({ count: 'auto', ids: 'all' }, () => recommendedShards(restFor(fake)));
    const client = await login(clientOn(fake, resolved), fake.botToken);
    expect(client.ws.shards.size).toBe(2);
    expect(client.guilds.cache.size).toBe(guilds.length);
  });
});

describe('GIVEN SHARD_COUNT=auto left in the environment and one shard', () => {
  it('THEN discord.js reads it over shardCount 1 and refuses, until forgetShardEnvironment removes it', async () => {
    const fake = await startFake();
    const env = process.env;
    const saved = env.SHARD_COUNT;
    try {
      env.SHARD_COUNT = 'auto';
      const resolved = await resolveShards(loadConfig(env).shards, () => Promise.resolve(1));
      expect(resolved).toEqual({ count: 1, ids: [0] });
      expect(() => new Client({ intents: [GatewayIntentBits.Guilds], ...clientOptionsFor(fake), ...clientShardOptions(resolved) })).toThrow(/shardCount/);
      forgetShardEnvironment(env);
      expect(env.SHARD_COUNT).toBeUndefined();
      const client = await login(clientOn(fake, resolved), fake.botToken);
      expect(client.ws.shards.map((s) => s.id)).toEqual([0]);
    } finally {
      if (saved === undefined) delete env.SHARD_COUNT;
      else env.SHARD_COUNT = saved;
    }
  });
});
