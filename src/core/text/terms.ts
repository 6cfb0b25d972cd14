/**
 * Content terms of a text: the words that carry its topic, normalised so that inflections meet
 * ("expanding" and "expansion" give the same term). Used for similarity and topic matching only;
 * nothing shown to a user is ever rebuilt from terms.
 */
import { porterStem } from './porter.ts';

/** Function words that say nothing about a topic (English, plus the commonest Russian ones). */
const STOPWORDS = new Set(
  (
    'a about above after again against all also am an and any are aren as at be because been before being ' +
    'below between both but by can cannot could couldn did didn do does doesn doing don down during each ' +
    'even ever every few for from further get gets got had hadn has hasn have haven having he her here hers ' +
    'herself him himself his how however i if in into is isn it its itself just let ll me more most much ' +
    'must mustn my myself no nor not now of off on once one only or other ought our ours ourselves out ' +
    'over own re s same say says said shan she should shouldn so some such t than that the their theirs ' +
    'them themselves then there these they this those through to too under until up upon us ve very was ' +
    'wasn we were weren what when where which while who whom why will with won would wouldn yet you your ' +
    'yours yourself yourselves d m also may might shall still since though thus unless within without ' +
    'mr mrs ms dr told according like well back many two three first last new year years time ' +
    'и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было ' +
    'вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас ' +
    'нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их ' +
    'чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому этого какой ' +
    'совсем ним здесь этом один почти мой тем чтобы нее были куда зачем всех никогда можно при наконец ' +
    'два об другой хоть после над больше тот через эти нас про всего них какая много разве три эту моя ' +
    'впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им более всегда конечно всю между это'
  ).split(' '),
);

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/** Cyrillic and other scripts have no stemmer here: a fixed-length prefix conflates most inflections. */
const PREFIX_STEM = 6;

/** "nato's" -> "nato", "don't" -> "don": the part before an apostrophe carries the meaning. */
function stripApostrophe(word: string): string {
  let i = word.indexOf("'");
  if (i < 0) i = word.indexOf('’');
  return i < 0 ? word : word.slice(0, i);
}

/**
 * Stems already computed, shared by all calls: stemming dominates the cost of analysing a long
 * text, and a word's term never changes. Cleared when large so memory stays bounded.
 */
const STEMS = new Map<string, string>();
/** The same for word tokens, where '' marks a stopword. */
const CONTENT = new Map<string, string>();
const MEMO_LIMIT = 200_000;

function remember(memo: Map<string, string>, word: string, term: string): string {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(word, term);
  return term;
}

/**
 * Normalises one word to its term: lower-case, apostrophe suffixes dropped, English words
 * Porter-stemmed, words in other scripts cut to a 6-letter prefix.
 */
export function termOf(word: string): string {
  return STEMS.get(word) ?? remember(STEMS, word, computeTerm(word));
}

function computeTerm(word: string): string {
  const lower = stripApostrophe(word.toLowerCase());
  if (/^[a-z]+$/u.test(lower)) return lower.length > 3 ? porterStem(lower) : lower;
  if (/^[\p{N}]+$/u.test(lower)) return lower;
  return lower.length > PREFIX_STEM ? lower.slice(0, PREFIX_STEM) : lower;
}

/** Number of word tokens in a text, stopwords included. */
export function wordCount(text: string): number {
  return text.match(WORD)?.length ?? 0;
}

/** The content terms of a text and its word count, from one pass over it. */
export interface Analysis {
  readonly terms: string[];
  readonly words: number;
}

/** The term of a lower-cased word token, or '' for a stopword or a one-letter word. */
function contentTerm(word: string): string {
  const known = CONTENT.get(word);
  if (known !== undefined) return known;
  const bare = stripApostrophe(word);
  return remember(CONTENT, word, bare.length < 2 || STOPWORDS.has(bare) ? '' : termOf(bare));
}

/** Terms and word count in one pass over the text. */
export function analyze(text: string): Analysis {
  const out: string[] = [];
  let words = 0;
  for (const m of text.toLowerCase().matchAll(WORD)) {
    words++;
    const term = contentTerm(m[0]);
    if (term !== '') out.push(term);
  }
  return { terms: out, words };
}

/** The content terms of a text, in order, with repeats: stopwords and one-letter words dropped. */
export function terms(text: string): string[] {
  return analyze(text).terms;
}
