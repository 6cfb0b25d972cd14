/** Date options (`--from`, `--to`): a real calendar day as YYYY-MM-DD, or a usage error naming the option. */
import { DAY_SHAPE, notADay } from '../../core/text/day.ts';
import { UserError } from '../../core/errors.ts';

/** A commander option parser for a date option called `name`. */
export function dateOption(name: string): (value: string) => string {
  return (value) => {
    if (!DAY_SHAPE.test(value)) throw new UserError('bad-option', `${name}: expected a date as YYYY-MM-DD, got \`${value}\``);
    const why = notADay(value);
    if (why) throw new UserError('bad-option', `${name}: ${value} is not a date (${why})`);
    return value;
  };
}

/** A range that ends before it starts finds nothing: say so, rather than answer "no results". */
export function checkRange(from: string | undefined, to: string | undefined): void {
  if (from !== undefined && to !== undefined && from > to) throw new UserError('bad-option', `--from ${from} is after --to ${to}: nothing can match`);
}
