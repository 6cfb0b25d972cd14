/**
 * The filter language's tokens: words (field names, keywords and bare values alike; the parser tells
 * them apart by place), quoted strings, /regex/flags, parentheses and the symbol operators. Each
 * token keeps its 1-based column and its span, so errors and explanations can point at what was typed.
 */
import { FilterSyntaxError, columnOf } from './errors.ts';

export type TokenKind = 'word' | 'string' | 'regex' | 'open' | 'close' | 'symbol' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** A word or symbol as typed; a string's text unescaped; a regex's pattern. */
  readonly value: string;
  /** A regex's flags; empty otherwise. */
  readonly flags: string;
  /** 1-based column of the token's first character, in characters (code points) as a person counts them. */
  readonly column: number;
  /** UTF-16 offsets into the expression: `text.slice(start, end)` is the token as typed. */
  readonly start: number;
  readonly end: number;
}

/** Two-character symbols first, so `<=` is not read as `<` then `=`. */
const SYMBOLS = ['&&', '||', '!=', '<=', '>=', '=', '<', '>', '!'];
/** What ends a bare word: space, quotes, parentheses and the symbols' characters. */
const WORD_END = new Set([' ', '\t', '\n', '\r', '"', "'", '(', ')', '=', '!', '<', '>', '&', '|']);
const FLAG = /^[a-z]$/;
const SPACE = /\s/u;

/** The tokens of `text`, ending with an `end` token; throws FilterSyntaxError on an unclosed quote or regex. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const make = (kind: TokenKind, value: string, start: number, end: number, flags = ''): Token => ({
    kind,
    value,
    flags,
    column: columnOf(text, start),
    start,
    end,
  });
  while (i < text.length) {
    const c = text[i]!;
    if (SPACE.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '(' || c === ')') {
      tokens.push(make(c === '(' ? 'open' : 'close', c, i, i + 1));
      i++;
    } else if (c === '"' || c === "'") {
      const read = quoted(text, i, c);
      tokens.push(make('string', read.value, start, read.end));
      i = read.end;
    } else if (c === '/') {
      const read = regex(text, i);
      tokens.push(make('regex', read.pattern, start, read.end, read.flags));
      i = read.end;
    } else {
      const symbol = SYMBOLS.find((s) => text.startsWith(s, i));
      if (symbol) {
        tokens.push(make('symbol', symbol, i, i + symbol.length));
        i += symbol.length;
        continue;
      }
      if (c === '&' || c === '|')
        throw new FilterSyntaxError(
          columnOf(text, i),
          `\`${c}\` alone is not an operator: write \`${c}${c}\` or \`${c === '&' ? 'and' : 'or'}\`, or put text with \`${c}\` in quotes`,
          text,
        );
      // Any space ends a word, as any space separates tokens: a pasted no-break space in `title\u00a0contains` too.
      while (i < text.length && !WORD_END.has(text[i]!) && !SPACE.test(text[i]!)) i++;
      tokens.push(make('word', text.slice(start, i), start, i));
    }
  }
  tokens.push(make('end', '', text.length, text.length));
  return tokens;
}

/** A quoted string from `start` (the quote); a backslash makes the next character plain. */
function quoted(text: string, start: number, quote: string): { value: string; end: number } {
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      value += text[++i];
    } else if (c === quote) {
      return { value, end: i + 1 };
    } else {
      value += c;
    }
  }
  throw new FilterSyntaxError(columnOf(text, start), `this quote (${quote}) is never closed`, text);
}

/** `/pattern/flags` from `start`; a `/` inside a character class or after a backslash does not close it. */
function regex(text: string, start: number): { pattern: string; flags: string; end: number } {
  let inClass = false;
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '/') {
      let end = i + 1;
      while (end < text.length && FLAG.test(text[end]!)) end++;
      const pattern = text.slice(start + 1, i);
      if (pattern === '') throw new FilterSyntaxError(columnOf(text, start), 'this regular expression is empty (`//`)', text);
      return { pattern, flags: text.slice(i + 1, end), end };
    }
  }
  throw new FilterSyntaxError(columnOf(text, start), 'this regular expression is never closed: end it with `/` (and flags such as `i`)', text);
}
