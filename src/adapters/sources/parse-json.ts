/**
 * JSON sources: one article object or an array of them. The input is the Article model with the
 * fields a feed or a hand-written file may lack made optional, so the output of `paperboy export`
 * (an array of full Articles) comes back unchanged. Unknown keys are errors, not silently dropped:
 * a misspelt `publishedAt` would otherwise lose data without a word.
 */
import { z } from 'zod';
import { findCommentQuotes, indexArticle } from './comment-quotes.ts';
import type { QuoteIndex } from './comment-quotes.ts';
import { ParseError } from '../../core/errors.ts';
import { Article, Block, Comment, articleId } from '../../core/model.ts';
import type { CommentQuote } from '../../core/model.ts';
import type { ParseOptions, ParseResult } from './parse-options.ts';

type Path = readonly PropertyKey[];

/** `text` is the comment as one string, paragraphs separated by blank lines; give it or `paragraphs`. */
const InputComment = Comment.partial().extend({ text: z.string().optional() }).strict();
type InputComment = z.infer<typeof InputComment>;

const InputArticle = Article.partial({
  url: true,
  source: true,
  author: true,
  publishedAt: true,
  language: true,
  declaredCommentCount: true,
  commentsUrl: true,
  ingestedAt: true,
})
  .extend({
    // Any string: the id is recomputed, so a stale or hand-made one is reported, not trusted.
    id: z.string().optional(),
    body: z.union([z.array(Block), z.string()]),
    comments: z.array(InputComment).optional(),
  })
  .strict();
type InputArticle = z.infer<typeof InputArticle>;

/**
 * Where a piece of JSON text sits in its file: a whole file starts at line 1, column 1 with no
 * path; an element of a streamed array starts where the stream found it, at path `[index]`.
 */
export interface JsonPlace {
  readonly line: number;
  readonly column: number;
  readonly prefix: Path;
}

const WHOLE_FILE: JsonPlace = { line: 1, column: 1, prefix: [] };

/** Parses a JSON source. Throws {@link ParseError} naming the JSON path, and the line where it can. */
export function parseJson(file: string, text: string, options: ParseOptions = {}): ParseResult {
  const json = text.replace(/^\uFEFF/, '');
  const data = parseText(file, json, WHOLE_FILE);
  if (Array.isArray(data)) {
    const parsed = z.array(InputArticle).safeParse(data);
    if (!parsed.success) throw zodError(file, json, WHOLE_FILE, data, parsed.error.issues);
    return toArticles(file, json, WHOLE_FILE, parsed.data, (i) => [i], options, new Map());
  }
  if (typeof data === 'object' && data !== null) {
    const parsed = InputArticle.safeParse(data);
    if (!parsed.success) throw zodError(file, json, WHOLE_FILE, data, parsed.error.issues);
    return toArticles(file, json, WHOLE_FILE, [parsed.data], () => [], options, new Map());
  }
  throw new ParseError(file, position(json, json.search(/\S/)).line, `an article object or an array of them, got ${received(data)}`);
}

/**
 * One element of a JSON array read as a stream: `text` is the element alone, `place` where it
 * starts in the file. Errors name the file's line and the element's path (`[41].comments[0]`).
 * `seen` carries the ids of earlier elements, so a repeated article is still reported.
 */
export function parseJsonElement(file: string, text: string, place: JsonPlace, options: ParseOptions, seen: Map<string, Path>): ParseResult {
  const data = parseText(file, text, place);
  const parsed = InputArticle.safeParse(data);
  if (!parsed.success) throw zodError(file, text, place, data, parsed.error.issues);
  return toArticles(file, text, place, [parsed.data], () => place.prefix, options, seen);
}

function parseText(file: string, json: string, place: JsonPlace): unknown {
  try {
    return JSON.parse(json);
  } catch {
    const error = syntaxError(json);
    if (!error) throw new ParseError(file, place.prefix.length === 0 ? null : place.line, 'valid JSON');
    const at = inFile(position(json, error.offset), place);
    throw new ParseError(file, at.line, `${error.expected} at column ${at.column} (invalid JSON)`);
  }
}

/** A position in a piece of JSON text, moved to where that piece starts in its file. */
function inFile(at: { line: number; column: number }, place: JsonPlace): { line: number; column: number } {
  return { line: at.line + place.line - 1, column: at.line === 1 ? at.column + place.column - 1 : at.column };
}

/** The file line of the value at `path` (a path from the file's top, so it starts with the place's prefix). */
function lineIn(json: string, place: JsonPlace, path: Path): number | null {
  const line = lineOf(json, path.slice(place.prefix.length));
  return line === null ? null : line + place.line - 1;
}

function toArticles(
  file: string,
  json: string,
  place: JsonPlace,
  inputs: readonly InputArticle[],
  pathOf: (i: number) => Path,
  options: ParseOptions,
  firstWithId: Map<string, Path>,
): ParseResult {
  const warnings: string[] = [];
  const fail = (path: Path, expected: string): never => {
    throw new ParseError(file, lineIn(json, place, path), `${expected} at ${where(path)}`);
  };
  const now = (options.now ?? new Date()).toISOString();
  const articles = inputs.map((input, i) => {
    const path = pathOf(i);
    const source = input.source === undefined ? (options.source ?? null) : input.source;
    const url = input.url ?? null;
    const id = articleId({ url, source, title: input.title });
    if (input.id !== undefined && input.id !== id) {
      warnings.push(`${file}: ${where([...path, 'id'])} "${input.id}" ignored: the id is derived from the URL, or the source and title ("${id}")`);
    }
    const earlier = firstWithId.get(id);
    if (earlier) warnings.push(`${file}: ${where(path)} is the same article as ${where(earlier)} (same URL, or same source and title)`);
    else firstWithId.set(id, path);

    const body: Block[] = typeof input.body === 'string' ? splitParagraphs(input.body).map((t) => ({ type: 'paragraph', text: t })) : input.body;
    const article: Article = {
      id,
      title: input.title,
      url,
      source,
      author: input.author ?? null,
      publishedAt: input.publishedAt ?? null,
      language: input.language ?? null,
      body,
      comments: toComments(input.comments ?? [], body, [...path, 'comments'], fail),
      declaredCommentCount: input.declaredCommentCount ?? null,
      commentsUrl: input.commentsUrl ?? null,
      ingestedAt: input.ingestedAt ?? now,
    };
    return article;
  });
  return { articles, warnings };
}

/**
 * A comment without an id gets `n<number>` like the export's, or `p<position>` (1-based) when it has
 * no number either. Quotes missing from the input are detected; quotes given are kept, after a check
 * that they point at a paragraph and a block that exist.
 */
function toComments(inputs: readonly InputComment[], body: readonly Block[], path: Path, fail: (path: Path, expected: string) => never): Comment[] {
  let index: QuoteIndex | undefined;
  const ids = new Set<string>();
  return inputs.map((c, i) => {
    const at = [...path, i];
    if (c.text !== undefined && c.paragraphs !== undefined) fail(at, '`text` or `paragraphs`, not both,');
    const paragraphs = c.paragraphs ?? (c.text === undefined ? fail(at, '`text` or `paragraphs` (the comment has neither)') : splitParagraphs(c.text));
    const number = c.number ?? null;
    const id = c.id ?? (number === null ? `p${i + 1}` : `n${number}`);
    if (ids.has(id)) fail(c.id === undefined ? at : [...at, 'id'], `a comment id unique within its article, got "${id}" again,`);
    ids.add(id);
    let quotes: CommentQuote[];
    if (c.quotes) {
      quotes = c.quotes;
      quotes.forEach((q, qi) => {
        if (q.paragraph >= paragraphs.length || q.block >= body.length) {
          fail(
            [...at, 'quotes', qi],
            `a paragraph below ${paragraphs.length} and a block below ${body.length}, got paragraph ${q.paragraph} and block ${q.block},`,
          );
        }
      });
    } else {
      index ??= indexArticle(body);
      quotes = findCommentQuotes(index, paragraphs);
    }
    return {
      id,
      number,
      author: c.author ?? null,
      authorId: c.authorId ?? null,
      postedAt: c.postedAt ?? null,
      rating: c.rating ?? null,
      paragraphs,
      quotes,
      replyTo: c.replyTo ?? null,
    };
  });
}

/** Paragraphs separated by blank lines, trimmed; an empty or blank string has none. */
function splitParagraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

// ---- Error messages -------------------------------------------------------------------------

function zodError(file: string, json: string, place: JsonPlace, data: unknown, issues: readonly z.core.$ZodIssue[]): ParseError {
  const first = issues[0];
  if (!first) return new ParseError(file, place.prefix.length === 0 ? null : place.line, `a valid article at ${where(place.prefix)}`);
  const { path, expected } = describe(first, data, [], place.prefix);
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return new ParseError(file, lineIn(json, place, [...place.prefix, ...path]), `${expected}${more}`);
}

/** `path` is from `data`'s top; messages show it after `shown`, the path of `data` in its file. */
function describe(issue: z.core.$ZodIssue, data: unknown, prefix: Path, shown: Path): { path: Path; expected: string } {
  const path = [...prefix, ...issue.path];
  const at = (p: Path): string => where([...shown, ...p]);
  const got = `got ${received(valueAt(data, path))}`;
  switch (issue.code) {
    case 'invalid_union': {
      if ('options' in issue && issue.options && issue.errors.length === 0) {
        return { path, expected: `one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')} at ${at(path)}, ${got}` };
      }
      // The branch that got furthest into the value says what is wrong with it; if none got past
      // the top, the value had the wrong type for every branch.
      const firsts = issue.errors.flatMap((e) => e.slice(0, 1));
      const deepest = firsts.reduce<z.core.$ZodIssue | undefined>((a, b) => (a && a.path.length >= b.path.length ? a : b), undefined);
      if (deepest && deepest.path.length > 0) return describe(deepest, data, path, shown);
      const types = firsts.flatMap((b) => (b.code === 'invalid_type' ? [withArticle(b.expected)] : []));
      return { path, expected: `${types.join(' or ') || 'a valid value'} at ${at(path)}, ${got}` };
    }
    case 'unrecognized_keys': {
      const keys = issue.keys.map((k) => `"${k}"`).join(', ');
      return { path: [...path, issue.keys[0] ?? ''], expected: `only known keys in ${at(path)}, got unknown key${issue.keys.length > 1 ? 's' : ''} ${keys}` };
    }
    case 'invalid_type':
      return { path, expected: `${withArticle(issue.expected)} at ${at(path)}, ${got}` };
    case 'invalid_value':
      return { path, expected: `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')} at ${at(path)}, ${got}` };
    case 'invalid_format': {
      // The model's regexes carry their own description ("an ISO 8601 date or date-time").
      const what = issue.format === 'url' ? 'an absolute URL' : issue.format === 'regex' ? issue.message : `a valid ${issue.format}`;
      return { path, expected: `${what} at ${at(path)}, ${got}` };
    }
    case 'too_small': {
      const what =
        issue.origin === 'string' && Number(issue.minimum) === 1 ? 'a non-empty string' : `${withArticle(issue.origin)} of at least ${issue.minimum}`;
      return { path, expected: `${what} at ${at(path)}, ${got}` };
    }
    default:
      return { path, expected: `${issue.message} at ${at(path)}, ${got}` };
  }
}

function withArticle(type: string): string {
  if (type === 'int') return 'an integer';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function received(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const shown = JSON.stringify(value);
  return `${typeof value} ${shown.length > 40 ? `${shown.slice(0, 37)}...` : shown}`;
}

function valueAt(data: unknown, path: Path): unknown {
  let value = data;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** `[2].comments[0].rating`, as one would write it in JavaScript. */
function formatPath(path: Path): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(key))) out += `${out ? '.' : ''}${String(key)}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function where(path: Path): string {
  return path.length === 0 ? 'the top level' : `\`${formatPath(path)}\``;
}

// ---- Positions in the JSON text ---------------------------------------------------------------
// JSON.parse reports neither where a value is nor, on Node 20, reliably where a syntax error is,
// so a small scanner walks the text (only when there is an error to report).

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {
    super(expected);
  }
}

const SPACE = /[ \t\n\r]*/y;
// Control characters are exactly what JSON forbids unescaped inside strings.
// eslint-disable-next-line no-control-regex
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

class JsonWalker {
  private i = 0;
  private readonly path: PropertyKey[] = [];
  /** Where the target path's value starts, or for an object member where its key starts. */
  found: number | null = null;

  constructor(
    private readonly s: string,
    private readonly target: Path | null,
  ) {}

  document(): void {
    this.value();
    this.skip(SPACE);
    if (this.i < this.s.length) this.fail('the end of the JSON text');
  }

  private fail(expected: string): never {
    throw new JsonSyntaxError(this.i, expected);
  }

  private skip(re: RegExp): boolean {
    re.lastIndex = this.i;
    if (!re.test(this.s)) return false;
    this.i = re.lastIndex;
    return true;
  }

  private mark(at: number): void {
    const t = this.target;
    if (this.found === null && t && t.length === this.path.length && t.every((k, n) => k === this.path[n])) this.found = at;
  }

  private value(): void {
    this.skip(SPACE);
    this.mark(this.i);
    const c = this.s.charAt(this.i);
    if (c === '{') this.members();
    else if (c === '[') this.elements();
    else if (c === '"') this.string();
    else if (!this.skip(NUMBER) && !this.skip(LITERAL)) this.fail('a JSON value');
  }

  private string(): string {
    const start = this.i;
    if (!this.skip(STRING)) this.fail('a string closed on the same line, with valid escapes');
    return this.s.slice(start, this.i);
  }

  private members(): void {
    this.i++;
    this.skip(SPACE);
    if (this.s.charAt(this.i) === '}') {
      this.i++;
      return;
    }
    for (;;) {
      this.skip(SPACE);
      const keyAt = this.i;
      if (this.s.charAt(this.i) !== '"') this.fail('a double-quoted property name');
      this.path.push(JSON.parse(this.string()) as string);
      this.mark(keyAt);
      this.skip(SPACE);
      if (this.s.charAt(this.i) !== ':') this.fail("':' after the property name");
      this.i++;
      this.value();
      this.path.pop();
      this.skip(SPACE);
      const c = this.s.charAt(this.i);
      if (c !== ',' && c !== '}') this.fail("',' or '}' after the property value");
      this.i++;
      if (c === '}') return;
    }
  }

  private elements(): void {
    this.i++;
    this.skip(SPACE);
    if (this.s.charAt(this.i) === ']') {
      this.i++;
      return;
    }
    for (let n = 0; ; n++) {
      this.path.push(n);
      this.value();
      this.path.pop();
      this.skip(SPACE);
      const c = this.s.charAt(this.i);
      if (c !== ',' && c !== ']') this.fail("',' or ']' after the array element");
      this.i++;
      if (c === ']') return;
    }
  }
}

function syntaxError(json: string): JsonSyntaxError | null {
  try {
    new JsonWalker(json, null).document();
    return null;
  } catch (e) {
    // Anything else (a stack overflow on absurd nesting) leaves the error without a position.
    return e instanceof JsonSyntaxError ? e : null;
  }
}

/** The line of the value at `path`; for a missing key, the line of the object that lacks it. */
function lineOf(json: string, path: Path): number | null {
  for (let depth = path.length; depth >= 0; depth--) {
    const walker = new JsonWalker(json, path.slice(0, depth));
    try {
      walker.document();
    } catch {
      return null;
    }
    if (walker.found !== null) return position(json, walker.found).line;
  }
  return null;
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset; k++) {
    if (text.charCodeAt(k) === 10) {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
