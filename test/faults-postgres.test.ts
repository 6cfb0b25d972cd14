/**
 * PostgreSQL going away while `paperboy start` or `paperboy worker` runs (issue 15, "a PostgreSQL
 * restart while the bot runs costs retries, not data"), as a real process sees it: its connections
 * go through a forwarder the test cuts and restores (helpers/forwarder.ts), or are ended by
 * pg_terminate_backend (only the test database's); the shared server is never stopped. While down:
 * /healthz 503 naming postgres, runs fail and are logged, commands get an error reply, the process
 * stays up. Once back: every article posted once with its comments, commands answer.
 */
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeDiscord } from '@paperboy/fake-discord';
import { commands } from '../commands/index.ts';
import { openPostgresStore, type PostgresStore } from '../src/adapters/store/postgres/articles.ts';
import { postgresBotState } from '../src/adapters/store/postgres/state.ts';
import { subscribe } from '../src/app/delivery/subscribe.ts';
import { Subscriptions } from '../src/app/delivery/subscriptions.ts';
import { deployCommands } from '../src/ui/discord/deploy.ts';
import { article, comment } from './helpers/articles.ts';
import { TOKEN } from './helpers/bot.ts';
import { health, healthUntil, healthUrl, type Processes, problems, processes } from './helpers/faults.ts';
import { type Forwarder, startForwarder } from './helpers/forwarder.ts';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.ts';

const SOURCE = 'Harbour Gazette';

function news(i: number) {
  return article({
    title: `Harbour news ${i}`,
    text: `The harbour opened on day ${i}.`,
    source: SOURCE,
    comments: [comment(1, `Seen on day ${i}.`), comment(2, `Again on day ${i}.`)],
  });
}

describe('GIVEN `paperboy start` or `paperboy worker` on PostgreSQL through a forwarder, delivering every second', () => {
  let fake: FakeDiscord;
  let db: TestDatabase;
  let forwarder: Forwarder;
  let procs: Processes;
  let store: PostgresStore;
  let guildId: string;
  let channelId: string;
  let userId: string;
  beforeEach(async () => {
    fake = await FakeDiscord.start({ botToken: TOKEN });
    db = await createTestDatabase();
    forwarder = await startForwarder({ host: '127.0.0.1', port: Number(new URL(db.url).port || 5432) });
    procs = processes(() => fake);
    const guild = fake.createGuild({ name: 'Readers' });
    guildId = guild.id;
    channelId = fake.createChannel(guild.id, { name: 'news' }).id;
    userId = fake.createUser({ username: 'reader' }).id;
    fake.addMember(guild.id, userId);
    await deployCommands({ token: TOKEN, applicationId: fake.applicationId, guildId, apiUrl: fake.apiUrl }, commands);
    // The test's own connection goes straight to the server: only the bot's go through the forwarder.
    store = await openPostgresStore(db.url, { max: 2 });
  });
  afterEach(async () => {
    procs.killAll();
    await store.close();
    await forwarder.close();
    await fake.close();
    await db.drop();
  });

  async function subscribeChannel(): Promise<void> {
    await subscribe(new Subscriptions(postgresBotState(store.pool).subscriptions), store, {
      guildId,
      channel: { id: channelId, name: 'news', kind: 'text' },
      source: SOURCE,
      backfill: 'all',
      by: 'test',
      now: new Date(),
    });
  }

  /** The article titles posted in the channel, in order (a thread's comments are not channel messages). */
  const posted = (): string[] => fake.messages(channelId).map((m) => m.embeds[0]?.title ?? `(no embed: ${m.content.slice(0, 40)})`);

  function startBot(password: string, role: 'start' | 'worker' = 'start') {
    const url = new URL(db.url);
    url.port = String(forwarder.port);
    url.password = password;
    return procs.spawn([role], { DATABASE_URL: url.toString(), HEALTH_PORT: '0', DELIVERY_CRON: '* * * * * *' });
  }

  /** Each thread's messages (an article's comments), as text: the same text twice would be a duplicate. */
  const threadMessages = (): string[][] =>
    fake.threads(channelId).map((th) => fake.messages(th.id).map((m) => `${m.content}${JSON.stringify(m.embeds.map((e) => [e.title, e.description]))}`));

  /** Every article once with its thread, and in each thread both comments once. */
  function expectPostedOnce(count: number): void {
    expect([...posted()].sort()).toEqual(Array.from({ length: count }, (_, i) => `Harbour news ${i + 1}`).sort());
    const threads = threadMessages();
    expect(threads).toHaveLength(count);
    for (const messages of threads) {
      expect(new Set(messages).size).toBe(messages.length);
      expect(messages.filter((m) => /Seen on day|Again on day/.test(m))).toHaveLength(2);
    }
  }

  const search = (query: string) => fake.runCommand({ guildId, channelId, userId, name: 'search', options: { query } }).reply();

  it('THEN while PostgreSQL is unreachable /healthz is 503 naming postgres, runs fail and are logged, commands get an error reply; once back, everything is delivered once', async () => {
    await store.upsert(news(1));
    await subscribeChannel();
    const bot = startBot('sw0rdfish-secret');
    const url = await healthUrl(bot);
    await bot.waitFor((l) => l.msg === 'bot connected', 20_000);
    await vi.waitFor(() => expect(posted()).toEqual(['Harbour news 1']), { timeout: 15_000, interval: 100 });
    expect((await health(url)).status).toBe(200);

    const cutAt = Date.now();
    forwarder.cut();
    for (let i = 2; i <= 4; i++) await store.upsert(news(i));
    const down = await healthUntil(url, 503, cutAt);
    expect(down.body.checks.postgres).toMatchObject({ ok: false });
    expect(down.body.checks.shards).toMatchObject({ ok: true });
    const failed = await bot.waitFor((l) => l.msg === 'delivery run failed' && (l.time as number) >= cutAt, 10_000);
    expect(failed.level).toBe(50);
    // The connections cut are told once each, naming the database (host, port and name; never the password).
    const database = `127.0.0.1:${forwarder.port}${new URL(db.url).pathname}`;
    expect(bot.lines.some((l) => l.level === 40 && l.database === database && (l.time as number) >= cutAt)).toBe(true);
    // A command needing the database gets the router's error reply, not silence.
    const refused = await search('harbour');
    expect(refused.content).toMatch(/^Something went wrong on Paperboy's side\. Reference: `\d+`\.$/);
    // Three seconds down: runs go on failing each second, and the process stays up.
    await new Promise((done) => setTimeout(done, 3000 - (Date.now() - cutAt)));
    expect(bot.child.exitCode).toBeNull();
    const failedRuns = bot.lines.filter((l) => l.msg === 'delivery run failed').length;
    expect(posted()).toEqual(['Harbour news 1']);

    const restoredAt = Date.now();
    forwarder.restore();
    const up = await healthUntil(url, 200, restoredAt);
    await vi.waitFor(() => expect(posted()).toHaveLength(4), { timeout: 20_000, interval: 50 });
    const deliveredAfter = Date.now() - restoredAt;
    // Two more runs' time: nothing is posted twice.
    await new Promise((done) => setTimeout(done, 2500));
    expect(posted()).toEqual(['Harbour news 1', 'Harbour news 2', 'Harbour news 3', 'Harbour news 4']);
    expectPostedOnce(4);
    const answered = await search('harbour');
    expect(answered.embeds[0]?.description ?? '').toContain('Harbour news');

    console.log(
      `faults-postgres: /healthz 503 after ${down.after} ms down; ${failedRuns} failed runs in ~3 s down; 200 ${up.after} ms after restore; all 3 missed articles posted ${deliveredAfter} ms after restore`,
    );
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    const logged = JSON.stringify(bot.lines) + bot.stderr();
    expect(logged).not.toContain('sw0rdfish-secret');
    expect(problems(bot).length).toBeGreaterThan(0);
  }, 90_000);

  it('THEN `paperboy worker` rides out the same outage: 503 naming postgres, failed runs logged, the missed articles posted once after', async () => {
    await store.upsert(news(1));
    await subscribeChannel();
    const worker = startBot('', 'worker');
    const url = await healthUrl(worker);
    await vi.waitFor(() => expect(posted()).toEqual(['Harbour news 1']), { timeout: 15_000, interval: 100 });

    const cutAt = Date.now();
    forwarder.cut();
    for (let i = 2; i <= 4; i++) await store.upsert(news(i));
    const down = await healthUntil(url, 503, cutAt);
    expect(down.body).toMatchObject({ role: 'worker', checks: { postgres: { ok: false } } });
    await worker.waitFor((l) => l.msg === 'delivery run failed' && (l.time as number) >= cutAt, 10_000);
    await new Promise((done) => setTimeout(done, 3000 - (Date.now() - cutAt)));
    expect(worker.child.exitCode).toBeNull();
    expect(posted()).toEqual(['Harbour news 1']);

    const restoredAt = Date.now();
    forwarder.restore();
    const up = await healthUntil(url, 200, restoredAt);
    await vi.waitFor(() => expect(posted()).toHaveLength(4), { timeout: 20_000, interval: 50 });
    const deliveredAfter = Date.now() - restoredAt;
    await new Promise((done) => setTimeout(done, 2500));
    expectPostedOnce(4);
    console.log(`faults-postgres (worker): 503 after ${down.after} ms; 200 ${up.after} ms after restore; missed articles posted ${deliveredAfter} ms after`);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  }, 90_000);

  it('THEN a SIGTERM while PostgreSQL is unreachable still stops the process promptly (the leases expire by themselves)', async () => {
    await store.upsert(news(1));
    await subscribeChannel();
    const worker = startBot('', 'worker');
    const url = await healthUrl(worker);
    await vi.waitFor(() => expect(posted()).toEqual(['Harbour news 1']), { timeout: 15_000, interval: 100 });
    forwarder.cut();
    await healthUntil(url, 503, Date.now());
    const stoppedAt = Date.now();
    worker.child.kill('SIGTERM');
    const code = await worker.exited;
    const ms = Date.now() - stoppedAt;
    console.log(
      `faults-postgres: SIGTERM while down: exit ${code} after ${ms} ms; ${worker.lines
        .map((l) => String(l.msg))
        .slice(-5)
        .join(' | ')}`,
    );
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
    expect(worker.lines.some((l) => l.msg === 'leases not released: they expire by themselves')).toBe(true);
  }, 60_000);

  it('THEN a pg_terminate_backend of the test database’s connections mid-delivery costs retries: every article posted once', async () => {
    for (let i = 1; i <= 8; i++) await store.upsert(news(i));
    const bot = startBot('');
    await bot.waitFor((l) => l.msg === 'bot connected', 20_000);
    await subscribeChannel();
    await vi.waitFor(() => expect(posted().length).toBeGreaterThan(0), { timeout: 15_000, interval: 20 });
    const name = new URL(db.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    let terminated = 0;
    try {
      // Three times, 200 ms apart, to catch connections inside their transactions too.
      for (let n = 0; n < 3; n++) {
        const { rows } = await admin.query<{ ended: boolean }>(
          'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [name],
        );
        terminated += rows.filter((r) => r.ended).length;
        await new Promise((done) => setTimeout(done, 200));
      }
    } finally {
      await admin.end();
    }
    const terminatedAt = Date.now();
    await vi.waitFor(() => expect(posted()).toHaveLength(8), { timeout: 30_000, interval: 50 });
    const deliveredAfter = Date.now() - terminatedAt;
    await new Promise((done) => setTimeout(done, 2500));
    expectPostedOnce(8);
    expect(bot.child.exitCode).toBeNull();
    const answered = await search('harbour');
    expect(answered.embeds[0]?.description ?? '').toContain('Harbour news');
    console.log(
      `faults-postgres: terminated ${terminated} backends mid-delivery; all 8 posted once, ${deliveredAfter} ms after; warnings: ${problems(bot)
        .map((l) => String(l.msg))
        .join(' | ')}`,
    );
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  }, 90_000);
});
