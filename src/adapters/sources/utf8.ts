/**
 * Strict UTF-8: a byte that is not UTF-8 is an error naming where it is, never a silent U+FFFD,
 * because the bot quotes sources verbatim and a replaced character would be a misquote.
 */

/**
 * The offset of the first byte that does not start a valid UTF-8 sequence, or -1 when all of
 * `bytes` is UTF-8 (overlong forms, surrogates and code points above U+10FFFF are invalid, as in
 * `TextDecoder` with `fatal: true`).
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Where a byte offset falls in text: its 1-based line and column (in characters). */
export function bytePosition(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let k = 0; k < offset; k++) {
    const b = bytes[k] ?? 0;
    if (b === 0x0a) {
      line++;
      column = 1;
    } else if ((b & 0xc0) !== 0x80) column++;
  }
  return { line, column };
}

/** What to say about a bad byte: `byte 0xFF at column 12 is not UTF-8` (`at line 3, column 12` when a line is given). */
export function describeBadByte(bytes: Uint8Array, offset: number, column: number, line?: number): string {
  const hex = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0');
  return `UTF-8 text (byte 0x${hex} at ${line === undefined ? '' : `line ${line}, `}column ${column} is not UTF-8)`;
}
