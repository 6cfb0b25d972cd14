/**
 * One benchmark process for the article library: builds a corpus of N articles into a fresh
 * database through the same ingest code as `paperboy ingest`, runs the fixed queries, and prints
 * one JSON line, with SQLite's own ceilings on the same corpus and queries beside the figures
 * (bench/ceilings.ts; `--bare` leaves them out). Run alone: `node --import tsx bench/library.ts --articles 20000`.
 * A process of its own, so that its peak RSS is the library's alone.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WorkerReader, ingestFiles } from '../src/app/library/ingest.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { insertCeilingProcess, judgedSet, searchCeiling } from './ceilings.ts';
import { exportText, loadPools } from './corpus.ts';
import { percentile } from './stats.ts';

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '300' },
    keep: { type: 'string' },
    // Paperboy's figures alone, without SQLite's ceilings beside them (bench/ceilings.ts).
    bare: { type: 'boolean', default: false },
  },
});
const articles = Number(values.articles);
const pools = loadPools();
const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-'));
const dbPath = values.keep ?? join(dir, 'bench.db');
const store = SqliteStore.open(dbPath);
const ceiling = values.bare ? null : insertCeilingProcess(join(dir, 'ceiling.db'));

// Files are generated in chunks and written out outside the timed section, so the figure is ingest
// alone, as `paperboy ingest` runs a whole corpus of this size (over 4 MB of input, so on its
// worker): read and parsed on a worker thread while the main thread stores what came before. Each chunk is one ingestFiles call, and the ceiling inserts the same
// chunk (in a process of its own, so that this one's peak RSS stays Paperboy's); the two alternate
// chunk by chunk, never at once, so that a change in the machine's load falls on both. The worker
// is started once, before the first chunk, as one `paperboy ingest` run starts it once.
// A chunk is 1,000 articles (200 before 2026-12-01): `paperboy ingest` runs one pipeline over the
// whole corpus, and each ingestFiles call starts its pipeline empty (the first articles are stored
// a few at a time while the worker gets ahead), which at 200 a call was a cost the command pays once
// and the bench paid 500 times at 100,000. The ceiling still commits 200 articles a transaction
// (bench/ceilings.ts), whatever the chunk.
const CHUNK = 1000;
const filesDir = join(dir, 'files');
mkdirSync(filesDir);
const reader = new WorkerReader();
await reader.warm();
let ingestMs = 0;
const totals = { added: 0, updated: 0, unchanged: 0, failed: 0 };
for (let start = 0; start < articles; start += CHUNK) {
  const files: string[] = [];
  for (let i = start; i < Math.min(start + CHUNK, articles); i++) {
    files.push(join(filesDir, `${i}.txt`));
    writeFileSync(files[files.length - 1] ?? '', exportText(i, pools));
  }
  const t0 = performance.now();
  const report = await ingestFiles(files, store, { source: 'Bench', reader });
  ingestMs += performance.now() - t0;
  for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += report[key];
  if (report.failures.length > 0) throw new Error(`bench: ingest failed: ${report.failures[0]?.error}`);
  for (const file of files) rmSync(file);
  await ceiling?.add(start, start + files.length);
}
await reader.close();
store.db.pragma('wal_checkpoint(TRUNCATE)');
const bytes = statSync(dbPath).size;
const inserted = await ceiling?.finish();
// A ratio means something only if both files hold the same rows.
const held = { articles: await store.count(), comments: await store.countComments() };
if (inserted && (inserted.rows.articles !== held.articles || inserted.rows.comments !== held.comments)) {
  throw new Error(`bench: the insert ceiling holds ${JSON.stringify(inserted.rows)}, Paperboy's file ${JSON.stringify(held)}`);
}

const { qs, matches, wanted } = await judgedSet(Number(values.queries), articles, pools);
const bare = searchCeiling(store.db);
const idOf = store.db.prepare<[number], string>('SELECT id FROM articles WHERE rowid = ?').pluck();

// One untimed pass warms SQLite's page cache the way a running bot's would be.
for (const [i, q] of qs.entries()) {
  await store.search(q);
  if (!values.bare) bare.run(matches[i] ?? null);
}
const times: number[] = [];
const ceilingTimes: number[] = [];
let hits = 0;
let top3 = 0;
let ceilingTop3 = 0;
for (const [i, q] of qs.entries()) {
  let t0 = performance.now();
  const result = await store.search(q);
  times.push(performance.now() - t0);
  if (result.hits.length > 0) hits++;
  // Judged on the article itself: a comment of it does not count.
  if (result.hits.slice(0, 3).some((h) => h.kind === 'article' && h.articleId === wanted[i])) top3++;
  if (values.bare) continue;
  t0 = performance.now();
  const best = bare.run(matches[i] ?? null);
  ceilingTimes.push(performance.now() - t0);
  if (best.articles.slice(0, 3).some((rowid) => idOf.get(rowid) === wanted[i])) ceilingTop3++;
}
// Before anything else is read: the peak is the library's own, ingest and search.
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
await store.close();
// The kept file (--keep) lies outside this folder; the ceiling's file and a fresh run's go with it.
rmSync(dir, { recursive: true, force: true });

const ratio = (x: number, y: number): number => +(x / y).toFixed(2);
const ingestPerS = Math.round(articles / (ingestMs / 1000));
const p50 = percentile(times, 50);
const p99 = percentile(times, 99);
const rawBytes = inserted ? inserted.raw.titles + inserted.raw.bodies + inserted.raw.comments : 0;
const ceilings = inserted && {
  insert_ceiling_articles_per_s: Math.round(inserted.articles / (inserted.insertMs / 1000)),
  // Parsing alone (the same files through the same parser), for where ingest's time goes.
  parse_articles_per_s: Math.round(inserted.articles / (inserted.parseMs / 1000)),
  ingest_vs_ceiling: ratio(articles / (inserted.insertMs / 1000), ingestPerS),
  search_ceiling_p50_ms: +percentile(ceilingTimes, 50).toFixed(3),
  search_ceiling_p99_ms: +percentile(ceilingTimes, 99).toFixed(3),
  search_p50_vs_ceiling: ratio(p50, percentile(ceilingTimes, 50)),
  search_p99_vs_ceiling: ratio(p99, percentile(ceilingTimes, 99)),
  raw_text_bytes: rawBytes,
  ceiling_db_bytes: inserted.dbBytes,
  size_vs_raw: ratio(bytes, rawBytes),
  // Where the bytes are (the ceiling's file holds the same rows as Paperboy's): the same text again as JSON, then each part of the file.
  raw_json_bytes: inserted.raw.blocksJson + inserted.raw.paragraphsJson,
  ...Object.fromEntries(Object.entries(inserted.space).map(([part, n]) => [`space_${part}_bytes`, n])),
  ceiling_top3_share: +(ceilingTop3 / qs.length).toFixed(3),
};

console.log(
  JSON.stringify({
    articles,
    ...totals,
    ingest_articles_per_s: ingestPerS,
    db_bytes: bytes,
    queries: qs.length,
    queries_with_hits: hits,
    search_p50_ms: +p50.toFixed(3),
    search_p99_ms: +p99.toFixed(3),
    // The share of queries whose own article is among Paperboy's first 3 hits.
    top3_share: +(top3 / qs.length).toFixed(3),
    peak_rss_mb: peakRssMb,
    heap_used_mb: Math.round(process.memoryUsage().heapUsed / 1e6),
    ...ceilings,
  }),
);
