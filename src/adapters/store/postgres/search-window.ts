/**
 * How search-sql.ts's statements pick the newest matches without reading every one: stretches of
 * newest keys (or dates) read in order until one fills the window, and for comments, stretches
 * sized by how densely the matches lie, or the GIN index when they lie too sparsely.
 */
import type { Params } from './search-params.ts';
import type { ScopeSql } from './search-scope.ts';

/** How far back each stretch of newest keys (or dates) reaches, in multiples of the rows wanted. */
const STRETCHES = [2, 8, 32];
/** Newest dates read from the date index to bound the newest-first order: more costs more than it saves. */
export const MAX_DATE_FLOOR = 20_000;

/** Where the stretches of newest rows start: `last` is the key's sequence value, `take` the rows wanted. */
export function keyFloors(last: number, take: number): number[] {
  return STRETCHES.map((s) => last - s * take).filter((f) => f > 0);
}

/** How many rows back, newest date first, each date floor is read (search.ts reads them before the planner settings). */
export function dateFloorOffsets(take: number): number[] {
  return STRETCHES.map((s) => s * take - 1).filter((k) => k < MAX_DATE_FLOOR);
}

/**
 * The first `limit` rows of `select` in `order`, read stretch by stretch: `bound(i)` is the
 * condition of the i-th stretch (newest first), the last one holding everything older. The
 * branches of a UNION ALL run in order and the LIMIT above them stops the first that fills it,
 * so a word in most rows reads a few hundred of them rather than every match; a rare word runs
 * every branch, each a small bitmap scan. The order holds across branches because each stretch
 * is older than the one before. `selects`, when given, is each branch's own select (else `select`).
 */
export function stretched(select: string, bounds: readonly string[], order: string, limit: string, selects?: readonly string[]): string {
  const branches = bounds.map((b, i) => `(${selects?.[i] ?? select} AND ${b} ORDER BY ${order} LIMIT ${limit})`);
  return branches.length === 1 ? `${select} ORDER BY ${order} LIMIT ${limit}` : `SELECT * FROM (${branches.join(' UNION ALL ')}) s LIMIT ${limit}`;
}

/** Conditions of the stretches between floors (newest first, descending), the last one open below. */
export function between(column: string, floors: readonly unknown[], p: Params): string[] {
  return betweenSql(
    column,
    floors.map((f) => p.add(f)),
  );
}

/** between() with floors given as SQL expressions. */
function betweenSql(column: string, names: readonly string[]): string[] {
  if (names.length === 0) return ['true'];
  return [
    ...names.map((name, i) => (i === 0 ? `${column} >= ${name}` : `${column} < ${names[i - 1] ?? ''} AND ${column} >= ${name}`)),
    `${column} < ${names[names.length - 1] ?? ''}`,
  ];
}

/**
 * The newest `win` matches when there are more than COUNT_CAP, for a scope whose rows hold their
 * tsvectors (densityWindow). The counted matches (m, the first COUNT_CAP + 1 in the table's order)
 * tell how many keys there are per match (`spread`): each stretch of newest keys is sized to hold
 * STRETCHES times `win` matches at that density, and is read on the key's index with the match
 * checked row by row (`check`). A fixed number of keys held too few matches of a word in a few
 * comments of a hundred (`car*`: 500 newest of 70,000), so the last, open stretch read every
 * older match from the GIN index (60,000 heap blocks). That last stretch is still there, for
 * when the newest keys hold fewer matches than the older ones did.
 */
function densityStretches(scope: ScopeSql, from: string, select: string, check: string, filtered: string, p: Params, last: string, win: string): string {
  const floors = STRETCHES.map((s) => `(SELECT ${last}::bigint + 1 - ${s} * ${win}::bigint * keys FROM spread)`);
  const bounds = betweenSql(scope.key, floors);
  const checked = `SELECT ${scope.key} AS rowid FROM ${from} WHERE ${check}${filtered}`;
  return stretched(select, bounds, `${scope.key} DESC`, win, [...floors.map(() => checked), select]);
}

/** Comments per heap page (~830 bytes a row with its tsvector, at 100,000 articles). */
const ROWS_PER_PAGE = 8;

/**
 * The newest `win` comment matches when there are more than COUNT_CAP: the stretches of keys
 * checked row by row cost about 2 × win × keys-per-match / ROWS_PER_PAGE heap pages, reading every
 * match from the GIN index about one page per match (last / keys-per-match). The first is cheaper
 * while keys per match stay below the threshold here; the counted matches tell which, at run time.
 * Measured at 50,000 articles: `Paul*` (4,250 comments of 1.25 million, 300 keys per match) read
 * 32,000 pages in stretches where the GIN index reads 4,250.
 */
export function densityWindow(
  scope: ScopeSql,
  from: string,
  select: string,
  check: string,
  filtered: string,
  p: Params,
  last: number,
  size: number,
  win: string,
): string {
  const threshold = p.add(Math.max(1, Math.floor(Math.sqrt((last * ROWS_PER_PAGE) / (2 * size)))));
  const dense = densityStretches(scope, from, select, check, filtered, p, p.add(last), win);
  const sparse = `${select} ORDER BY ${scope.key} DESC LIMIT ${win}`;
  return `SELECT * FROM (${dense}) dense WHERE (SELECT per FROM spread) <= ${threshold}
    UNION ALL SELECT * FROM (${sparse}) sparse WHERE (SELECT per FROM spread) > ${threshold}`;
}
