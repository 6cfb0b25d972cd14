/**
 * A regular expression an admin typed, run on RE2 (the re2js port): matching takes time linear in
 * the text whatever the pattern, so no pattern can stall a delivery run. Patterns are written as
 * in JavaScript with the `u` flag (given or not), so `\p{L}` is a letter in both; what RE2 cannot do
 * in linear time (lookahead, lookbehind, backreferences) is refused, naming the construct and where
 * it is.
 */
import { RE2JS } from 're2js';

export class PatternError extends Error {
  override readonly name = 'PatternError';
}

/** What `/pattern/flags` may carry. */
const FLAGS: ReadonlyMap<string, number> = new Map([
  ['i', RE2JS.CASE_INSENSITIVE],
  ['m', RE2JS.MULTILINE],
  ['s', RE2JS.DOTALL],
  // RE2 always matches by code point, as JavaScript does with `u`.
  ['u', 0],
]);

export const MAX_PATTERN_LENGTH = 300;

/**
 * RE2's time is linear in the text times the compiled program's size, and past about 1,600
 * instructions its DFA cache gives way to the much slower NFA (`(?:\p{L}|\s){1,1000}\d` took 1.5 s
 * on 20,000 characters; at 1,000 instructions, 40 ms). Counted repeats are what grow a program.
 */
export const MAX_PROGRAM_SIZE = 1000;

const NOT_IN_RE2 = 'filters run on RE2, which matches in linear time and so has no lookahead, lookbehind or backreferences';

/** The first construct RE2 does not support, described for the user; undefined when there is none. */
function unsupported(pattern: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const at = `at character ${i + 1}`;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      // Inside a class `\1` is an octal escape, not a reference.
      if (!inClass && next >= '1' && next <= '9') return `a backreference "\\${next}" ${at}`;
      if (!inClass && next === 'k' && pattern[i + 2] === '<') return `a named backreference "\\k<…>" ${at}`;
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      // In JavaScript `[]` is an empty class and `[^]` any character: that `]` closes them.
      const close = pattern.startsWith(']', i + 1) ? i + 1 : pattern.startsWith('^]', i + 1) ? i + 2 : -1;
      if (close >= 0) i = close;
      else inClass = true;
    } else if (c === '(' && pattern[i + 1] === '?') {
      const kind = pattern.slice(i + 2, i + 4);
      if (kind.startsWith('=')) return `a lookahead "(?=" ${at}`;
      if (kind.startsWith('!')) return `a negative lookahead "(?!" ${at}`;
      if (kind === '<=') return `a lookbehind "(?<=" ${at}`;
      if (kind === '<!') return `a negative lookbehind "(?<!" ${at}`;
    }
  }
  return undefined;
}

/** Compiles `pattern` with JavaScript flag letters; throws a PatternError saying what is wrong. */
export function compileUserPattern(pattern: string, flags: string): RE2JS {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new PatternError(`the pattern is ${pattern.length} characters long; at most ${MAX_PATTERN_LENGTH}`);
  let bits = 0;
  for (const flag of flags) {
    const bit = FLAGS.get(flag);
    if (bit === undefined) throw new PatternError(`unsupported flag "${flag}" in "${flags}": use i, m, s or u`);
    bits |= bit;
  }
  // JavaScript's own parser first, so a typo gets the message a JavaScript user knows. Always with
  // `u`, as RE2 reads every pattern: without it JavaScript takes an unknown escape for a letter
  // (`\z`, `\Q…\E`, `\C`) and a stray `]` for itself (`[[:alpha:]]`), which RE2 reads otherwise.
  try {
    new RegExp(pattern, flags.includes('u') ? flags : `${flags}u`);
  } catch (error) {
    throw new PatternError(`not a valid regular expression (patterns are read as with the u flag): ${(error as Error).message}`);
  }
  const refused = unsupported(pattern);
  if (refused) throw new PatternError(`the pattern uses ${refused}: ${NOT_IN_RE2}`);
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(RE2JS.translateRegExp(pattern), bits);
  } catch (error) {
    throw new PatternError(`RE2 cannot run this pattern (${(error as Error).message})`);
  }
  const size = programSize(compiled);
  if (size > MAX_PROGRAM_SIZE) {
    throw new PatternError(
      `the pattern is too large once its repeats are counted out (${size} steps; at most ${MAX_PROGRAM_SIZE}): use smaller counts in {n,m}`,
    );
  }
  return compiled;
}

/** The instructions RE2 runs over for `compiled`: its time per character grows with them. */
export function programSize(compiled: RE2JS): number {
  // re2js types its program as `any`; numInst() is the instruction count RE2 runs over.
  const prog = compiled.re2().prog as { numInst(): number };
  return prog.numInst();
}
