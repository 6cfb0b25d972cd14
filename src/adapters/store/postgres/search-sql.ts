/**
 * The SQL of PostgreSQL's search (search.ts): per scope, one statement counts the matches, picks
 * the rows to rank, ranks them and answers them with the count, so that a search costs one round
 * trip per scope besides its transaction. What each statement picks is what SQLite's search.ts
 * picks (see rankScope there): the newest RANK_WINDOW matches, plus, when there are more, the best
 * TITLE_CANDIDATES of the newest TITLE_WINDOW title matches ranked by their title.
 */
import { COUNT_CAP, type SearchOptions } from '../search-common.ts';
import { Params } from './search-params.ts';
import type { ScopeSql } from './search-scope.ts';
import type { Query } from './tsquery.ts';
import { between, densityWindow, keyFloors, stretched } from './search-window.ts';

export { MAX_DATE_FLOOR, dateFloorOffsets, keyFloors } from './search-window.ts';

export const RANK_WINDOW = 500;
export const TITLE_CANDIDATES = 50;
export const TITLE_WINDOW = 5000;

export const ARTICLES: ScopeSql = {
  key: 'a.position',
  from: 'articles a',
  table: 'articles a',
  sequence: 'articles_position_seq',
  vector: 'a.search',
  article: true,
  config: 'a.ts_config',
  weights: `'{0.1, 0.2, 0.2, 1.0}'`,
  date: 'coalesce(a.published_at, a.ingested_at)',
  newestBy: 'coalesce(a.published_at, a.ingested_at)',
  detail: `SELECT a.position AS rowid, a.id AS article_id, a.title, a.url, a.source, a.published_at, NULL AS comment_id, a.body_text AS text
    FROM articles a WHERE a.position = ANY($1::bigint[])`,
  titles: 'a.title_search',
  recent: 'articles_recent',
};
export const COMMENTS: ScopeSql = {
  key: 'c.rowid',
  from: 'comments c JOIN articles a ON a.position = c.article_position',
  table: 'comments c',
  sequence: 'comments_rowid_seq',
  vector: 'c.search',
  config: 'c.ts_config',
  weights: `'{1.0, 0.2, 0.4, 1.0}'`,
  date: 'coalesce(c.posted_at, a.published_at, a.ingested_at)',
  newestBy: 'c.posted_at',
  densityWindow: true,
  detail: `SELECT c.rowid, a.id AS article_id, a.title, a.url, a.source, a.published_at, c.id AS comment_id, c.number AS comment_number,
      c.author AS comment_author, c.posted_at AS comment_posted_at, c.rating AS comment_rating, c.url AS comment_url, c.text AS text
    FROM comments c JOIN articles a ON a.position = c.article_position WHERE c.rowid = ANY($1::bigint[])`,
};

function filters(scope: ScopeSql, o: SearchOptions, p: Params): string {
  const parts: string[] = [];
  if (o.source) parts.push(`lower(a.source) = lower(${p.add(o.source)})`);
  if (o.from) parts.push(`${scope.date} >= ${p.add(o.from)}`);
  // Dates compare as text ("C" collation); `to` is a whole day, so anything on that day sorts below the next day.
  if (o.to) parts.push(`substr(${scope.date}, 1, 10) <= ${p.add(o.to)}`);
  return parts.map((x) => ` AND ${x}`).join('');
}

/**
 * The first COUNT_CAP + 1 matches in any order (`columns` of them) and their count. When they are
 * all the matches (count ≤ COUNT_CAP), what is ranked comes from them: a rare word, or a phrase
 * of common words whose every candidate row must be rechecked, is then read once, not twice.
 */
const counted = (from: string, where: string, columns: string, known = '') =>
  `m AS MATERIALIZED (SELECT ${columns} FROM ${from} WHERE ${where} LIMIT ${COUNT_CAP + 1}),
    counted AS MATERIALIZED (SELECT ${known ? `CASE WHEN ${known} > ${COUNT_CAP} THEN ${COUNT_CAP + 1} ELSE (SELECT count(*)::int FROM m) END` : 'count(*)::int'} AS n${known ? '' : ' FROM m'})`;

/** `few` from the counted matches when they are all of them, else `many`; one-time filters, so only one runs. */
const fewOrMany = (few: string, many: string) =>
  `SELECT * FROM (${few}) few WHERE (SELECT n FROM counted) <= ${COUNT_CAP}
    UNION ALL SELECT * FROM (${many}) many WHERE (SELECT n FROM counted) > ${COUNT_CAP}`;

/**
 * The newest `win` article matches when there are more than COUNT_CAP and no phrase. An article's
 * row is small (its tsvector is out of line), so one GIN bitmap scan over every match reads a few
 * thousand heap pages at most (`old`: 81,600 matches, 59 ms at 100,000 articles, about 0.7 µs a
 * match); the stretches of newest keys may be checked row by row, reading each row's tsvector
 * (`Paul*`: 4,000 rows, 43 ms, about 10 µs a row). Those cost 2 × win × keys-per-match rows, the
 * GIN scan last / keys-per-match matches: the stretches are cheaper while keys per match stay below
 * the threshold here, which the counted matches tell at run time.
 */
function articleWindow(select: string, stretches: string, key: string, p: Params, last: number, size: number, win: string): string {
  const threshold = p.add(Math.sqrt((last * 0.7) / (2 * size * 10)));
  return `SELECT * FROM (${stretches}) dense WHERE (SELECT per FROM spread) <= ${threshold}
    UNION ALL SELECT * FROM (${select} ORDER BY ${key} DESC LIMIT ${win}) sparse WHERE (SELECT per FROM spread) > ${threshold}`;
}

/**
 * The window from the newest rows' table when it holds `win` matches or more: they are then the
 * newest of all, as the table holds every row from its lowest key up. Else `whole`, over the whole
 * table. One-time filters, so only one runs.
 */
function recentOr(win: string | undefined, whole: string): string {
  if (!win) return whole;
  return `SELECT * FROM (SELECT rowid FROM recent ORDER BY rowid DESC LIMIT ${win}) newest WHERE (SELECT n FROM recent_n) >= ${win}
    UNION ALL SELECT * FROM (${whole}) whole_ WHERE (SELECT n FROM recent_n) < ${win}`;
}

/**
 * Relevance: the count and the keys of the rows to rank (ascending), in one row (`keys` empty
 * when nothing matches). `last` is the key sequence's value, `take` the rows the page needs.
 */
export function relevanceSql(scope: ScopeSql, q: Query, o: SearchOptions, take: number, last: number): { text: string; values: unknown[] } {
  const p = new Params();
  const filtered = filters(scope, o, p);
  const where = `${q.match(scope.vector, scope.config, p, scope.article)}${filtered}`;
  // Joining the articles costs a lookup per match; only filters need them (comments all have one).
  const from = filtered ? scope.from : scope.table;
  // Deep pages widen the window, so that every page comes from one consistent ranking.
  const windowSize = Math.max(RANK_WINDOW, take);
  const win = p.add(windowSize);
  const select = `SELECT ${scope.key} AS rowid FROM ${from} WHERE ${where}`;
  // key + 1 > floor + 1 is key > floor, written as >= for between(); keys are whole numbers.
  const keyStretches = () =>
    stretched(
      select,
      between(
        scope.key,
        keyFloors(last, windowSize).map((f) => f + 1),
        p,
      ),
      `${scope.key} DESC`,
      win,
    );
  // The newest rows' own table (search-tuning.ts) when it serves: no filter (it holds no other columns), no phrase (no pairs index).
  const recent = scope.recent !== undefined && q.phrases === 0 && !filtered ? scope.recent : undefined;
  // When the newest rows' table holds fewer than `win` matches, the newest keys hold fewer than one
  // match in twenty (500 of 10,000; one in ten for a deep page's window of 1,000): past
  // articleWindow's threshold up to 5.7 (1.4) million articles, so every match is read from the GIN
  // index (the only plan gin.ts's settings leave: no plain index scan walking the keys backwards).
  // `spread` cannot tell that: it measures the first matches in the table's order, the oldest, and
  // a word common in old articles and rare in new ones got the stretches, each row's vector read
  // from TOAST (`Merson threw dig`: 874 rows read for 1 match, 300 ms).
  const sparse = () => `${select} ORDER BY ${scope.key} DESC LIMIT ${win}`;
  // Every parameter added must be used (PostgreSQL refuses one whose type it cannot tell): built only when used.
  const many = () =>
    scope.densityWindow
      ? densityWindow(scope, from, select, q.check(scope.vector, scope.config, p), filters(scope, o, p), p, last, windowSize, win)
      : q.phrases === 0
        ? articleWindow(select, keyStretches(), scope.key, p, last, windowSize, win)
        : // A phrase's matches are checked against each tsvector anyway: only the newest stretches of them.
          keyStretches();
  const ctes = [
    ...(recent
      ? [
          `recent AS MATERIALIZED (SELECT r.position AS rowid FROM ${recent} r WHERE ${q.match('r.search', 'r.ts_config', p, true)})`,
          'recent_n AS MATERIALIZED (SELECT count(*)::int AS n FROM recent)',
        ]
      : []),
    // With more than COUNT_CAP matches among the newest rows, the count is known without the whole table's.
    counted(from, where, `${scope.key} AS rowid`, recent ? '(SELECT n FROM recent_n)' : ''),
    // Keys per match over the middle 80% of the counted matches: they are the first in the table's order, which
    // is not quite the keys' (a row written into space a vacuum freed): one such row among the first blocks
    // made min-to-max say 1,663 keys a match where there were 78 (`believes` at 100,000 articles).
    ...(scope.densityWindow || q.phrases === 0
      ? [
          `spread AS MATERIALIZED (SELECT per, ceil(per)::bigint AS keys FROM (SELECT greatest(1, (percentile_disc(0.9) WITHIN GROUP (ORDER BY rowid) - percentile_disc(0.1) WITHIN GROUP (ORDER BY rowid)) / (0.8 * count(*)))::float8 AS per FROM m) s)`,
        ]
      : []),
    `win AS MATERIALIZED (${recentOr(recent && win, fewOrMany(`SELECT rowid FROM m ORDER BY rowid DESC LIMIT ${win}`, recent ? sparse() : many()))})`,
  ];
  let keys = 'SELECT rowid FROM win';
  if (scope.titles) {
    const titles: ScopeSql = { ...scope, vector: scope.titles, weights: `'{1.0, 1.0, 1.0, 1.0}'` };
    const titleWhere = `${q.match(titles.vector, titles.config, p)}${filters(scope, o, p)}`;
    const titleBounds = between(
      scope.key,
      keyFloors(last, TITLE_WINDOW).map((f) => f + 1),
      p,
    );
    const columns = `${scope.key} AS position, ${scope.titles} AS title_search, ${scope.config} AS ts_config`;
    // Only when the window leaves matches out; a one-time filter, so the stretches are not read otherwise.
    ctes.push(
      `titles AS MATERIALIZED (SELECT * FROM (${stretched(`SELECT ${columns} FROM ${scope.from} WHERE ${titleWhere}`, titleBounds, `${scope.key} DESC`, p.add(TITLE_WINDOW))}) a WHERE (SELECT n FROM counted) > ${win})`,
      `best AS MATERIALIZED (SELECT a.position FROM titles a ORDER BY ${q.rank({ ...titles, vector: 'a.title_search' }, p)}, a.position DESC LIMIT ${p.add(TITLE_CANDIDATES)})`,
    );
    // A title candidate must match the whole query: an excluded word may be in its body.
    const candidates = (table: string, vector: string, config: string) =>
      ` UNION SELECT a.position FROM ${table} a WHERE a.position = ANY(ARRAY(SELECT position FROM best))
      AND a.position <> ALL(ARRAY(SELECT rowid FROM win)) AND ${q.check(vector, config, p, true)}`;
    keys += !q.excludes
      ? // A title holding every word the query asks for is in its article's vector (title A, body B), at the same positions.
        ' UNION SELECT position FROM best'
      : scope.recent
        ? // Those the newest rows' table holds are checked on its copy of the vector, as rankSql ranks them.
          `${candidates(scope.recent, 'a.search', 'a.ts_config')}${candidates('articles', scope.vector, scope.config)}
          AND a.position <> ALL(ARRAY(SELECT r.position FROM ${scope.recent} r WHERE r.position = ANY(ARRAY(SELECT position FROM best))))`
        : candidates('articles', scope.vector, scope.config);
  }
  ctes.push(`keys AS MATERIALIZED (${keys})`);
  // Only the keys: ranking reads each chosen row's whole tsvector, which a long article keeps out of
  // line, and search.ts ranks them in parts on several connections at once (rankSql).
  const text = `WITH ${ctes.join(',\n')}
    SELECT counted.n AS total, ARRAY(SELECT rowid FROM keys ORDER BY rowid) AS keys FROM counted`;
  return { text, values: p.values };
}

/**
 * The rank of each of `keys` (rows since deleted are left out). Keys the newest rows' table holds
 * are ranked on its copy of the vector (the same vector, so the same rank): its few thousand
 * vectors stay in shared buffers, where the whole table's are read from the operating system's cache.
 */
export function rankSql(scope: ScopeSql, q: Query, keys: readonly number[]): { text: string; values: unknown[] } {
  const p = new Params();
  const list = `${p.add(keys)}::bigint[]`;
  const whole = `SELECT ${scope.key} AS rowid, ${q.rank(scope, p)} AS score FROM ${scope.table} WHERE ${scope.key} = ANY(${list})`;
  if (!scope.recent) return { text: whole, values: p.values };
  // One statement, one snapshot: each key from one table or the other.
  const recent = `SELECT r.position AS rowid, ${q.rank({ vector: 'r.search', config: 'r.ts_config', weights: scope.weights }, p)} AS score
    FROM ${scope.recent} r WHERE r.position = ANY(${list})`;
  const text = `${recent} UNION ALL ${whole} AND ${scope.key} <> ALL(ARRAY(SELECT r.position FROM ${scope.recent} r WHERE r.position = ANY(${list})))`;
  return { text, values: p.values };
}

/**
 * Newest first: the count and the newest `take` matches with their dates and scores. `dateFloors`
 * are the values of `newestBy` at dateFloorOffsets (newest first): a word in most rows then reads
 * the newest stretch of dates, not every match (300,000 comments of a common word took 1.3 s).
 */
export function newestSql(scope: ScopeSql, q: Query, o: SearchOptions, take: number, dateFloors: readonly string[]): { text: string; values: unknown[] } {
  const p = new Params();
  const where = `${q.match(scope.vector, scope.config, p, scope.article)}${filters(scope, o, p)}`;
  const by = scope.newestBy;
  const bounds = between(by, dateFloors, p);
  const select = `SELECT ${scope.key} AS rowid, ${scope.date} AS date FROM ${scope.from} WHERE ${where}`;
  const order = `${scope.date} DESC, ${scope.key} DESC`;
  const limit = p.add(take);
  const few = `SELECT rowid, date FROM m ORDER BY date DESC, rowid DESC LIMIT ${limit}`;
  const dated = stretched(`${select} AND ${by} IS NOT NULL`, bounds, order, limit);
  const many =
    by === scope.date
      ? dated
      : `SELECT * FROM (SELECT * FROM (${dated}) dated UNION ALL (${select} AND ${by} IS NULL ORDER BY ${order} LIMIT ${limit})) both_
        ORDER BY date DESC, rowid DESC LIMIT ${limit}`;
  const text = `WITH ${counted(scope.from, where, `${scope.key} AS rowid, ${scope.date} AS date`)},
    newest AS MATERIALIZED (${fewOrMany(few, many)}),
    ranked AS MATERIALIZED (SELECT ${scope.key} AS rowid, ${q.rank(scope, p)} AS score FROM ${scope.table} WHERE ${scope.key} = ANY(ARRAY(SELECT rowid FROM newest)))
    SELECT counted.n AS total, n.rowid, n.date, coalesce(r.score, 0) AS score
    FROM counted LEFT JOIN newest n ON true LEFT JOIN ranked r ON r.rowid = n.rowid`;
  return { text, values: p.values };
}
