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

const LETTERS_AND_DIGITS = /^[\p{L}\p{N}]+$/u;

function lexeme(token: string): string {
  // parseQuery gives letters and digits only; anything else here is a bug, refused rather than quoted.
  if (!LETTERS_AND_DIGITS.test(token)) throw new Error(`tsquery: expected a token of letters and digits, got \`${token}\``);
  return `'${token}'`;
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
export function toTsqueryText(terms: readonly Term[]): string | null {
  const include = terms.filter((t) => !t.exclude).map(termText);
  if (include.length === 0) return null;
  const exclude = terms.filter((t) => t.exclude).map((t) => `!${termText(t)}`);
  return [...include, ...exclude].join(' & ');
}
