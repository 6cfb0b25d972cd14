/**
 * The filter language (issue 17): CONTRACT STUB, replaced by the filter work. An expression over an
 * article's fields with AND, OR, NOT and parentheses; `compileExpression` throws a
 * FilterSyntaxError naming the column of a mistake; each verdict says which test decided it.
 */
import type { Article } from '../../core/model.ts';
import { UserError } from '../../core/errors.ts';

export class FilterSyntaxError extends UserError {
  override readonly name = 'FilterSyntaxError';
  constructor(
    /** 1-based column of the mistake in the expression as typed. */
    readonly column: number,
    /** What is wrong there, in plain words. */
    readonly reason: string,
    readonly expression: string,
  ) {
    super('bad-option', `filter: column ${column}: ${reason}`);
  }
}

export interface FilterVerdict {
  readonly pass: boolean;
  /** The test that decided it, as typed (`title contains "bitcoin"`), and what the article had. */
  readonly because: string;
}

export interface CompiledFilter {
  readonly source: string;
  test(article: Article): FilterVerdict;
}

/** Compiles `text`; throws FilterSyntaxError. STUB: accepts everything. */
export function compileExpression(text: string): CompiledFilter {
  return { source: text, test: () => ({ pass: true, because: 'no filter' }) };
}
