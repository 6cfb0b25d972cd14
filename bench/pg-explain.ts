/**
 * Where a slow PostgreSQL search spends its time: runs one search with every SELECT it sends also
 * run as EXPLAIN (ANALYZE, BUFFERS) first, on the same connection, inside the same transaction and
 * planner settings (gin.ts's SET LOCALs), and returns the plans. The statements are the store's
 * own, caught at pg's Client.prototype.query, so nothing here repeats search.ts's SQL.
 * For the benchmark only: the search runs twice over, so its own time means nothing here.
 */
import pg from 'pg';
import { PostgresStore } from '../src/adapters/store/postgres/articles.ts';
import { openPool } from '../src/adapters/store/postgres/pool.ts';

type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;

export interface ExplainedStatement {
  readonly sql: string;
  readonly plan: string;
  /** The plan's "Execution Time", and the JIT compilation time within it (0 without JIT). */
  readonly executionMs: number;
  readonly jitMs: number;
}

/** Reads a figure from EXPLAIN's own text (ours, not outside input); NaN when it is not there. */
function figure(plan: string, label: string): number {
  const at = plan.lastIndexOf(label);
  return at < 0 ? Number.NaN : Number.parseFloat(plan.slice(at + label.length));
}

function statement(sql: string, plan: string): ExplainedStatement {
  const jit = figure(plan, 'Emission ');
  return { sql, plan, executionMs: figure(plan, 'Execution Time: '), jitMs: Number.isNaN(jit) ? 0 : figure(plan.slice(plan.indexOf('JIT:')), 'Total ') };
}

/** The SQL and parameters of a query() call: `(text, values)` or a config object `{ text, values }`. */
function statementOf(args: readonly unknown[]): { text?: string; values?: unknown } {
  const [first, second] = args;
  if (typeof first === 'string') return { text: first, values: second };
  if (typeof first === 'object' && first !== null && 'text' in first && typeof first.text === 'string') {
    return { text: first.text, values: 'values' in first ? first.values : second };
  }
  return {};
}

export async function explainSearch(store: PostgresStore, query: string): Promise<ExplainedStatement[]> {
  const proto = pg.Client.prototype as unknown as { query: QueryFn };
  const original = proto.query;
  const explained: ExplainedStatement[] = [];
  const pending: Promise<void>[] = [];
  proto.query = function (this: pg.Client, ...args: unknown[]): unknown {
    const { text, values } = statementOf(args);
    if (text !== undefined && /^\(?\s*(?:SELECT|WITH)\b/i.test(text.trimStart()) && !text.includes('EXPLAIN')) {
      const params = Array.isArray(values) ? values : undefined;
      const explain = original.call(this, `EXPLAIN (ANALYZE, BUFFERS) ${text}`, params) as Promise<pg.QueryResult<Record<string, string>>>;
      const done = explain.then(
        (r) => void explained.push(statement(text, r.rows.map((row) => Object.values(row).join('')).join('\n'))),
        (error: unknown) => void explained.push(statement(text, `EXPLAIN failed: ${error instanceof Error ? error.message : String(error)}`)),
      );
      pending.push(done);
      // The statement itself once its EXPLAIN is done (sent at once, pg would queue it, with a deprecation warning).
      return done.then(() => original.apply(this, args));
    }
    return original.apply(this, args);
  };
  try {
    await store.search(query);
    await Promise.all(pending);
  } finally {
    proto.query = original;
  }
  return explained;
}

/** Prints the statements of each query's search, with their plans, to stdout. */
async function printExplained(url: string, queries: readonly string[]): Promise<void> {
  // No migrations: the database is someone's already, and only read.
  const store = new PostgresStore(openPool(url, { max: 1 }));
  try {
    for (const q of queries) {
      const statements = await explainSearch(store, q);
      const total = statements.reduce((n, st) => n + (Number.isNaN(st.executionMs) ? 0 : st.executionMs), 0);
      const jit = statements.reduce((n, st) => n + st.jitMs, 0);
      console.log(`== ${JSON.stringify(q)}: ${statements.length} statements, ${total.toFixed(1)} ms executing, ${jit.toFixed(1)} ms of it JIT compilation`);
      for (const st of statements) console.log(`${st.sql.replace(/\s+/g, ' ').trim()}\n${st.plan}\n`);
    }
  } finally {
    await store.close();
  }
}

// Run alone against an existing database: node --import tsx bench/pg-explain.ts postgres://…/db 'query one' 'query two'
if (process.argv[1] === import.meta.filename) {
  const [url, ...queries] = process.argv.slice(2);
  if (!url || queries.length === 0) throw new Error('bench/pg-explain: expected a postgres:// URL and one or more queries');
  await printExplained(url, queries);
}
