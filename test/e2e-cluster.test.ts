/**
 * Issue 15 end to end: the bot as a cluster of real processes on a real PostgreSQL (a pb_test_
 * database) and Redis (a pb_test_ key prefix), against the local Discord with 4 guilds on 2 shards.
 * One `paperboy rest-proxy` carries every REST call; two `paperboy start` (a shard each) and one
 * `paperboy worker` all deliver, sharing the subscriptions by leases. A command in each guild is
 * answered once, by the process whose shard has the guild; 30 articles go to a channel in each
 * guild; one process holding a lease is killed with SIGKILL mid-delivery and started again; at the
 * end every article is in every channel once, with its thread holding its comments once, and the
 * local Discord refused nothing beyond bucket discovery.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { FakeDiscord, type RequestRecord } from '@paperboy/fake-discord';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../commands/index.ts';
import type { Article } from '../src/core/model.ts';
import { openPostgresStore } from '../src/adapters/store/postgres/articles.ts';
import { deployCommands } from '../src/ui/discord/deploy.ts';
import { TOKEN } from './helpers/bot.ts';
import { beyondDiscovery, holderPid, liveLeases, redisPrefix, tooFast, writeExports } from './helpers/cluster.ts';
import { checkDelivered } from './helpers/delivery.ts';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.ts';
import { BIN, type Running, spawnPaperboy } from './helpers/process.ts';

const run = promisify(execFile);

const ARTICLES = 30;
const COMMENTS = 2;
const SOURCE = 'Harbour Gazette';
/** Manage Server: what /subscribe asks of a member. */
const ADMIN = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
/** Nothing listens on port 1: a process that called Discord without the proxy would fail. */
const NO_DISCORD = 'http://127.0.0.1:1/api';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

interface Guild {
  readonly id: string;
  readonly shard: number;
  /** Where the articles go. */
  readonly news: string;
  /** Where members run commands, so that no answer lands among the posts. */
  readonly lobby: string;
  readonly admin: string;
}

/** The interactions a process answered, by id (the router's debug line). */
const answered = (p: Running): unknown[] => p.lines.filter((l) => l.msg === 'interaction').map((l) => l.ref);
/** A post, comment or thread Discord made (messages answer 200, threads 201). */
const created = (r: RequestRecord): boolean => r.method === 'POST' && r.status >= 200 && r.status < 300;
const alive = (p: Running): boolean => p.child.exitCode === null && p.child.signalCode === null;

describe('GIVEN a rest-proxy, two `paperboy start` on shards 0 and 1 of 2 and a `paperboy worker`, on one PostgreSQL and Redis, with 4 guilds', () => {
  it('THEN commands are answered once by the right shard, and with one lease holder killed and restarted mid-delivery every article reaches every channel exactly once, threads and comments included, with no 429 beyond bucket discovery', async () => {
    const began = Date.now();
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-cluster-'));
    // First in, so removed last: after every process is stopped.
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const inbox = join(dir, 'inbox');
    mkdirSync(inbox);
    // A shard holds at most 2 guilds: an unsharded connection to 4 would be closed with 4011.
    const fake = await FakeDiscord.start({ botToken: TOKEN, maxGuildsPerShard: 2 });
    cleanup.push(() => fake.close());
    const db: TestDatabase = await createTestDatabase();
    cleanup.push(() => db.drop());
    const redis = redisPrefix();
    cleanup.push(() => redis.remove());
    const processes: Running[] = [];
    cleanup.push(() => {
      for (const p of processes) if (alive(p)) p.child.kill('SIGKILL');
    });
    const spawn = (args: string[], env: Record<string, string>): Running => {
      const p = spawnPaperboy(args, { PATH: process.env.PATH, DISCORD_TOKEN: TOKEN, DATABASE_PATH: join(dir, 'unused.db'), ...env }, dir);
      processes.push(p);
      return p;
    };

    const guilds: Guild[] = [];
    for (const [i, shard] of [0, 1, 0, 1].entries()) {
      const guild = fake.createGuild({ name: `Harbour ${i}`, shard: [shard, 2] });
      const admin = fake.createUser({ username: `editor-${i}` });
      fake.addMember(guild.id, admin.id, { permissions: ADMIN });
      guilds.push({
        id: guild.id,
        shard,
        news: fake.createChannel(guild.id, { name: 'news' }).id,
        lobby: fake.createChannel(guild.id, { name: 'lobby' }).id,
        admin: admin.id,
      });
      await deployCommands({ token: TOKEN, applicationId: fake.applicationId, guildId: guild.id, apiUrl: fake.apiUrl }, commands);
    }

    // The proxy is the only process that reaches the local Discord's REST API.
    const proxy = spawn(['rest-proxy'], { DISCORD_API_URL: fake.apiUrl, REST_PROXY_PORT: '0', LOG_LEVEL: 'info' });
    const proxyUrl = String((await proxy.waitFor((l) => l.msg === 'rest proxy: listening', 30_000)).url);
    const shared = {
      DISCORD_API_URL: NO_DISCORD,
      DISCORD_REST_PROXY: proxyUrl,
      DATABASE_URL: db.url,
      DATABASE_POOL_MAX: '4',
      REDIS_URL: redis.url,
      REDIS_PREFIX: redis.prefix,
      DELIVERY_CRON: '* * * * * *',
      DELIVERY_LEASE_SECONDS: '3',
      INBOX_DIR: inbox,
      HEALTH_PORT: '0',
      LOG_LEVEL: 'debug',
    };
    const roles = {
      shard0: { args: ['start'], env: { ...shared, SHARD_COUNT: '2', SHARD_IDS: '0', DELIVERY: 'on' } },
      shard1: { args: ['start'], env: { ...shared, SHARD_COUNT: '2', SHARD_IDS: '1', DELIVERY: 'on' } },
      worker: { args: ['worker'], env: shared },
    } as const;
    type RoleName = keyof typeof roles;
    const current: Record<RoleName, Running> = {
      shard0: spawn([...roles.shard0.args], roles.shard0.env),
      shard1: spawn([...roles.shard1.args], roles.shard1.env),
      worker: spawn([...roles.worker.args], roles.worker.env),
    };
    const ready = async (role: RoleName): Promise<void> => {
      const p = current[role];
      if (role === 'worker') await p.waitFor((l) => l.msg === 'worker ready: delivering on the schedule, no gateway connection', 40_000);
      else expect(await p.waitFor((l) => l.msg === 'bot connected', 40_000)).toMatchObject({ shards: [role === 'shard0' ? 0 : 1], guilds: 2 });
      const health = await p.waitFor((l) => l.msg === 'health check listening', 10_000);
      expect((await fetch(String(health.url))).status).toBe(200);
    };
    await Promise.all((['shard0', 'shard1', 'worker'] as const).map(ready));
    expect(fake.connectedSessions).toBe(2);
    const byShard = (shard: number): Running => (shard === 0 ? current.shard0 : current.shard1);

    // A command in each guild, as its member runs it: each answered with one callback, by its shard's process.
    const subscribed = guilds.map((g) =>
      fake.runCommand({ guildId: g.id, channelId: g.lobby, userId: g.admin, name: 'subscribe', options: { channel: g.news, backfill: 'none' } }),
    );
    for (const [i, handle] of subscribed.entries()) expect((await handle.reply(10_000)).content).toContain(`Subscribed <#${guilds[i]?.news}>`);
    await expectAnsweredOnceByTheirShard(subscribed, guilds, byShard, [current.worker]);

    // The articles arrive through the CLI, into the same database; every process delivers them on its next tick.
    const exports = writeExports(dir, 'exports', ARTICLES, COMMENTS);
    const ingested = await run(process.execPath, [BIN, 'ingest', '--source', SOURCE, '--json', exports], {
      env: { PATH: process.env.PATH, DATABASE_URL: db.url, DATABASE_PATH: join(dir, 'unused.db') },
      cwd: dir,
    });
    expect(JSON.parse(ingested.stdout)).toMatchObject({ added: ARTICLES, failed: 0 });
    const deliveryBegan = Date.now();
    const articles = await storedInOrder(db.url);
    expect(articles).toHaveLength(ARTICLES);

    // Mid-delivery: once some posts are out, a process holding a delivery lease is killed while
    // Discord makes one of its messages (the answer never reaches it), then started again.
    const posts = (): number => guilds.reduce((n, g) => n + fake.messages(g.news).length, 0);
    const wanted = guilds.length * ARTICLES;
    let victim: { role: RoleName; channels: string[] } | null = null;
    while (!victim) {
      if (Date.now() - deliveryBegan > 60_000) throw new Error(`no process held a delivery lease with some posts out; posts: ${posts()}`);
      await sleep(100);
      if (posts() < 8) continue;
      expect(posts(), 'everything was posted before the kill').toBeLessThan(wanted);
      const held = (await liveLeases(db.url)).filter((l) => l.name.startsWith('deliver:'));
      // A start if one holds a lease (its shard goes down with it), else the worker.
      for (const role of ['shard0', 'shard1', 'worker'] as const) {
        const mine = held.filter((l) => holderPid(l.holder) === current[role].child.pid);
        if (mine.length > 0 && !victim) victim = { role, channels: mine.map((l) => l.name.split(':')[2] ?? '') };
      }
    }
    const { role: killedRole, channels: victimChannels } = victim;
    const killed = current[killedRole];
    const inVictimsChannels = (r: RequestRecord): boolean => {
      const id = /^\/channels\/(\d+)\//.exec(r.path)?.[1] ?? '';
      return victimChannels.includes(id) || victimChannels.includes(fake.channel(id)?.parent_id ?? '');
    };
    let postsAtKill = 0;
    let killedOn = '';
    const onRequest = (r: RequestRecord): void => {
      if (!created(r) || !inVictimsChannels(r)) return;
      postsAtKill = posts();
      killedOn = r.path.endsWith('/threads') ? 'a thread' : victimChannels.some((c) => r.path.startsWith(`/channels/${c}/`)) ? 'a post' : 'a comment';
      killed.child.kill('SIGKILL');
      fake.off('request', onRequest);
    };
    fake.on('request', onRequest);
    expect(await Promise.race([killed.exited, sleep(15_000).then(() => 'not killed')])).toBeNull();
    expect(killed.child.signalCode).toBe('SIGKILL');
    const killedAt = Date.now();
    current[killedRole] = spawn([...roles[killedRole].args], roles[killedRole].env);
    await ready(killedRole);
    const restartedIn = Date.now() - killedAt;

    // Done when every channel holds its 30 posts in order, each with a thread of exactly its planned comment messages.
    const problems = (): string[] => guilds.flatMap((g) => checkDelivered(fake, { guildId: g.id, channelId: g.news, kind: 'text' }, articles));
    // Who delivers after the kill: the roles seen holding a delivery lease.
    const holdersAfter = new Set<string>();
    while (problems().length > 0) {
      if (Date.now() - deliveryBegan > 100_000) throw new Error(`not delivered in 100 s:\n${problems().slice(0, 10).join('\n')}`);
      for (const l of await liveLeases(db.url))
        for (const role of ['shard0', 'shard1', 'worker'] as const)
          if (l.name.startsWith('deliver:') && holderPid(l.holder) === current[role].child.pid) holdersAfter.add(role);
      await sleep(250);
    }
    const deliveredIn = Date.now() - deliveryBegan;
    const made = (pattern: RegExp): number => fake.requests.filter((r) => created(r) && pattern.test(r.path)).length;
    const creates = (): number => made(/^\/channels\/\d+\/messages$/);
    const createdWhenDone = creates();
    // Two more ticks of every process: a late duplicate would show by now.
    await sleep(2500);
    expect(problems()).toEqual([]);
    expect(creates()).toBe(createdWhenDone);
    // Discord made each planned message and thread once: none was made twice and left there or removed.
    expect({ messages: creates(), threads: made(/\/threads$/) }).toEqual({ messages: wanted * (1 + COMMENTS), threads: wanted });

    // After the restart, a command in each guild is again answered once by its shard's process.
    const searched = guilds.map((g) =>
      fake.runCommand({ guildId: g.id, channelId: g.lobby, userId: g.admin, name: 'search', options: { query: 'quay fishermen' } }),
    );
    for (const handle of searched) expect((await handle.reply(10_000)).embeds[0]?.description).toContain('Harbour council notice');
    await expectAnsweredOnceByTheirShard(searched, guilds, byShard, [current.worker, killed]);

    // Discord refused nothing for going too fast beyond discovering each channel's and thread's bucket, and nothing else but
    // "a thread already exists" (160004), which is how the new holder finds a thread the killed one made.
    const refused = tooFast(fake.requests);
    expect(refused.global).toBe(0);
    expect(beyondDiscovery(fake.requests)).toEqual({ pathsWithMoreThanOne: [], afterTheFirstWindow: [] });
    expect(fake.violations.filter((v) => v.status !== 429 && v.code !== 160004)).toEqual([]);

    const running = [current.shard0, current.shard1, current.worker];
    for (const p of running) p.child.kill('SIGTERM');
    expect(await Promise.all(running.map((p) => p.exited))).toEqual([0, 0, 0]);
    for (const p of running) expect(p.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['stopping', 'leases released', 'stopped']));
    proxy.child.kill('SIGTERM');
    expect(await proxy.exited).toBe(0);
    expect(await liveLeases(db.url)).toEqual([]);
    // REDIS_PREFIX was honoured: the bot's keys are under the test's prefix (removed after).
    const redisKeys = await redis.count();
    expect(redisKeys).toBeGreaterThan(0);
    expect(JSON.stringify(processes.flatMap((p) => p.lines)) + processes.map((p) => p.stderr()).join('')).not.toContain(TOKEN);

    console.log(
      `cluster: ${wanted} posts and ${wanted * COMMENTS} comments in ${guilds.length} channels (${creates()} messages and ${made(/\/threads$/)} threads made) in ${(deliveredIn / 1000).toFixed(1)} s; ` +
        `${killedRole} killed as Discord made ${killedOn} at ${postsAtKill} posts (holding ${victimChannels.length} of ${guilds.length} subscriptions), back in ${(restartedIn / 1000).toFixed(1)} s, ` +
        `then delivering: ${[...holdersAfter].sort().join(', ')}; ` +
        `429s: ${refused.global} global + ${refused.bucket} bucket (discovery); ${fake.requests.length} requests; ${redisKeys} Redis keys under the prefix; ` +
        `whole test ${((Date.now() - began) / 1000).toFixed(1)} s`,
    );
  }, 180_000);
});

/** The test's articles as stored, in the order delivery walks them (store positions). */
async function storedInOrder(url: string): Promise<Article[]> {
  const store = await openPostgresStore(url, { max: 1 });
  try {
    const ours = (await store.positions.after(0, 10_000)).filter((p) => p.source === SOURCE);
    const articles: Article[] = [];
    for (const p of ours) {
      const article = await store.get(p.id);
      if (article) articles.push(article);
    }
    return articles;
  } finally {
    await store.close();
  }
}

/** Each interaction got exactly one callback, and was logged by the process running its guild's shard and by no other. */
async function expectAnsweredOnceByTheirShard(
  handles: ReadonlyArray<{ id: string; callbacks: ReadonlyArray<{ status: number }> }>,
  guilds: readonly Guild[],
  byShard: (shard: number) => Running,
  others: readonly Running[],
): Promise<void> {
  for (const [i, handle] of handles.entries()) {
    const owner = byShard(guilds[i]?.shard ?? -1);
    // The debug line follows the reply: wait for it before counting.
    await owner.waitFor((l) => l.msg === 'interaction' && l.ref === handle.id, 10_000);
    // One callback (a 2xx), never a second one refused with 40060.
    expect(handle.callbacks.map((c) => c.status >= 200 && c.status < 300)).toEqual([true]);
    expect(answered(owner).filter((ref) => ref === handle.id)).toHaveLength(1);
    for (const other of [byShard(1 - (guilds[i]?.shard ?? 0)), ...others]) expect(answered(other)).not.toContain(handle.id);
  }
}
