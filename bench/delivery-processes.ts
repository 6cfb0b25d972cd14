/**
 * Delivery by several processes (issue 15): 1 and then 3 `paperboy worker` processes deliver the
 * same articles to 30 channels of the local Discord (Discord's limits: 5 messages per 5 s per
 * channel or thread, 50 requests/s in all), over one PostgreSQL database, through one
 * `paperboy rest-proxy`. Measures messages/s, the 429s the local Discord answered, and duplicates
 * (channel messages with the same article footer). Prints one JSON line. Run alone:
 *   node --conditions=@paperboy/source --import tsx bench/delivery-processes.ts
 * The local Discord runs in a process of its own (this file with --fake), so that its event loop
 * is not the measured processes' and its clock counts what arrives.
 *
 * Content: 4 articles with 20 comments each, to every channel (2,520 messages and 120 threads in all,
 * about 53 s at Discord's 50 requests/s: a sustained rate, not a burst). Real discussions are
 * longer than the 3 comments this bench once used: the page the product was specified from
 * (../shared/seeds/) has 4, the Reddit thread in ../shared/datasets/discussions has 1,412 (485
 * loaded), and counts are heavy-tailed. 20 lies between, is below the engine's 100 per run (one
 * run finishes a thread), and makes comments, not posts and thread creations, most of the work, as
 * in production: 20 of every 22 requests. Each thread is its own bucket (5 messages per 5 s), so a
 * thread of 20 takes about 16 s and many threads must go at once to reach the global limit.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { FakeDiscord } from '@paperboy/fake-discord';
import { councilNotices } from './articles.ts';
import { backfillCursor } from '../src/app/delivery/due.ts';
import { parseFilter } from '../src/app/delivery/filter.ts';
import { openPostgresStore } from '../src/adapters/store/postgres/articles.ts';
import { postgresBotState } from '../src/adapters/store/postgres/state.ts';
import { createBenchDatabase, dropOnSignal } from './postgres.ts';

const TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAx.GbotTk.local-discord-bench-token-0123456789';
const BIN = resolve(import.meta.dirname, '../bin/paperboy.js');
const CHANNELS = 30;
/** The longest one measurement may take before the bench gives up on it. */
const TIMEOUT_MS = 240_000;

interface Counts {
  /** Messages created (channel posts and thread replies), and when the last one arrived (epoch ms). */
  readonly messages: number;
  readonly firstAt: number;
  readonly lastAt: number;
  readonly posts: number;
  readonly duplicates: number;
  readonly limited: number;
  /** Every request the local Discord answered from `since` to the last message (thread creations, 429s and all). */
  readonly requests: number;
  /** Requests answered in each second from `since`: shows whether the rate was sustained. */
  readonly perSecond: number[];
}
type FakeRequest = { kind: 'counts'; since: number } | { kind: 'close' };
type FakeReply = { kind: 'ready'; apiUrl: string; guildId: string; channels: string[] } | ({ kind: 'counts' } & Counts);

const { values } = parseArgs({
  options: {
    fake: { type: 'boolean', default: false },
    articles: { type: 'string', default: '4' },
    comments: { type: 'string', default: '20' },
  },
});

if (values.fake) await serveFake();
else await main();

/** The --fake process: the local Discord, answering counts over IPC until told to close. */
async function serveFake(): Promise<void> {
  const fake = await FakeDiscord.start({ botToken: TOKEN });
  const guildId = fake.createGuild({ name: 'Bench' }).id;
  const channels = Array.from({ length: CHANNELS }, (_, i) => fake.createChannel(guildId, { name: `news-${i}` }).id);
  const send = (reply: FakeReply) => process.send?.(reply);
  process.on('message', (request: FakeRequest) => {
    if (request.kind === 'close') void fake.close().then(() => process.disconnect());
    else send({ kind: 'counts', ...countsOf(fake, channels, request.since) });
  });
  send({ kind: 'ready', apiUrl: fake.apiUrl, guildId, channels });
}

function countsOf(fake: FakeDiscord, channels: readonly string[], since: number): Counts {
  const created = fake.requests.filter((r) => r.method === 'POST' && r.route === '/channels/{channel.id}/messages' && r.status === 200);
  let posts = 0;
  let duplicates = 0;
  for (const channel of channels) {
    const footers = fake.messages(channel).map((m) => m.embeds[0]?.footer?.text ?? '');
    posts += footers.length;
    duplicates += footers.length - new Set(footers).size;
  }
  const lastAt = created.reduce((t, r) => Math.max(t, r.at), 0);
  return {
    messages: created.length,
    firstAt: created.reduce((t, r) => Math.min(t, r.at), Number.POSITIVE_INFINITY),
    lastAt,
    requests: fake.requests.filter((r) => r.at >= since && r.at <= lastAt).length,
    posts,
    duplicates,
    limited: fake.requests.filter((r) => r.status === 429).length,
    perSecond: fake.requests.reduce<number[]>((seconds, r) => {
      const second = Math.floor((r.at - since) / 1000);
      if (second >= 0 && r.at <= lastAt) seconds[second] = (seconds[second] ?? 0) + 1;
      return seconds;
    }, []),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise((done) => server.close(done));
  if (address === null || typeof address === 'string') throw new Error('bench/delivery-processes: no free port');
  return address.port;
}

/** Starts `paperboy <role>`; resolves once a line of its output contains `ready`. */
function paperboy(role: string, env: Record<string, string>, ready: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, role], { env: { ...process.env, ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let seen = '';
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`bench/delivery-processes: paperboy ${role} did not log "${ready}" in 60 s:\n${seen.slice(-2000)}`)), 60_000);
    const look = (chunk: Buffer) => {
      // Only the tail is kept: enough to find the line and to show why a start failed.
      seen = (seen + chunk.toString()).slice(-8000);
      if (seen.includes(ready)) {
        clearTimeout(timer);
        done(child);
      }
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.on('exit', (code) => fail(new Error(`bench/delivery-processes: paperboy ${role} exited with ${code}:\n${seen.slice(-2000)}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
}

interface Measured {
  readonly messages: number;
  readonly seconds: number;
  /** From the first message to the last: without the subscriptions' set-up and the first poll. */
  readonly deliveringSeconds: number;
  readonly limited: number;
  readonly duplicates: number;
  readonly requests: number;
  readonly perSecond: number[];
}

/** One measurement from scratch: a fresh database, local Discord and proxy, `processes` workers. */
async function measure(processes: number, articleCount: number, comments: number): Promise<Measured> {
  const database = await createBenchDatabase();
  dropOnSignal(database);
  const fake = fork(import.meta.filename, ['--fake'], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const replies: ((reply: FakeReply) => void)[] = [];
  fake.on('message', (reply: FakeReply) => replies.shift()?.(reply));
  const ask = (request: FakeRequest | null) =>
    new Promise<FakeReply>((done) => {
      replies.push(done);
      if (request) fake.send(request);
    });
  const children: ChildProcess[] = [];
  const store = await openPostgresStore(database.url, { max: 2 });
  try {
    const ready = await ask(null);
    if (ready.kind !== 'ready') throw new Error('bench/delivery-processes: the local Discord did not start');
    await store.upsertMany(councilNotices('Harbour council notice', 'notice', articleCount, comments));
    const port = await freePort();
    const env = { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: ready.apiUrl };
    children.push(await paperboy('rest-proxy', { ...env, REST_PROXY_PORT: String(port) }, 'rest proxy: listening'));
    const workerEnv = {
      ...env,
      DATABASE_URL: database.url,
      DISCORD_REST_PROXY: `http://127.0.0.1:${port}`,
      DELIVERY_CRON: '* * * * * *',
      DATABASE_POOL_MAX: '4',
    };
    for (const worker of await Promise.all(Array.from({ length: processes }, () => paperboy('worker', workerEnv, 'worker ready')))) children.push(worker);

    // The subscriptions are written paused and resumed in one statement: written one by one, a run
    // that began after the first few would deliver only those, and the others wait for it to end.
    const state = postgresBotState(store.pool);
    for (const [i, channelId] of ready.channels.entries()) {
      const now = new Date().toISOString();
      const base = { source: null, keywords: null, backfill: { kind: 'all' as const } };
      await state.subscriptions.put({
        guildId: ready.guildId,
        channelId,
        kind: 'text',
        channelName: `news-${i}`,
        ...base,
        cursor: await backfillCursor(store, base, parseFilter(null)),
        checkedAt: now,
        createdAt: now,
        createdBy: 'bench',
        paused: { reason: 'bench: until every subscription is written', at: now },
        posted: 0,
        lastPostedAt: null,
        lastRunAt: null,
        lastError: null,
      });
    }
    // The clock starts when all 30 are due at once: every worker is up and polling by then.
    const started = Date.now();
    await store.pool.query('UPDATE subscriptions SET paused_reason = NULL, paused_at = NULL, revision = COALESCE(revision, 0) + 1');
    const wanted = CHANNELS * articleCount * (1 + comments);
    for (;;) {
      const counts = await ask({ kind: 'counts', since: started });
      if (counts.kind !== 'counts') throw new Error('bench/delivery-processes: unexpected answer from the local Discord');
      if (counts.messages >= wanted) {
        // A moment more, so that a late duplicate would still be counted.
        await sleep(2000);
        const last = await ask({ kind: 'counts', since: started });
        if (last.kind !== 'counts') throw new Error('bench/delivery-processes: unexpected answer from the local Discord');
        return {
          messages: counts.messages,
          seconds: (counts.lastAt - started) / 1000,
          deliveringSeconds: (counts.lastAt - counts.firstAt) / 1000,
          limited: last.limited,
          duplicates: last.duplicates,
          requests: counts.requests,
          perSecond: [...counts.perSecond].map((n) => n ?? 0),
        };
      }
      if (Date.now() - started > TIMEOUT_MS)
        throw new Error(`bench/delivery-processes: ${processes} workers delivered ${counts.messages} of ${wanted} messages in ${TIMEOUT_MS / 1000} s`);
      await sleep(250);
    }
  } finally {
    await Promise.all(children.map(stop));
    if (fake.connected) fake.send({ kind: 'close' } satisfies FakeRequest);
    await store.close();
    await database.drop();
  }
}

async function main(): Promise<void> {
  const articleCount = Number(values.articles);
  const comments = Number(values.comments);
  if (!Number.isInteger(articleCount) || articleCount < 1)
    throw new Error(`bench/delivery-processes: expected --articles to be a whole number from 1 up, got \`${values.articles}\``);
  if (!Number.isInteger(comments) || comments < 0)
    throw new Error(`bench/delivery-processes: expected --comments to be a whole number from 0 up, got \`${values.comments}\``);
  const one = await measure(1, articleCount, comments);
  if (process.env.BENCH_TIMELINE) console.error(`1 process, requests per second: ${one.perSecond.join(' ')}`);
  const three = await measure(3, articleCount, comments);
  if (process.env.BENCH_TIMELINE) console.error(`3 processes, requests per second: ${three.perSecond.join(' ')}`);
  const rate = (m: Measured) => +(m.messages / m.seconds).toFixed(1);
  console.log(
    JSON.stringify({
      deliver_channels: CHANNELS,
      deliver_messages: three.messages,
      deliver_1proc_msgs_per_s: rate(one),
      deliver_3proc_msgs_per_s: rate(three),
      // The same from each run's first message to its last (the clock above starts before the 30 subscriptions are written).
      deliver_1proc_msgs_per_s_from_first_message: +((one.messages - 1) / one.deliveringSeconds).toFixed(1),
      deliver_3proc_msgs_per_s_from_first_message: +((three.messages - 1) / three.deliveringSeconds).toFixed(1),
      // All requests the local Discord answered per second (messages, thread creations, the rest): what the global limit counts.
      deliver_1proc_requests_per_s: +(one.requests / one.seconds).toFixed(1),
      deliver_3proc_requests_per_s: +(three.requests / three.seconds).toFixed(1),
      deliver_1proc_429s: one.limited,
      deliver_3proc_429s: three.limited,
      // Channel messages with an article footer already posted in that channel, both runs together.
      duplicates: one.duplicates + three.duplicates,
    }),
  );
}
