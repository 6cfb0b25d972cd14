/**
 * SQLite's own ceilings for the library benchmark (issue 18): what SQLite itself does with the same
 * corpus and the same queries, on the same machine and in the same run as Paperboy's figures, so that
 * Paperboy's overhead can be told apart from the machine's speed (two runs on two machines of one
 * kind differ by about 2×; a ratio to a ceiling measured beside it differs far less).
 *
 * - insert ceiling: the corpus parsed and turned into rows outside the timed section, then plain
 *   INSERTs, one prepared statement per table, into a fresh file with the store's own schema (its
 *   migrations) and FTS5 tables, one transaction per batch of the size Paperboy's ingest commits;
 * - search ceiling: the MATCH string the store would build, `ORDER BY bm25()` with the store's
 *   column weights and `LIMIT 10`, on each of the two FTS tables the default search ranks;
 * - raw size: the bytes of text stored (titles, bodies, comments' text), in UTF-8.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { type SourceFile, emptyReport, parseSources } from '../src/app/library/ingest.ts';
import { type Db, openDatabase } from '../src/adapters/store/db.ts';
import { type ArticleColumns, type CommentColumns, articleColumns, commentColumns } from '../src/adapters/store/rows.ts';
import type { Article } from '../src/core/model.ts';
import { toMatchExpression } from '../src/adapters/store/query.ts';
import { type Pools, exportText, judgedQueries } from './corpus.ts';

interface Rows {
  article: ArticleColumns;
  comments: CommentColumns[];
}

/** The parsed articles of `files`, as Paperboy's ingest reads them (the same file names, the same source). */
export async function parseFiles(files: readonly SourceFile[]): Promise<Article[]> {
  const report = emptyReport();
  const out: Article[] = [];
  for await (const parsed of parseSources(files, { source: 'Bench' }, report)) out.push(parsed.article);
  if (report.failures.length > 0) throw new Error(`bench: parsing failed: ${report.failures[0]?.error}`);
  return out;
}

/**
 * Bytes of text an article stores (its title, body text and comments' text), and what its blocks and
 * paragraphs columns store beside it: since layouts (src/adapters/store/layout.ts) how the text splits
 * into them, no longer the same text again as JSON. The fields keep their names for library.ts.
 */
function textBytes(rows: Rows, into: InsertFigures['raw']): void {
  into.titles += Buffer.byteLength(rows.article.title);
  into.bodies += Buffer.byteLength(rows.article.body_text);
  into.blocksJson += Buffer.byteLength(rows.article.blocks);
  for (const c of rows.comments) {
    into.comments += Buffer.byteLength(c.text);
    into.paragraphsJson += Buffer.byteLength(c.paragraphs);
  }
}

/** What each part of the file takes (SQLite's dbstat): tables, their FTS5 shadow tables, the indexes. */
function spaceOf(db: Db): Record<string, number> {
  const rows = db.prepare<[], { name: string; bytes: number }>('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all();
  const space: Record<string, number> = { articles: 0, comments: 0, articles_fts: 0, titles_fts: 0, comments_fts: 0, indexes: 0, other: 0 };
  for (const { name, bytes } of rows) {
    const fts = /^(articles|titles|comments)_fts/.exec(name)?.[0];
    const part = fts ?? (name === 'articles' || name === 'comments' ? name : /^(sqlite_autoindex_|articles_)/.test(name) ? 'indexes' : 'other');
    space[part] = (space[part] ?? 0) + bytes;
  }
  return space;
}

export interface InsertFigures {
  articles: number;
  insertMs: number;
  /** Parsing alone: the same files through the same parser as ingest. */
  parseMs: number;
  /** Bytes of text: titles, bodies, comments; and the blocks and paragraphs columns beside it (layouts; JSON before them). */
  raw: { titles: number; bodies: number; comments: number; blocksJson: number; paragraphsJson: number };
  dbBytes: number;
  /** Bytes by part of the file, read once at the end (SQLite's dbstat). */
  space: Record<string, number>;
  /** Rows in the file, to check that it holds what Paperboy's holds. */
  rows: { articles: number; comments: number };
}

/**
 * Articles a ceiling transaction holds: about what Paperboy's ingest commits at once when parsing
 * runs ahead of storing (at most twice the worker's 100 ahead), and what the ceiling committed
 * when library.ts sent it 200 at a time.
 */
const CEILING_BATCH = 200;

export interface InsertCeiling {
  /** Parses `files` (timed apart, as parsing), then inserts them CEILING_BATCH to a transaction (timed as the ceiling). */
  add(files: readonly SourceFile[]): Promise<void>;
  /** The figures so far; the file is checkpointed first so that its size is all of it. */
  figures(): InsertFigures;
  close(): void;
}

/** A fresh database at `path`, made by the store's own migrations, that the ceiling inserts into. */
export function insertCeiling(path: string): InsertCeiling {
  const db = openDatabase(path);
  const at = new Date().toISOString();
  const article = db.prepare(
    `INSERT INTO articles (id, title, url, source, author, published_at, language, blocks, body_text, declared_comment_count, comments_url, categories, ingested_at, updated_at)
     VALUES (@id, @title, @url, @source, @author, @published_at, @language, @blocks, @body_text, @declared_comment_count, @comments_url, @categories, @ingested_at, @updated_at)`,
  );
  const articleFts = db.prepare<[number, string, string]>('INSERT INTO articles_fts (rowid, title, body_text) VALUES (?, ?, ?)');
  const titleFts = db.prepare<[number, string]>('INSERT INTO titles_fts (rowid, title) VALUES (?, ?)');
  const comment = db.prepare(
    `INSERT INTO comments (article_rowid, id, position, number, author, author_id, posted_at, rating, paragraphs, quotes, reply_to, text, url, edited_at, deleted)
     VALUES (@article_rowid, @id, @position, @number, @author, @author_id, @posted_at, @rating, @paragraphs, @quotes, @reply_to, @text, @url, @edited_at, @deleted)`,
  );
  const commentFts = db.prepare<[number, string]>('INSERT INTO comments_fts (rowid, text) VALUES (?, ?)');
  const insert = db.transaction((batch: readonly Rows[]) => {
    for (const rows of batch) {
      const rowid = Number(article.run({ ...rows.article, updated_at: at }).lastInsertRowid);
      articleFts.run(rowid, rows.article.title, rows.article.body_text);
      titleFts.run(rowid, rows.article.title);
      rows.comments.forEach((c, position) => {
        const id = Number(comment.run({ ...c, article_rowid: rowid, position }).lastInsertRowid);
        commentFts.run(id, c.text);
      });
    }
  });
  const total = { articles: 0, insertMs: 0, parseMs: 0, raw: { titles: 0, bodies: 0, comments: 0, blocksJson: 0, paragraphsJson: 0 } };
  return {
    async add(files) {
      let t0 = performance.now();
      const articles = await parseFiles(files);
      total.parseMs += performance.now() - t0;
      // Turning an article into column values (body text, its layout) is the store's work, not SQLite's: untimed.
      const batch = articles.map((a) => ({ article: articleColumns(a), comments: a.comments.map(commentColumns) }));
      for (const rows of batch) textBytes(rows, total.raw);
      t0 = performance.now();
      // IMMEDIATE, as the store's own write transactions begin.
      for (let i = 0; i < batch.length; i += CEILING_BATCH) insert.immediate(batch.slice(i, i + CEILING_BATCH));
      total.insertMs += performance.now() - t0;
      total.articles += batch.length;
    },
    figures() {
      db.pragma('wal_checkpoint(TRUNCATE)');
      const count = (table: string) => db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get() ?? 0;
      return { ...total, dbBytes: statSync(path).size, space: spaceOf(db), rows: { articles: count('articles'), comments: count('comments') } };
    },
    close: () => db.close(),
  };
}

/** The next message from `child`, or a rejection when it exits first. */
function answer<T>(child: ChildProcess): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`bench: the insert ceiling's process exited (${code}) before answering`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      resolve(message as T);
    });
  });
}

/**
 * The insert ceiling in a process of its own (bench/ceiling-insert.ts), into a fresh file at `path`:
 * `add(start, end)` inserts articles start..end-1 of the corpus and resolves when they are in.
 */
export function insertCeilingProcess(path: string): { add(start: number, end: number): Promise<void>; finish(): Promise<InsertFigures> } {
  const child = fork(resolve(import.meta.dirname, 'ceiling-insert.ts'), ['--db', path], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return {
    async add(start, end) {
      const done = answer<{ done: true }>(child);
      child.send({ start, end });
      await done;
    },
    async finish() {
      const figures = answer<InsertFigures>(child);
      child.send({ finish: true });
      return figures;
    },
  };
}

/** The title column's weight, as articles_fts's rank sets it in the migrations (bm25(5.0, 1.0)). */
const TITLE_WEIGHT = 5;

export interface SearchCeiling {
  /** The best 10 articles' and the best 10 comments' rowids for a MATCH string (none for null, as the store answers without asking). */
  run(match: string | null): { articles: number[]; comments: number[] };
}

export function searchCeiling(db: Db): SearchCeiling {
  const articles = db
    .prepare<[string], number>(`SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, ${TITLE_WEIGHT}.0, 1.0) LIMIT 10`)
    .pluck();
  const comments = db.prepare<[string], number>('SELECT rowid FROM comments_fts WHERE comments_fts MATCH ? ORDER BY bm25(comments_fts) LIMIT 10').pluck();
  return {
    run: (match) => (match === null ? { articles: [], comments: [] } : { articles: articles.all(match), comments: comments.all(match) }),
  };
}

/**
 * The bench's judged queries: each query, the MATCH string the store builds from it (so that the
 * ceiling searches the same thing), and the id ingest gave the article it was drawn from.
 */
export async function judgedSet(count: number, articles: number, pools: Pools): Promise<{ qs: string[]; matches: (string | null)[]; wanted: string[] }> {
  const judged = judgedQueries(count, articles, pools);
  const wanted: string[] = [];
  for (const j of judged) wanted.push((await parseFiles([{ file: `bench/${j.article}.txt`, content: exportText(j.article, pools) }]))[0]?.id ?? '');
  const qs = judged.map((j) => j.query);
  return { qs, matches: qs.map((q) => toMatchExpression(q)), wanted };
}
