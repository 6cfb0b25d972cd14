/**
 * Feed parsing off the thread that answers Discord: a {@link FeedParser}'s `parse` has the shape of
 * {@link parseFeed} (decode and parse), but the work runs in a worker thread with a time limit and a
 * memory limit, so a hostile or enormous feed costs that feed a failure, never the bot's attention.
 */
import type { Article } from '../../core/model.ts';
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

/** A feed parser with a worker of its own, made by whoever runs polls, and closed by it when done. */
export interface FeedParser {
  /** Parses a fetched feed in the worker; rejects with the reason the feed could not be read. */
  readonly parse: (bytes: Buffer, options: ParseJob['options']) => Promise<ParsedFeedData>;
  /** Ends the worker at once: a parse in hand is rejected (WorkerStopped). The parser can be used again after. */
  readonly close: () => Promise<void>;
}

/** Creates a parser with its own worker; limits default to PARSE_TIME_LIMIT_MS and WorkerRunner's. */
export function createFeedParser(limits: { readonly timeoutMs?: number; readonly maxMemoryMb?: number; readonly idleMs?: number } = {}): FeedParser {
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
