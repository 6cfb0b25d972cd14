/**
 * Tokens to a tree: `or` binds loosest, then `and`, then `not`; parentheses group. A word followed
 * by an operator is a field name; a value alone (`bitcoin`) means `text has "bitcoin"`. Every
 * mistake throws a FilterSyntaxError at the column of the token that is wrong.
 */
import { FilterSyntaxError } from './errors.ts';
import { FIELD_KINDS, type FieldName, TEXT_FIELDS, isFieldName, suggestField } from './fields.ts';
import { type Token, tokenize } from './lexer.ts';
import { type Op, type Value, valueFor } from './values.ts';

export interface TestNode {
  readonly kind: 'test';
  readonly field: FieldName;
  readonly op: Op;
  readonly value: Value;
  /** The test as typed (`source = "Reuters"`), or as meant for a bare value (`text has "bitcoin"`). */
  readonly written: string;
  /** The value as typed, for explanations of dates (`7d`). */
  readonly valueWritten: string;
  /** 1-based column of the value, for a mistake found once the whole filter is read (cost.ts). */
  readonly valueColumn: number;
}

export type Node =
  | TestNode
  | { readonly kind: 'and' | 'or'; readonly children: readonly Node[]; readonly written: string }
  | { readonly kind: 'not'; readonly child: Node; readonly written: string };

export const MAX_EXPRESSION_CHARS = 1_000;
export const MAX_TESTS = 100;
export const MAX_NESTING = 32;

const WORD_OPS: Readonly<Record<string, Op>> = { contains: 'contains', has: 'has', is: '=', matches: 'matches', before: '<', after: '>' };
const SYMBOL_OPS = new Set<string>(['=', '!=', '<', '<=', '>', '>=']);

function lower(t: Token): string {
  return t.kind === 'word' ? t.value.toLowerCase() : '';
}

function isAnd(t: Token): boolean {
  return lower(t) === 'and' || (t.kind === 'symbol' && t.value === '&&');
}
function isOr(t: Token): boolean {
  return lower(t) === 'or' || (t.kind === 'symbol' && t.value === '||');
}
function isNot(t: Token): boolean {
  return lower(t) === 'not' || (t.kind === 'symbol' && t.value === '!');
}
function isOperator(t: Token): boolean {
  return Object.hasOwn(WORD_OPS, lower(t)) || (t.kind === 'symbol' && SYMBOL_OPS.has(t.value));
}

/** Parses `text` (already checked to be non-blank and within the length cap). */
export function parse(text: string): Node {
  return new Parser(text).parseAll();
}

class Parser {
  private readonly tokens: Token[];
  private at = 0;
  private tests = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.at + ahead, this.tokens.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.at++;
    return t;
  }
  private fail(t: Token, reason: string): never {
    throw new FilterSyntaxError(t.column, reason, this.text);
  }
  private span(from: Token): string {
    return this.text.slice(from.start, this.tokens[this.at - 1]!.end);
  }

  parseAll(): Node {
    const node = this.parseOr(0);
    const t = this.peek();
    if (t.kind === 'close') this.fail(t, '`)` without a matching `(`');
    if (t.kind !== 'end') this.fail(t, `unexpected \`${t.value}\` here`);
    return node;
  }

  private parseOr(depth: number): Node {
    const first = this.peek();
    const children = [this.parseAnd(depth)];
    while (isOr(this.peek())) {
      this.next();
      children.push(this.parseAnd(depth));
    }
    return children.length === 1 ? children[0]! : { kind: 'or', children, written: this.span(first) };
  }

  private parseAnd(depth: number): Node {
    const first = this.peek();
    const children = [this.parseUnary(depth)];
    for (;;) {
      const t = this.peek();
      if (isAnd(t)) {
        this.next();
        children.push(this.parseUnary(depth));
        continue;
      }
      if (isOr(t) || t.kind === 'close' || t.kind === 'end') break;
      if (t.kind === 'symbol' && !isNot(t))
        this.fail(
          t,
          `unexpected \`${t.value}\` here: an operator follows a field name, such as \`comments ${t.value} 10\` (a value with \`${t.value}\` in it goes in quotes)`,
        );
      this.fail(t, `expected \`and\` or \`or\` before \`${this.text.slice(t.start, t.end)}\``);
    }
    return children.length === 1 ? children[0]! : { kind: 'and', children, written: this.span(first) };
  }

  private parseUnary(depth: number): Node {
    const t = this.peek();
    if (depth >= MAX_NESTING && (isNot(t) || t.kind === 'open')) this.fail(t, `nested more than ${MAX_NESTING} deep (parentheses and \`not\`)`);
    if (isNot(t)) {
      this.next();
      const child = this.parseUnary(depth + 1);
      return { kind: 'not', child, written: this.span(t) };
    }
    if (t.kind === 'open') {
      this.next();
      const inner = this.parseOr(depth + 1);
      const close = this.peek();
      if (close.kind !== 'close') this.fail(t, 'this parenthesis is never closed');
      this.next();
      return inner;
    }
    return this.parseTest();
  }

  private parseTest(): TestNode {
    const t = this.peek();
    const before = this.tokens[this.at - 1];
    const after = before ? ` after \`${this.text.slice(before.start, before.end)}\`` : '';
    if (t.kind === 'end' || t.kind === 'close') this.fail(t, t.kind === 'end' ? `expected a test${after}` : `expected a test${after}, found \`)\``);
    if (isAnd(t) || isOr(t)) this.fail(t, `\`${t.value}\` needs a test before it`);
    if (t.kind === 'symbol') this.fail(t, `unexpected \`${t.value}\`: a test starts with a field name or a value`);
    if (++this.tests > MAX_TESTS) this.fail(t, `more than ${MAX_TESTS} tests in one filter`);
    if (!isOperator(this.peek(1))) return this.bareValue();
    return this.fieldTest();
  }

  /** `bitcoin`, `"bitcoin price"` or `/bit(coin)?/i` alone: the article's text has it, or matches it. */
  private bareValue(): TestNode {
    const t = this.next();
    if (t.kind === 'string' && t.value.trim() === '') this.fail(t, 'an empty text matches nothing: put a word between the quotes');
    const op: Op = t.kind === 'regex' ? 'matches' : 'has';
    const value = valueFor('text', 'text', op, op, t, this.text);
    const typed = this.text.slice(t.start, t.end);
    return {
      kind: 'test',
      field: 'text',
      op,
      value,
      written: op === 'has' ? `text has ${JSON.stringify(t.value)}` : `text matches ${typed}`,
      valueWritten: typed,
      valueColumn: t.column,
    };
  }

  private fieldTest(): TestNode {
    const t = this.next();
    if (t.kind !== 'word') this.fail(t, 'a field name is written without quotes or slashes, such as title');
    const name = t.value.toLowerCase();
    if (!isFieldName(name)) {
      const meant = suggestField(name);
      this.fail(t, `unknown field \`${t.value}\` ${meant ? `(did you mean ${meant}?)` : `(fields: ${Object.keys(FIELD_KINDS).join(', ')})`}`);
    }
    const kind = FIELD_KINDS[name];
    const opToken = this.next();
    const opWritten = this.text.slice(opToken.start, opToken.end);
    let op: Op = opToken.kind === 'symbol' ? (opToken.value as Op) : WORD_OPS[opToken.value.toLowerCase()]!;
    if (lower(opToken) === 'is' && lower(this.peek()) === 'not') {
      this.next();
      op = '!=';
    }
    const word = lower(opToken);
    if ((word === 'before' || word === 'after') && kind !== 'date') this.fail(opToken, `\`${opWritten}\` compares published (a date), not ${name}`);
    if (op.startsWith('<') || op.startsWith('>')) {
      if (kind === 'text') this.fail(opToken, `\`${opWritten}\` compares comments or published, not ${name}`);
    } else if (op === 'contains' || op === 'has' || op === 'matches') {
      if (kind !== 'text') this.fail(opToken, `\`${opWritten}\` reads text (${TEXT_FIELDS.join(', ')}), not ${name}`);
    }
    const v = this.peek();
    if (v.kind === 'end' || v.kind === 'close' || v.kind === 'open' || v.kind === 'symbol' || isAnd(v) || isOr(v) || isNot(v)) {
      this.fail(v, `expected a value after \`${this.text.slice(opToken.start, this.tokens[this.at - 1]!.end)}\``);
    }
    this.next();
    const value = valueFor(name, kind, op, opWritten, v, this.text);
    if (value.kind === 'ago' && (op === '=' || op === '!='))
      this.fail(v, `a time ago is one instant: use \`>\` (newer than) or \`<\` (older than) with \`${v.value}\``);
    return { kind: 'test', field: name, op, value, written: this.span(t), valueWritten: this.text.slice(v.start, v.end), valueColumn: v.column };
  }
}
