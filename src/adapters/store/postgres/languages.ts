/**
 * Which PostgreSQL text search configuration an article's language is indexed with. The
 * configurations are made by migration 2 (articles-schema.ts): Snowball stemmers (Porter for English) without stop
 * words, accents folded. An article without a language is stemmed as English, as SQLite's porter
 * tokenizer stems everything; a language without a Snowball stemmer (Japanese, say) is only split
 * into words and folded (`paperboy_simple`).
 */
export interface Configuration {
  readonly name: string;
  /** PostgreSQL's Snowball language, or null for no stemming. */
  readonly snowball: string | null;
}

/** ISO 639-1 codes → Snowball languages PostgreSQL 15 ships. */
const SNOWBALL: Readonly<Record<string, string>> = {
  ar: 'arabic',
  hy: 'armenian',
  eu: 'basque',
  ca: 'catalan',
  da: 'danish',
  nl: 'dutch',
  // The original Porter algorithm, which SQLite's porter tokenizer runs, rather than Snowball's
  // English (Porter2): the same stems give the same matches on both backends ("died" stems to "di"
  // on both, where Porter2 would make it "die" and match "dies" too; measured on the bench corpus,
  // 9 of 300 queries counted differently with Porter2, 0 with Porter).
  en: 'porter',
  fi: 'finnish',
  fr: 'french',
  de: 'german',
  el: 'greek',
  hi: 'hindi',
  hu: 'hungarian',
  id: 'indonesian',
  ga: 'irish',
  it: 'italian',
  lt: 'lithuanian',
  ne: 'nepali',
  no: 'norwegian',
  nb: 'norwegian',
  nn: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sr: 'serbian',
  es: 'spanish',
  sv: 'swedish',
  ta: 'tamil',
  tr: 'turkish',
  yi: 'yiddish',
};

export const SIMPLE = 'paperboy_simple';
export const DEFAULT_CONFIG = 'paperboy_porter';

export const CONFIGURATIONS: readonly Configuration[] = [
  { name: SIMPLE, snowball: null },
  ...[...new Set(Object.values(SNOWBALL))].map((language) => ({ name: `paperboy_${language}`, snowball: language })),
];

/** The configuration for a language tag (`de`, `de-AT`, `pt_BR`); null → English. */
export function configFor(language: string | null): string {
  if (language === null || language.trim() === '') return DEFAULT_CONFIG;
  const primary = language.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  const snowball = SNOWBALL[primary];
  return snowball === undefined ? SIMPLE : `paperboy_${snowball}`;
}
