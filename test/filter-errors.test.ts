/**
 * Mistakes in a filter expression: each kind is named, at the column (in characters) of what is
 * wrong, the caps hold, RE2's refusals come through, and describeError draws the caret.
 */
import { describe, expect, it } from 'vitest';
import { UserError } from '../src/core/errors.ts';
import { FilterSyntaxError, compileExpression, describeError } from '../src/app/filters/expression.ts';
import { article } from './helpers/articles.ts';

const SOTU = article({ title: 'Trump State of the Union address promised unity but emphasized discord' });
const compile = (text: string) => compileExpression(text);

function mistake(text: string): FilterSyntaxError {
  try {
    compileExpression(text);
  } catch (error) {
    if (error instanceof FilterSyntaxError) return error;
    throw error;
  }
  throw new Error(`"${text}" compiled`);
}

describe('GIVEN a filter with a mistake', () => {
  it.each([
    ['title contains and source = x', 16, 'expected a value after `contains`'],
    ['titel has bitcoin', 1, 'unknown field `titel` (did you mean title?)'],
    ['tags = crypto', 1, 'unknown field `tags` (did you mean category?)'],
    ['weather = rain', 1, 'unknown field `weather` (fields: title, body, summary, text, author, source, category, url, language, comments, published)'],
    ['source = "AP" and title < 3', 25, '`<` compares comments or published, not title'],
    ['title before 2026-01-01', 7, '`before` compares published (a date), not title'],
    ['comments contains 3', 10, '`contains` reads text (title, body, summary, text, author, source, category, url, language), not comments'],
    ['(bitcoin or ether', 1, 'this parenthesis is never closed'],
    ['bitcoin) and ether', 8, '`)` without a matching `(`'],
    ['title has "bit coin', 11, 'this quote (") is never closed'],
    ['title matches /bit(coin', 15, 'this regular expression is never closed: end it with `/` (and flags such as `i`)'],
    ['title matches bitcoin', 15, '`matches` takes a regular expression written /…/flags, such as /bitcoin|btc/i'],
    ['title contains /bit/', 16, 'a /regular expression/ goes with `matches`, not `contains`'],
    ['bitcoin ethereum', 9, 'expected `and` or `or` before `ethereum`'],
    ['bitcoin and', 12, 'expected a test after `and`'],
    ['and bitcoin', 1, '`and` needs a test before it'],
    ['comments > many', 12, '`comments` compares with a whole number such as 10, not `many`'],
    ['published = 7d', 13, 'a time ago is one instant: use `>` (newer than) or `<` (older than) with `7d`'],
    ['title has "!!!"', 11, '`has` looks for whole words, and `!!!` has no letters or digits (use `contains` for other characters)'],
    ['title & bitcoin', 7, '`&` alone is not an operator: write `&&` or `and`, or put text with `&` in quotes'],
    ['title has "C++"', 11, '`has` compares whole words and drops `+`, so `C++` would match `c`: use `contains "C++"` to find it as written'],
    ['C# or rust', 1, '`has` compares whole words and drops `#`, so `C#` would match `c`: use `contains "C#"` to find it as written'],
    [
      'text has "📰 launch"',
      10,
      '`has` compares whole words and drops `📰`, so `📰 launch` would match `launch`: use `contains "📰 launch"` to find it as written',
    ],
    ['title contains "🚀 launch" titel', 27, 'expected `and` or `or` before `titel`'],
    ['title = "x" = 3', 13, 'unexpected `=` here: an operator follows a field name, such as `comments = 10` (a value with `=` in it goes in quotes)'],
  ])('THEN %j fails at column %i: %s', (text, column, reason) => {
    const e = mistake(text);
    expect({ column: e.column, reason: e.reason, expression: e.expression }).toStrictEqual({ column, reason, expression: text });
  });

  it('THEN dates that do not exist or are not dates are named', () => {
    expect(mistake('published after yesterday').reason).toMatch(/^`published` compares with a date such as 2026-11-30 .* not `yesterday`$/);
    expect(mistake('published < 2026-02-30')).toMatchObject({
      column: 13,
      reason: expect.stringMatching(/^`2026-02-30` is not a date that exists/) as unknown,
    });
  });

  it('THEN a regex RE2 refuses is refused with its reason, at the regex', () => {
    expect(mistake('url has x or title matches /(\\w+)\\s\\1/')).toMatchObject({
      column: 28,
      reason: expect.stringContaining('regular expression refused: the pattern uses a backreference "\\1"') as unknown,
    });
    expect(mistake('title matches /(?=bit)coin/').reason).toContain('a lookahead "(?="');
    expect(mistake('title matches /a{1000}b{1000}/').reason).toContain('too large once its repeats are counted out');
    expect(mistake('title matches /bit/g').reason).toContain('unsupported flag "g"');
  });

  it('THEN the caps hold: 1,000 characters, 100 tests, nesting 32', () => {
    expect(mistake(`title has "${'a'.repeat(1_000)}"`)).toMatchObject({ column: 1_001, reason: 'a filter is at most 1000 characters; this one is 1012' });
    const tests = Array.from({ length: 101 }, (_, i) => `w${i}`).join(' or ');
    expect(mistake(tests)).toMatchObject({ column: tests.indexOf('w100') + 1, reason: 'more than 100 tests in one filter' });
    expect(() => compile(Array.from({ length: 100 }, (_, i) => `w${i}`).join(' or '))).not.toThrow();
    expect(mistake(`${'('.repeat(33)}bitcoin${')'.repeat(33)}`)).toMatchObject({ column: 33, reason: 'nested more than 32 deep (parentheses and `not`)' });
    expect(mistake(`${'not '.repeat(33)}bitcoin`).column).toBe(129);
    expect(compile(`${'not '.repeat(32)}trump`).test(SOTU).pass).toBe(true);
  });

  it('THEN the error is a user error, and describeError puts a caret under the column', () => {
    const e = mistake('title contains and source = x');
    expect(e).toBeInstanceOf(UserError);
    expect(e.code).toBe('bad-option');
    expect(e.message).toBe('filter: column 16: expected a value after `contains`');
    expect(describeError(e)).toBe(['title contains and source = x', '               ^', 'column 16: expected a value after `contains`'].join('\n'));
    // Columns count characters: the rocket is one, and the caret sits under the mistake.
    expect(describeError(mistake('title has "🚀" and "🚀 x" & y'))).toBe(
      [
        'title has "🚀" and "🚀 x" & y',
        '                        ^',
        'column 25: `&` alone is not an operator: write `&&` or `and`, or put text with `&` in quotes',
      ].join('\n'),
    );
    const long = mistake(`${'bitcoin or '.repeat(10)}titel has x`);
    expect(describeError(long).split('\n')).toStrictEqual([
      // The one caret renderer's window: 60 characters around the column.
      '…n or bitcoin or bitcoin or bitcoin or bitcoin or titel has x',
      '                                                  ^',
      'column 111: unknown field `titel` (did you mean title?)',
    ]);
  });
});

describe('GIVEN text typed or pasted with characters beyond ASCII', () => {
  it('THEN the 1,000 cap counts characters, so 980 emoji fit, and a no-break space separates words as a space does', () => {
    expect(() => compile(`title contains "${'📰'.repeat(980)}"`)).not.toThrow();
    expect(mistake(`title contains "${'📰'.repeat(990)}"`).reason).toBe('a filter is at most 1000 characters; this one is 1007');
    // Pasted from a web page: `title contains markets` with no-break spaces is that test, not one long word.
    const rally = article({ title: 'Markets rally' });
    expect(compile('title\u00a0contains\u00a0markets').test(rally)).toStrictEqual({
      pass: true,
      because: 'passed: title\u00a0contains\u00a0markets (title is "Markets rally")',
    });
    expect(mistake('titel\u00a0contains markets').reason).toBe('unknown field `titel` (did you mean title?)');
  });
});
