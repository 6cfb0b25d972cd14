/**
 * Processes sharing one bot: two `paperboy start` on one PostgreSQL database, each with one shard of
 * two, against a local Discord with a guild on each shard; and `paperboy rest-proxy` carrying a bot
 * process's every REST call.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { FakeDiscord } from '@paperboy/fake-discord';
import { commands } from '../commands/index.ts';
import { deployCommands } from '../src/ui/discord/deploy.ts';
import { TOKEN } from './helpers/bot.ts';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.ts';
import { type Running, spawnPaperboy } from './helpers/process.ts';

/** Manage Server: what /subscribe and /deliver ask of a member. */
const ADMIN = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;

let fake: FakeDiscord;
let dir: string;
const running: Running[] = [];
const databases: TestDatabase[] = [];
beforeEach(async () => {
  fake = await FakeDiscord.start({ botToken: TOKEN });
  dir = mkdtempSync(join(tmpdir(), 'paperboy-shards-'));
});
afterEach(async () => {
  for (const p of running.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await fake.close();
  for (const d of databases.splice(0)) await d.drop();
  rmSync(dir, { recursive: true, force: true });
});

function spawn(args: string[], extra: Record<string, string>): Running {
  const p = spawnPaperboy(
    args,
    { PATH: process.env.PATH, DISCORD_API_URL: fake.apiUrl, DISCORD_TOKEN: TOKEN, DATABASE_PATH: join(dir, 'bot.db'), ...extra },
    dir,
  );
  running.push(p);
  return p;
}

/** A guild with a channel and a member, its commands registered. */
async function readersGuild(name: string, shard?: [number, number]) {
  const guild = fake.createGuild({ name, ...(shard && { shard }) });
  const channel = fake.createChannel(guild.id, { name: 'news' });
  const user = fake.createUser({ username: `reader-${name}` });
  fake.addMember(guild.id, user.id);
  await deployCommands({ token: TOKEN, applicationId: fake.applicationId, guildId: guild.id, apiUrl: fake.apiUrl }, commands);
  const search = () => fake.runCommand({ guildId: guild.id, channelId: channel.id, userId: user.id, name: 'search', options: { query: 'NATO expansion' } });
  return { guild, channel, search };
}

/** The interactions a process answered, by Discord's interaction id (the router's debug line). */
const answered = (p: Running): unknown[] => p.lines.filter((l) => l.msg === 'interaction').map((l) => l.ref);

describe('GIVEN two `paperboy start` on one DATABASE_URL, SHARD_IDS 0 and 1 of SHARD_COUNT 2', () => {
  it('THEN each connects its own shard, a command in each guild is answered once, by the process whose shard has the guild, and with DELIVERY=off /subscribe and /deliver still work', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const zero = await readersGuild('Zero', [0, 2]);
    const one = await readersGuild('One', [1, 2]);
    const shared = { DATABASE_URL: db.url, SHARD_COUNT: '2', LOG_LEVEL: 'debug', DELIVERY: 'off' };
    const first = spawn(['start'], { ...shared, SHARD_IDS: '0' });
    const second = spawn(['start'], { ...shared, SHARD_IDS: '1' });
    const [a, b] = await Promise.all([first, second].map((p) => p.waitFor((l) => l.msg === 'bot connected', 25_000)));
    expect(a).toMatchObject({ shards: [0], guilds: 1 });
    expect(b).toMatchObject({ shards: [1], guilds: 1 });
    expect(first.lines.find((l) => l.msg === 'starting: connecting to Discord')).toMatchObject({ shards: '0 of 2', delivery: 'off' });
    expect(second.lines.find((l) => l.msg === 'starting: connecting to Discord')).toMatchObject({ shards: '1 of 2', delivery: 'off' });
    // DELIVERY=off: no schedule in either.
    expect([...first.lines, ...second.lines].filter((l) => l.msg === 'delivery scheduled')).toEqual([]);

    const inZero = zero.search();
    const inOne = one.search();
    for (const handle of [inZero, inOne]) expect((await handle.reply()).embeds[0]?.description).toContain('Russia and NATO are severing ties');
    // The debug line follows the reply: wait for it before counting.
    await first.waitFor((l) => l.msg === 'interaction' && l.ref === inZero.id, 5000);
    await second.waitFor((l) => l.msg === 'interaction' && l.ref === inOne.id, 5000);
    expect(answered(first)).toEqual([inZero.id]);
    expect(answered(second)).toEqual([inOne.id]);

    // DELIVERY=off keeps the commands that change delivery, and /deliver runs now (under the leases).
    const admin = fake.createUser({ username: 'editor' });
    fake.addMember(zero.guild.id, admin.id, { permissions: ADMIN });
    const as = { guildId: zero.guild.id, channelId: zero.channel.id, userId: admin.id };
    await fake.runCommand({ ...as, name: 'subscribe', options: { channel: zero.channel.id, backfill: 'latest 1' } }).reply();
    const delivered = await fake.runCommand({ ...as, name: 'deliver' }).reply();
    expect(JSON.stringify(delivered)).toMatch(/1 article/);
    // The delivered post, not an answer to a command (those carry their interaction).
    expect(fake.messages(zero.channel.id).filter((m) => m.interaction_metadata === undefined)).toHaveLength(1);
    expect(fake.violations).toEqual([]);

    for (const p of [first, second]) p.child.kill('SIGTERM');
    expect(await Promise.all([first.exited, second.exited])).toEqual([0, 0]);
  }, 45_000);
});

describe('GIVEN `paperboy rest-proxy` and a `paperboy start` with DISCORD_REST_PROXY', () => {
  it('THEN every REST call of the bot goes through the proxy (GET /gateway/bot for SHARD_COUNT=auto too): with a dead DISCORD_API_URL of its own it still connects and answers', async () => {
    const readers = await readersGuild('Readers');
    const proxy = spawn(['rest-proxy'], { REST_PROXY_PORT: '0', LOG_LEVEL: 'info' });
    const listening = await proxy.waitFor((l) => l.msg === 'rest proxy: listening', 20_000);
    expect(proxy.lines.find((l) => l.msg === 'starting: REST proxy')).toMatchObject({ role: 'rest-proxy', shards: 'none', delivery: 'off' });
    // Nothing listens on port 1: only the proxy can reach the local Discord.
    // SHARD_COUNT=auto: Discord's recommendation (one shard here) is asked through the proxy too, and
    // discord.js must not read `auto` from the environment over the explicit count of 1.
    const bot = spawn(['start'], {
      DISCORD_API_URL: 'http://127.0.0.1:1/api',
      DISCORD_REST_PROXY: String(listening.url),
      SHARD_COUNT: 'auto',
      LOG_LEVEL: 'info',
    });
    await bot.waitFor((l) => l.msg === 'bot connected', 25_000);
    expect(bot.lines.find((l) => l.msg === 'starting: connecting to Discord')).toMatchObject({ rest: String(listening.url), shards: '0 of 1' });
    const reply = await readers.search().reply();
    expect(reply.embeds[0]?.description).toContain('Russia and NATO are severing ties');

    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    proxy.child.kill('SIGTERM');
    expect(await proxy.exited).toBe(0);
    expect(proxy.lines.map((l) => l.msg)).toContain('rest proxy: stopped');
    expect(JSON.stringify([...proxy.lines, ...bot.lines]) + proxy.stderr() + bot.stderr()).not.toContain(TOKEN);
  }, 45_000);
});
