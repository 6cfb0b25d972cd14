/**
 * Reading source files for ingest: folders walked, files read one at a time, and JSON Lines and
 * `.json` arrays streamed record by record, each capped in size and checked as UTF-8.
 */
import { type Stats, createReadStream } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { errorMessage } from '../../core/errors.ts';
import { startsDiscussionArray } from '../discussions/saved.ts';
import { type ByteRecord, splitJsonArray, splitLines } from './records.ts';
import { type IngestReport, addFailure, formatSize } from './report.ts';
import { bytePosition, describeBadByte, firstInvalidUtf8 } from './utf8.ts';

/** Extensions ingest reads; other files found in folders are listed as skipped, never read. */
export const INGEST_EXTENSIONS: readonly string[] = ['.txt', '.json', '.jsonl', '.rss', '.atom', '.rdf', '.xml'];

export interface SourceFile {
  /** A name for messages: the path as given. */
  readonly file: string;
  /** For one line of a JSON Lines file: its line number. */
  readonly line?: number;
  /** For one element of a JSON array read as a stream: where it starts in the file. */
  readonly element?: { readonly index: number; readonly line: number; readonly column: number };
  readonly content: Buffer | string;
}

/**
 * The most bytes read into memory at once: a whole `.txt`, feed or single-object `.json` file, or
 * one line of a `.jsonl` file, or one element of a `.json` array (those two are streamed, so the
 * file itself may be any size). Default 16 MB; the setting is INGEST_MAX_MB.
 */
export const DEFAULT_MAX_INPUT_BYTES = 16 * 1024 * 1024;

export interface ReadOptions {
  /** See {@link DEFAULT_MAX_INPUT_BYTES}. */
  readonly maxBytes?: number;
}

/**
 * The files that ingest would read under the given paths: files as named, folders walked
 * (hidden entries skipped). Paths that do not exist are recorded as failures in `report`.
 */
export async function collectFiles(paths: readonly string[], report: IngestReport): Promise<string[]> {
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      // An unreadable folder is one failure; its siblings are still read.
      addFailure(report, dir, errorMessage(error));
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      // A symbolic link is followed to what it points at; a broken one is a failure, not a silent skip.
      let kind: 'dir' | 'file' | 'other' = entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'other';
      if (entry.isSymbolicLink()) {
        try {
          const target = await stat(path);
          kind = target.isDirectory() ? 'dir' : target.isFile() ? 'file' : 'other';
        } catch (error) {
          addFailure(report, path, errorMessage(error));
          continue;
        }
      }
      if (kind === 'dir') await walk(path);
      else if (kind === 'file' && INGEST_EXTENSIONS.includes(extname(entry.name).toLowerCase())) files.push(path);
      else report.skipped.push(path);
    }
  };
  for (const path of paths) {
    try {
      const named = await stat(path);
      if (named.isDirectory()) await walk(path);
      else if (named.isFile()) files.push(path);
      // A FIFO or a device has no size to cap: /dev/zero would be read until memory ran out, and a
      // pipe whose writer stalls holds the reader for ever.
      else addFailure(report, path, `${path}: expected a file or a folder, got ${otherKind(named)}; it was not read`);
    } catch (error) {
      addFailure(report, path, errorMessage(error));
    }
  }
  return files;
}

/** The first byte of a file that is not white space (after a byte-order mark), or null for a blank file. */
async function firstByte(file: string): Promise<number | null> {
  const handle = await open(file);
  try {
    const head = Buffer.alloc(4096);
    for (let position = 0; ;) {
      const { bytesRead } = await handle.read(head, 0, head.length, position);
      if (bytesRead === 0) return null;
      const start = position === 0 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
      for (let i = start; i < bytesRead; i++) {
        const b = head[i] as number;
        if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return b;
      }
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

/**
 * Whether a `.json` array is a saved discussion (a Reddit listing, Hacker News items), which its
 * parser needs whole, rather than articles to stream: its first element tells. Reading that one
 * element costs little next to streaming the rest.
 */
async function isDiscussionArray(file: string, maxBytes: number): Promise<boolean> {
  const stream = createReadStream(file);
  try {
    for await (const record of splitJsonArray(file, stream, maxBytes)) {
      if (record.bytes === null) return false;
      return startsDiscussionArray(JSON.parse(record.bytes.toString('utf8')));
    }
    return false;
  } catch {
    // A broken first element is reported by the streaming read, where it has its line.
    return false;
  } finally {
    stream.destroy();
  }
}

/**
 * One streamed record as text, or why it cannot be read: over the cap, or not UTF-8 (the line
 * and column of the first bad byte are named, and only this record fails).
 */
function recordText(record: ByteRecord, what: string, maxBytes: number): { text: string } | { line: number; error: string } {
  if (record.bytes === null) {
    return { line: record.line, error: `expected ${what} of at most ${formatSize(maxBytes)} (INGEST_MAX_MB), got ${formatSize(record.size)}; it was skipped` };
  }
  const bad = firstInvalidUtf8(record.bytes);
  if (bad === -1) return { text: record.bytes.toString('utf8') };
  const at = bytePosition(record.bytes, bad);
  const column = at.line === 1 ? at.column + record.column - 1 : at.column;
  return { line: record.line + at.line - 1, error: `expected ${describeBadByte(record.bytes, bad, column)}` };
}

function otherKind(s: Stats): string {
  if (s.isFIFO()) return 'a pipe (FIFO)';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isSocket()) return 'a socket';
  return 'something that is not a regular file';
}

/**
 * Reads files one at a time, so memory holds one file, not the whole folder. A JSON Lines file
 * and a `.json` file holding an array are streamed record by record, so memory holds one article
 * however large the file; a record that cannot be read fails alone, named by its line. Anything
 * read whole must fit in `maxBytes`.
 */
export async function* readFiles(files: readonly string[], report: IngestReport, options: ReadOptions = {}): AsyncGenerator<SourceFile> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
  const fail = (file: string, error: string): void => addFailure(report, file, error);
  for (const file of files) {
    try {
      const ext = extname(file).toLowerCase();
      if (ext === '.jsonl') {
        for await (const record of splitLines(createReadStream(file), maxBytes)) {
          const read = recordText(record, 'a line', maxBytes);
          if ('text' in read) yield { file, line: record.line, content: read.text };
          else fail(`${file}:${read.line}`, read.error);
        }
        continue;
      }
      const array = ext === '.json' && (await firstByte(file)) === 0x5b;
      const discussion = array && (await isDiscussionArray(file, maxBytes));
      if (array && !discussion) {
        for await (const record of splitJsonArray(file, createReadStream(file), maxBytes)) {
          const read = recordText(record, `an article (\`[${record.index}]\`)`, maxBytes);
          if ('text' in read) yield { file, element: { index: record.index, line: record.line, column: record.column }, content: read.text };
          else fail(`${file}:${read.line}`, read.error);
        }
        continue;
      }
      const { size } = await stat(file);
      if (size > maxBytes) {
        const streamed = discussion
          ? '; a saved discussion (a Reddit listing, Hacker News items) is read whole'
          : ext === '.json'
            ? '; a .json array or a .jsonl file is read one article at a time, at any size'
            : '';
        fail(file, `${file}: expected a file of at most ${formatSize(maxBytes)} (INGEST_MAX_MB), got ${formatSize(size)}; it was not read${streamed}`);
        continue;
      }
      yield { file, content: await readFile(file) };
    } catch (error) {
      fail(file, errorMessage(error));
    }
  }
}
