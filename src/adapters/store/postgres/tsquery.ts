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
import type { Params } from './search-params.ts';

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

function termText(term: Term, sections: boolean): string {
  const last = term.tokens.length - 1;
  const word = (t: string, i: number, weight: string) =>
    term.prefix && i === last ? `${lexeme(t)}:*${weight}` : weight ? `${lexeme(t)}:${weight}` : lexeme(t);
  if (term.tokens.length > 1) {
    const chain = (weight: string) => `(${term.tokens.map((t, i) => word(t, i, weight)).join(' <-> ')})`;
    // An article's vector is its title (weight A) followed by its body (B): a phrase must lie
    // within one of them, as SQLite matches a phrase within a column. Unrestricted, a title ending
    // in "Townsend" and a body starting "Former" matched "Townsend former" (22 articles at
    // 50,000 where SQLite found none).
    return sections ? `(${chain('A')} | ${chain('B')})` : chain('');
  }
  const token = term.tokens[0] ?? '';
  if (term.prefix) return word(token, 0, '');
  const forms = wordForms(token);
  return forms.length === 1 ? lexeme(token) : `(${forms.map(lexeme).join(' | ')})`;
}

/**
 * to_tsquery's text for the terms, or null when nothing searchable is left (only punctuation,
 * emoji, or only exclusions): the caller answers "no results" without asking PostgreSQL.
 * `sections`: for an article's vector (title A, body B), where a phrase must not run from one into the other.
 */
export function toTsqueryText(input: readonly Term[], sections = false): string | null {
  const terms = input.map(clean).filter((t): t is Term => t !== null);
  const include = terms.filter((t) => !t.exclude).map((t) => termText(t, sections));
  if (include.length === 0) return null;
  const exclude = terms.filter((t) => t.exclude).map((t) => `!${termText(t, sections)}`);
  return [...include, ...exclude].join(' & ');
}

/** What a query on an article's vector (title A, body B) needs beside its text: see articleParts. */
export interface ArticleParts {
  /** toTsqueryText's with `sections`. */
  readonly text: string;
  /** phraseWords'. */
  readonly phrases: readonly (readonly string[])[];
  /**
   * to_tsquery's text for the single words the query requires (not its phrases or exclusions), or
   * null when it requires none: the GIN index answers it exactly (no positions, no weights), so it
   * may join the pairs' bitmap (search-pairs.ts).
   */
  readonly plain: string | null;
  /**
   * Whether the pairs and the plain words decide a match on their own: every phrase the query
   * requires is two words, no prefix, and nothing is excluded. A pair "a b" of adjacent lexemes of
   * one weight is exactly the phrase `a:A <-> b:A | a:B <-> b:B`, so no vector need be read.
   */
  readonly pairsSuffice: boolean;
}

export function articleParts(input: readonly Term[]): ArticleParts | null {
  const text = toTsqueryText(input, true);
  if (text === null) return null;
  const terms = input.map(clean).filter((t): t is Term => t !== null);
  const required = terms.filter((t) => !t.exclude);
  const single = required.filter((t) => t.tokens.length === 1).map((t) => termText(t, false));
  const phrases = phraseWords(terms);
  return {
    text,
    phrases,
    plain: single.length === 0 ? null : single.join(' & '),
    pairsSuffice:
      phrases.length > 0 && required.length === terms.length && required.every((t) => t.tokens.length === 1 || (t.tokens.length === 2 && !t.prefix)),
  };
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
  /** How many phrases the query requires (search-pairs.ts). */
  readonly phrases: number;
  /**
   * Whether it excludes anything. Without an exclusion every condition only asks for lexemes (at
   * positions), so whatever matches a part of a vector (an article's title alone) matches the whole.
   */
  readonly excludes: boolean;
  /**
   * `article`: the vector is an article's `search` (title A, body B), with search-pairs.ts's index:
   * phrases must lie within the title or the body, and the pairs narrow their candidates.
   */
  match(vector: string, config: string, p: Params, article?: boolean): string;
  /** The same condition that no index serves (ts_match_vq is @@ as a function): a filter on rows found otherwise. */
  check(vector: string, config: string, p: Params, article?: boolean): string;
  rank(columns: RankColumns, p: Params): string;
}

/** `text` is toTsqueryText's, `parts` articleParts' (for articles' `search`; without it, as `text` with no phrases). */
export function queryOf(text: string, configs: readonly string[], parts?: ArticleParts | null): Query {
  const onVector = parts ?? { text, phrases: [], plain: null, pairsSuffice: false };
  const { phrases } = onVector;
  const articleText = onVector.text;
  const tsquery = (c: string, p: Params, article = false) => `to_tsquery(${p.add(c)}::regconfig, ${p.add(article ? articleText : text)})`;
  const one = (vector: string, c: string, p: Params, onArticle: boolean) => {
    // Every parameter added must be used: PostgreSQL refuses one whose type it cannot tell.
    if (!onArticle || phrases.length === 0) return `${vector} @@ ${tsquery(c, p, onArticle)}`;
    const config = `${p.add(c)}::regconfig`;
    const plain = onVector.plain === null ? null : `${vector} @@ to_tsquery(${config}, ${p.add(onVector.plain)})`;
    return pairsMatch({ vector, tsquery: tsquery(c, p, true), config, phrases, plain, suffice: onVector.pairsSuffice }, p);
  };
  return {
    phrases: phrases.length,
    // `!` is only ever the operator: tokens are letters and digits.
    excludes: text.includes('!'),
    match: (vector, config, p, article = false) =>
      `(${configs.map((c) => `(${config} = ${p.add(c)}::regconfig AND ${one(vector, c, p, article)})`).join(' OR ')})`,
    check: (vector, config, p, article = false) =>
      `(${configs.map((c) => `(${config} = ${p.add(c)}::regconfig AND ts_match_vq(${vector}, ${tsquery(c, p, article)}))`).join(' OR ')})`,
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
