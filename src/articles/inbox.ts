/**
 * The inbox: files dropped into a folder are ingested on each delivery run, then moved to
 * processed/, or to failed/ with a `.error.txt` beside them saying why. A file still being
 * written is left for the next run: it must have kept its size and time for a quiet period.
 */
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { type ArticleSink, INGEST_EXTENSIONS, emptyReport, ingestSources, readFiles } from './ingest.ts';

/** A file changed more recently than this may still be being written. */
export const QUIET_MS = 2000;

export interface InboxFile {
  readonly file: string;
  readonly outcome: 'processed' | 'failed' | 'waiting';
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Why it failed, as written to its `.error.txt`. */
  readonly error: string | null;
}

export interface InboxOptions {
  readonly quietMs?: number;
  readonly now?: () => number;
  /** Extra file endings the inbox takes (saved feeds, when a feed parser is wired in). */
  readonly extensions?: readonly string[];
}

/** A name in `dir` that is not taken yet: `a.txt`, then `a.2.txt`, `a.3.txt`… */
async function freeName(dir: string, name: string): Promise<string> {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 1; ; n++) {
    const candidate = join(dir, n === 1 ? name : `${stem}.${n}${ext}`);
    try {
      await stat(candidate);
    } catch {
      return candidate;
    }
  }
}

/** Ingests every settled file at the top of `dir` (processed/ and failed/ are not read again). */
export async function processInbox(dir: string, sink: ArticleSink, options: InboxOptions = {}): Promise<InboxFile[]> {
  const quiet = options.quietMs ?? QUIET_MS;
  const now = options.now ?? Date.now;
  const extensions = new Set([...INGEST_EXTENSIONS, ...(options.extensions ?? [])]);
  await mkdir(dir, { recursive: true });
  const entries = await readdir(dir, { withFileTypes: true });
  const results: InboxFile[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    // Hidden and partial files are how many tools write before renaming into place.
    if (!entry.isFile() || entry.name.startsWith('.') || /\.(part|tmp|crdownload)$/i.test(entry.name)) continue;
    const path = join(dir, entry.name);
    const before = await stat(path);
    if (now() - before.mtimeMs < quiet) {
      results.push({ file: entry.name, outcome: 'waiting', added: 0, updated: 0, unchanged: 0, error: null });
      continue;
    }
    let error: string | null = null;
    const report = emptyReport();
    if (!extensions.has(extname(entry.name).toLowerCase())) {
      error = `${entry.name}: not a file Paperboy reads (it takes ${[...extensions].join(', ')})`;
    } else {
      await ingestSources(readFiles([path], report), sink, { source: null }, report);
      if (report.failures.length > 0) error = report.failures.map((f) => (f.error.startsWith(f.file) ? f.error : `${f.file}: ${f.error}`)).join('\n');
    }
    const after = await stat(path);
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
      // Written to while being read: what was stored stays (stores are idempotent); the file is read again next run.
      results.push({ file: entry.name, outcome: 'waiting', added: report.added, updated: report.updated, unchanged: report.unchanged, error: null });
      continue;
    }
    const target = join(dir, error === null ? 'processed' : 'failed');
    await mkdir(target, { recursive: true });
    const moved = await freeName(target, entry.name);
    await rename(path, moved);
    if (error !== null) await writeFile(`${moved}.error.txt`, `${error}\n`);
    results.push({ file: entry.name, outcome: error === null ? 'processed' : 'failed', added: report.added, updated: report.updated, unchanged: report.unchanged, error });
  }
  return results;
}
