/**
 * Sentence splitting for one block of text (a paragraph, a quote, a comment paragraph). Headings
 * are separate blocks, so nothing here tries to detect them. Rule-based on purpose: the rules can
 * be read and extended, and they keep character offsets exact, which quoting and highlighting need.
 */

/** One sentence: `text` is exactly `input.slice(start, end)`, with surrounding whitespace left out. */
export interface Sentence {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Titles and similar: never the end of a sentence when a word follows ("Dr. Watson", "т.е. так"). */
// prettier-ignore
const ALWAYS_ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'messrs', 'dr', 'prof', 'gen', 'sen', 'gov', 'rep', 'reps', 'lt', 'col', 'capt',
  'cpt', 'sgt', 'cpl', 'maj', 'adm', 'cmdr', 'brig', 'st', 'ste', 'mt', 'ft', 'rev', 'hon', 'pres',
  'supt', 'insp', 'det', 'atty', 'e.g', 'i.e', 'eg', 'ie', 'vs', 'cf', 'approx', 'viz', 'al', 'esp',
  'incl', 'dept', 'fig', 'figs',
  // Russian: "г." (year, city), "т.е.", "т.к.", "см.", "ул.", "им.", "напр." ...
  'г', 'гг', 'т.е', 'т.к', 'т.н', 'см', 'ул', 'им', 'напр', 'проф', 'акад', 'ген', 'тов', 'ср', 'стр',
  'рис', 'просп', 'обл', 'р-н', 'д', 'кв', 'оз', 'о-в',
]);

/** Abbreviations that are not an end when a number follows ("No. 5", "Jan. 12", "p. 40"). */
// prettier-ignore
const NUMBER_ABBREVIATIONS = new Set([
  'no', 'nos', 'nr', 'p', 'pp', 'vol', 'vols', 'art', 'ch', 'sec', 'op', 'para', 'jan', 'feb', 'mar',
  'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'ca', '№',
]);

/** Abbreviations that often end a sentence as well: an end only when a typical sentence opener follows. */
// prettier-ignore
const AMBIGUOUS_ABBREVIATIONS = new Set([
  'inc', 'ltd', 'co', 'corp', 'jr', 'sr', 'bros', 'plc', 'llc', 'govt', 'univ', 'a.m', 'p.m', 'am', 'pm',
  'млн', 'млрд', 'тыс', 'руб', 'коп', 'долл',
]);

/** "etc." and its Russian kin end a sentence whenever a capital follows, although they look like acronyms. */
const LIST_ENDINGS = new Set(['etc', 'т.д', 'т.п', 'др', 'пр']);

/** Words that usually begin a sentence, used to decide after ambiguous abbreviations and acronyms. */
// prettier-ignore
const OPENERS = new Set([
  'the', 'a', 'an', 'he', 'she', 'it', 'they', 'we', 'i', 'you', 'this', 'that', 'these', 'those',
  'there', 'his', 'her', 'its', 'their', 'our', 'my', 'but', 'and', 'so', 'yet', 'however', 'in', 'on',
  'at', 'after', 'before', 'when', 'while', 'if', 'as', 'for', 'with', 'what', 'why', 'how', 'who',
  'where', 'then', 'now', 'meanwhile', 'also', 'some', 'many', 'most', 'one', 'both', 'all', 'no', 'yes',
  'officials', 'police', 'authorities', 'according',
]);

const TERMINATORS = '.!?…。！？‼⁇⁈⁉';
/** Terminators of scripts written without spaces: they end a sentence with nothing after them. */
const WIDE_TERMINATORS = '。！？';
const CLOSERS = `"'”’»)]}›」』`;
const OPENERS_PUNCT = `"'“‘«([{‹「『„`;
const DASHES = '-–—';

const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/u.test(ch);
const isLower = (ch: string | undefined): boolean => ch !== undefined && /\p{Ll}/u.test(ch);
const isUpper = (ch: string | undefined): boolean => ch !== undefined && /\p{Lu}/u.test(ch);
const isDigit = (ch: string | undefined): boolean => ch !== undefined && /\p{Nd}/u.test(ch);

/** The word right before position `end` (a terminator), with leading brackets and quotes stripped. */
function wordBefore(text: string, end: number): { word: string; start: number } {
  let start = end;
  while (start > 0 && !isSpace(text[start - 1])) start--;
  while (start < end && OPENERS_PUNCT.includes(text[start] ?? ' ')) start++;
  return { word: text.slice(start, end), start };
}

/** Where the next sentence's first significant character is: past spaces, opening quotes and one dash. */
function nextSignificant(text: string, from: number): { index: number; dashed: boolean } {
  let i = from;
  let dashed = false;
  const skip = (): void => {
    while (i < text.length && (isSpace(text[i]) || OPENERS_PUNCT.includes(text[i] ?? ' '))) i++;
  };
  skip();
  // "... - Nothing of the kind": a dash opening a dialogue or attribution segment is seen through.
  if (DASHES.includes(text[i] ?? ' ') && isSpace(text[i + 1])) {
    i++;
    dashed = true;
    skip();
  }
  return { index: i, dashed };
}

function nextWord(text: string, index: number): string {
  const match = /^[\p{L}\p{N}']+/u.exec(text.slice(index, index + 40));
  return match ? match[0] : '';
}

function isLineStart(text: string, index: number): boolean {
  let i = index - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  return i < 0 || text[i] === '\n';
}

/** Whether the period at `dot`, followed by the sentence candidate at `next`, ends a sentence. */
function periodEnds(text: string, dot: number, next: number): boolean {
  const { word, start } = wordBefore(text, dot);
  const lower = word.toLowerCase();
  const following = text[next];
  const opener = OPENERS.has(nextWord(text, next).toLowerCase());
  if (LIST_ENDINGS.has(lower)) return true;
  if (ALWAYS_ABBREVIATIONS.has(lower)) return false;
  if (NUMBER_ABBREVIATIONS.has(lower) && isDigit(following)) return false;
  // An initial: "J. K. Rowling", "George W. Bush", "А. С. Пушкин".
  if (word.length === 1 && isUpper(word)) return false;
  // A list marker at the start of a line: "1. First", "a) item" is handled by the newline rule.
  if (/^\d{1,3}$/u.test(word) && isLineStart(text, start)) return false;
  // Acronyms with dots ("U.S.", "U.K.", "т.е.") and ambiguous abbreviations end a sentence only
  // before a typical opener: "the U.S. Senate" goes on, "moved to the U.S. He said" does not.
  if (/^(\p{L}\.)+\p{L}$/u.test(word) || AMBIGUOUS_ABBREVIATIONS.has(lower)) return opener;
  return true;
}

/** Positions inside `text` where a new sentence starts because of line structure. */
function lineBreaks(text: string, breaks: Set<number>): void {
  const re = /\n[ \t]*/gu;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index + m[0].length;
    const rest = text.slice(at, at + 8);
    const blankLine = rest.startsWith('\n') || text[m.index - 1] === '\n';
    // Dialogue or attribution lines ("- Yes ..."), bullets and numbered items start anew.
    const listItem = /^([-–—•*·▪►]\s|\d{1,3}[.)]\s|\p{L}\)\s)/u.test(rest);
    if (blankLine || listItem) breaks.add(at);
  }
}

/**
 * Splits one block of text into sentences with exact character offsets.
 *
 * Handles abbreviations (English and Russian), initials, decimals and times ("3.5", "10: 12"),
 * ellipses (an ellipsis before a lower-case word goes on), closing quotes and brackets after the
 * end mark, "?!", dialogue dashes and list lines, URLs and e-mail addresses.
 *
 * @example splitSentences('He said "go." Then he left.').map((s) => s.text)
 * // ['He said "go."', 'Then he left.']
 */
export function splitSentences(text: string): Sentence[] {
  const breaks = new Set<number>();
  lineBreaks(text, breaks);
  const re = new RegExp(`[${TERMINATORS}]+`, 'gu');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const run = m[0];
    let after = m.index + run.length;
    while (after < text.length && CLOSERS.includes(text[after] ?? ' ')) after++;
    const wide = WIDE_TERMINATORS.includes(run[run.length - 1] ?? ' ');
    // "3.5", "example.com/a.b", "a@b.org": a period with no space after is inside a token.
    if (after < text.length && !isSpace(text[after]) && !wide) continue;
    const { index: next } = nextSignificant(text, after);
    if (next >= text.length) continue;
    const ch = text[next];
    // Sentences start with a capital, a digit, a symbol; a lower-case word means the text goes on
    // ("Wait... what", "said "Go!" he"), and stray punctuation (".. ...") belongs to the same end.
    if (isLower(ch) || TERMINATORS.includes(ch ?? ' ')) continue;
    if (run === '.' && !periodEnds(text, m.index, next)) continue;
    breaks.add(after);
  }
  return cut(
    text,
    [...breaks].sort((a, b) => a - b),
  );
}

function cut(text: string, breaks: readonly number[]): Sentence[] {
  const out: Sentence[] = [];
  let from = 0;
  for (const to of [...breaks, text.length]) {
    let start = from;
    let end = to;
    while (start < end && isSpace(text[start])) start++;
    while (end > start && isSpace(text[end - 1])) end--;
    if (end > start) out.push({ text: text.slice(start, end), start, end });
    from = to;
  }
  return out;
}
