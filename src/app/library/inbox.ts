/**
 * The inbox: files dropped into a folder are ingested on each delivery run, then moved to
 * processed/, or to failed/ with a `.error.txt` beside them saying why. A file still being
 * written is left for the next run: it must have kept its size and time for a quiet period.
 * Files are parsed in a worker thread (see ingest-thread.ts), so the bot answers Discord meanwhile.
 * One file's trouble, whatever it is, never stops the files after it.
 */
import type { LeaseOptions } from '../lease-options.ts';
import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { withLease } from '../../adapters/store/leases.ts';
import { leaseName } from '../lease-name.ts';
import { type ArticleSink, INGEST_EXTENSIONS, addFailure, emptyReport, storeArticles, unlistedNote } from './ingest.ts';
import { type FileReader, WorkerReader, localReader } from '../../adapters/sources/ingest-thread.ts';
import { errorMessage } from '../../core/errors.ts';

/** A file changed more recently than this may still be being written. */
export const QUIET_MS = 2000;

export interface InboxFile {
  readonly file: string;
  /**
   * `failed`: moved to failed/ with a `.error.txt`. `held`: it could not be moved out of the inbox,
   * so it stays there and is left alone until it changes rather than read again on every run; on
   * the run that found so `error` says why, on later runs it is null (the reason was given then).
   */
  readonly outcome: 'processed' | 'failed' | 'waiting' | 'held';
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Why it failed, as written to its `.error.txt`; or why it could not be moved out of the inbox. */
  readonly error: string | null;
}

export interface InboxOptions {
  /** Shares the inbox with other processes: one reads it at a time (a lease on the folder). */
  readonly lease?: LeaseOptions;
  readonly quietMs?: number;
  readonly now?: () => number;
  /** Extra file endings the inbox takes (saved feeds, when a feed parser is wired in). */
  readonly extensions?: readonly string[];
  /** The most bytes of one input held in memory at once (INGEST_MAX_MB); see DEFAULT_MAX_INPUT_BYTES. */
  readonly maxBytes?: number;
  /** `worker` (the default) parses in a worker thread; `thread` on the calling one. */
  readonly parseIn?: 'worker' | 'thread';
  /** The worker's heap limit in MB (see WorkerReaderOptions); tests make it small. */
  readonly workerHeapMb?: number;
  /**
   * Aborting (at shutdown) stops between two batches: the file being read stays in the inbox for
   * the next run (what was stored stays too, and reads as unchanged then), later files are not begun.
   */
  readonly signal?: AbortSignal;
}

/**
 * Articles stored per transaction: small, because storing runs on the thread that answers Discord
 * (100 articles of a few kB take about 100 ms with their full-text index).
 */
const STORE_BATCH = 100;

/** Most file systems take names of up to 255 bytes (not characters). */
const NAME_MAX_BYTES = 255;
/** Kept free for what the inbox adds to a name: a number (`.12`) and `.error.txt`. */
const SUFFIX_ROOM = 20;
/** A longer "extension" is part of the name, not a type: it is not kept whole when shortening. */
const EXT_MAX_BYTES = 16;

/**
 * `name`, or when it is too long for what the inbox adds to it, its start cut at a character
 * boundary, a short hash of the whole name (so two long names that start alike stay apart) and
 * its extension: `very-long-na…~3f2a9c41d0.json`.
 */
export function shortName(name: string, maxBytes = NAME_MAX_BYTES - SUFFIX_ROOM): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const extension = extname(name);
  const ext = Buffer.byteLength(extension) <= EXT_MAX_BYTES ? extension : '';
  const hash = `~${createHash('sha256').update(name).digest('hex').slice(0, 10)}`;
  const room = maxBytes - Buffer.byteLength(ext) - hash.length;
  let stem = '';
  let bytes = 0;
  // By code point, so a character is never cut in half.
  for (const ch of name.slice(0, name.length - ext.length)) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > room) break;
    stem += ch;
    bytes += size;
  }
  return `${stem}${hash}${ext}`;
}

/** A name in `dir` that is not taken yet: `a.txt`, then `a.2.txt`, `a.3.txt`… (shortened first if need be). */
async function freeName(dir: string, name: string): Promise<string> {
  const short = shortName(name);
  const ext = extname(short);
  const stem = short.slice(0, short.length - ext.length);
  for (let n = 1; ; n++) {
    const candidate = join(dir, n === 1 ? short : `${stem}.${n}${ext}`);
    try {
      await stat(candidate);
    } catch {
      return candidate;
    }
  }
}

/**
 * Files that could not be moved out of an inbox, by path, size and time: they are not read again
 * until they change (or the process restarts), so a stuck file is not stored again on every run.
 */
const held = new Map<string, { readonly size: number; readonly mtimeMs: number }>();

/** Whether `path` is held as it is now; a held file that changed is let go (and read again). */
function isHeld(path: string, size: number, mtimeMs: number): boolean {
  const entry = held.get(path);
  if (entry && entry.size === size && entry.mtimeMs === mtimeMs) return true;
  held.delete(path);
  return false;
}

/**
 * The lease an inbox is read under: this machine's host name and the folder's absolute path, so
 * processes started from different folders agree. The host name because an inbox is a local
 * folder: two machines whose INBOX_DIR has the same path read two different folders, and neither
 * must wait for the other's lease.
 */
export function inboxLeaseName(dir: string): string {
  return leaseName('inbox', `${hostname()}:${resolve(dir)}`);
}

/**
 * Ingests every settled file at the top of `dir` (processed/ and failed/ are not read again). With
 * `options.lease`, under the folder's lease: when another process holds it this resolves [] at once;
 * a lost lease stops the run as a shutdown does (the file being read waits for the next holder).
 */
export async function processInbox(dir: string, sink: ArticleSink, options: InboxOptions = {}): Promise<InboxFile[]> {
  const lease = options.lease;
  if (!lease) return readInbox(dir, sink, options);
  const done = await withLease(lease.repo, inboxLeaseName(dir), lease.holder, lease.ttlMs, (lost) =>
    readInbox(dir, sink, { ...options, signal: options.signal ? AbortSignal.any([options.signal, lost]) : lost }),
  );
  return done.ran ? done.value : [];
}

async function readInbox(dir: string, sink: ArticleSink, options: InboxOptions): Promise<InboxFile[]> {
  const quiet = options.quietMs ?? QUIET_MS;
  const now = options.now ?? Date.now;
  const extensions = new Set([...INGEST_EXTENSIONS, ...(options.extensions ?? [])]);
  await mkdir(dir, { recursive: true });
  const entries = await readdir(dir, { withFileTypes: true });
  const results: InboxFile[] = [];
  const reader: FileReader =
    options.parseIn === 'thread'
      ? localReader(options)
      : new WorkerReader({ maxBytes: options.maxBytes, heapMb: options.workerHeapMb, signal: options.signal });
  try {
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      // Hidden and partial files are how many tools write before renaming into place.
      if (!entry.isFile() || entry.name.startsWith('.') || /\.(part|tmp|crdownload)$/i.test(entry.name)) continue;
      // The inbox's own folders' names: such a file is in the way of a folder, never an input.
      if (entry.name === 'processed' || entry.name === 'failed') continue;
      const path = join(dir, entry.name);
      if (options.signal?.aborted) break;
      try {
        results.push(await processFile(dir, entry.name, sink, reader, { quiet, now, extensions, signal: options.signal }));
      } catch (error) {
        // Not the file's content (that moves it to failed/) but the inbox's own trouble: stat, move or write.
        const reason = `${entry.name}: could not be moved out of the inbox (${errorMessage(error)}); it stays there, and is not read again until it changes`;
        const info = await stat(path).catch(() => null);
        if (info) held.set(path, { size: info.size, mtimeMs: info.mtimeMs });
        // Gone from the inbox all the same (moved to failed/ before its .error.txt could be written): failed.
        results.push({ file: entry.name, outcome: info ? 'held' : 'failed', added: 0, updated: 0, unchanged: 0, error: reason });
      }
    }
  } finally {
    await reader.close();
  }
  // Files that left the inbox (moved by hand, deleted) are forgotten, so the list stays small.
  const present = new Set(entries.map((e) => join(dir, e.name)));
  const folder = join(dir, '.'); // as join() spells it in the paths, trailing slash or not
  for (const path of held.keys()) if (dirname(path) === folder && !present.has(path)) held.delete(path);
  return results;
}

async function processFile(
  dir: string,
  name: string,
  sink: ArticleSink,
  reader: FileReader,
  options: { quiet: number; now: () => number; extensions: ReadonlySet<string>; signal: AbortSignal | undefined },
): Promise<InboxFile> {
  const path = join(dir, name);
  const before = await stat(path);
  if (options.now() - before.mtimeMs < options.quiet) return { file: name, outcome: 'waiting', added: 0, updated: 0, unchanged: 0, error: null };
  if (isHeld(path, before.size, before.mtimeMs)) return { file: name, outcome: 'held', added: 0, updated: 0, unchanged: 0, error: null };
  let error: string | null = null;
  const report = emptyReport();
  if (!options.extensions.has(extname(name).toLowerCase())) {
    error = `${name}: not a file Paperboy reads (it takes ${[...options.extensions].join(', ')})`;
  } else {
    try {
      await storeArticles(reader.read(path, report), sink, { batchSize: STORE_BATCH }, report);
    } catch (readError) {
      // The worker died or stalled on this file: what was stored stays, the file fails with the reason.
      addFailure(report, path, errorMessage(readError));
    }
    if (report.failed > 0) {
      const more = unlistedNote(report);
      error = [...report.failures.map((f) => (f.error.startsWith(f.file) ? f.error : `${f.file}: ${f.error}`)), ...(more ? [more] : [])].join('\n');
    }
  }
  const counts = { added: report.added, updated: report.updated, unchanged: report.unchanged };
  // Stopped half-way for shutdown: not the file's fault, so it waits for the next run.
  if (options.signal?.aborted) return { file: name, outcome: 'waiting', ...counts, error: null };
  const after = await stat(path);
  if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
    // Written to while being read: what was stored stays (stores are idempotent); the file is read again next run.
    return { file: name, outcome: 'waiting', ...counts, error: null };
  }
  const target = join(dir, error === null ? 'processed' : 'failed');
  await mkdir(target, { recursive: true });
  const moved = await freeName(target, name);
  await rename(path, moved);
  if (error !== null) await writeFile(`${moved}.error.txt`, `${error}\n`);
  return { file: name, outcome: error === null ? 'processed' : 'failed', ...counts, error };
}
