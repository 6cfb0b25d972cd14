/**
 * The local Discord's REST edge: rate limit headers and 429s (per channel, global, shared by
 * another process), faults that discord.js must ride out (5xx, 429 storms, latency), the bot token,
 * and application commands that deploy idempotently.
 */
import { ChannelType, Client, Events, GatewayIntentBits, MessageFlags, RESTEvents, type TextChannel } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { clientOptionsFor, FakeDiscord, type FakeDiscordOptions } from '../src/index.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startFake(options: FakeDiscordOptions = {}): Promise<{ fake: FakeDiscord; guildId: string; channelId: string; userId: string }> {
  const fake = await FakeDiscord.start(options);
  cleanups.push(() => fake.close());
  const guild = fake.createGuild({ name: 'Readers' });
  const channel = fake.createChannel(guild.id, { name: 'news' });
  const user = fake.createUser({ username: 'reader' });
  fake.addMember(guild.id, user.id);
  return { fake, guildId: guild.id, channelId: channel.id, userId: user.id };
}

async function login(fake: FakeDiscord, channelId: string): Promise<{ client: Client<true>; channel: TextChannel }> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], ...clientOptionsFor(fake) });
  cleanups.push(() => client.destroy());
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(fake.botToken);
  const c = await ready;
  const channel = c.channels.cache.get(channelId);
  if (channel?.type !== ChannelType.GuildText) throw new Error('channel not cached');
  return { client: c, channel };
}

/** A raw REST call, as another process sharing the bot's token would make. */
function call(fake: FakeDiscord, method: string, path: string, body?: unknown, token = fake.botToken): Promise<Response> {
  return fetch(`${fake.apiUrl}/v10${path}`, {
    method,
    headers: { Authorization: `Bot ${token}`, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

describe('GIVEN the per-channel message limit (5 per window)', () => {
  it('THEN six quick sends are paced by the headers and all six arrive, in order', async () => {
    const { fake, channelId } = await startFake({ rateLimits: { channelMessages: { limit: 5, windowMs: 400 } } });
    const { client, channel } = await login(fake, channelId);
    const limited: number[] = [];
    client.rest.on(RESTEvents.RateLimited, (info) => void limited.push(info.timeToReset));
    const sent = await Promise.all(Array.from({ length: 6 }, (_, i) => channel.send(`post ${i}`)));
    expect(fake.messages(channelId).map((m) => m.content)).toEqual(['post 0', 'post 1', 'post 2', 'post 3', 'post 4', 'post 5']);
    expect(sent.map((m) => m.id)).toEqual(fake.messages(channelId).map((m) => m.id));
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.route === '/channels/{channel.id}/messages');
    expect(posts.map((r) => r.remaining)).toEqual([4, 3, 2, 1, 0, 4]);
    expect(new Set(posts.map((r) => r.bucket)).size).toBe(1);
    expect((posts[5]?.at ?? 0) - (posts[0]?.at ?? 0)).toBeGreaterThanOrEqual(400);
    expect(limited.length).toBeGreaterThan(0);
    expect(fake.violations).toEqual([]);
  });

  it('THEN a bucket emptied behind the client’s back answers 429 with Retry-After, and discord.js retries', async () => {
    const { fake, channelId } = await startFake({ rateLimits: { channelMessages: { limit: 2, windowMs: 300 } } });
    const { channel } = await login(fake, channelId);
    for (const n of [1, 2]) expect((await call(fake, 'POST', `/channels/${channelId}/messages`, { content: `other process ${n}` })).status).toBe(200);
    const refused = await call(fake, 'POST', `/channels/${channelId}/messages`, { content: 'one too many' });
    expect(refused.status).toBe(429);
    expect(Object.fromEntries(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-scope'].map((h) => [h, refused.headers.get(h)]))).toEqual({
      'x-ratelimit-limit': '2',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-scope': 'user',
    });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ message: 'You are being rate limited.', global: false });
    await channel.send('from the bot');
    expect(fake.messages(channelId).map((m) => m.content)).toEqual(['other process 1', 'other process 2', 'from the bot']);
    // The other process's refusal, then the bot's own first try, which discord.js waited out and retried.
    const posts = fake.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => [r.status, r.scope])).toEqual([
      [200, undefined],
      [200, undefined],
      [429, 'user'],
      [429, 'user'],
      [200, undefined],
    ]);
    expect(fake.invalidRequests).toBe(2);
    expect(fake.violations.map((v) => v.status)).toEqual([429, 429]);
  });

  it('THEN the global limit refuses with X-RateLimit-Global, but not interaction callbacks', async () => {
    const { fake, guildId, channelId, userId } = await startFake({ rateLimits: { global: { limit: 3, windowMs: 60_000 } } });
    await call(fake, 'PUT', `/applications/${fake.applicationId}/guilds/${guildId}/commands`, [{ name: 'ping', description: 'Ping' }]);
    for (let i = 0; i < 2; i++) await call(fake, 'GET', '/users/@me');
    const refused = await call(fake, 'GET', '/users/@me');
    expect([refused.status, refused.headers.get('x-ratelimit-global'), refused.headers.get('x-ratelimit-scope')]).toEqual([429, 'true', 'global']);
    const handle = fake.runCommand({ guildId, channelId, userId, name: 'ping' });
    const callback = await fetch(`${fake.apiUrl}/v10/interactions/${handle.id}/${handle.token}/callback`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 4, data: { content: 'pong', flags: MessageFlags.Ephemeral } }),
    });
    expect(callback.status).toBe(204);
    expect(await handle.reply()).toMatchObject({ content: 'pong', ephemeral: true });
  });
});

describe('GIVEN faults', () => {
  it('THEN a 500 is retried by discord.js and the message arrives once, with no violation recorded', async () => {
    const { fake, channelId } = await startFake();
    const { channel } = await login(fake, channelId);
    fake.faults.failNext({ count: 2, route: 'POST /channels/' });
    await channel.send('despite trouble');
    const posts = fake.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => [r.status, r.fault ?? false])).toEqual([
      [500, true],
      [500, true],
      [200, false],
    ]);
    expect(fake.messages(channelId)).toHaveLength(1);
    expect(fake.violations).toEqual([]);
  });

  it('THEN through a 429 storm a command is still answered, after the storm', async () => {
    const { fake, guildId, channelId, userId } = await startFake();
    const { client } = await login(fake, channelId);
    await client.application.commands.set([{ name: 'ping', description: 'Ping' }], guildId);
    client.on(Events.InteractionCreate, (i) => void (i.isChatInputCommand() && i.reply('pong')));
    fake.faults.rateLimitStorm({ durationMs: 300, retryAfterMs: 100 });
    const started = Date.now();
    const reply = await fake.runCommand({ guildId, channelId, userId, name: 'ping' }).reply();
    expect(reply.content).toBe('pong');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    const storm = fake.requests.filter((r) => r.status === 429);
    expect(storm.length).toBeGreaterThan(0);
    expect(storm.filter((r) => r.fault !== true || r.scope !== 'global')).toEqual([]);
  });

  it('THEN a seeded failure ratio fails the same requests on every run, and latency slows every answer', async () => {
    const statuses = async (seed: number): Promise<number[]> => {
      const { fake } = await startFake();
      fake.faults.failRatio(0.5, seed);
      const out: number[] = [];
      for (let i = 0; i < 12; i++) out.push((await call(fake, 'GET', '/users/@me')).status);
      return out;
    };
    const first = await statuses(7);
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await statuses(7)).toEqual(first);
    const { fake } = await startFake();
    fake.faults.latency(120);
    const started = Date.now();
    await call(fake, 'GET', '/users/@me');
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
    fake.faults.clear();
  });
});

describe('GIVEN the bot token', () => {
  it('THEN a wrong or missing token is 401 with Discord’s body, every answer carries rate limit headers', async () => {
    const { fake } = await startFake();
    const wrong = await call(fake, 'GET', '/users/@me', undefined, 'nope');
    expect([wrong.status, await wrong.json()]).toEqual([401, { code: 0, message: '401: Unauthorized' }]);
    const right = await call(fake, 'GET', '/users/@me');
    expect(await right.json()).toMatchObject({ id: fake.botUser.id, bot: true });
    for (const header of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-reset-after', 'x-ratelimit-bucket']) {
      expect(right.headers.get(header), header).not.toBeNull();
    }
    expect(Number(right.headers.get('x-ratelimit-reset')) * 1000).toBeGreaterThan(Date.now());
    expect(fake.invalidRequests).toBe(1);
  });
});

describe('GIVEN application commands', () => {
  it('THEN deploying the same list twice keeps ids and versions, and a bad definition is refused by field', async () => {
    const { fake, guildId } = await startFake();
    const path = `/applications/${fake.applicationId}/guilds/${guildId}/commands`;
    const list = [
      { name: 'search', description: 'Search', options: [{ type: 3, name: 'query', description: 'Words', required: true }] },
      { name: 'help', description: 'Help' },
    ];
    const first = (await (await call(fake, 'PUT', path, list)).json()) as Array<{ id: string; version: string }>;
    const second = (await (await call(fake, 'PUT', path, list)).json()) as Array<{ id: string; version: string }>;
    expect(second.map((c) => [c.id, c.version])).toEqual(first.map((c) => [c.id, c.version]));
    const changed = (await (await call(fake, 'PUT', path, [{ ...list[0], description: 'Search articles' }])).json()) as Array<{ id: string; version: string }>;
    expect(changed[0]?.id).toBe(first[0]?.id);
    expect(changed[0]?.version).not.toBe(first[0]?.version);
    expect(fake.commands(guildId).map((c) => c.name)).toEqual(['search']);
    const bad = await call(fake, 'PUT', path, [{ name: 'Search Now', description: '' }]);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      code: 50035,
      errors: { 0: { name: { _errors: [{ code: 'APPLICATION_COMMAND_INVALID_NAME' }] }, description: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } } },
    });
    expect(fake.commands(guildId).map((c) => c.name)).toEqual(['search']);
  });
});

describe('GIVEN impossible options', () => {
  it('THEN starting fails, naming the option and the value', async () => {
    await expect(FakeDiscord.start({ interactionDeadlineMs: 0 })).rejects.toThrow(
      'FakeDiscord: expected `interactionDeadlineMs` to be a number above 0, got `0`',
    );
    await expect(FakeDiscord.start({ rateLimits: { channelMessages: { limit: 5, windowMs: -1 } } })).rejects.toThrow('`rateLimits.channelMessages.windowMs`');
    await expect(FakeDiscord.start({ applicationId: 'app' })).rejects.toThrow('expected `applicationId` to be a snowflake');
  });
});
