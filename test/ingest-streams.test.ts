/**
 * Files read as streams: a .jsonl file line by line and a .json array element by element, each
 * record decoded and checked alone, and the cap on what is read into memory at once
 * (INGEST_MAX_MB), through `paperboy ingest` as a user runs it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cliWith } from './helpers/cli.ts';

let dir: string;
const cli = cliWith(() => join(dir, 'streams.db'));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-streams-'));
});
afterEach(() => vi.unstubAllEnvs());

const article = (i: number, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ title: `Harbour report ${i}`, url: `https://example.org/harbour/${i}`, body: `Ships in port on day ${i}.`, ...extra });

async function titles(): Promise<string[]> {
  return (JSON.parse((await cli('list', '--json')).stdout) as { title: string }[]).map((a) => a.title);
}

describe('GIVEN a .jsonl file of 2,000 lines with a byte that is not UTF-8 on line 1,000', () => {
  it('THEN every other line is stored, and the failure names line 1,000, the byte and its column', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => Buffer.from(article(i + 1)));
    // A Latin-1 "é" (0xE9) where UTF-8 needs two bytes, in the title of line 1,000.
    lines[999] = Buffer.concat([Buffer.from('{"title": "Caf'), Buffer.from([0xe9]), Buffer.from('", "body": "Text."}')]);
    const file = join(dir, 'reports.jsonl');
    writeFileSync(file, Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])));
    const r = await cli('ingest', file);
    expect(r.stdout).toContain('added 1999, updated 0, unchanged 0, failed 1');
    expect(r.stderr).toContain(`failed: ${file}:1000: expected UTF-8 text (byte 0xE9 at column 15 is not UTF-8)`);
    expect(r.code).toBe(1);
  });
});

describe('GIVEN a .jsonl file with a byte-order mark, CRLF line ends, blank lines and a line over the cap', () => {
  it('THEN the mark and the CRs are dropped, blank lines skipped, and only the long line fails, named with its size and the cap', async () => {
    vi.stubEnv('INGEST_MAX_MB', '0.01'); // 10.5 kB
    const long = article(2, { body: 'x'.repeat(20_000) });
    writeFileSync(join(dir, 'windows.jsonl'), `\uFEFF${article(1)}\r\n${long}\r\n\r\n   \r\n${article(3)}\r\n`);
    const r = await cli('ingest', join(dir, 'windows.jsonl'));
    expect(r.stdout).toContain('added 2, updated 0, unchanged 0, failed 1');
    expect(r.stderr).toContain(`windows.jsonl:2: expected a line of at most 10.2 kB (INGEST_MAX_MB), got 19.6 kB; it was skipped`);
    expect((await titles()).sort()).toEqual(['Harbour report 1', 'Harbour report 3']);
  });
});

describe('GIVEN a .json array larger than the cap', () => {
  it('THEN it is streamed element by element and stored whole, while a single object over the cap is refused naming file, size and cap', async () => {
    vi.stubEnv('INGEST_MAX_MB', '0.05'); // 51.2 kB
    const many = Array.from({ length: 600 }, (_, i) => article(i + 1, { comments: [{ text: 'Seen from the pier. '.repeat(5) }] }));
    writeFileSync(join(dir, 'many.json'), `\uFEFF[\n${many.join(',\n')}\n]\n`);
    writeFileSync(join(dir, 'one.json'), article(9999, { body: 'y'.repeat(80_000) }));
    const r = await cli('ingest', join(dir, 'many.json'), join(dir, 'one.json'));
    expect(r.stdout).toContain('added 600, updated 0, unchanged 0, failed 1');
    expect(r.stderr).toContain(
      `failed: ${join(dir, 'one.json')}: expected a file of at most 51.2 kB (INGEST_MAX_MB), got 78.2 kB; it was not read; a .json array or a .jsonl file is read one article at a time, at any size`,
    );
  });
});

describe('GIVEN a .json array with a bad element, a repeated article and an element over the cap', () => {
  it('THEN each fails or warns alone, named by its line and its index, and the rest is stored', async () => {
    vi.stubEnv('INGEST_MAX_MB', '0.01');
    const elements = [
      article(1),
      article(2, { rating: 5 }), // an unknown key
      article(3, { body: 'z'.repeat(20_000) }),
      `  ${article(1)}`, // the same article as [0]
      Buffer.concat([Buffer.from('{"title": "Na'), Buffer.from([0xef, 0xbf]), Buffer.from('", "body": "x"}')]).toString('latin1'),
      article(6),
    ];
    writeFileSync(join(dir, 'mixed.json'), Buffer.from(`[\n${elements.join(',\n')}\n]`, 'latin1'));
    const r = await cli('ingest', join(dir, 'mixed.json'));
    const file = join(dir, 'mixed.json');
    expect(r.stdout).toContain('added 2, updated 0, unchanged 1, failed 3');
    expect(r.stderr).toContain(`failed: ${file}:3: expected only known keys in \`[1]\`, got unknown key "rating"`);
    expect(r.stderr).toContain(`failed: ${file}:4: expected an article (\`[2]\`) of at most 10.2 kB (INGEST_MAX_MB), got 19.6 kB; it was skipped`);
    expect(r.stderr).toMatch(/failed: .*mixed\.json:6: expected UTF-8 text \(byte 0xEF at column 14 is not UTF-8\)/);
    expect(r.stderr).toContain('`[3]` is the same article as `[0]`');
    expect((await titles()).sort()).toEqual(['Harbour report 1', 'Harbour report 6']);
  });

  it('THEN a missing comma stops the array there, naming line and column, after storing what came before', async () => {
    const file = join(dir, 'comma.json');
    writeFileSync(file, `[\n${article(1)},\n${article(2)}\n${article(3)}\n]`);
    const r = await cli('ingest', file);
    expect(r.stdout).toContain('added 2, updated 0, unchanged 0, failed 1');
    expect(r.stderr).toContain(`failed: ${file}:4: expected ',' or ']' after the array element at column 1 (invalid JSON)`);
  });
});

describe('GIVEN a .jsonl file of 5,000 bad lines and one good one', () => {
  it('THEN all 5,000 are counted, the first 1,000 listed and the rest summed up in one line, so memory holds no more', async () => {
    const file = join(dir, 'noise.jsonl');
    writeFileSync(file, `${'{"title":\n'.repeat(5000)}${article(1)}\n`);
    const r = await cli('ingest', file);
    expect(r.stdout).toContain('added 1, updated 0, unchanged 0, failed 5000');
    expect(r.stderr.split('\n').filter((l) => l.startsWith('failed: '))).toHaveLength(1000);
    expect(r.stderr).toContain('and 4,000 more failures not listed (only the first 1000 of each are)');
    const json = JSON.parse((await cli('ingest', '--json', file)).stdout) as { failed: number; failures: unknown[]; unlisted: { failures: number } };
    expect([json.failed, json.failures.length, json.unlisted.failures]).toEqual([5000, 1000, 4000]);
  });
});
