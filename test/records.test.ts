/** The byte-level splitters behind streamed ingest: any chunking gives the same records. */
import { describe, expect, it } from 'vitest';
import { ParseError } from '../src/core/errors.ts';
import { type ByteRecord, splitJsonArray, splitLines } from '../src/adapters/sources/records.ts';

async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) {
    // As a file stream does, each chunk arrives on a later turn.
    await Promise.resolve();
    yield bytes.subarray(i, i + size);
  }
}

async function all(records: AsyncIterable<ByteRecord>): Promise<ByteRecord[]> {
  const out: ByteRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
}

const TRICKY = `\uFEFF [ {"a": "x],\\"}{["}, [1, [2, {"b": []}]] ,\n"str\\\\", -1.5e3,true , null,{"é": "ü\\u0022"}\r\n,{} ]  \n`;

describe('GIVEN a JSON array with strings holding brackets, escapes, nesting and bare values', () => {
  it('THEN every chunk size from 1 to 9 bytes gives the same elements, each as JSON.parse reads it, with its line and column', async () => {
    const expected = (JSON.parse(TRICKY.slice(1)) as unknown[]).map((v) => JSON.stringify(v));
    for (let size = 1; size <= 9; size++) {
      const records = await all(splitJsonArray('t.json', chunked(Buffer.from(TRICKY), size), 1000));
      expect(records.map((r) => JSON.stringify(JSON.parse(String(r.bytes))))).toEqual(expected);
      expect(records.map((r) => [r.index, r.line, r.column])).toEqual([
        [0, 1, 4],
        [1, 1, 23],
        [2, 2, 1],
        [3, 2, 10],
        [4, 2, 17],
        [5, 2, 24],
        [6, 2, 29],
        [7, 3, 2],
      ]);
    }
  });

  it('THEN an empty array has no elements, and broken punctuation is a ParseError naming line and column', async () => {
    expect(await all(splitJsonArray('t.json', chunked(Buffer.from(' [ ] '), 2), 100))).toEqual([]);
    const error = async (text: string): Promise<string> => {
      try {
        await all(splitJsonArray('t.json', chunked(Buffer.from(text), 3), 100));
      } catch (e) {
        if (e instanceof ParseError) return e.message;
        throw e;
      }
      return 'no error';
    };
    expect(await error('[1,]')).toBe('t.json:1: expected a JSON value at column 4 (invalid JSON)');
    expect(await error('[1 2]')).toBe("t.json:1: expected ',' or ']' after the array element at column 4 (invalid JSON)");
    expect(await error('[1]\nx')).toBe('t.json:2: expected the end of the JSON text at column 1 (invalid JSON)');
    expect(await error('[{"a": "b')).toBe('t.json:1: expected a string closed before the end of the file at column 10 (invalid JSON)');
    expect(await error('[1,\n2')).toBe('t.json:2: expected the rest of the array element (the file ends inside it) at column 2 (invalid JSON)');
  });

  it('THEN an element over the cap comes without its bytes but with its size, and the next one is whole', async () => {
    const records = await all(splitJsonArray('t.json', chunked(Buffer.from(`["${'x'.repeat(50)}", "ok"]`), 7), 20));
    expect(records.map((r) => [r.bytes === null ? null : String(r.bytes), r.size])).toEqual([
      [null, 52],
      ['"ok"', 4],
    ]);
  });
});

describe('GIVEN lines with a BOM, CRLF, blank lines and one over the cap', () => {
  it('THEN lines come without BOM or CR, blank ones are skipped, the long one has no bytes, in any chunking', async () => {
    const text = Buffer.from(`\uFEFFone\r\n\r\n  \ntwo${'!'.repeat(30)}\nthree\r\nlast`);
    for (let size = 1; size <= 5; size++) {
      const records = await all(splitLines(chunked(text, size), 10));
      expect(records.map((r) => [r.line, r.bytes === null ? null : String(r.bytes)])).toEqual([
        [1, 'one'],
        [4, null],
        [5, 'three'],
        [6, 'last'],
      ]);
    }
  });
});
