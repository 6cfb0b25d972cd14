/**
 * Discussion parsing off the thread that answers Discord. A fetch brings megabytes of outside JSON
 * or XML (a 9.4 MB Reddit listing of 25,000 comments is most of a second of parsing; a 10 MB comment
 * feed of 100,000 items more), and the fetcher hands each parse step to a {@link DiscussionParser}:
 * the product's runs them in a worker thread with a time and a memory limit, so a hostile or
 * enormous discussion costs that discussion a failure with the reason, never the bot's attention.
 * Tests may parse inline ({@link INLINE_DISCUSSION_PARSER}): the same function, the same results.
 */
import { WorkerRunner } from '../workers/runner.ts';
import { type DiscussionParseKind, type DiscussionParseResults, type JobOf, runDiscussionParse } from './parse-job-run.ts';

export type { DiscussionParseJob, DiscussionParseKind, DiscussionParseResults } from './parse-job-run.ts';

export interface DiscussionParser {
  /** Runs one parse step; rejects with the reason its input could not be read (or the worker's, when it was ended). */
  parse<K extends DiscussionParseKind>(job: JobOf<K>): Promise<DiscussionParseResults[K]>;
}

/** A parser with a worker of its own: whoever makes it closes it at shutdown. */
export interface DiscussionParserWorker extends DiscussionParser {
  /** Ends the worker at once: a parse in hand is rejected (WorkerStopped). The parser can be used again after. */
  close(): Promise<void>;
}

/**
 * Longest one parse step may take. The largest answer a fetch takes (10 MB) parses in about 2 s on
 * a quiet machine; 30 s leaves room for a slow, shared one, as the feed parser's limit does.
 */
export const DISCUSSION_PARSE_TIME_LIMIT_MS = 30_000;

/** Parses on the calling thread: for tests, and for tools that answer no one while they parse. */
export const INLINE_DISCUSSION_PARSER: DiscussionParser = {
  parse<K extends DiscussionParseKind>(job: JobOf<K>): Promise<DiscussionParseResults[K]> {
    // A parse error rejects, as it does from the worker, rather than throwing at the caller.
    try {
      return Promise.resolve(runDiscussionParse(job) as DiscussionParseResults[K]);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  },
};

/** Creates a parser with its own worker; limits default to DISCUSSION_PARSE_TIME_LIMIT_MS and WorkerRunner's (512 MB, 30 s idle). */
export function createDiscussionParser(
  limits: { readonly timeoutMs?: number; readonly maxMemoryMb?: number; readonly idleMs?: number } = {},
): DiscussionParserWorker {
  const runner = new WorkerRunner<JobOf<DiscussionParseKind>, DiscussionParseResults[DiscussionParseKind]>({
    module: new URL('./parse-job.ts', import.meta.url),
    name: 'the discussion parser',
    timeoutMs: limits.timeoutMs ?? DISCUSSION_PARSE_TIME_LIMIT_MS,
    maxMemoryMb: limits.maxMemoryMb,
    idleMs: limits.idleMs,
  });
  return {
    // Inputs are copied to the worker (structured clone), not transferred: a small Buffer shares its memory with others.
    parse: <K extends DiscussionParseKind>(job: JobOf<K>) => runner.run(job) as Promise<DiscussionParseResults[K]>,
    close: () => runner.close(),
  };
}
