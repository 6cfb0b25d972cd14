/**
 * Interaction-to-reply latency through the local Discord: the real discord.js client and router
 * answering /search, /summarize and article autocomplete against a stored library (the 100,000-
 * article database the library benchmark kept). Measured from the moment the local Discord is due to
 * send INTERACTION_CREATE to the moment the user would see the answer (the reply, a deferred reply's
 * edit, or the autocomplete choices), with interactions arriving at a steady rate whether or not
 * earlier ones were answered (open loop). Prints one JSON line. Run alone:
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

/** From `due`, the moment the interaction was meant to arrive, to what the user sees. */
async function timed(due: number, start: () => InteractionHandle, wait: 'reply' | 'choices' = 'reply'): Promise<number> {
  const handle = start();
  await (wait === 'reply' ? handle.reply(10_000) : handle.choices(10_000));
  return performance.now() - due;
}

/**
 * Interactions arrive at a steady RATE per second, as from a busy server. Back to back they would
 * measure discord.js's own global throttle (50 requests/s) instead of the bot's latency.
 */
const RATE = 10;

/**
 * Each interaction is started when it is due, not when the one before was answered: a slow answer
 * then shows as the queue it makes behind it, as on a real server, instead of quietly delaying the
 * next arrival and leaving it out of the figures. Timing from the due moment (not from the late
 * start) counts the time an interaction waited for a busy event loop too.
 */
async function measure(label: string, make: (i: number) => (due: number) => Promise<number>): Promise<[string, number[], number]> {
  // Warm-up rounds fill SQLite's page cache and JIT the code paths, as on a running bot.
  for (let i = 0; i < 20; i++) await make(i)(performance.now());
  await setTimeout(1000);
  const requestsBefore = fake.requests.length;
  const pending: Promise<number>[] = [];
  const start = performance.now();
  for (let i = 0; i < runs; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await setTimeout(wait);
    const answered = make(i)(due);
    // Handled from now on: a failure before the loop ends must fail the run with its message, not crash it unhandled.
    answered.catch(() => undefined);
    pending.push(answered);
  }
  const times = await Promise.all(pending);
  return [label, times, (fake.requests.length - requestsBefore) / runs];
}

const results = [
  await measure('search', (i) => (due) => timed(due, () => fake.runCommand({ ...at, name: 'search', options: { query: qs[i % qs.length] ?? 'war' } }))),
  await measure('summarize', () => (due) => timed(due, () => fake.runCommand({ ...at, name: 'summarize', options: { article: pick() } }))),
  await measure('autocomplete', (i) => {
    // 3 to 14 characters of a stored title: a word and a half to a few words typed.
    const typed = titleOf(Math.floor(r() * articles), pools).slice(0, 3 + (i % 12));
    return (due) => timed(due, () => fake.autocomplete({ ...at, name: 'summarize', options: { article: typed }, focused: 'article' }), 'choices');
  }),
];
await bot.stop();
await fake.close();
await store.close();

const figures: Record<string, number> = { bot_articles: articles, bot_runs: runs, bot_interactions_per_s: RATE };
for (const [label, times, requests] of results) {
  figures[`${label}_reply_p50_ms`] = +percentile(times, 50).toFixed(2);
  figures[`${label}_reply_p99_ms`] = +percentile(times, 99).toFixed(2);
  // Requests the bot made to Discord per interaction: a deferral and its edit are two.
  figures[`${label}_requests_per_reply`] = +requests.toFixed(2);
}
figures.violations = fake.violations.length;
figures.rate_limited = fake.requests.filter((q) => q.status === 429).length;
console.log(JSON.stringify(figures));
