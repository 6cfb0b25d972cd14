/**
 * How `npm run bench` shows the library's figures against SQLite's own ceilings (issue 18): one
 * table of Paperboy's figure, the ceiling and their ratio, one of how each figure grows with the
 * library's size, and the targets met or missed.
 */
type Figures = Readonly<Record<string, number | undefined>>;

const format = (n: number | undefined): string =>
  n === undefined || Number.isNaN(n) ? '–' : Math.abs(n) >= 1000 ? Math.round(n).toLocaleString('en') : String(+n.toFixed(3));

/** Paperboy's figure, the ceiling and the ratio, for ingest, search and size, then relevance. */
export function ceilingTable(f: Figures): string[] {
  const mb = (n: number | undefined) => (n === undefined ? undefined : n / 1e6);
  const rows: [string, number | undefined, number | undefined, number | undefined, string][] = [
    ['ingest, articles/s', f.ingest_articles_per_s, f.insert_ceiling_articles_per_s, f.ingest_vs_ceiling, 'ceiling / Paperboy'],
    ['search p50, ms', f.search_p50_ms, f.search_ceiling_p50_ms, f.search_p50_vs_ceiling, 'Paperboy / ceiling'],
    ['search p99, ms', f.search_p99_ms, f.search_ceiling_p99_ms, f.search_p99_vs_ceiling, 'Paperboy / ceiling'],
    ['size, MB (ceiling: raw text)', mb(f.db_bytes), mb(f.raw_text_bytes), f.size_vs_raw, 'file / raw text'],
    ['top-3 share', f.top3_share, f.ceiling_top3_share, undefined, 'own article in the first 3'],
  ];
  return [
    `library against SQLite's own ceiling at ${format(f.articles)} articles (parsing alone: ${format(f.parse_articles_per_s)} articles/s):`,
    ...rows.map(
      ([name, ours, ceiling, ratio, how]) =>
        `  ${name.padEnd(30)} ${format(ours).padStart(10)} ${format(ceiling).padStart(10)}  ×${format(ratio).padEnd(6)} ${how}`,
    ),
  ];
}

/** The figures shown per size; for each, whether a larger value is better does not matter here: the factor is plain new / old. */
const GROWN = [
  'ingest_articles_per_s',
  'insert_ceiling_articles_per_s',
  'ingest_vs_ceiling',
  'search_p50_ms',
  'search_ceiling_p50_ms',
  'search_p50_vs_ceiling',
  'search_p99_ms',
  'search_ceiling_p99_ms',
  'search_p99_vs_ceiling',
  'db_bytes',
  'size_vs_raw',
  'top3_share',
  'ceiling_top3_share',
  'peak_rss_mb',
];

/** How p99 grows with size: log(p99 ratio) / log(size ratio), first size to last; below 1 is sub-linear. */
export function p99Exponent(runs: readonly Figures[], key = 'search_p99_ms'): number {
  const first = runs[0];
  const last = runs[runs.length - 1];
  if (!first || !last || runs.length < 2) return Number.NaN;
  return +(Math.log(last[key]! / first[key]!) / Math.log(last.articles! / first.articles!)).toFixed(2);
}

/** Each figure at each size, then its factor from each size to the next. */
export function growthTable(runs: readonly Figures[]): string[] {
  if (runs.length === 0) return [];
  const steps = runs.slice(1).map((r, i) => `×${format(r.articles! / runs[i]!.articles!)} size`);
  const lines = [`  ${'growth'.padEnd(30)} ${runs.map((r) => format(r.articles).padStart(10)).join(' ')}  ${steps.map((s) => s.padStart(12)).join(' ')}`];
  for (const key of GROWN) {
    const values = runs.map((r) => r[key]);
    const factors = runs.slice(1).map((r, i) => format((r[key] ?? NaN) / (runs[i]![key] ?? NaN)));
    lines.push(`  ${key.padEnd(30)} ${values.map((v) => format(v).padStart(10)).join(' ')}  ${factors.map((x) => `×${x}`.padStart(12)).join(' ')}`);
  }
  // The ceiling's own exponent beside it: on a noisy machine both move together, a regression moves Paperboy's alone.
  lines.push(
    `  search p99 grows as size^${format(p99Exponent(runs))}, the ceiling's as size^${format(p99Exponent(runs, 'search_ceiling_p99_ms'))} (log p99 ratio / log size ratio; below 1 is sub-linear)`,
  );
  return lines;
}

/** Issue 18's targets: null when the figure was not measured (BENCH_PARTS), else met or missed. */
export function ceilingTargets(f: Figures, exponent: number): Record<string, boolean | null> {
  const atMost = (value: number | undefined, target: number): boolean | null => (value === undefined || Number.isNaN(value) ? null : value <= target);
  return {
    ingest_vs_ceiling: atMost(f.ingest_vs_ceiling, 1.3),
    search_p50_vs_ceiling: atMost(f.search_p50_vs_ceiling, 2),
    search_p99_vs_ceiling: atMost(f.search_p99_vs_ceiling, 2),
    search_p50_ms: atMost(f.search_p50_ms, 10),
    search_p99_ms: atMost(f.search_p99_ms, 50),
    size_vs_raw: atMost(f.size_vs_raw, 2),
    // Strictly below linear: p99 growing in step with the library would be a scan.
    growth_p99_exponent: Number.isNaN(exponent) ? null : exponent < 1,
    // Through the real discord.js client and the local Discord, 10 interactions a second (bench/bot.ts).
    search_reply_p99_ms: atMost(f.search_reply_p99_ms, 100),
    autocomplete_reply_p99_ms: atMost(f.autocomplete_reply_p99_ms, 50),
  };
}

/** One line naming each target met or missed, with the figure. */
export function targetLine(targets: Record<string, boolean | null>, figures: Figures): string {
  const parts = Object.entries(targets)
    .filter(([, met]) => met !== null)
    .map(([key, met]) => `${key} ${format(figures[key])}: ${met ? 'met' : 'missed'}`);
  // Relevance has no fixed target, only "must not drop": its share is shown beside the targets.
  const relevance = figures.top3_share === undefined ? '' : ` (top-3 share ${format(figures.top3_share)}, ceiling's ${format(figures.ceiling_top3_share)})`;
  return `issue 18 targets: ${parts.length > 0 ? parts.join('; ') : 'none measured'}${relevance}`;
}
