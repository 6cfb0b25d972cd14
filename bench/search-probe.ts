/**
 * Paperboy's search against SQLite's search ceiling on a database kept by bench/library.ts
 * (`--keep`), without building one: the bench's own queries, one warm pass, then the two
 * alternating query by query, so that the machine's load falls on both alike. Prints one JSON line.
 *
 *   NODE_OPTIONS=--conditions=@paperboy/source node --import tsx bench/search-probe.ts --db /work/bench/search10k.db --articles 10000
 *
 * `--articles` must be the count the database was built with: the queries are drawn from its titles.
 * `--rounds` repeats the timed pass (each query's figure is its best round) to damp a busy machine.
 */
import { parseArgs } from 'node:util';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { judgedSet, searchCeiling } from './ceilings.ts';
import { loadPools } from './corpus.ts';
import { percentile } from './stats.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    articles: { type: 'string' },
    queries: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '1' },
  },
});
if (!values.db || !values.articles) throw new Error('search-probe: expected --db <kept database> and --articles <the count it was built with>');
const articles = Number(values.articles);
const rounds = Math.max(1, Number(values.rounds));
const pools = loadPools();
const store = SqliteStore.open(values.db);

const { qs, matches, wanted } = await judgedSet(Number(values.queries), articles, pools);
const bare = searchCeiling(store.db);

for (const [i, q] of qs.entries()) {
  await store.search(q);
  bare.run(matches[i] ?? null);
}
const times = qs.map(() => Number.POSITIVE_INFINITY);
const ceilingTimes = qs.map(() => Number.POSITIVE_INFINITY);
let top3 = 0;
for (let round = 0; round < rounds; round++) {
  for (const [i, q] of qs.entries()) {
    let t0 = performance.now();
    const result = await store.search(q);
    times[i] = Math.min(times[i]!, performance.now() - t0);
    t0 = performance.now();
    bare.run(matches[i] ?? null);
    ceilingTimes[i] = Math.min(ceilingTimes[i]!, performance.now() - t0);
    if (round === 0 && result.hits.slice(0, 3).some((h) => h.kind === 'article' && h.articleId === wanted[i])) top3++;
  }
}
await store.close();

const fixed = (n: number) => +n.toFixed(3);
const p50 = percentile(times, 50);
const p99 = percentile(times, 99);
const c50 = percentile(ceilingTimes, 50);
const c99 = percentile(ceilingTimes, 99);
console.log(
  JSON.stringify({
    articles,
    queries: qs.length,
    rounds,
    search_p50_ms: fixed(p50),
    search_p99_ms: fixed(p99),
    search_ceiling_p50_ms: fixed(c50),
    search_ceiling_p99_ms: fixed(c99),
    search_p50_vs_ceiling: +(p50 / c50).toFixed(2),
    search_p99_vs_ceiling: +(p99 / c99).toFixed(2),
    top3_share: fixed(top3 / qs.length),
  }),
);
