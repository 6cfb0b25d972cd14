/**
 * The comparison point: MiniSearch (an in-memory full-text index) over the same articles and
 * comments and the same queries as bench/library.ts, in a process of its own. Prints one JSON line.
 * Run alone: `node --import tsx bench/minisearch.ts --articles 20000`.
 */
import { parseArgs } from 'node:util';
import MiniSearch, { type SearchOptions } from 'minisearch';
import { bodyText, commentText } from '../src/core/model.ts';
import { parseSource } from '../src/adapters/sources/parse.ts';
import { exportText, loadPools, queries } from './corpus.ts';
import { percentile } from './stats.ts';

const { values } = parseArgs({ options: { articles: { type: 'string', default: '20000' }, queries: { type: 'string', default: '300' } } });
const articles = Number(values.articles);
const pools = loadPools();

interface Doc {
  id: number;
  title: string;
  text: string;
}
const index = new MiniSearch<Doc>({ fields: ['title', 'text'], storeFields: [], searchOptions: { boost: { title: 5 } } });
let id = 0;
const t0 = performance.now();
for (let i = 0; i < articles; i++) {
  const [article] = parseSource(`bench/${i}.txt`, exportText(i, pools)).articles;
  if (!article) continue;
  // Articles and comments are separate documents, as in the store's `all` scope.
  index.add({ id: id++, title: article.title, text: bodyText(article) });
  for (const c of article.comments) index.add({ id: id++, title: '', text: commentText(c) });
}
const buildMs = performance.now() - t0;

/** The same query language, as close as MiniSearch allows: all words required, prefix* as prefix; phrases become their words. */
function toMiniSearch(query: string): [string, SearchOptions] {
  const words = query.replace(/"/g, ' ').split(/\s+/).filter(Boolean);
  const prefixes = new Set(words.filter((w) => w.endsWith('*')).map((w) => w.slice(0, -1).toLowerCase()));
  const text = words.map((w) => w.replace(/\*$/, '')).join(' ');
  return [text, { combineWith: 'AND', prefix: (term) => prefixes.has(term) }];
}

const qs = queries(Number(values.queries), articles, pools);
for (const q of qs) index.search(...toMiniSearch(q));
const times: number[] = [];
for (const q of qs) {
  const start = performance.now();
  index.search(...toMiniSearch(q)).slice(0, 10);
  times.push(performance.now() - start);
}
console.log(
  JSON.stringify({
    articles,
    documents: id,
    build_ms: Math.round(buildMs),
    search_p50_ms: +percentile(times, 50).toFixed(3),
    search_p99_ms: +percentile(times, 99).toFixed(3),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
