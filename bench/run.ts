/**
 * `npm run bench`: every benchmark, each measured in a process of its own so that its peak memory is
 * its own, printed as one JSON line per part and a final line with all figures and the targets.
 *
 *   BENCH_ARTICLES   corpus size for the library (default 100000)
 *   BENCH_SHARED     size at which the library and MiniSearch are compared (default 20000)
 *   BENCH_GROWTH     sizes for the growth part, comma-separated (default 10000,30000,100000)
 *   BENCH_PARTS      which parts to run, comma-separated: text, minisearch, library (with SQLite's own ceilings beside it, bench/ceilings.ts),
 *                    growth (the library and its ceilings at each BENCH_GROWTH size, reusing the library part's run at its size), bot, delivery, sources (feeds, inbox, a 150 MB inbox file), playground,
 *                    backends (SQLite and PostgreSQL side by side at BENCH_ARTICLES), discussions (importing a saved 1,500-comment Reddit thread, then delivering it as a tree: time to first post), delivery-processes (1 and 3 `paperboy worker`
 *                    processes over one PostgreSQL through one `paperboy rest-proxy`, 30 channels of the local Discord), filters (the
 *                    slowest filter the caps allow, on one 20,000-character article) (default all;
 *                    bot measures against the database the large library run keeps, so it runs that too)
 *   PAPERBOY_BENCH_POSTGRES  the PostgreSQL server's maintenance database for backends (default postgres://postgres@127.0.0.1:5432/);
 *                    backends and delivery-processes make pb_bench_* databases there and drop them
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ceilingTable, ceilingTargets, growthTable, p99Exponent, targetLine } from './ceilings-report.ts';
import { runTextBench } from './text.ts';

const articles = Number(process.env.BENCH_ARTICLES ?? 100_000);
const shared = Number(process.env.BENCH_SHARED ?? 20_000);
const growthSizes = (process.env.BENCH_GROWTH ?? '10000,30000,100000').split(',').map((n) => Number(n.trim()));

function child(script: string, args: string[]): Record<string, number> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, script), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  const line = out.trim().split('\n').pop() ?? '{}';
  console.log(`${script}: ${line}`);
  return JSON.parse(line) as Record<string, number>;
}

const parts = new Set(
  (process.env.BENCH_PARTS ?? 'text,minisearch,library,growth,bot,delivery,sources,playground,backends,discussions,delivery-processes,filters')
    .split(',')
    .map((p) => p.trim()),
);
if (parts.has('growth') && growthSizes.some((n) => !Number.isInteger(n) || n < 100)) {
  throw new Error(`bench: BENCH_GROWTH takes sizes of 100 articles and up, got \`${process.env.BENCH_GROWTH}\``);
}
const text: Record<string, number> = parts.has('text') ? await runTextBench() : {};
if (parts.has('text')) console.log(`text: ${JSON.stringify(text)}`);
const small: Record<string, number> = parts.has('minisearch') ? child('library.ts', ['--articles', String(shared), '--bare']) : {};
const mini: Record<string, number> = parts.has('minisearch') ? child('minisearch.ts', ['--articles', String(shared)]) : {};
const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-'));
const dbPath = join(dir, 'library.db');
let large: Record<string, number> = {};
let bot: Record<string, number> = {};
try {
  if (parts.has('library') || parts.has('bot')) large = child('library.ts', ['--articles', String(articles), '--keep', dbPath]);
  if (parts.has('bot')) bot = child('bot.ts', ['--db', dbPath]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
// The library part's run is reused at its own size: the same code, corpus and queries.
const growth: Record<string, number>[] = parts.has('growth')
  ? [...new Set(growthSizes)]
      .sort((a, b) => a - b)
      .map((n) => (n === articles && large.articles === n ? large : child('library.ts', ['--articles', String(n)])))
  : [];
// The figures set against the ceilings: the library part's, else the growth part's largest size.
const main: Record<string, number> = large.articles !== undefined ? large : (growth[growth.length - 1] ?? {});
const exponent = p99Exponent(growth);
if (main.insert_ceiling_articles_per_s !== undefined) for (const line of ceilingTable(main)) console.log(line);
if (growth.length > 1) for (const line of growthTable(growth)) console.log(line);
const delivery: Record<string, number> = parts.has('delivery') ? child('delivery.ts', []) : {};
const sources: Record<string, number> = parts.has('sources')
  ? { ...child('feeds.ts', []), ...child('inbox.ts', []), ...child('inbox-memory.ts', ['--mb', '150']) }
  : {};
const playground: Record<string, number> = parts.has('playground') ? child('playground.ts', []) : {};
const backends: Record<string, number> = parts.has('backends') ? child('backends.ts', ['--articles', String(articles)]) : {};
// Importing a saved 1,500-comment thread, then delivering it as a tree of replies through the local Discord.
const discussions: Record<string, number> = parts.has('discussions') ? { ...child('discussions.ts', []), ...child('discussion-delivery.ts', []) } : {};
const processes: Record<string, number> = parts.has('delivery-processes') ? child('delivery-processes.ts', []) : {};
const filters: Record<string, number> = parts.has('filters') ? child('filter-worst.ts', []) : {};

const figures = {
  articles: main.articles ?? articles,
  ingest_articles_per_s: main.ingest_articles_per_s,
  db_bytes: main.db_bytes,
  search_p50_ms: main.search_p50_ms,
  search_p99_ms: main.search_p99_ms,
  peak_rss_mb: main.peak_rss_mb,
  // SQLite's own ceilings beside Paperboy's figures (issue 18), and the text the file holds.
  insert_ceiling_articles_per_s: main.insert_ceiling_articles_per_s,
  parse_articles_per_s: main.parse_articles_per_s,
  ingest_vs_ceiling: main.ingest_vs_ceiling,
  search_ceiling_p50_ms: main.search_ceiling_p50_ms,
  search_ceiling_p99_ms: main.search_ceiling_p99_ms,
  search_p50_vs_ceiling: main.search_p50_vs_ceiling,
  search_p99_vs_ceiling: main.search_p99_vs_ceiling,
  raw_text_bytes: main.raw_text_bytes,
  size_vs_raw: main.size_vs_raw,
  top3_share: main.top3_share,
  ceiling_top3_share: main.ceiling_top3_share,
  growth_sizes: growth.length,
  growth_p99_exponent: exponent,
  shared_articles: shared,
  shared_search_p50_ms: small.search_p50_ms,
  minisearch_search_p50_ms: mini.search_p50_ms,
  minisearch_peak_rss_mb: mini.peak_rss_mb,
  // How many times faster our median search is than MiniSearch's on the same articles and queries.
  speedup_vs_minisearch_p50: +((mini.search_p50_ms ?? NaN) / (small.search_p50_ms ?? NaN)).toFixed(2),
  ...text,
  ...bot,
  ...delivery,
  ...sources,
  ...playground,
  ...backends,
  ...discussions,
  ...processes,
  ...filters,
};
// A target whose part did not run (BENCH_PARTS) is null, neither met nor missed.
const atMost = (value: number | undefined, target: number): boolean | null => (value === undefined || Number.isNaN(value) ? null : value <= target);
const atLeast = (value: number | undefined, target: number): boolean | null => (value === undefined || Number.isNaN(value) ? null : value >= target);
const targets = {
  ingest_articles_per_s: atLeast(figures.ingest_articles_per_s, 2000),
  search_p50_ms: atMost(figures.search_p50_ms, 10),
  search_p99_ms: atMost(figures.search_p99_ms, 50),
  peak_rss_mb: atMost(figures.peak_rss_mb, 300),
  speedup_vs_minisearch_p50: atLeast(figures.speedup_vs_minisearch_p50, 5),
  summarize_10k_words_ms: atMost(text.summarize_10k_words_ms, 20),
  // One filter built to be slow, on one article: it runs on the thread that answers Discord.
  filter_worst_article_ms: atMost(filters.filter_worst_article_ms, 20),
  summarize_100k_words_ms: atMost(text.summarize_100k_words_ms, 500),
  summarize_reply_p99_ms: atMost(bot.summarize_reply_p99_ms, 100),
  // A 150 MB file in the inbox: the bot's memory stays bounded and its thread keeps answering.
  inbox_peak_rss_mb: atMost(sources.inbox_peak_rss_mb, 400),
  inbox_max_event_loop_delay_ms: atMost(sources.inbox_max_event_loop_delay_ms, 500),
  // PostgreSQL at BENCH_ARTICLES (issue 15 sets these at 100,000), on the same queries as SQLite.
  pg_search_p50_ms: atMost(backends.pg_search_p50_ms, 20),
  pg_search_p99_ms: atMost(backends.pg_search_p99_ms, 100),
  // 3 workers through one REST proxy to 30 channels, against Discord's global limit of 50 requests/s.
  deliver_3proc_msgs_per_s: atLeast(processes.deliver_3proc_msgs_per_s, 45),
  duplicates: atMost(processes.duplicates, 0),
  ...ceilingTargets(figures, exponent),
};
console.log(targetLine(ceilingTargets(figures, exponent), figures));
console.log(JSON.stringify({ ...figures, targets_met: targets }));
