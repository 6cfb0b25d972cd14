/**
 * Records out of a byte stream, one at a time, so memory holds one record however large the file:
 * the lines of a JSON Lines file, and the elements of a JSON array. Both work on bytes, not text,
 * so that a byte that is not UTF-8 spoils only the record it is in, and a record over the size cap
 * is skipped (and reported) without being held. Each is a single pass over the bytes, with no
 * regular expression, so the time is linear in the size of the file.
 *
 * Why not a streaming JSON library (@streamparser/json was tried for issue 14): it checks every
 * token of every element as it goes, and its first complaint ends the stream, so one element with a
 * byte that is not UTF-8, a `NaN` (Python's json.dumps writes them) or a raw tab in a string would
 * lose every element after it, where here that element alone fails (test/ingest-streams.test.ts).
 * It also hands over values or tokens with byte offsets, not each element's bytes with its line and
 * column, which the size cap, the UTF-8 check and the error messages need; and on a 150 MB array
 * it was no faster than this walker.
 */
import { ParseError } from '../../core/errors.ts';

/** A record's bytes and where it starts in the file; `bytes` is null when it was over the cap. */
export interface ByteRecord {
  /** 1-based line of the record's first byte. */
  readonly line: number;
  /** 1-based column (in characters) of the record's first byte. */
  readonly column: number;
  /** 0-based position among the records (the array index; for lines, the count of records before). */
  readonly index: number;
  readonly bytes: Buffer | null;
  /** The record's size in bytes, counted even when it was not kept. */
  readonly size: number;
}

/** Collects one record's bytes up to a cap, keeping slices of the chunks rather than copying them. */
class Collector {
  private pieces: Buffer[] = [];
  size = 0;

  constructor(private readonly maxBytes: number) {}

  add(piece: Buffer): void {
    this.size += piece.length;
    if (this.size > this.maxBytes) this.pieces = [];
    else if (piece.length > 0) this.pieces.push(piece);
  }

  take(): { bytes: Buffer | null; size: number } {
    const bytes = this.size > this.maxBytes ? null : Buffer.concat(this.pieces, this.size);
    const size = this.size;
    this.pieces = [];
    this.size = 0;
    return { bytes, size };
  }
}

const LF = 0x0a;
const CR = 0x0d;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The non-blank lines of a stream, split on the newline byte, without their `\r` (CRLF files)
 * and, on line 1, without a byte-order mark. A line over `maxBytes` comes with `bytes: null`.
 */
export async function* splitLines(chunks: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<ByteRecord> {
  const line = new Collector(maxBytes + 1); // +1: the `\r` of a CRLF line is not the record's
  let number = 1;
  let index = 0;
  const finish = function* (): Generator<ByteRecord> {
    const { bytes: taken, size } = line.take();
    let bytes = taken;
    if (bytes && bytes.at(-1) === CR) bytes = bytes.subarray(0, -1);
    if (bytes && number === 1 && bytes.subarray(0, 3).equals(BOM)) bytes = bytes.subarray(3);
    if (bytes && bytes.length > maxBytes) bytes = null;
    const blank = bytes !== null && bytes.every((b) => b === 0x20 || b === 0x09 || b === CR);
    if (!blank && size > 0) yield { line: number, column: 1, index: index++, bytes, size };
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf(LF); nl !== -1; nl = chunk.indexOf(LF, start)) {
      line.add(chunk.subarray(start, nl));
      yield* finish();
      number++;
      start = nl + 1;
    }
    line.add(chunk.subarray(start));
  }
  yield* finish();
}

type State = 'start' | 'before-element' | 'element' | 'after-element' | 'end';

/**
 * The elements of a JSON array, each as its own bytes, for `JSON.parse` to read one at a time.
 * Only the array's own punctuation is checked here (an element's inside is left to the parser):
 * a missing comma, a trailing comma or text after the array throws a {@link ParseError} at that
 * line, after the elements before it were given. An element over `maxBytes` comes with `bytes: null`.
 */
export async function* splitJsonArray(file: string, chunks: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<ByteRecord> {
  let state: State = 'start';
  let line = 1;
  let column = 1;
  let position = 0; // bytes read so far, to know a byte-order mark (which may span chunks)
  let index = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let startLine = 0;
  let startColumn = 0;
  const element = new Collector(maxBytes);
  const fail = (expected: string): never => {
    throw new ParseError(file, line, `${expected} at column ${column} (invalid JSON)`);
  };
  for await (const chunk of chunks) {
    let from = 0;
    let i = 0;
    while (i < chunk.length) {
      const b = chunk[i] as number;
      if (position < 3 && state === 'start' && b === BOM[position]) {
        position++;
        i++;
        continue;
      }
      position = 3;
      const space = b === 0x20 || b === LF || b === CR || b === 0x09;
      if (state === 'element') {
        let ended = false;
        let include = true;
        if (inString) {
          if (escaped) escaped = false;
          else if (b === 0x5c) escaped = true;
          else if (b === 0x22) inString = false;
        } else if (b === 0x22) inString = true;
        else if (b === 0x7b || b === 0x5b) depth++;
        else if ((b === 0x7d || b === 0x5d) && depth > 0) ended = --depth === 0;
        else if (depth === 0 && (b === 0x2c || b === 0x5d || space)) [ended, include] = [true, false];
        if (ended) {
          element.add(chunk.subarray(from, include ? i + 1 : i));
          const { bytes, size } = element.take();
          yield { line: startLine, column: startColumn, index: index++, bytes, size };
          state = 'after-element';
          if (!include) continue; // the byte that ended a bare value is the array's, read it again
        }
      } else if (!space) {
        if (state === 'start') {
          if (b !== 0x5b) fail("'[' (a streamed JSON file is an array)");
          state = 'before-element';
        } else if (state === 'before-element') {
          if (b === 0x5d && index === 0) state = 'end';
          else if (b === 0x5d || b === 0x2c) fail('a JSON value');
          else {
            [state, from, depth, inString, escaped, startLine, startColumn] = ['element', i, 0, false, false, line, column];
            continue; // the element's first byte is read again as part of it
          }
        } else if (state === 'after-element') {
          if (b === 0x2c) state = 'before-element';
          else if (b === 0x5d) state = 'end';
          else fail("',' or ']' after the array element");
        } else fail('the end of the JSON text');
      }
      if (b === LF) {
        line++;
        column = 1;
      } else if ((b & 0xc0) !== 0x80) column++;
      i++;
    }
    if (state === 'element') element.add(chunk.subarray(from));
    from = 0;
  }
  if (state === 'element') fail(inString ? 'a string closed before the end of the file' : 'the rest of the array element (the file ends inside it)');
  if ((state as State) !== 'end') fail(state === 'start' ? 'a JSON array' : "']' (the file ends before the array is closed)");
}
