/**
 * Feed parsing off the thread that answers Discord: {@link parseFeedOffThread} has the shape of
 * {@link parseFeed} (decode and parse), but the work runs in a worker thread with a time limit and a
 * memory limit, so a hostile or enormous feed costs that feed a failure, never the bot's attention.
 */
import type { Article } from '../articles/model.ts';
import { WorkerRunner } from '../workers/runner.ts';

/** What the worker is given: the fetched bytes and where they came from. */
export interface ParseJob {
  readonly bytes: Uint8Array;
  readonly options: { readonly url?: string | null; readonly contentType?: string | null; readonly source?: string | null; readonly now?: Date };
}

/** What the worker returns: {@link ParsedFeed} as plain data. */
export interface ParsedFeedData {
  readonly title: string | null;
  readonly items: Article[];
  readonly warnings: string[];
}

/** Longest one feed may take to parse. A 10 MB feed takes about 1 s; 30 s leaves room for a slow, shared machine. */
export const PARSE_TIME_LIMIT_MS = 30_000;

/** Creates a parser with its own worker; tests use it for other limits, the product uses {@link parseFeedOffThread}. */
export function createFeedParser(limits: { readonly timeoutMs?: number; readonly maxMemoryMb?: number; readonly idleMs?: number } = {}): {
  parse: (bytes: Buffer, options: ParseJob['options']) => Promise<ParsedFeedData>;
  close: () => Promise<void>;
} {
  const runner = new WorkerRunner<ParseJob, ParsedFeedData>({
    module: new URL('./parse-job.ts', import.meta.url),
    name: 'the feed parser',
    timeoutMs: limits.timeoutMs ?? PARSE_TIME_LIMIT_MS,
    maxMemoryMb: limits.maxMemoryMb,
    idleMs: limits.idleMs,
  });
  return {
    // The bytes are copied to the worker, not transferred: a small Buffer shares its memory with others.
    parse: (bytes, options) => runner.run({ bytes, options }),
    close: () => runner.close(),
  };
}

const shared = createFeedParser();

/** Parses a fetched feed in the shared worker; rejects with the reason the feed could not be read. */
export function parseFeedOffThread(bytes: Buffer, options: ParseJob['options']): Promise<ParsedFeedData> {
  return shared.parse(bytes, options);
}
