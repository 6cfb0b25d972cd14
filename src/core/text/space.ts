/**
 * White space as a regular expression's `\s` means it, one character at a time: for the hand-written
 * scans that replace backtracking patterns over outside text, so each keeps the verdicts it replaced.
 */
const SPACE = /\s/;

/** Whether the UTF-16 code unit `code` is white space in the sense of `\s`. */
export function isSpace(code: number): boolean {
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return SPACE.test(String.fromCharCode(code));
}

/** Whether `code` ends a line for `^` and `$` under the `m` flag: \n, \r, U+2028, U+2029. */
export function isLineEnd(code: number): boolean {
  return code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029;
}
