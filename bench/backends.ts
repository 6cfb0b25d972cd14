/**
 * SQLite and PostgreSQL side by side in one process (issue 15): the same corpus (same seed, N
 * articles) ingested into a fresh SQLite file and a fresh PostgreSQL database through the same
 * ingest code, each timed; then the same queries against both, interleaved, with their hit counts
 * compared. Prints one JSON line. Run alone:
 *   node --conditions=@paperboy/source --import tsx bench/backends.ts --articles 20000
 * The PostgreSQL database (`pb_bench_*`, see ./postgres.ts) is dropped at the end, also on failure.
 * `--keep NAME` keeps both instead (`pb_bench_keep_NAME` and paperboy-bench-keep-NAME.db in the
 * temporary folder) and, when a later run finds them filled, searches them without ingesting again
 * (ingest figures are then absent): for measuring search changes at 100,000 articles in minutes.
 * Migrations still run at open, so a kept database gets the newer schema versions.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ingestSources, type SourceFile } from '../src/app/library/ingest.ts';
import type { Store } from '../src/adapters/store/contract.ts';
import type { SearchResult } from '../src/adapters/store/search-common.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { openPostgresStore, type PostgresStore } from '../src/adapters/store/postgres/articles.ts';
import { exportText, loadPools, queries } from './corpus.ts';
import { explainSearch } from './pg-explain.ts';
import { createBenchDatabase, dropOnSignal, keptBenchDatabase } from './postgres.ts';
import { percentile } from './stats.ts';

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '300' },
    // EXPLAIN ANALYZE this many of PostgreSQL's slowest queries (to stderr); by default 3 when a target is missed, else none.
    explain: { type: 'string' },
    keep: { type: 'string' },
  },
});
const articles = Number(values.articles);
const queryCount = Number(values.queries);
for (const [name, n] of [
  ['--articles', articles],
  ['--queries', queryCount],
] as const) {
  if (!Number.isInteger(n) || n < 1) throw new Error(`bench/backends: expected ${name} to be a whole number from 1 and up, got \`${String(n)}\``);
}

if (values.keep !== undefined && !/^[a-z0-9_]{1,20}$/.test(values.keep))
  throw new Error(`bench/backends: expected --keep to be 1-20 of a-z, 0-9 and _, got \`${values.keep}\``);

const pools = loadPools();
const dir = values.keep === undefined ? mkdtempSync(join(tmpdir(), 'paperboy-bench-')) : tmpdir();
const sqlitePath = join(dir, values.keep === undefined ? 'backends.db' : `paperboy-bench-keep-${values.keep}.db`);
const database = values.keep === undefined ? await createBenchDatabase() : await keptBenchDatabase(values.keep);
if (values.keep === undefined) dropOnSignal(database);

type Backend = 'sqlite' | 'postgres';
/** Issue 15's targets at 100,000 articles (run.ts's final line checks them too). */
const PG_TARGETS = { p50: 20, p99: 100 };
const BACKENDS: readonly Backend[] = ['sqlite', 'postgres'];
/** Articles ingested per call, each chunk into each store in turn. */
const CHUNK = 200;

let result: Record<string, number>;
try {
  const sqlite = SqliteStore.open(sqlitePath);
  let postgres: PostgresStore | undefined;
  try {
    postgres = await openPostgresStore(database.url);
    result = await measure({ sqlite, postgres }, postgres);
  } finally {
    await sqlite.close();
    await postgres?.close();
  }
} finally {
  if (values.keep === undefined) {
    rmSync(dir, { recursive: true, force: true });
    await database.drop();
  }
}
console.log(JSON.stringify(result));

async function measure(stores: Record<Backend, Store>, postgres: PostgresStore): Promise<Record<string, number>> {
  const { rows: held } = await postgres.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM articles');
  const filled = values.keep !== undefined && held[0]?.n === articles;
  // A kept pair interrupted while filling goes on from the last chunk both hold (a chunk may be half in one of them).
  const sqliteHeld = ((stores.sqlite as SqliteStore).db.prepare('SELECT count(*) AS n FROM articles').get() as { n: number }).n;
  const from = values.keep === undefined ? 0 : Math.floor(Math.min(held[0]?.n ?? 0, sqliteHeld) / CHUNK) * CHUNK;
  const ingested = filled ? {} : await ingestBoth(stores, postgres, from);
  const { rows } = await postgres.pool.query<{ bytes: string }>('SELECT pg_database_size(current_database())::text AS bytes');
  return { ...ingested, ...(await searchBoth(stores, postgres)), sqlite_db_bytes: statSync(sqlitePath).size, pg_db_bytes: Number(rows[0]?.bytes ?? NaN) };
}

async function ingestBoth(stores: Record<Backend, Store>, postgres: PostgresStore, from: number): Promise<Record<string, number>> {
  // Files are generated once per chunk, outside the timed sections, and given to each store in turn.
  const ingestMs: Record<Backend, number> = { sqlite: 0, postgres: 0 };
  for (let start = from; start < articles; start += CHUNK) {
    const files: SourceFile[] = [];
    for (let i = start; i < Math.min(start + CHUNK, articles); i++) files.push({ file: `bench/${i}.txt`, content: exportText(i, pools) });
    for (const backend of BACKENDS) {
      const t0 = performance.now();
      const report = await ingestSources(files, stores[backend], { source: 'Bench' });
      ingestMs[backend] += performance.now() - t0;
      if (report.failures.length > 0) throw new Error(`bench/backends: ${backend} ingest failed: ${report.failures[0]?.error}`);
      const stored = report.added + (start === from ? report.unchanged + report.updated : 0);
      if (stored !== files.length) throw new Error(`bench/backends: ${backend} added ${report.added} of ${files.length} articles from ${start}`);
    }
    if (start % 10_000 === 0 && start > 0) console.error(`bench/backends: ${start} articles in each`);
  }
  (stores.sqlite as SqliteStore).db.pragma('wal_checkpoint(TRUNCATE)');
  // A database that has been running has statistics and a visibility map; one just filled has
  // neither until autovacuum comes round, and the planner would guess. Not part of the ingest time.
  const vacuumStart = performance.now();
  await postgres.pool.query('VACUUM ANALYZE');
  const vacuumMs = performance.now() - vacuumStart;
  return {
    sqlite_ingest_articles_per_s: Math.round((articles - from) / (ingestMs.sqlite / 1000)),
    pg_ingest_articles_per_s: Math.round((articles - from) / (ingestMs.postgres / 1000)),
    pg_vacuum_analyze_s: +(vacuumMs / 1000).toFixed(1),
  };
}

async function searchBoth(stores: Record<Backend, Store>, postgres: PostgresStore): Promise<Record<string, number>> {
  const qs = queries(queryCount, articles, pools);
  // One untimed pass each warms the page caches (SQLite's and PostgreSQL's shared buffers) as a running bot's would be.
  for (const backend of BACKENDS) for (const q of qs) await stores[backend].search(q);
  const times: Record<Backend, number[]> = { sqlite: [], postgres: [] };
  const answers: Record<Backend, SearchResult[]> = { sqlite: [], postgres: [] };
  for (const [i, q] of qs.entries()) {
    // Alternating which goes first, so that neither always runs on the other's warmed caches.
    const order = i % 2 === 0 ? BACKENDS : [...BACKENDS].reverse();
    for (const backend of order) {
      const t0 = performance.now();
      const answer = await stores[backend].search(q);
      times[backend].push(performance.now() - t0);
      answers[backend].push(answer);
    }
  }
  const differ = qs.filter((q, i) => !sameCounts(answers.sqlite[i]!, answers.postgres[i]!));
  for (const q of differ.slice(0, 10)) {
    const i = qs.indexOf(q);
    console.error(`bench/backends: counts differ for ${JSON.stringify(q)}: sqlite ${describe(answers.sqlite[i]!)}, postgres ${describe(answers.postgres[i]!)}`);
  }
  const slowest = qs
    .map((q, i) => ({ q, ms: times.postgres[i]!, total: answers.postgres[i]!.total }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 8);
  for (const s of slowest) console.error(`bench/backends: slow on postgres: ${s.ms.toFixed(1)} ms ${JSON.stringify(s.q)} (${s.total} matches)`);

  const p = (backend: Backend, at: number) => +percentile(times[backend], at).toFixed(3);
  const missed = p('postgres', 50) > PG_TARGETS.p50 || p('postgres', 99) > PG_TARGETS.p99;
  const explain = values.explain === undefined ? (missed ? 3 : 0) : Number(values.explain);
  for (const s of slowest.slice(0, explain)) {
    const statements = await explainSearch(postgres, s.q);
    const sum = (key: 'executionMs' | 'jitMs') => statements.reduce((n, st) => n + (Number.isNaN(st[key]) ? 0 : st[key]), 0).toFixed(1);
    console.error(
      `bench/backends: EXPLAIN ANALYZE of ${JSON.stringify(s.q)} (${s.ms.toFixed(1)} ms when timed): ${statements.length} statements, ${sum('executionMs')} ms executing in PostgreSQL, ${sum('jitMs')} ms of it JIT compilation`,
    );
    // The statements that took a millisecond or more, with their plans; long lines (arrays of positions) cut.
    for (const st of statements.filter((st) => !(st.executionMs < 1))) {
      const text = `${st.sql.replace(/\s+/g, ' ').trim()}\n${st.plan}`;
      console.error(
        `${text
          .split('\n')
          .map((line) => (line.length > 240 ? `${line.slice(0, 240)}…` : line))
          .join('\n')}\n`,
      );
    }
  }
  return {
    backends_articles: articles,
    backends_queries: qs.length,
    backends_queries_with_hits: answers.postgres.filter((a) => a.hits.length > 0).length,
    // Queries whose match count (up to COUNT_CAP) or page of hits differs between the two.
    backends_queries_differ: differ.length,
    sqlite_search_p50_ms: p('sqlite', 50),
    sqlite_search_p99_ms: p('sqlite', 99),
    pg_search_p50_ms: p('postgres', 50),
    pg_search_p99_ms: p('postgres', 99),
    // How many times longer PostgreSQL takes than SQLite (above 1: slower).
    pg_vs_sqlite_p50_ratio: +(p('postgres', 50) / p('sqlite', 50)).toFixed(2),
    pg_vs_sqlite_p99_ratio: +(p('postgres', 99) / p('sqlite', 99)).toFixed(2),
    backends_peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

function sameCounts(a: SearchResult, b: SearchResult): boolean {
  return a.total === b.total && a.totalCapped === b.totalCapped && a.hits.length === b.hits.length;
}

function describe(r: SearchResult): string {
  return `${r.total}${r.totalCapped ? '+' : ''} matches, ${r.hits.length} on the page`;
}
