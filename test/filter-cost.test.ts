/**
 * What one filter may cost per article (cost.ts): its regular expressions together are capped in RE2
 * steps when it is compiled, and in how much of an article they read, so a filter built to be slow
 * is refused or reads less, never freezes the bot. The worst times are printed by bench/filter-worst.ts.
 */
import { describe, expect, it } from 'vitest';
import { FilterSyntaxError, MAX_FILTER_STEPS, MAX_REGEX_WORK, compileExpression, explain } from '../src/app/filters/expression.ts';
import { article } from './helpers/articles.ts';

const HEAVY = '/(?:\\p{L}|\\s){1,200}\\d/';

function refusal(text: string): FilterSyntaxError {
  try {
    compileExpression(text);
  } catch (error) {
    if (error instanceof FilterSyntaxError) return error;
    throw error;
  }
  throw new Error(`compiled: ${text}`);
}

describe('GIVEN regular expressions whose steps add up', () => {
  it('THEN one heavy pattern compiles, and the one that takes the filter past the cap is named at its column with both limits', () => {
    expect(() => compileExpression(`body matches ${HEAVY}`)).not.toThrow();
    const text = `body matches ${HEAVY} or title matches ${HEAVY} or text matches ${HEAVY}`;
    const e = refusal(text);
    expect(e.column).toBe(text.lastIndexOf('/(?:') + 1);
    expect(e.reason).toBe(
      `the regular expressions of one filter come to at most ${MAX_FILTER_STEPS.toLocaleString('en-US')} RE2 steps together; with this one they come to 1,206 (use fewer patterns, smaller counts in {n,m}, or \`contains\`/\`has\`)`,
    );
  });

  it('THEN twenty heavy patterns or-ed, the 9.3 s filter of the review, are refused at the third', () => {
    const text = Array.from({ length: 20 }, () => HEAVY).join(' or ');
    expect(refusal(text).column).toBe(2 * (HEAVY.length + 4) + 1);
  });
});

describe('GIVEN a long body and patterns of different sizes', () => {
  const needleAt = (at: number) => article({ title: 'Markets', text: `${'word '.repeat(at / 5)}needle 7 ${'word '.repeat(3_000)}` });

  it('THEN a small pattern reads far into the body and a heavy one only its start, saying how far it read', () => {
    // `/needle \d/` is a few steps: it reads thousands of characters.
    expect(compileExpression('body matches /needle \\d/').test(needleAt(5_000)).pass).toBe(true);
    const heavy = compileExpression(`body matches ${HEAVY}`);
    // 402 steps and 8 for starting: MAX_REGEX_WORK / 410 characters.
    const reads = Math.floor(MAX_REGEX_WORK / 410);
    expect(heavy.test(needleAt(0)).pass).toBe(true);
    expect(heavy.test(needleAt(5_000)).because).toBe(
      `blocked by: body matches ${HEAVY} (not in the first ${reads.toLocaleString('en-US')} characters of the body (what this filter's patterns read))`,
    );
    // explain runs the same tests on the same budget.
    expect(explain(heavy, needleAt(5_000))).toStrictEqual([
      `body matches ${HEAVY}: false (not in the first ${reads.toLocaleString('en-US')} characters of the body (what this filter's patterns read))`,
    ]);
  });

  it('THEN contains and has still read the whole capped body, whatever patterns sit beside them', () => {
    const far = needleAt(15_000);
    expect(compileExpression(`body matches ${HEAVY} or body has needle`).test(far).because).toBe(
      'passed: body has needle (found: "…word word word word word word needle 7 word word word word word wo…")',
    );
  });
});
