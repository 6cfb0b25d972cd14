/**
 * Runs in a worker thread (see parse-worker.ts): decodes and parses one fetched feed, and returns
 * plain Articles. A ParseError's message comes back as the feed's failure reason.
 */
import { serveJobs } from '../workers/serve.ts';
import type { ParseJob, ParsedFeedData } from './parse-worker.ts';
import { parseFeed } from './parse.ts';

serveJobs<ParseJob, ParsedFeedData>(({ bytes, options }) => {
  const { title, items, warnings } = parseFeed(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), options);
  return { title, items, warnings };
});
