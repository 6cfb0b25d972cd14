/**
 * Interaction-to-reply latency through the local Discord: the real discord.js client and router
 * answering /search, /summarize and article autocomplete against a stored library (the 100,000-
 * article database the library benchmark kept). Measured from the moment the local Discord sends
 * INTERACTION_CREATE to the moment the user would see the answer (the deferred reply's edit, or the
 * autocomplete choices), with interactions arriving at a steady rate. Prints one JSON line. Run alone:
 *   node --import tsx bench/bot.ts --db PATH [--runs 300]
 */
import { setTimeout } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { commands } from '../commands/index.ts';
import { startBot } from '../src/ui/discord/bot.ts';
import { deployCommands } from '../src/ui/discord/deploy.ts';
import { FakeDiscord, type InteractionHandle, clientOptionsFor } from '@paperboy/fake-discord';
import { createLogger } from '../src/core/log.ts';
import { sqliteBotStorage } from '../src/adapters/store/bot-storage.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { loadPools, queries, rng, titleOf } from './corpus.ts';
import { percentile } from './stats.ts';

const { values } = parseArgs({ options: { db: { type: 'string' }, runs: { type: 'string', default: '300' } } });
if (!values.db) throw new Error('bench/bot.ts: --db PATH is required (a database built by bench/library.ts --keep PATH)');
const runs = Number(values.runs);
const store = SqliteStore.open(values.db);
const articles = await store.count();
const pools = loadPools();
const token = 'MTAwMDAwMDAwMDAwMDAwMDAx.GbotTk.local-discord-bench-token-0123456789';
const fake = await FakeDiscord.start({ botToken: token });
const guild = fake.createGuild({ name: 'Bench' });
const channel = fake.createChannel(guild.id, { name: 'news' });
const user = fake.createUser({ username: 'reader' });
fake.addMember(guild.id, user.id);
const discord = { token, applicationId: fake.applicationId, guildId: guild.id, apiUrl: fake.apiUrl };
await deployCommands(discord, commands);
const log = createLogger({ level: 'warn', pretty: false });
const bot = await startBot({ discord, store, ...sqliteBotStorage(store, log), commands, log, client: clientOptionsFor(fake) });

const at = { guildId: guild.id, channelId: channel.id, userId: user.id };
const qs = queries(runs, articles, pools, 11);
const r = rng(5);
// Article ids in the order bench/library.ts stored them: `list` gives a random sample cheaply.
const ids = (await store.list({ limit: 2000 })).map((a) => a.id);
const pick = (): string => ids[Math.floor(r() * ids.length)] ?? '';

async function timed(start: () => InteractionHandle, wait: 'reply' | 'choices' = 'reply'): Promise<number> {
  const t0 = performance.now();
  const handle = start();
  await (wait === 'reply' ? handle.reply(10_000) : handle.choices(10_000));
  return performance.now() - t0;
}

/**
 * Interactions arrive at a steady RATE per second, as from a busy server. Back to back they would
 * measure discord.js's own global throttle (50 requests/s, each /search is two requests) instead of
 * the bot's latency.
 */
const RATE = 10;

async function measure(label: string, make: (i: number) => () => Promise<number>): Promise<[string, number[]]> {
  // Warm-up rounds fill SQLite's page cache and JIT the code paths, as on a running bot.
  for (let i = 0; i < 20; i++) await make(i)();
  await setTimeout(1000);
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < runs; i++) {
    const wait = start + (i * 1000) / RATE - performance.now();
    if (wait > 0) await setTimeout(wait);
    times.push(await make(i)());
  }
  return [label, times];
}

const results = [
  await measure('search', (i) => () => timed(() => fake.runCommand({ ...at, name: 'search', options: { query: qs[i % qs.length] ?? 'war' } }))),
  await measure('summarize', () => () => timed(() => fake.runCommand({ ...at, name: 'summarize', options: { article: pick() } }))),
  await measure(
    'autocomplete',
    (i) => () =>
      timed(
        () =>
          fake.autocomplete({
            ...at,
            name: 'summarize',
            options: { article: titleOf(Math.floor(r() * articles), pools).slice(0, 3 + (i % 12)) },
            focused: 'article',
          }),
        'choices',
      ),
  ),
];
await bot.stop();
await fake.close();
await store.close();

const figures: Record<string, number> = { bot_articles: articles, bot_runs: runs, bot_interactions_per_s: RATE };
for (const [label, times] of results) {
  figures[`${label}_reply_p50_ms`] = +percentile(times, 50).toFixed(2);
  figures[`${label}_reply_p99_ms`] = +percentile(times, 99).toFixed(2);
}
figures.violations = fake.violations.length;
figures.rate_limited = fake.requests.filter((q) => q.status === 429).length;
console.log(JSON.stringify(figures));
