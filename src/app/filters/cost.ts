/**
 * What one filter may cost per article. RE2 runs in time linear in the text, but the factor is the
 * pattern's size: each character can step every instruction of the program, at up to ~0.1 µs a
 * step on this machine (`(?:\p{L}|\s){1,200}\d`, 402 steps, took 413 ms over 20,000 letters). So
 * the regular expressions of one filter are capped together twice: in steps when it is compiled,
 * and in steps × characters read per article, which sets how much of the article they read.
 * `npx tsx bench/filter-worst.ts` prints the worst case measured under these caps.
 */
import { FILTER_BODY_CHARS, FILTER_TITLE_CHARS } from './texts.ts';
import { FilterSyntaxError } from './errors.ts';
import type { Node, TestNode } from './parse.ts';

/** RE2 steps (compiled instructions) all regular expressions of one filter come to together. */
export const MAX_FILTER_STEPS = 1_000;

/**
 * Steps × characters all regular expressions of one filter may run on one article: about 20 ms at
 * the worst rate measured. Each pattern counts 8 steps more (cost.ts PATTERN_STEPS): a filter whose
 * one pattern is `/bitcoin|btc/i` (12 steps) reads 10,000 characters of each field; at 1,000 steps, 198.
 */
export const MAX_REGEX_WORK = 200_000;

/** What a pattern costs per character beyond its steps (the work of starting a match at each one), in steps. */
const PATTERN_STEPS = 8;

/** Every text a filter reads is at most this long (title and body caps together). */
const ALL_CHARS = FILTER_TITLE_CHARS + FILTER_BODY_CHARS;

function regexTests(node: Node): TestNode[] {
  if (node.kind === 'test') return node.value.kind === 'regex' ? [node] : [];
  if (node.kind === 'not') return regexTests(node.child);
  return node.children.flatMap(regexTests);
}

/**
 * How many characters of a field each regular expression of the filter reads (all of it when there
 * is none); throws a FilterSyntaxError at the pattern that takes the filter past MAX_FILTER_STEPS.
 */
export function regexBudget(node: Node, expression: string): number {
  let steps = 0;
  let patterns = 0;
  for (const test of regexTests(node)) {
    if (test.value.kind !== 'regex') continue;
    patterns++;
    steps += test.value.steps;
    if (steps > MAX_FILTER_STEPS)
      throw new FilterSyntaxError(
        test.valueColumn,
        `the regular expressions of one filter come to at most ${MAX_FILTER_STEPS.toLocaleString('en-US')} RE2 steps together; with this one they come to ${steps.toLocaleString('en-US')} (use fewer patterns, smaller counts in {n,m}, or \`contains\`/\`has\`)`,
        expression,
      );
  }
  const work = steps + patterns * PATTERN_STEPS;
  return work === 0 ? ALL_CHARS : Math.min(ALL_CHARS, Math.floor(MAX_REGEX_WORK / work));
}
