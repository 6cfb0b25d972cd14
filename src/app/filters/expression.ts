/**
 * The filter language (issue 17): an expression over an article's fields with AND, OR, NOT and
 * parentheses, e.g. `(title has bitcoin or category = crypto) and not source = "Daily Hype"`.
 * `compileExpression` throws a FilterSyntaxError naming the column of a mistake; each verdict says
 * which test decided it and what the article had. The syntax is in /tmp/readme/filters.md
 * (README: Filters); lexer.ts, parse.ts, values.ts and evaluate.ts hold the parts.
 */
import type { Article } from '../../core/model.ts';
import { FilterSyntaxError } from './errors.ts';
import { regexBudget } from './cost.ts';
import { evaluate, runTest, testsOf } from './evaluate.ts';
import { Reading } from './fields.ts';
import { MAX_EXPRESSION_CHARS, type Node, parse } from './parse.ts';

export { FilterSyntaxError, describeError } from './errors.ts';
export { MAX_EXPRESSION_CHARS, MAX_NESTING, MAX_TESTS } from './parse.ts';
export { MAX_FILTER_STEPS, MAX_REGEX_WORK } from './cost.ts';

export interface FilterVerdict {
  readonly pass: boolean;
  /** The test that decided it, as typed (`title contains "bitcoin"`), and what the article had. */
  readonly because: string;
}

export interface CompiledFilter {
  readonly source: string;
  test(article: Article): FilterVerdict;
}

export interface CompileOptions {
  /**
   * The time relative dates (`published > 7d`) count back from, asked at each test.
   * @default () => new Date()
   */
  readonly now?: () => Date;
}

/** What explain() and test() need beyond the contract: the tree, kept out of sight. */
const trees = new WeakMap<CompiledFilter, { node: Node | null; now: () => Date; regexChars: number }>();

/**
 * Compiles `text`; throws FilterSyntaxError. A blank expression is no filter: every article passes.
 *
 * @example compileExpression('title has bitcoin and comments >= 10').test(article)
 */
export function compileExpression(text: string, options: CompileOptions = {}): CompiledFilter {
  // Characters as a person counts them (an emoji is one), as columns are; never more than twice as many UTF-16 units.
  const chars = text.length > MAX_EXPRESSION_CHARS ? Array.from(text).length : text.length;
  if (chars > MAX_EXPRESSION_CHARS) {
    throw new FilterSyntaxError(MAX_EXPRESSION_CHARS + 1, `a filter is at most ${MAX_EXPRESSION_CHARS} characters; this one is ${chars}`, text);
  }
  const node = text.trim() === '' ? null : parse(text);
  const now = options.now ?? (() => new Date());
  const regexChars = node === null ? 0 : regexBudget(node, text);
  const compiled: CompiledFilter = {
    source: text,
    test(article: Article): FilterVerdict {
      if (node === null) return { pass: true, because: 'no filter' };
      const outcome = evaluate(node, new Reading(article, regexChars), now().getTime());
      return { pass: outcome.pass, because: `${outcome.pass ? 'passed' : 'blocked by'}: ${outcome.detail}` };
    },
  };
  trees.set(compiled, { node, now, regexChars });
  return compiled;
}

/**
 * Each test of the filter in the order written, with whether it holds for `article` and what the
 * article had (`title has "bitcoin": true (found: "…")`), for /preview. Every test is run, also
 * those the verdict did not need. A filter not made by compileExpression is compiled again.
 */
export function explain(compiled: CompiledFilter, article: Article): string[] {
  const tree = trees.get(compiled) ?? trees.get(compileExpression(compiled.source));
  if (!tree?.node) return [];
  const reading = new Reading(article, tree.regexChars);
  const now = tree.now().getTime();
  return testsOf(tree.node).map((t) => {
    const r = runTest(t, reading, now);
    return `${t.written}: ${r.matched} (${r.had})`;
  });
}
