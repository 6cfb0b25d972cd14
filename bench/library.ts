/**
 * One benchmark process for the article library: builds a corpus of N articles into a fresh
 * database through the same ingest code as `paperboy ingest`, runs the fixed queries, and prints
 * one JSON line. Run alone: `node --import tsx bench/library.ts --articles 20000`.
 * A process of its own, so that its peak RSS is the library's alone.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ingestSources, type SourceFile } from '../src/app/library/ingest.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { exportText, loadPools, queries } from './corpus.ts';
import { percentile } from './stats.ts';

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '300' },
    keep: { type: 'string' },
  },
});
const articles = Number(values.articles);
const pools = loadPools();
const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-'));
const dbPath = values.keep ?? join(dir, 'bench.db');
const store = SqliteStore.open(dbPath);

// Files are generated in chunks outside the timed section, so the figure is ingest alone.
const CHUNK = 200;
let ingestMs = 0;
const totals = { added: 0, updated: 0, unchanged: 0, failed: 0 };
for (let start = 0; start < articles; start += CHUNK) {
  const files: SourceFile[] = [];
  for (let i = start; i < Math.min(start + CHUNK, articles); i++) files.push({ file: `bench/${i}.txt`, content: exportText(i, pools) });
  const t0 = performance.now();
  const report = await ingestSources(files, store, { source: 'Bench' });
  ingestMs += performance.now() - t0;
  for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += report[key];
  if (report.failures.length > 0) throw new Error(`bench: ingest failed: ${report.failures[0]?.error}`);
}
store.db.pragma('wal_checkpoint(TRUNCATE)');
const bytes = statSync(dbPath).size;

const qs = queries(Number(values.queries), articles, pools);
// One untimed pass warms SQLite's page cache the way a running bot's would be.
for (const q of qs) await store.search(q);
const times: number[] = [];
let hits = 0;
for (const q of qs) {
  const t0 = performance.now();
  const result = await store.search(q);
  times.push(performance.now() - t0);
  if (result.hits.length > 0) hits++;
}
await store.close();
if (!values.keep) rmSync(dir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    articles,
    ...totals,
    ingest_articles_per_s: Math.round(articles / (ingestMs / 1000)),
    db_bytes: bytes,
    queries: qs.length,
    queries_with_hits: hits,
    search_p50_ms: +percentile(times, 50).toFixed(3),
    search_p99_ms: +percentile(times, 99).toFixed(3),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    heap_used_mb: Math.round(process.memoryUsage().heapUsed / 1e6),
  }),
);
