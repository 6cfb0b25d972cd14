/**
 * The worst a filter costs on one article (issue 17, review F3): filters built to make RE2 step
 * every instruction on every character, each as long as the caps allow, run over an article whose
 * body is 20,000 characters of letters in 40 paragraphs (what a filter reads at most). Prints one
 * JSON line of median milliseconds per article, the slowest filter's as filter_worst_article_ms
 * (each filter's slowest run goes to stderr). A part of `npm run bench` (BENCH_PARTS=filters), or
 * alone: `npx tsx bench/filter-worst.ts`.
 */
import type { Article } from '../src/core/model.ts';
import { compileExpression } from '../src/app/filters/expression.ts';

const RUNS = 7;

function article(paragraph: string): Article {
  return {
    id: '0123456789abcdef',
    title: paragraph.slice(0, 200),
    url: null,
    source: null,
    author: null,
    publishedAt: '2026-11-30T08:00:00Z',
    language: 'en',
    body: Array.from({ length: 40 }, () => ({ type: 'paragraph' as const, text: paragraph.slice(0, 500) })),
    comments: [],
    declaredCommentCount: null,
    commentsUrl: null,
    ingestedAt: '2026-11-30T08:00:00Z',
  };
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzéàüß '.repeat(40);
const HEAVY = '(?:\\p{L}|\\s){1,200}\\d';

/** `unit` or'ed as many times as fit in a filter (1,000 characters, 100 tests). */
function many(unit: string): string {
  const count = Math.min(100, Math.floor((1000 + 4) / (unit.length + 4)));
  return Array.from({ length: count }, () => unit).join(' or ');
}

/** Filters at or near the caps: one heavy pattern, two, as many small ones as fit, plain tests. */
const FILTERS: Record<string, string> = {
  'one pattern of 402 steps': `body matches /${HEAVY}/`,
  'two patterns of 402 steps, or': `body matches /${HEAVY}/ or text matches /${HEAVY}/i`,
  'small pattern, 12 steps': 'text matches /(?:\\p{L}|\\s){1,5}\\d/',
  'as many small patterns as fit': many('/(?:\\p{L}|\\s){1,5}\\d/'),
  'as many 1-step patterns as fit': many('/\\p{L}\\d/'),
  'as many contains tests as fit': many('body contains "zz"'),
  'as many has tests as fit': many('zz'),
  'summary and text': 'summary contains "zzz" or text has "zzz yyy"',
};

function time(run: () => unknown): { median: number; slowest: number } {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    run();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { median: +ms[Math.floor(RUNS / 2)]!.toFixed(2), slowest: +ms.at(-1)!.toFixed(2) };
}

const a = article(LETTERS);
const figures: Record<string, number> = {};
let worst = 0;
for (const [name, text] of Object.entries(FILTERS)) {
  const f = compileExpression(text);
  f.test(a);
  const { median, slowest } = time(() => f.test(a));
  console.error(`${name}: median ${median} ms, slowest ${slowest} ms`);
  figures[`filter_${name.replaceAll(/[^a-z0-9]+/g, '_')}_ms`] = median;
  worst = Math.max(worst, median);
}
// The one figure with a target (bench/run.ts): the slowest filter's median time on one article.
console.log(JSON.stringify({ filter_worst_article_ms: worst, ...figures }));
