/**
 * Runs in a worker thread (see parse-worker.ts): the parse steps of discussion fetches, one job at
 * a time. A ParseError's message comes back as the discussion's failure reason.
 */
import { serveJobs } from '../workers/serve.ts';
import { type DiscussionParseJob, type DiscussionParseKind, type DiscussionParseResults, runDiscussionParse } from './parse-job-run.ts';

serveJobs<DiscussionParseJob, DiscussionParseResults[DiscussionParseKind]>(runDiscussionParse);
