/**
 * Turns what a person typed into a safe FTS5 MATCH expression. The user's text is never handed to
 * FTS5 raw: every token is reduced to letters and digits and double-quoted, so FTS5 operators, SQL,
 * stray quotes and punctuation can only ever be searched for, never interpreted.
 *
 * Supported: plain words (all must match), "exact phrases", -excluded words or phrases, and prefix*.
 */
// The original Porter algorithm, as SQLite's porter tokenizer implements it, so that stems computed
// here match the index. (src/core/text/porter.ts is NLTK's variant, which ROUGE scoring needs.)
import { stemmer } from 'stemmer';

/** Past this many terms a query is cut: nobody types more, and each term costs an index lookup. */
const MAX_TERMS = 16;
/** Tokens longer than this are not words anyone searches for (hashes, base64); they are cut. */
const MAX_TOKEN_LENGTH = 64;
/** Prefix queries shorter than this would scan most of the index. */
const MIN_PREFIX_LENGTH = 2;

export interface Term {
  /** Word tokens, lowercased; more than one makes a phrase. */
  readonly tokens: readonly string[];
  readonly prefix: boolean;
  readonly exclude: boolean;
}

const WORD = /[\p{L}\p{N}]+/gu;

function tokensOf(text: string): string[] {
  return (text.normalize('NFKC').toLowerCase().match(WORD) ?? []).map((t) => t.slice(0, MAX_TOKEN_LENGTH));
}

/** Splits a query into terms. Unbalanced quotes are treated as if closed at the end of the query. */
export function parseQuery(input: string): Term[] {
  const terms: Term[] = [];
  // A phrase in quotes, or a run of non-space characters; either may start with "-".
  const pattern = /(-?)"([^"]*)"?|(\S+)/g;
  for (const m of input.matchAll(pattern)) {
    if (terms.length >= MAX_TERMS) break;
    if (m[2] !== undefined) {
      const tokens = tokensOf(m[2]);
      if (tokens.length > 0) terms.push({ tokens, prefix: false, exclude: m[1] === '-' });
      continue;
    }
    let word = m[3] ?? '';
    const exclude = word.startsWith('-') && word.length > 1;
    if (exclude) word = word.slice(1);
    const prefix = /^[^*]*[\p{L}\p{N}]\*+$/u.test(word);
    const tokens = tokensOf(word);
    if (tokens.length === 0) continue;
    const last = tokens[tokens.length - 1] ?? '';
    terms.push({ tokens, prefix: prefix && last.length >= MIN_PREFIX_LENGTH, exclude });
  }
  return terms;
}

/**
 * English words related by derivation that the Porter stemmer leaves apart ("expanding" → expand,
 * "expansion" → expans). For a word, the other forms whose stems should match too.
 */
const DERIVATIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(.{3,}(?:n|u|i))d$/, '$1sion'], // expand → expansion, conclude → conclusion, decide → decision
  [/^(.{2,}(?:an|en|u|i))s$/, '$1de'], // expans(ion) → expande → expand, conclus(ion) → conclude
  [/^(.{2,}[^s])it$/, '$1ission'], // permit → permission, admit → admission
  [/^(.{3,})iss$/, '$1it'], // permiss(ion) → permit (not "miss" → "mit")
  [/^(.{2,})ert$/, '$1ersion'], // convert → conversion
  [/^(.{2,})ers$/, '$1ert'], // convers(ion) → convert
];

/** The word itself and the related word forms worth matching, for Latin-script words. */
export function wordForms(token: string): string[] {
  if (!/^[a-z]{4,}$/.test(token)) return [token];
  const stem = stemmer(token);
  const forms = new Set([token]);
  for (const [pattern, replacement] of DERIVATIONS) {
    if (pattern.test(stem)) forms.add(stem.replace(pattern, replacement));
  }
  return [...forms];
}

function quote(token: string): string {
  // Tokens hold only letters and digits, so no quote can be inside; the quoting makes FTS5 read them literally.
  return `"${token}"`;
}

function termExpression(term: Term): string {
  if (term.tokens.length > 1) {
    const phrase = quote(term.tokens.join(' '));
    return term.prefix ? `${phrase} *` : phrase;
  }
  const token = term.tokens[0] ?? '';
  if (term.prefix) return `${quote(token)} *`;
  const forms = wordForms(token);
  return forms.length === 1 ? quote(token) : `(${forms.map(quote).join(' OR ')})`;
}

/**
 * The MATCH expression for a query, or null when nothing searchable is left (only punctuation,
 * emoji, or only exclusions): the caller answers "no results" without asking FTS5.
 */
export function toMatchExpression(input: string | readonly Term[]): string | null {
  const terms = typeof input === 'string' ? parseQuery(input) : input;
  const include = terms.filter((t) => !t.exclude).map(termExpression);
  const exclude = terms.filter((t) => t.exclude).map(termExpression);
  if (include.length === 0) return null;
  const positive = include.join(' AND ');
  return exclude.length === 0 ? positive : `(${positive}) NOT (${exclude.join(' OR ')})`;
}
