/**
 * Turns parsed query terms (../query.ts parseQuery, the same parser SQLite's search uses) into
 * to_tsquery's text. The user's text is never handed to PostgreSQL raw: every token is letters
 * and digits only (parseQuery made it so), and each is single-quoted here, so tsquery operators
 * (& | ! : <-> ( )), SQL and stray quotes can only ever be searched for, never interpreted. The
 * text is passed as a bound parameter to `to_tsquery(config, $n)`, which stems each quoted word
 * with the article's configuration.
 *
 * The same shapes as SQLite's MATCH expression: plain words all must match (with the related
 * word forms of wordForms), "phrases" are `<->` chains, prefix* is `:*`, -excluded is `!`.
 */
import { type Term, wordForms } from '../query.ts';
import { pairsMatch } from './search-pairs.ts';

const LETTERS_AND_DIGITS = /^[\p{L}\p{N}]+$/u;
/** Half of a surrogate pair: parseQuery cuts long tokens by UTF-16 units, which can split a pair. */
const LONE_SURROGATE = /\p{Cs}/gu;

function lexeme(token: string): string {
  // parseQuery gives letters and digits only; anything else here is a bug, refused rather than quoted.
  if (!LETTERS_AND_DIGITS.test(token)) throw new Error(`tsquery: expected a token of letters and digits, got \`${token}\``);
  return `'${token}'`;
}

/** The term without split surrogate pairs, or null when nothing is left of it. */
function clean(term: Term): Term | null {
  const tokens = term.tokens.map((t) => t.replace(LONE_SURROGATE, '')).filter((t) => t !== '');
  return tokens.length === 0 ? null : { ...term, tokens };
}

function termText(term: Term): string {
  const last = term.tokens.length - 1;
  const words = term.tokens.map((t, i) => (term.prefix && i === last ? `${lexeme(t)}:*` : lexeme(t)));
  if (words.length > 1) return `(${words.join(' <-> ')})`;
  const token = term.tokens[0] ?? '';
  if (term.prefix) return words[0] ?? '';
  const forms = wordForms(token);
  return forms.length === 1 ? lexeme(token) : `(${forms.map(lexeme).join(' | ')})`;
}

/**
 * to_tsquery's text for the terms, or null when nothing searchable is left (only punctuation,
 * emoji, or only exclusions): the caller answers "no results" without asking PostgreSQL.
 */
export function toTsqueryText(input: readonly Term[]): string | null {
  const terms = input.map(clean).filter((t): t is Term => t !== null);
  const include = terms.filter((t) => !t.exclude).map(termText);
  if (include.length === 0) return null;
  const exclude = terms.filter((t) => t.exclude).map((t) => `!${termText(t)}`);
  return [...include, ...exclude].join(' & ');
}

/**
 * The words of each phrase the query requires, as search-pairs.ts's prefilter needs them: only
 * included phrases (an excluded one requires nothing), without a prefix's last word (its pair is
 * not one lexeme), and only those left with two words or more.
 */
export function phraseWords(input: readonly Term[]): string[][] {
  return input
    .map(clean)
    .filter((t): t is Term => t !== null && !t.exclude)
    .map((t) => (t.prefix ? t.tokens.slice(0, -1) : [...t.tokens]))
    .filter((words) => words.length > 1);
}

/** Bound parameters, numbered as they are added. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** What ts_rank reads: the tsvector, its configuration column, the weights {D, C, B, A}. */
export interface RankColumns {
  readonly vector: string;
  readonly config: string;
  readonly weights: string;
}

/**
 * The match condition and rank for one query: one constant tsquery per configuration in use,
 * each an index condition on its own (a per-row to_tsquery(ts_config, …) could use no index).
 */
export interface Query {
  /** `pairs`: the vector has search-pairs.ts's index (articles' `search`), used when the query has phrases. */
  match(vector: string, config: string, p: Params, pairs?: boolean): string;
  /** The same condition that no index serves (ts_match_vq is @@ as a function): a filter on rows found otherwise. */
  check(vector: string, config: string, p: Params): string;
  rank(columns: RankColumns, p: Params): string;
}

export function queryOf(text: string, configs: readonly string[], phrases: readonly (readonly string[])[] = []): Query {
  const tsquery = (c: string, p: Params) => `to_tsquery(${p.add(c)}::regconfig, ${p.add(text)})`;
  const one = (vector: string, c: string, p: Params, pairs: boolean) =>
    // Every parameter added must be used: PostgreSQL refuses one whose type it cannot tell.
    pairs && phrases.length > 0 ? pairsMatch(vector, tsquery(c, p), `${p.add(c)}::regconfig`, phrases, p) : `${vector} @@ ${tsquery(c, p)}`;
  return {
    match: (vector, config, p, pairs = false) => `(${configs.map((c) => `(${config} = ${p.add(c)}::regconfig AND ${one(vector, c, p, pairs)})`).join(' OR ')})`,
    check: (vector, config, p) => `(${configs.map((c) => `(${config} = ${p.add(c)}::regconfig AND ts_match_vq(${vector}, ${tsquery(c, p)}))`).join(' OR ')})`,
    rank: (s, p) => {
      // ts_rank rather than ts_rank_cd: its weight for a word's repeats falls off (1/n²), as BM25's
      // does, so a body repeating a word does not outrank a title holding it. Normalization 1
      // divides by 1 + log(length), as BM25 weighs long texts down.
      const rank = (c: string) => `ts_rank(${s.weights}, ${s.vector}, ${tsquery(c, p)}, 1)`;
      const first = configs[0] ?? 'simple';
      const expr = configs.length === 1 ? rank(first) : `CASE ${s.config} ${configs.map((c) => `WHEN ${p.add(c)}::regconfig THEN ${rank(c)}`).join(' ')} END`;
      return `-(${expr})::float8`;
    },
  };
}
