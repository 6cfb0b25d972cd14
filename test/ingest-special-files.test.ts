/**
 * Paths named to ingest that are neither a file nor a folder (a FIFO, a device) are refused with
 * their kind named, and the files beside them are read: a device has no size to cap (/dev/zero
 * would be read until memory ran out) and a pipe whose writer stalls would hold the reader for ever.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectFiles, emptyReport } from '../src/app/library/ingest.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-special-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('GIVEN a file, a FIFO and /dev/zero named to ingest', () => {
  it('THEN the file is read and the other two are failures naming what they are', async () => {
    const file = join(dir, 'harbour.txt');
    writeFileSync(file, 'Harbour news\n\nThe ferry is late.\n');
    const fifo = join(dir, 'pipe.txt');
    execFileSync('mkfifo', [fifo]);
    const report = emptyReport();
    expect(await collectFiles([fifo, file, '/dev/zero'], report)).toEqual([file]);
    expect(report.failures).toEqual([
      { file: fifo, error: `${fifo}: expected a file or a folder, got a pipe (FIFO); it was not read` },
      { file: '/dev/zero', error: '/dev/zero: expected a file or a folder, got a device; it was not read' },
    ]);
  });
});
