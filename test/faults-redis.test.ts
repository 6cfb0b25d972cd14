/**
 * Redis going away under a running `paperboy start` (issue 15): through a forwarder the test cuts
 * (helpers/forwarder.ts), never stopping the shared Redis. While it is down, what needs the
 * short-lived state (a list's buttons) fails with the router's error reply, not silence, /healthz is
 * 503 naming redis, and the process stays up; the client reconnects by itself, and the state kept
 * in Redis before the cut still works after.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createClient } from '@keyv/redis';
import { FakeDiscord } from '@paperboy/fake-discord';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../commands/index.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { deployCommands } from '../src/ui/discord/deploy.ts';
import { article } from './helpers/articles.ts';
import { TOKEN } from './helpers/bot.ts';
import { health, healthUntil, healthUrl, type Processes, problems, processes } from './helpers/faults.ts';
import { type Forwarder, startForwarder } from './helpers/forwarder.ts';

const REDIS = new URL(process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379');

let fake: FakeDiscord;
let forwarder: Forwarder;
let procs: Processes;
const prefix = `pb_test_${randomBytes(6).toString('hex')}:`;
beforeEach(async () => {
  fake = await FakeDiscord.start({ botToken: TOKEN });
  forwarder = await startForwarder({ host: REDIS.hostname, port: Number(REDIS.port || 6379) });
  procs = processes(() => fake);
});
afterEach(async () => {
  procs.killAll();
  await forwarder.close();
  await fake.close();
  const admin = createClient({ url: REDIS.toString() });
  await admin.connect();
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length > 0) await admin.del(keys);
  await admin.close();
});

describe('GIVEN `paperboy start` with REDIS_URL', () => {
  it('THEN while Redis is unreachable buttons get an error reply, /healthz is 503 naming redis and the process stays up; once back, the same button works', async () => {
    const guild = fake.createGuild({ name: 'Readers' });
    const channelId = fake.createChannel(guild.id, { name: 'news' }).id;
    const userId = fake.createUser({ username: 'reader' }).id;
    fake.addMember(guild.id, userId);
    await deployCommands({ token: TOKEN, applicationId: fake.applicationId, guildId: guild.id, apiUrl: fake.apiUrl }, commands);
    const store = SqliteStore.open(join(procs.dir, 'bot.db'));
    for (let i = 0; i < 7; i++)
      await store.upsert(article({ title: `Lighthouse keeper's log ${i}`, text: `The lighthouse lamp was lit at dusk on day ${i}.` }));
    await store.close();

    const bot = procs.spawn(['start'], {
      REDIS_URL: `redis://127.0.0.1:${forwarder.port}`,
      REDIS_PREFIX: prefix,
      HEALTH_PORT: '0',
      DELIVERY: 'off',
    });
    const url = await healthUrl(bot);
    await bot.waitFor((l) => l.msg === 'bot connected', 20_000);
    expect(await health(url)).toMatchObject({ status: 200, body: { checks: { redis: { ok: true } } } });
    // Longer than a custom id holds, so the query is kept in Redis and the button carries its hash.
    const query = Array.from({ length: 14 }, () => 'lighthouse').join(' ');
    const search = () => fake.runCommand({ guildId: guild.id, channelId, userId, name: 'search', options: { query, scope: 'articles' } }).reply();
    const first = await search();
    expect(first.embeds[0]?.footer?.text).toMatch(/^Results 1–5 of 7/);
    const next = (first.components[0]?.components ?? []).find((c) => 'label' in c && c.label === 'Next ▶') as { custom_id: string };
    const click = () => fake.clickButton({ messageId: first.message?.id ?? '', customId: next.custom_id, userId }).reply();

    const cutAt = Date.now();
    forwarder.cut();
    const down = await healthUntil(url, 503, cutAt);
    expect(down.body.checks.redis).toMatchObject({ ok: false });
    const lost = await bot.waitFor((l) => l.msg === 'Redis connection lost: short-lived state fails until it is back (retrying)', 5000);
    expect(lost).toMatchObject({ level: 40, redis: `127.0.0.1:${forwarder.port}` });
    // The button's state cannot be read: the member gets the router's error reply, not silence.
    const refused = await click();
    expect(JSON.stringify(refused)).not.toContain('Results 6–7');
    expect(refused.content).toMatch(/^Something went wrong on Paperboy's side\. Reference: `\d+`\.$/);
    const refusedSearch = await search();
    expect(refusedSearch.content).toMatch(/Reference: `\d+`/);
    // The reference leads to the full error in the log.
    const ref = /`(\d+)`/.exec(refused.content ?? '')?.[1];
    expect(bot.lines.some((l) => l.msg === 'interaction failed' && l.ref === ref && l.level === 50)).toBe(true);
    await new Promise((done) => setTimeout(done, 3000 - (Date.now() - cutAt)));
    expect(bot.child.exitCode).toBeNull();

    const restoredAt = Date.now();
    forwarder.restore();
    const up = await healthUntil(url, 200, restoredAt, 15_000);
    await bot.waitFor((l) => l.msg === 'Redis connection back', 5000);
    // The state stored before the cut is still there: the same button pages.
    const paged = await click();
    expect(paged.embeds[0]?.footer?.text).toMatch(/^Results 6–7 of 7/);
    console.log(
      `faults-redis: /healthz 503 after ${down.after} ms; 200 ${up.after} ms after restore; error replies while down: ${JSON.stringify(refused.content)}; warnings: ${problems(
        bot,
      )
        .map((l) => String(l.msg))
        .join(' | ')}`,
    );
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  }, 60_000);
});
